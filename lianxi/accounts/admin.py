from django.contrib import admin

from lianxi.accounts.models import Grant


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "conference", "unit", "created"]
    list_filter = ["role"]
    autocomplete_fields = ["conference", "unit"]
    search_fields = ["user__username"]
