from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "lianxi.registry"
    verbose_name = "组织体系"

    def ready(self):
        from lianxi.accounts.access import register_conference_tree
        from lianxi.registry import tree

        # accounts sits below the registry: it asks the registry through this, never imports it.
        register_conference_tree(tree)

        from lianxi.accounts.gates import register_history_gate
        from lianxi.registry import gates
        from lianxi.registry.models import Conference, Person, Unit

        # Who reads each object's 变更记录 is this room's answer (docs/architecture.md, "History").
        register_history_gate(Conference, gates.may_read_conference_history)
        register_history_gate(Unit, gates.may_read_unit_history)
        register_history_gate(Person, gates.may_read_person_history)
