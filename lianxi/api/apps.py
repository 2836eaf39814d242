from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lianxi.api"
    verbose_name = "接口"
