from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "huiqi.notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from . import schedules  # noqa: F401  (registers the reach jobs with the platform scheduler)
