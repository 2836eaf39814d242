"""The campaign workflow operations of the API (recommend, decide, objections, advance) as every
persona: never a 500, never a write by someone without the right, and strict payload types (a
string is not an id, a number is not a boolean) refused with 422 naming the field."""

import datetime

import pytest

from lianxi.audit.models import AuditEntry
from lianxi.campaigns import services
from lianxi.campaigns.models import Campaign, Nomination, Objection, Phase
from lianxi.campaigns.tests.helpers import TODAY, body, campaign, rubric

API = "/api/v1"
JSON = "application/json"
NO_RIGHTS = ["anonymous", "outsider", "reviewer", "liaison", "street"]


@pytest.fixture
def noticed(world):
    """A published campaign in 公示 (window open today) with one selected nomination and one
    pending objection."""
    today = datetime.date.today()
    c = campaign(world, places=1, notice_start=today, notice_end=today)
    b = body(world, c, quota=1)
    rubric(world, c)
    services.advance(world.secretariat, c)
    nom = services.create_nomination(world.liaison, c, unit=world.unit_a, body=b, title="示例接口申报", submit=True,
                                     values={"team": "t"}, today=TODAY)
    Campaign.objects.filter(pk=c.pk).update(phase=Phase.NOTICE, decided_at=datetime.datetime(2025, 4, 1,
                                                                                               tzinfo=datetime.UTC))
    Nomination.objects.filter(pk=nom.pk).update(selected=True, rank=1, state=Nomination.State.RECOMMENDED)
    objection = services.file_objection(None, c, filer_name="群众", contact="电话", text="请核实")
    return c, nom, objection


def operations(c, nom, objection):
    return [
        ("post", f"/nominations/{nom.pk}/recommend", {}),
        ("delete", f"/nominations/{nom.pk}/recommend", {}),
        ("post", f"/campaigns/{c.pk}/advance", {}),
        ("post", f"/campaigns/{c.pk}/decision", {"selected": [nom.pk], "note": "x"}),
        ("post", f"/objections/{objection.pk}/handle", {"upheld": True, "handling": "成立"}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", NO_RIGHTS)
def test_workflow_operations_refused_without_writing(world, client_for, noticed, persona):
    client = client_for(None if persona == "anonymous" else getattr(world, persona))
    client.raise_request_exception = False
    before = AuditEntry.objects.count()
    for method, path, payload in operations(*noticed):
        response = getattr(client, method)(f"{API}{path}", payload, content_type=JSON)
        assert response.status_code in (401, 403, 404), (persona, method, path, response.status_code)
        assert response["Content-Type"].startswith("application/json")
    assert AuditEntry.objects.count() == before
    assert Objection.objects.get().state == Objection.State.PENDING


@pytest.mark.django_db
def test_the_secretariat_gets_409_for_operations_outside_the_phase(world, client_for, noticed):
    c, nom, _objection = noticed
    client = client_for(world.secretariat)
    client.raise_request_exception = False
    before = AuditEntry.objects.count()
    for method, path, payload in operations(*noticed)[:2] + [operations(*noticed)[3]]:
        response = getattr(client, method)(f"{API}{path}", payload, content_type=JSON)
        assert response.status_code == 409, (method, path, response.content)
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("path_of", "payload", "name"), [
    (lambda c, n, o: f"/campaigns/{c.pk}/decision", {"selected": "1"}, "selected"),
    (lambda c, n, o: f"/campaigns/{c.pk}/decision", {"selected": [1.0]}, "selected"),
    (lambda c, n, o: f"/campaigns/{c.pk}/decision", {"selected": [1], "note": None}, "note"),
    (lambda c, n, o: f"/campaigns/{c.pk}/objections", {"filer_name": "a", "contact": "b", "text": "c",
                                                       "nomination": "1"}, "nomination"),
    (lambda c, n, o: f"/campaigns/{c.pk}/objections", {"filer_name": "a\x00", "contact": "b", "text": "c"},
     "filer_name"),
    (lambda c, n, o: f"/objections/{o.pk}/handle", {"upheld": 1, "handling": "x"}, "upheld"),
    (lambda c, n, o: f"/objections/{o.pk}/handle", {"upheld": "true", "handling": "x"}, "upheld"),
])
def test_workflow_payload_types_are_strict(world, client_for, noticed, path_of, payload, name):
    client = client_for(world.secretariat)
    client.raise_request_exception = False
    before = AuditEntry.objects.count()
    response = client.post(f"{API}{path_of(*noticed)}", payload, content_type=JSON)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][2] == name
    assert AuditEntry.objects.count() == before
