# Django's UserAdmin registers itself when its module is imported; import it first, so that the
# read-only admin below replaces it whatever the order of INSTALLED_APPS.
import django.contrib.auth.admin  # noqa: F401
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from lianxi.accounts.models import Grant
from lianxi.lib.admin import AuditedAdmin


@admin.register(Grant)
class GrantAdmin(AuditedAdmin):
    """Read-only: roles are given and taken back on the 角色授权 page, through
    ``accounts.services`` (one audit row each)."""

    list_display = ["user", "role", "conference", "unit", "created"]
    list_filter = ["role"]
    search_fields = ["user__username"]


# Accounts themselves. Django's own UserAdmin would let a superuser set is_superuser, is_staff,
# is_active, groups, permissions and passwords with no audit row. Here it is read-only like every
# audited model: roles are given on the 角色授权 page (accounts.services.grant_role/revoke_role),
# accounts are opened and disabled by onboarding (activation links; ``onboarding.services.disable``),
# passwords are set by their holders. The stored password hash is not shown.
User = get_user_model()
for model in (User, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class UserAdmin(AuditedAdmin):
    list_display = ["username", "is_active", "is_staff", "is_superuser", "last_login", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["username"]
    fields = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser",
              "groups", "user_permissions", "last_login", "date_joined"]


@admin.register(Group)
class GroupAdmin(AuditedAdmin):
    """Read-only too: a group's permissions are privileges of every account in it."""

    search_fields = ["name"]
