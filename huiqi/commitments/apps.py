from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "huiqi.commitments"
    verbose_name = "承诺必践"

    def ready(self) -> None:
        from . import receivers, schedules  # noqa: F401  (signal receivers and the daily sweep)
