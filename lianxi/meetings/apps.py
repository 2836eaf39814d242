from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "lianxi.meetings"
    verbose_name = "会议"
