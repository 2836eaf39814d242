from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "lianxi.ingest"
    verbose_name = "报道导入"
