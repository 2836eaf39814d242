"""The campaign workflow through the API: recommend (推荐), advance, decide (评选), file an objection
(公示, anonymous) and handle it. Each operation calls the same service as the page with typed
values: 403 when the role may not act, 409 when only the phase stands in the way, 422 naming the
field for a bad payload; one audit row per change, none for a refusal."""

import datetime

import pytest

from lianxi.audit.models import AuditEntry
from lianxi.campaigns import services
from lianxi.campaigns.models import Assignment, Campaign, Nomination, Objection, Phase
from lianxi.campaigns.tests.helpers import TODAY, body, campaign, reviewer, rubric

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"


def post(client, path, payload=None, method="post"):
    client.raise_request_exception = False
    return getattr(client, method)(f"{API}{path}", payload or {}, content_type=JSON)


def field(response):
    detail = response.json()["detail"][0]
    if "field" in detail:
        return detail["field"]
    loc = detail["loc"]
    return loc[2] if loc[:2] == ["body", "payload"] else loc[-1]


class Audit:
    def __init__(self):
        self.n = AuditEntry.objects.count()

    def delta(self):
        now = AuditEntry.objects.count()
        out, self.n = now - self.n, now
        return out


@pytest.fixture
def called(world):
    """A campaign in 征集 with two submitted nominations through one body of quota 1."""
    today = datetime.date.today()
    c = campaign(world, places=1, notice_start=today - datetime.timedelta(days=1),
                 notice_end=today + datetime.timedelta(days=1))
    b = body(world, c, quota=1)
    crit = rubric(world, c)
    services.advance(world.secretariat, c)
    noms = [services.create_nomination(world.liaison, c, unit=u, body=b, title=f"示例接口项目{i}", links=["brand"],
                                       values={"team": "示例团队"}, submit=True, today=TODAY)
            for i, u in enumerate([world.unit_a, world.unit_b])]
    return c, noms, crit


def test_recommend_decide_object_handle_advance(world, client_for, called):
    c, noms, crit = called
    audit = Audit()
    sec = client_for(world.secretariat)
    # 推荐 before the phase: a phase conflict; by a liaison: not their role.
    assert post(sec, f"/nominations/{noms[0].pk}/recommend").status_code == 409
    assert post(client_for(world.liaison), f"/campaigns/{c.pk}/advance").status_code == 403
    assert audit.delta() == 0
    r = post(client_for(world.secretariat), f"/campaigns/{c.pk}/advance")
    assert r.status_code == 200 and r.json()["phase"]["code"] == Phase.RECOMMEND and audit.delta() == 1

    sec = client_for(world.secretariat)
    assert post(client_for(world.liaison), f"/nominations/{noms[0].pk}/recommend").status_code == 403
    sec = client_for(world.secretariat)
    r = post(sec, f"/nominations/{noms[0].pk}/recommend")
    assert r.status_code == 200 and r.json()["state"]["code"] == Nomination.State.RECOMMENDED and audit.delta() == 1
    over = post(sec, f"/nominations/{noms[1].pk}/recommend")
    assert over.status_code == 422 and field(over) == "quota" and audit.delta() == 0
    r = post(sec, f"/nominations/{noms[0].pk}/recommend", method="delete")
    assert r.status_code == 200 and r.json()["state"]["code"] == Nomination.State.SUBMITTED
    assert post(sec, f"/nominations/{noms[0].pk}/recommend", method="delete").status_code == 422
    assert post(sec, f"/nominations/{noms[0].pk}/recommend").status_code == 200
    assert audit.delta() == 2

    rev = reviewer(world, c, "接口评审", expertise=["brand"])
    assert post(sec, f"/campaigns/{c.pk}/advance").json()["phase"]["code"] == Phase.REVIEW
    services.assign_reviewers(world.secretariat, c)
    a = Assignment.objects.get()
    assert post(client_for(rev.user), f"/reviews/{a.pk}", {"scores": {crit[0].pk: 7, crit[1].pk: 8}}).status_code == 200
    sec = client_for(world.secretariat)
    # 评选 before the phase is a conflict, then the decision's payload is checked field by field.
    assert post(sec, f"/campaigns/{c.pk}/decision", {"selected": [noms[0].pk]}).status_code == 409
    audit.delta()
    assert post(sec, f"/campaigns/{c.pk}/advance").json()["phase"]["code"] == Phase.DECIDE
    for bad in ({"selected": [str(noms[0].pk)]}, {"selected": [True]}, {"selected": []}, {"selected": [noms[0].pk],
                                                                                           "note": 5}):
        r = post(sec, f"/campaigns/{c.pk}/decision", bad)
        assert r.status_code == 422 and field(r) in ("selected", "note"), (bad, r.content)
    other = campaign(world, title="另一评选")
    audit.delta()
    for ids in ([999_999], [noms[0].pk, noms[1].pk]):
        r = post(sec, f"/campaigns/{c.pk}/decision", {"selected": ids})
        assert r.status_code == 422 and field(r) == "selected", r.content
    assert post(client_for(world.liaison), f"/campaigns/{c.pk}/decision", {"selected": [noms[0].pk]}).status_code == 403
    assert audit.delta() == 0
    sec = client_for(world.secretariat)
    r = post(sec, f"/campaigns/{c.pk}/decision", {"selected": [noms[0].pk], "note": "联席会议审议通过"})
    assert r.status_code == 200 and [x["id"] for x in r.json()["selected"]] == [noms[0].pk] and audit.delta() == 1
    c.refresh_from_db()
    assert c.decided_by == world.secretariat
    assert post(sec, f"/campaigns/{c.pk}/advance").json()["phase"]["code"] == Phase.NOTICE
    assert audit.delta() == 1
    assert client_for(None).get(f"{API}/campaigns/{c.pk}/decision").json()["selected"][0]["id"] == noms[0].pk
    assert client_for(None).get(f"{API}/campaigns/{other.pk}/decision").status_code == 404

    # 公示: anyone files an objection, without logging in.
    anon = client_for(None)
    objection = {"filer_name": "群众", "contact": "电话", "text": "请核实", "nomination": noms[0].pk}
    for bad, name in (({"nomination": True}, "nomination"), ({"nomination": noms[1].pk}, "nomination"),
                      ({"text": ""}, "text"), ({"contact": None}, "contact")):
        r = post(anon, f"/campaigns/{c.pk}/objections", {**objection, **bad})
        assert r.status_code == 422 and field(r) == name, (bad, r.content)
    r = post(anon, f"/campaigns/{c.pk}/objections", objection)
    assert r.status_code == 201 and r.json()["state"]["code"] == Objection.State.PENDING and audit.delta() == 1
    oid = r.json()["id"]
    assert "contact" not in r.json()
    assert anon.get(f"{API}/campaigns/{c.pk}/objections").status_code == 401
    assert client_for(world.liaison).get(f"{API}/campaigns/{c.pk}/objections").status_code == 403
    assert post(client_for(world.liaison), f"/objections/{oid}/handle",
                {"upheld": False, "handling": "x"}).status_code == 404
    sec = client_for(world.secretariat)
    assert [o["id"] for o in sec.get(f"{API}/campaigns/{c.pk}/objections").json()["items"]] == [oid]
    pending = post(sec, f"/campaigns/{c.pk}/advance")
    assert pending.status_code == 422 and field(pending) in ("notice_end", "objections")
    assert post(sec, f"/objections/{oid}/handle", {"upheld": "no", "handling": "x"}).status_code == 422
    assert post(sec, f"/objections/{oid}/handle", {"upheld": False, "handling": ""}).status_code == 422
    r = post(sec, f"/objections/{oid}/handle", {"upheld": False, "handling": "经核实，材料属实"})
    assert r.status_code == 200 and r.json()["state"]["code"] == Objection.State.DISMISSED
    again = post(sec, f"/objections/{oid}/handle", {"upheld": True, "handling": "再议"})
    assert again.status_code == 422 and field(again) == "state"
    assert audit.delta() == 1

    # The window closes: an objection now is a phase conflict (the service's date check), and the
    # result becomes final.
    services.update_campaign(world.secretariat, c, notice_end=datetime.date.today() - datetime.timedelta(days=1))
    audit.delta()
    late = post(anon, f"/campaigns/{c.pk}/objections", objection)
    assert late.status_code == 409 and "公示期" in late.json()["detail"] and audit.delta() == 0
    sec = client_for(world.secretariat)
    assert post(sec, f"/campaigns/{c.pk}/advance").json()["phase"]["code"] == Phase.FINAL
    assert post(sec, f"/campaigns/{c.pk}/advance").status_code == 409  # only an agenda item awards
    assert Campaign.objects.get(pk=c.pk).phase == Phase.FINAL


def test_objection_by_a_logged_in_session_needs_its_csrf_token(world, called):
    from django.test import Client

    c, noms, _crit = called
    Campaign.objects.filter(pk=c.pk).update(phase=Phase.NOTICE)
    Nomination.objects.filter(pk=noms[0].pk).update(selected=True)
    payload = {"filer_name": "群众", "contact": "电话", "text": "请核实"}
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"{API}/campaigns/{c.pk}/objections", payload, content_type=JSON).status_code == 201
    strict.force_login(world.liaison)
    assert strict.post(f"{API}/campaigns/{c.pk}/objections", payload, content_type=JSON).status_code == 403
    strict.get("/accounts/login/")
    token = strict.cookies["csrftoken"].value
    r = strict.post(f"{API}/campaigns/{c.pk}/objections", payload, content_type=JSON, headers={"X-CSRFToken": token})
    assert r.status_code == 201
    assert Objection.objects.count() == 2


def test_objections_from_one_address_are_limited(world, called, client, settings):
    """公示 objections need no login, so one address may file only so many in a while: past the
    limit the API answers 429 and the page says why in Chinese, and nothing is written. Another
    address is not held back, and the count forgets objections older than the window."""
    from django.utils import timezone

    settings.OBJECTION_LIMIT, settings.OBJECTION_WINDOW = 2, datetime.timedelta(minutes=30)
    c, noms, _crit = called
    Campaign.objects.filter(pk=c.pk).update(phase=Phase.NOTICE)
    Nomination.objects.filter(pk=noms[0].pk).update(selected=True)
    payload = {"filer_name": "示例群众", "contact": "示例电话", "text": "请核实"}
    client.raise_request_exception = False

    def file(address):
        return client.post(f"{API}/campaigns/{c.pk}/objections", payload, content_type=JSON, REMOTE_ADDR=address)

    assert [file("10.0.0.1").status_code for _ in range(2)] == [201, 201]
    audit = Audit()
    refused = file("10.0.0.1")
    assert refused.status_code == 429
    assert refused.json()["detail"] == "同一网络地址在 30 分钟内最多可提出 2 条异议，请稍后再试；如有多条意见，可写在同一条异议中。"
    page = client.post(f"/campaigns/{c.pk}/objections/", payload, REMOTE_ADDR="10.0.0.1", follow=True)
    assert "同一网络地址在 30 分钟内最多可提出 2 条异议" in page.content.decode()
    assert (Objection.objects.count(), audit.delta()) == (2, 0)
    assert file("10.0.0.2").status_code == 201
    assert set(Objection.objects.values_list("filed_from", flat=True)) == {"10.0.0.1", "10.0.0.2"}
    Objection.objects.filter(filed_from="10.0.0.1").update(filed_at=timezone.now() - datetime.timedelta(minutes=31))
    assert file("10.0.0.1").status_code == 201
    settings.OBJECTION_LIMIT = 0  # off
    assert [file("10.0.0.2").status_code for _ in range(3)] == [201, 201, 201]
