from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "huiqi.ingest"
    label = "ingest"
    verbose_name = "政策颗粒化"
