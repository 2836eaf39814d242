from django.contrib import admin

from lianxi.lib.admin import AuditedAdmin
from lianxi.registry.models import Appointment, Area, Committee, Conference, Membership, Person, Unit


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Conference)
class ConferenceAdmin(AuditedAdmin):
    list_display = ["name", "kind", "parent", "status", "founded_on"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["parent", "upgraded_from", "founded_at", "area"]


@admin.register(Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ["name", "conference"]
    search_fields = ["name"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "party_org_name", "party_org_level", "category", "area"]
    list_filter = ["category", "party_org_level"]
    search_fields = ["name", "party_org_name", "initials"]
    raw_id_fields = ["area"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["unit", "conference", "start", "end", "plaque_awarded_on"]
    list_filter = ["conference"]
    raw_id_fields = ["unit", "conference", "admitted_at"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["name", "unit", "title"]
    search_fields = ["name"]
    raw_id_fields = ["unit", "user"]


@admin.register(Appointment)
class AppointmentAdmin(AuditedAdmin):
    list_display = ["conference", "role", "person", "unit", "start", "end", "attested_on"]
    list_filter = ["role"]
    raw_id_fields = ["conference", "person", "unit", "appointed_at", "ended_at"]
