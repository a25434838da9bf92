from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "huiqi.policies"
    verbose_name = "政策库"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (keeps the search index in step with publication)
