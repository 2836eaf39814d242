from django.apps import AppConfig


class BurdenConfig(AppConfig):
    name = "lianxi.burden"
    verbose_name = "减负闸门"
