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
