from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "lianxi.dashboards"
    verbose_name = "工作台"
