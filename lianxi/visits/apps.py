from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "lianxi.visits"
    verbose_name = "常态走访与双向交流"
