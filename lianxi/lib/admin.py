"""Django admin for superusers: a read-only window on the data.

Every write goes through a service (one transaction, its rules, one audit row); the admin's own
save, delete and bulk "delete selected" would skip all three, so for the domain's models it offers
none of them. Changes are made on the pages (or the API, CLI, Excel import), which call the
services; role grants on the 角色授权 page."""

from django.contrib import admin


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Admin of a model written by services only: list, search and read; no add, change, delete or
    bulk action (``delete_selected`` is gone with the delete permission, and removed outright)."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
