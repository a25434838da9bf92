from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "huiqi.portal"
    verbose_name = "企业门户（政策找企）"

    def ready(self) -> None:
        from .reminders import register_schedules

        register_schedules()
