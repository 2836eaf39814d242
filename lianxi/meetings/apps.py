from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "lianxi.meetings"
    verbose_name = "会议"

    def ready(self):
        from lianxi.meetings import forms, services
        from lianxi.meetings.models import AgendaItem
        from lianxi.meetings.resolutions import register_resolution

        # The resolutions whose effect stays in meetings and the registry. Release and award are the
        # projects room's (lianxi.projects.apps); see lianxi.meetings.resolutions.
        Kind = AgendaItem.Kind
        register_resolution(Kind.ADMISSION, services.apply_admission, forms.AdmissionApplyForm)
        register_resolution(Kind.UNVEILING, services.apply_unveiling, forms.UnveilingApplyForm)
        register_resolution(Kind.ADJUSTMENT, services.apply_adjustment, forms.AdjustmentApplyForm)
        register_resolution(Kind.NAMING, services.apply_naming, forms.NamingApplyForm)
