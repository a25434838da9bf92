from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "huiqi.fulfilment"
    verbose_name = "申报兑现"

    def ready(self) -> None:
        from . import schedules  # noqa: F401  (registers the deadline sweep with matching.scheduling)
