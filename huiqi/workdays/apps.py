from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_after_migrate(sender: Any, **kwargs: Any) -> None:
    from .services import calendar_seed_if_empty

    calendar_seed_if_empty(using=kwargs.get("using", "default"))


class WorkdaysConfig(AppConfig):
    name = "huiqi.workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        post_migrate.connect(_seed_after_migrate, sender=self)
