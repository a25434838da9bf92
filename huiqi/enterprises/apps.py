from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_catalogue(sender: Any, **kwargs: Any) -> None:
    from .catalogue import catalogue_seed_missing

    catalogue_seed_missing(using=kwargs.get("using", "default"))


class EnterprisesConfig(AppConfig):
    name = "huiqi.enterprises"
    verbose_name = "企业库"

    def ready(self) -> None:
        post_migrate.connect(_seed_catalogue, sender=self)
