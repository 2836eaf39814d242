from django.contrib import admin

from lianxi.lib.admin import AuditedAdmin
from lianxi.matching.models import AreaNeighbour, MatchRun


@admin.register(AreaNeighbour)
class AreaNeighbourAdmin(AuditedAdmin):
    """Read here; the neighbour map is kept on the matching pages (邻近街道), through its service."""

    list_display = ["area", "neighbour"]
    raw_id_fields = ["area", "neighbour"]


@admin.register(MatchRun)
class MatchRunAdmin(AuditedAdmin):
    list_display = ["conference", "started_at", "status", "needs_count", "resources_count", "suggestions_count"]
    list_filter = ["status"]
    raw_id_fields = ["conference", "started_by"]
