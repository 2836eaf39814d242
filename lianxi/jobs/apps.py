from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "lianxi.jobs"
    verbose_name = "后台任务"
