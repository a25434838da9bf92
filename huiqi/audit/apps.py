from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "huiqi.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from . import jobs

        jobs.register_jobs()
