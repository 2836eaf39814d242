from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "lianxi.registry"
    verbose_name = "组织体系"

    def ready(self):
        from lianxi.accounts.access import register_conference_tree
        from lianxi.registry import tree

        # accounts sits below the registry: it asks the registry through this, never imports it.
        register_conference_tree(tree)
