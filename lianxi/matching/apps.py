from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "lianxi.matching"
    verbose_name = "供需匹配"
