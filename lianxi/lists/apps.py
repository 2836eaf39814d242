from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ListsConfig(AppConfig):
    name = "lianxi.lists"
    verbose_name = "三张清单"

    def ready(self):
        from lianxi.accounts.gates import register_history_gate
        from lianxi.lib.db import analyze_after_migrate
        from lianxi.lists import (
            gates,
            jobs,  # noqa: F401 - registers the Excel import jobs
        )
        from lianxi.lists.models import Need, Resource

        register_history_gate(Need, gates.may_read_need_history)
        register_history_gate(Resource, gates.may_read_resource_history)

        # Sent once per app by every migrate; listening for this app's alone runs it once a run.
        post_migrate.connect(analyze_after_migrate, sender=self, dispatch_uid="lib.analyze_after_migrate")
