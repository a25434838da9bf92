from django.apps import AppConfig


class DisbursementConfig(AppConfig):
    name = "huiqi.disbursement"
    verbose_name = "资金拨付"

    def ready(self) -> None:
        from . import jobs

        jobs.register_schedules()
