from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "lianxi.home"
    verbose_name = "首页"
