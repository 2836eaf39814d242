from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "lianxi.visits"
    verbose_name = "常态走访与双向交流"

    def ready(self):
        from lianxi.lists.signals import need_state_changed
        from lianxi.visits.services import on_need_state_changed

        # The lists sit below visits and do not know them: when a need a visit raised is seen through,
        # the visit's follow-up on it closes itself.
        need_state_changed.connect(on_need_state_changed, dispatch_uid="visits.close_follow_ups")
