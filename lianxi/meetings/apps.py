from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "lianxi.meetings"
    verbose_name = "会议"

    def ready(self):
        from lianxi.accounts.gates import register_history_gate
        from lianxi.meetings import forms, gates, services
        from lianxi.meetings.models import AgendaItem, Meeting
        from lianxi.meetings.resolutions import register_resolution

        # The resolutions whose effect stays in meetings and the registry. Release and award are the
        # projects room's (lianxi.projects.apps); see lianxi.meetings.resolutions.
        Kind = AgendaItem.Kind
        register_resolution(Kind.ADMISSION, services.apply_admission, forms.AdmissionApplyForm)
        register_resolution(Kind.UNVEILING, services.apply_unveiling, forms.UnveilingApplyForm)
        register_resolution(Kind.ADJUSTMENT, services.apply_adjustment, forms.AdjustmentApplyForm)
        register_resolution(Kind.NAMING, services.apply_naming, forms.NamingApplyForm)
        # Who reads a meeting's 变更记录 (docs/architecture.md, "History").
        register_history_gate(Meeting, gates.may_read_meeting_history)
