from django.contrib import admin

from lianxi.lib.admin import AuditedAdmin, ReadOnlyInline
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting, StatedFigure


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "kind", "title", "concerns_conference"]
    raw_id_fields = ["concerns_conference"]


class StatedFigureInline(ReadOnlyInline):
    model = StatedFigure
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["title", "conference", "kind", "number", "date"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["conference", "host_unit"]
    inlines = [AgendaItemInline, StatedFigureInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(AuditedAdmin):
    list_display = ["meeting", "order", "kind", "title"]
    raw_id_fields = ["meeting", "concerns_conference"]


for model in (AgendaParticipant, AgendaUnit, Exchange):
    admin.site.register(model, AuditedAdmin)
