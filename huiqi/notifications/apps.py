from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "huiqi.notifications"
    verbose_name = "消息通知"
