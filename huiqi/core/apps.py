from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "huiqi.core"
    verbose_name = "平台"

    def ready(self) -> None:
        from .request_context import install_log_record_factory

        install_log_record_factory()
