"""The campaigns API and the projects' milestones/reports API: same gates and services as pages."""

import datetime

import pytest

from lianxi.campaigns import services
from lianxi.campaigns.models import Assignment, Nomination
from lianxi.campaigns.tests.helpers import body, campaign, reviewer, rubric
from lianxi.projects.services import create_project

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_nominate_and_review_through_the_api(world, client_for):
    today = datetime.date.today()
    c = campaign(world, call_start=today, call_end=today + datetime.timedelta(days=3))
    b = body(world, c, quota=2)
    crit = rubric(world, c)
    anon = client_for(None)
    assert anon.get(f"{API}/campaigns/{c.pk}").status_code == 404  # not public before 公示
    liaison = client_for(world.liaison)
    payload = {"unit": world.unit_a.pk, "body": b.pk, "title": "示例接口申报", "values": {"team": "t"}}
    assert liaison.post(f"{API}/campaigns/{c.pk}/nominations", payload, content_type="application/json").status_code == 409  # 草稿阶段: a phase conflict
    services.advance(world.secretariat, c)
    r = liaison.post(f"{API}/campaigns/{c.pk}/nominations", payload, content_type="application/json")
    assert r.status_code == 201 and r.json()["state"]["code"] == "draft"
    nid = r.json()["id"]
    other = liaison.post(f"{API}/campaigns/{c.pk}/nominations", {**payload, "unit": world.unit_b.pk},
                         content_type="application/json")
    assert other.status_code == 422 and other.json()["detail"][0]["field"] == "unit"
    assert liaison.post(f"{API}/nominations/{nid}/submit").json()["state"]["code"] == "submitted"
    services.advance(world.secretariat, c)
    services.recommend(world.secretariat, Nomination.objects.get(pk=nid))
    rev = reviewer(world, c, "评审接口")
    services.advance(world.secretariat, c)
    services.assign_reviewers(world.secretariat, c)
    a = Assignment.objects.get()
    rc = client_for(rev.user)
    assert [x["id"] for x in rc.get(f"{API}/reviews").json()["items"]] == [a.pk]
    bad = rc.post(f"{API}/reviews/{a.pk}", {"scores": {crit[0].pk: 99, crit[1].pk: 1}}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "scores"
    ok = rc.post(f"{API}/reviews/{a.pk}", {"scores": {crit[0].pk: 9, crit[1].pk: 1}}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["submitted"]
    assert client_for(world.liaison).post(f"{API}/reviews/{a.pk}", {"scores": {}},
                                          content_type="application/json").status_code == 404


def test_milestones_and_reports_api(world, client_for):
    p = create_project(world.secretariat, conference=world.district, title="示例接口项目", kind="key", year=2025,
                       lead_unit=world.unit_a)
    sec = client_for(world.secretariat)
    r = sec.post(f"{API}/projects/{p.pk}/milestones", {"title": "启动", "due": "2030-01-01"},
                 content_type="application/json")
    assert r.status_code == 201
    mid = r.json()["id"]
    liaison = client_for(world.liaison)
    assert liaison.post(f"{API}/projects/{p.pk}/milestones", {"title": "x", "due": "2030-01-01"},
                        content_type="application/json").status_code == 403
    r = liaison.post(f"{API}/projects/{p.pk}/reports", {"text": "进展", "figures": {"人次": 3},
                                                         "milestones_done": [mid]}, content_type="application/json")
    assert r.status_code == 201 and r.json()["figures"] == {"人次": 3}
    assert liaison.get(f"{API}/projects/{p.pk}/milestones").json()[0]["done_on"] is not None
    assert client_for(world.liaison_b).post(f"{API}/projects/{p.pk}/reports", {"text": "x"},
                                            content_type="application/json").status_code == 403
