"""Django admin for superusers: every save and delete made there still leaves an audit row."""

from django.contrib import admin
from django.forms.models import model_to_dict

from lianxi.audit.services import record


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        before = model_to_dict(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        after = model_to_dict(obj)
        changes = {k: [str(before.get(k)) if change else None, str(v)] for k, v in after.items()
                   if not change or before.get(k) != v}
        label = obj._meta.model_name
        record(request.user, f"admin.{label}.{'update' if change else 'create'}", obj, changes)

    def delete_model(self, request, obj):
        record(request.user, f"admin.{obj._meta.model_name}.delete", obj, {})
        super().delete_model(request, obj)
