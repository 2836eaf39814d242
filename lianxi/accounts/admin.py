from django.contrib import admin

from lianxi.accounts.models import Grant
from lianxi.lib.admin import AuditedAdmin


@admin.register(Grant)
class GrantAdmin(AuditedAdmin):
    """Read-only: roles are given and taken back on the 角色授权 page, through
    ``accounts.services`` (one audit row each)."""

    list_display = ["user", "role", "conference", "unit", "created"]
    list_filter = ["role"]
    search_fields = ["user__username"]
