from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "huiqi.matching"
    verbose_name = "政策找企"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
