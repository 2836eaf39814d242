from django.contrib import admin

from lianxi.lib.admin import AuditedAdmin
from lianxi.projects.models import Project


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["title", "kind", "year", "conference", "status"]
    list_filter = ["kind", "year", "status"]
    search_fields = ["title"]
    raw_id_fields = ["conference", "lead_unit", "released_at", "awarded_at"]
    filter_horizontal = ["partner_units"]
