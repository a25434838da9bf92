from django.apps import AppConfig


class AskConfig(AppConfig):
    name = "huiqi.ask"
    verbose_name = "问政策"
