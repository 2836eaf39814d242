"""Campaign pages through HTTP with named personas: a nominating unit, the secretariat, two reviewers
(one with a conflict who never sees that nomination), an anonymous visitor reading the 公示; the
Excel import all-or-nothing; actions outside their phase refused."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from lianxi.campaigns import services
from lianxi.campaigns.models import Assignment, Campaign, Nomination, Phase
from lianxi.campaigns.tests.helpers import body, campaign, reviewer, rubric
from lianxi.meetings.services import apply_resolution
from lianxi.registry.tests.helpers import agenda, plenary

pytestmark = pytest.mark.django_db


def open_campaign(world):
    today = datetime.date.today()
    c = campaign(world, call_start=today - datetime.timedelta(days=1), call_end=today + datetime.timedelta(days=5),
                 notice_start=today, notice_end=today + datetime.timedelta(days=3))
    b = body(world, c, quota=3)
    rubric(world, c)
    services.advance(world.secretariat, c)
    return c, b


def test_walk_from_call_to_award(world, client_for):
    c, b = open_campaign(world)
    detail = reverse("campaigns:campaign_detail", args=[c.pk])
    liaison = client_for(world.liaison)
    post = {"unit": world.unit_a.pk, "body": b.pk, "title": "示例品牌项目甲", "links": ["brand"], "field_team": "示例团队",
            "submit": "on"}
    r = liaison.post(reverse("campaigns:nomination_create", args=[c.pk]), post)
    assert r.status_code == 302
    nom_a = Nomination.objects.get(title="示例品牌项目甲")
    # A liaison may not nominate for another unit (the form offers only their own).
    bad = liaison.post(reverse("campaigns:nomination_create", args=[c.pk]), {**post, "unit": world.unit_b.pk})
    assert bad.status_code == 400
    services.create_nomination(world.liaison_b, c, unit=world.unit_b, body=b, title="示例品牌项目乙",
                               values={"team": "t"}, submit=True)
    sec = client_for(world.secretariat)
    sec.post(reverse("campaigns:campaign_advance", args=[c.pk]))
    for n in Nomination.objects.all():
        sec.post(reverse("campaigns:nomination_recommend", args=[n.pk]))
    assert Nomination.objects.filter(state="recommended").count() == 2
    conflicted = reviewer(world, c, "评审甲", expertise=["brand"])
    plain = reviewer(world, c, "评审乙")
    services.declare_conflict(conflicted.user, conflicted, nom_a, reason="曾参与该项目")
    with pytest.raises(ValidationError):
        services.update_campaign(world.secretariat, c, reviews_per_nomination=1)  # refused outside 筹备
    sec.post(reverse("campaigns:campaign_advance", args=[c.pk]))
    sec.post(reverse("campaigns:campaign_assign", args=[c.pk]))
    assert not Assignment.objects.filter(reviewer=conflicted, nomination=nom_a).exists()
    explain = sec.get(reverse("campaigns:nomination_detail", args=[nom_a.pk])).context["explain"]
    assert {row["reviewer"].name: row["why"] for row in explain}["评审甲"] == "声明回避：曾参与该项目"
    # The conflicted reviewer never sees nomination A: not listed, its page 404.
    rc = client_for(conflicted.user)
    seen = rc.get(detail)
    assert seen.status_code == 200 and "示例品牌项目乙" in seen.content.decode()
    assert "示例品牌项目甲" not in seen.content.decode()
    assert rc.get(reverse("campaigns:nomination_detail", args=[nom_a.pk])).status_code == 404
    crit = list(c.criteria.all())
    for rev in (conflicted, plain):
        client = client_for(rev.user)
        for a in rev.assignments.all():
            bad = client.post(reverse("campaigns:review", args=[a.pk]), {f"c{crit[0].pk}": 11, f"c{crit[1].pk}": 5})
            assert bad.status_code == 400 and "0 至 10" in bad.content.decode()
            good = client.post(reverse("campaigns:review", args=[a.pk]), {f"c{crit[0].pk}": 8, f"c{crit[1].pk}": 7})
            assert good.status_code == 302
        other = Assignment.objects.exclude(reviewer=rev).first()
        assert client.get(reverse("campaigns:review", args=[other.pk])).status_code == 404
    sec = client_for(world.secretariat)  # one test client: log the secretariat back in
    sec.post(reverse("campaigns:campaign_advance", args=[c.pk]))
    c.refresh_from_db()
    assert c.phase == Phase.DECIDE
    sec.post(reverse("campaigns:campaign_decide", args=[c.pk]),
             {"selected": list(Nomination.objects.values_list("pk", flat=True)), "note": "审议通过"})
    sec.post(reverse("campaigns:campaign_advance", args=[c.pk]))
    c.refresh_from_db()
    assert c.phase == Phase.NOTICE and c.decided_by == world.secretariat
    anon = client_for(None)
    page = anon.get(detail)
    assert page.status_code == 200 and "示例品牌项目甲" in page.content.decode()
    r = anon.post(reverse("campaigns:objection_file", args=[c.pk]),
                  {"filer_name": "群众", "contact": "电话", "text": "请核实", "nomination": nom_a.pk})
    assert r.status_code == 302 and c.objections.count() == 1
    # Outside its phase an action is refused by the gate before any service runs.
    sec = client_for(world.secretariat)
    assert sec.post(reverse("campaigns:campaign_assign", args=[c.pk])).status_code == 403
    ob = c.objections.get()
    sec.post(reverse("campaigns:objection_handle", args=[c.pk, ob.pk]), {"upheld": "0", "handling": "经核实无误"})
    services.advance(world.secretariat, c, today=c.notice_end + datetime.timedelta(days=1))
    item = agenda(plenary(world.district), "award")
    sec = client_for(world.secretariat)
    award = reverse("campaigns:campaign_award", args=[c.pk])
    assert list(sec.get(award).context["items"]) == [item]
    assert sec.post(award, {"item": item.pk}).status_code == 302
    c.refresh_from_db()
    assert c.phase == Phase.AWARDED and c.awarded_at == item
    with pytest.raises(ValidationError):
        apply_resolution(world.secretariat, item, campaign=c)


def excel_file(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["申报单位", "推荐主体", "申报名称", "五联", "团队"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "n.xlsx"
    return buf


def test_excel_import_is_all_or_nothing_and_names_every_bad_row(world, client_for):
    c, b = open_campaign(world)
    sec = client_for(world.secretariat)
    url = reverse("campaigns:nominations_import", args=[c.pk])
    bad = excel_file([[world.unit_a.name, b.name, "示例甲", "品牌联创", "团队"],
                      ["不存在的单位", b.name, "示例乙", "", "团队"],
                      [world.unit_b.name, b.name, "示例丙", "", ""]])
    r = sec.post(url, {"file": bad})
    body_text = r.content.decode()
    assert r.status_code == 400 and "第 3 行" in body_text and "第 4 行" in body_text and "第 2 行" not in body_text
    assert not Nomination.objects.exists()
    good = excel_file([[world.unit_a.name, b.name, "示例甲", "品牌联创", "团队"],
                       [world.unit_b.name, b.name, "示例乙", "", "团队"]])
    assert sec.post(url, {"file": good}).status_code == 302
    assert list(Nomination.objects.order_by("pk").values_list("title", "links")) == [
        ("示例甲", ["brand"]), ("示例乙", [])]


def test_public_sees_nothing_before_the_notice(world, client_for):
    c, _b = open_campaign(world)
    assert client_for(None).get(reverse("campaigns:campaign_detail", args=[c.pk])).status_code == 404
    assert Campaign.objects.get(pk=c.pk).phase == Phase.CALL
