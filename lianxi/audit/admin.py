from django.contrib import admin

from lianxi.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only: nobody, superusers included, adds, changes or deletes an entry here."""

    list_display = ["time", "actor_label", "action", "target_repr", "request_id"]
    list_filter = ["action"]
    search_fields = ["target_repr", "actor_label", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
