"""Role grants through their service and the 角色授权 page: one audit row per grant and revocation,
district administrators only, within their conferences."""

import pytest
from django.urls import reverse

from lianxi.accounts.access import access_for
from lianxi.accounts.models import Grant
from lianxi.accounts.services import grant_role, revoke_role
from lianxi.audit.models import AuditEntry
from lianxi.testing import make_user

pytestmark = pytest.mark.django_db

URL = "/roles/"


def _grant_rows():
    return list(AuditEntry.objects.filter(action__startswith="accounts.grant.").values_list("action", "actor_label",
                                                                                           "changes"))


def test_grant_and_revoke_each_write_one_audit_row(world):
    newcomer = make_user("newcomer")
    before = AuditEntry.objects.count()
    grant = grant_role(world.admin, user=newcomer, role=Grant.Role.LIAISON, unit=world.unit_b)
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.for_object(grant).get()
    assert (entry.action, entry.actor_label) == ("accounts.grant.create", "admin")
    assert entry.changes == {"user": [None, "newcomer"], "role": [None, "liaison"], "unit": [None, "示例单位B"]}

    revoke_role(world.admin, grant)
    assert AuditEntry.objects.count() == before + 2
    assert not Grant.objects.filter(pk=grant.pk).exists()
    last = AuditEntry.objects.filter(action="accounts.grant.delete").get()
    assert last.changes == {"user": ["newcomer", None], "role": ["liaison", None], "unit": ["示例单位B", None]}


def test_grant_refuses_a_scope_that_does_not_fit_the_role(world):
    from django.core.exceptions import ValidationError

    newcomer = make_user("newcomer")
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        grant_role(world.admin, user=newcomer, role=Grant.Role.LIAISON, conference=world.district)
    assert AuditEntry.objects.count() == before
    assert not Grant.objects.filter(user=newcomer).exists()


def test_administrator_grants_on_the_page_and_reads_the_history(world, client_for):
    newcomer = make_user("newcomer")
    client = client_for(world.admin)
    response = client.post(URL, {"username": "newcomer", "role": "street", "unit": world.street_unit.name})
    assert response.status_code == 302
    grant = Grant.objects.get(user=newcomer)
    assert (grant.role, grant.unit_id) == ("street", world.street_unit.pk)
    assert [row[:2] for row in _grant_rows()] == [("accounts.grant.create", "admin")]
    assert access_for(newcomer).street_units == {world.street_unit.pk}

    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "newcomer" in text and "授予角色" in text

    response = client.post(reverse("registry:grant_revoke", args=[grant.pk]))
    assert response.status_code == 302
    assert not Grant.objects.filter(user=newcomer).exists()
    assert sorted(row[0] for row in _grant_rows()) == ["accounts.grant.create", "accounts.grant.delete"]


def test_page_reports_a_bad_grant_without_saving(world, client_for):
    make_user("newcomer")
    client = client_for(world.admin)
    response = client.post(URL, {"username": "nobody", "role": "street", "unit": world.street_unit.name})
    assert response.status_code == 400
    assert "没有登录名为“nobody”的有效账号" in response.content.decode()
    response = client.post(URL, {"username": "newcomer", "role": "liaison"})
    assert response.status_code == 400
    assert not Grant.objects.filter(user__username="newcomer").exists()
    assert _grant_rows() == []


@pytest.mark.parametrize("persona,status", [
    ("outsider", 404), ("secretariat", 403), ("liaison", 403), ("street", 403), ("reviewer", 403),
])
def test_only_district_administrators_keep_roles(world, client_for, persona, status):
    client = client_for(getattr(world, persona))
    assert client.get(URL).status_code == status
    grant = Grant.objects.get(user=world.liaison)
    assert client.post(reverse("registry:grant_revoke", args=[grant.pk])).status_code == status
    assert Grant.objects.filter(pk=grant.pk).exists()


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(URL).status_code == 302


def test_administrator_of_a_sub_conference_grants_only_within_it(world, client_for):
    sub_admin = make_user("sub_admin")
    grant_role(None, user=sub_admin, role=Grant.Role.ADMIN, conference=world.sub)
    make_user("newcomer")
    client = client_for(sub_admin)
    # The district is not theirs: the choice is not even offered.
    response = client.post(URL, {"username": "newcomer", "role": "secretariat", "conference": world.district.pk})
    assert response.status_code == 400
    # A unit of the district, not of the sub-conference: refused.
    response = client.post(URL, {"username": "newcomer", "role": "liaison", "unit": world.unit_a.name})
    assert response.status_code == 403
    assert not Grant.objects.filter(user__username="newcomer").exists()
    response = client.post(URL, {"username": "newcomer", "role": "secretariat", "conference": world.sub.pk})
    assert response.status_code == 302
    # The district's grants are not theirs to see or take back.
    liaison_grant = Grant.objects.get(user=world.liaison)
    assert client.post(reverse("registry:grant_revoke", args=[liaison_grant.pk])).status_code == 404


def test_grants_page_query_count_does_not_grow_with_rows(world, client_for, count_queries):
    client = client_for(world.admin)
    with count_queries() as few:
        assert client.get(URL).status_code == 200
    for i in range(15):
        user = make_user(f"extra{i}")
        grant_role(world.admin, user=user, role=Grant.Role.LIAISON, unit=world.unit_a)
    with count_queries() as many:
        assert client.get(URL).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
