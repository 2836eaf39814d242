from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "lianxi.registry"
    verbose_name = "组织体系"
