from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "lianxi.lists"
    verbose_name = "三张清单"
