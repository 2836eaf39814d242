from django.contrib import admin

from lianxi.lib.admin import AuditedAdmin
from lianxi.matching.models import AreaNeighbour, MatchRun


@admin.register(AreaNeighbour)
class AreaNeighbourAdmin(AuditedAdmin):
    """The neighbour map has no page of its own yet: superusers keep it here (audited)."""

    list_display = ["area", "neighbour"]
    raw_id_fields = ["area", "neighbour"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["conference", "started_at", "status", "needs_count", "resources_count", "suggestions_count"]
    list_filter = ["status"]
    raw_id_fields = ["conference", "started_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
