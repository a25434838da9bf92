from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "huiqi.supervision"
    verbose_name = "评与督"

    def ready(self) -> None:
        from . import receivers, schedules  # noqa: F401  (rating invitations; monthly index and sweeps)
