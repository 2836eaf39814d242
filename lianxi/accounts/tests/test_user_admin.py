"""No path the product offers changes an account's privileges without an audit row: the Django
admin shows accounts and groups read-only (roles go through ``accounts.services``)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from lianxi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _form(user, **changes):
    data = {"username": user.username, "first_name": "", "last_name": "", "email": "",
            "is_active": "on", "date_joined_0": "2024-06-24", "date_joined_1": "00:00:00"}
    data.update(changes)
    return data


def test_superuser_cannot_raise_privileges_through_the_admin(world, client):
    client.force_login(get_user_model().objects.create_superuser(username="root", password="x"))
    target = world.liaison
    url = f"/admin/auth/user/{target.pk}/change/"
    before = AuditEntry.objects.count()
    page = client.get(url)
    assert page.status_code == 200  # read: yes
    assert target.password not in page.content.decode()  # the hash is not shown
    response = client.post(url, _form(target, is_superuser="on", is_staff="on"))
    assert response.status_code == 403
    assert client.post(f"/admin/auth/user/{target.pk}/password/",
                       {"password1": "x-Secret-123", "password2": "x-Secret-123"}).status_code in (302, 403, 404)
    assert client.get("/admin/auth/user/add/").status_code == 403
    assert client.post(f"/admin/auth/user/{target.pk}/delete/", {"post": "yes"}).status_code == 403
    group = Group.objects.create(name="示例组")
    assert client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "改名"}).status_code == 403
    target.refresh_from_db()
    assert (target.is_superuser, target.is_staff, target.is_active) == (False, False, True)
    assert not target.check_password("x-Secret-123")
    assert get_user_model().objects.filter(pk=target.pk).exists()
    # Refused, so nothing was written, audited or not.
    assert AuditEntry.objects.count() == before


def test_createsuperuser_writes_the_account_audit_row(db, monkeypatch):
    """``manage.py createsuperuser`` is the first privileged act of a deployment: it writes the same
    ``accounts.user.create`` row as every other account creation, without the password."""
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "示例-Passw0rd-甲乙")
    call_command("createsuperuser", interactive=False, username="示例超级用户", email="", verbosity=0)
    user = get_user_model().objects.get(username="示例超级用户")
    assert user.is_superuser and user.check_password("示例-Passw0rd-甲乙")
    rows = list(AuditEntry.objects.filter(action="accounts.user.create", target_id=user.pk))
    assert len(rows) == 1
    assert rows[0].changes["username"] == [None, "示例超级用户"]
    assert rows[0].changes["is_superuser"] == [None, True]
    assert "password" not in rows[0].changes and "示例-Passw0rd" not in str(rows[0].changes)


def test_admin_keeps_the_read_only_user_admin(admin_client):
    """``lianxi.accounts`` comes before Django's auth app (for its createsuperuser): the admin still
    shows lianxi's read-only account page, not Django's UserAdmin with its password form."""
    from django.contrib import admin

    from lianxi.accounts.admin import UserAdmin

    assert isinstance(admin.site._registry[get_user_model()], UserAdmin)
    response = admin_client.get("/admin/auth/user/add/")
    assert response.status_code == 403
