"""Audit entries cannot be changed or deleted through the admin, superusers included; the admin
of the domain's models is read-only, so it cannot write around the services' audit rows."""

import pytest
from django.contrib.auth import get_user_model

from lianxi.audit.models import AuditEntry
from lianxi.audit.services import record
from lianxi.registry.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser(username="root", password="x")


def test_superuser_cannot_change_or_delete_an_entry_in_the_admin(world, client, superuser):
    entry = record(world.admin, "registry.unit.update", world.unit_a, {"name": ["旧", "示例单位A"]})
    client.force_login(superuser)
    change = f"/admin/audit/auditentry/{entry.pk}/change/"
    assert client.get(change).status_code == 200  # it may be read
    client.post(change, {"action": "x", "actor_label": "someone else", "changes": "{}"})
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post("/admin/audit/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk],
                                                        "post": "yes"})
    assert response.status_code in (200, 302)
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    entry.refresh_from_db()
    assert (entry.action, entry.actor_label, entry.changes) == (
        "registry.unit.update", "admin", {"name": ["旧", "示例单位A"]})
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_audited_models_are_read_only_in_the_admin(world, client, superuser):
    client.force_login(superuser)
    before = AuditEntry.objects.count()
    unit = world.unit_a
    assert client.get(f"/admin/registry/unit/{unit.pk}/change/").status_code == 200
    client.post(f"/admin/registry/unit/{unit.pk}/change/", {"name": "改名", "category": unit.category,
                                                            "party_org_level": unit.party_org_level})
    assert client.post(f"/admin/registry/unit/{unit.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post("/admin/registry/unit/", {"action": "delete_selected", "_selected_action": [unit.pk], "post": "yes"})
    assert client.get("/admin/registry/unit/add/").status_code == 403
    assert client.get("/admin/accounts/grant/add/").status_code == 403
    unit.refresh_from_db()
    assert unit.name == "示例单位A"
    assert Unit.objects.filter(pk=unit.pk).exists()
    assert AuditEntry.objects.count() == before


def test_no_admin_offers_bulk_delete_or_add(superuser, rf):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = superuser
    for model, model_admin in admin.site._registry.items():
        assert "delete_selected" not in model_admin.get_actions(request), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        assert not model_admin.has_change_permission(request), model  # accounts and groups included


API = "/api/v1/audit/entries"


def test_raw_entries_are_in_the_api_for_auditors_only(world, client_for):
    entry = record(world.admin, "registry.unit.update", world.unit_a, {"party_org_level": ["unknown", "committee"]})
    for persona in ("admin", "secretariat"):
        response = client_for(getattr(world, persona)).get(
            API, {"target_type": "registry.unit", "target_id": str(world.unit_a.pk)})
        assert response.status_code == 200
        first = response.json()["items"][0]
        assert (first["id"], first["action"], first["changes"]) == (
            entry.pk, "registry.unit.update", {"party_org_level": ["unknown", "committee"]})
        assert client_for(getattr(world, persona)).get(f"{API}/{entry.pk}").json()["target_type"] == "registry.unit"
    for persona, status in (("liaison", 403), ("street", 403), ("reviewer", 403), ("outsider", 404)):
        assert client_for(getattr(world, persona)).get(API).status_code == status
    assert client_for(None).get(API).status_code == 401


def test_superuser_cannot_change_or_delete_an_entry_through_the_api(world, client, superuser):
    entry = record(world.admin, "registry.unit.update", world.unit_a, {"name": ["旧", "示例单位A"]})
    client.force_login(superuser)
    url = f"{API}/{entry.pk}"
    assert client.get(url).status_code == 200
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(url, {"action": "x"}, content_type="application/json")
        assert response.status_code == 405, method
    assert client.post(API, {"action": "x"}, content_type="application/json").status_code == 405
    entry.refresh_from_db()
    assert (entry.action, entry.changes) == ("registry.unit.update", {"name": ["旧", "示例单位A"]})


def test_record_many_writes_the_rows_record_writes(world):
    from lianxi.audit.services import record_many

    before = AuditEntry.objects.count()
    assert record_many(world.admin, "registry.unit.import", [
        (world.unit_a, {"name": [None, "示例单位A"]}), (world.unit_b, {"name": [None, "示例单位B"]})]) == 2
    one = record(world.admin, "registry.unit.import", world.street_unit, {"name": [None, "示例街道"]})
    rows = list(AuditEntry.objects.order_by("id")[before:].values(
        "actor_id", "actor_label", "action", "target_type_id", "target_id", "target_repr", "changes"))
    assert [r["target_repr"] for r in rows] == ["示例单位A", "示例单位B", "示例街道"]
    assert {(r["actor_id"], r["actor_label"], r["action"], r["target_type_id"]) for r in rows} == {
        (world.admin.pk, "admin", "registry.unit.import", one.target_type_id)}


def test_record_many_rows_match_record_column_for_column(world):
    """record_many writes prepared tuples, not instances: every column of its row — request id,
    the conference of a membership, a date and a model in the change set as text — is what
    record writes for the same change."""
    import datetime

    from lianxi.audit.middleware import current_request_id
    from lianxi.audit.services import record_many
    from lianxi.registry.models import Membership

    membership = Membership.objects.filter(conference=world.district).select_related("unit", "conference").first()
    # Values that are not [old, new] pairs are made plain (a date as ISO text, a model as its name).
    changes = {"start": datetime.date(2024, 6, 24), "unit": world.unit_a, "note": [None, "示例"]}
    token = current_request_id.set("req-示例-1")
    try:
        one = record(world.admin, "registry.membership.import", membership, changes)
        assert record_many(world.admin, "registry.membership.import", [(membership, changes)]) == 1
        assert record_many(None, "registry.membership.import", []) == 0
    finally:
        current_request_id.reset(token)
    columns = ["actor_id", "actor_label", "action", "target_type_id", "target_id", "target_repr", "changes",
               "request_id", "conference_id"]
    single, many = AuditEntry.objects.filter(pk__gte=one.pk).order_by("id").values(*columns, "time")
    assert many["conference_id"] == world.district.pk and many["request_id"] == "req-示例-1"
    assert many["changes"] == {"start": "2024-06-24", "unit": "示例单位A", "note": [None, "示例"]}
    assert {c: many[c] for c in columns} == {c: single[c] for c in columns}
    assert many["time"] >= single["time"]
