from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "huiqi.tickets"
    verbose_name = "企呼我应"

    def ready(self) -> None:
        from . import schedules  # noqa: F401  (registers the ticket sweep with matching.scheduling)
