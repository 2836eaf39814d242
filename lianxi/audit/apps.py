from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lianxi.audit"
    verbose_name = "审计日志"
