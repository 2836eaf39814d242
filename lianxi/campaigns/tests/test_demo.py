"""The Huangpu campaigns hold only what the article states; the demo campaign is synthetic."""

import pytest
from django.urls import reverse

from lianxi.campaigns.demo import load_demo_campaign, load_huangpu_campaigns
from lianxi.campaigns.models import Campaign, Honour, Nomination
from lianxi.demo.huangpu import load_huangpu

pytestmark = pytest.mark.django_db


def test_huangpu_outcomes_invent_nothing_and_load_once(client_for):
    load_huangpu()
    out = load_huangpu_campaigns()
    again = load_huangpu_campaigns()
    assert out["brand"] == again["brand"] and Campaign.objects.count() == 2
    brand, honour = out["brand"], out["honour_list"]
    assert not brand.details_stated and brand.call_start is None and brand.phase == "awarded"
    assert not Nomination.objects.exists() and not brand.criteria.exists() and not brand.bodies.exists()
    assert (honour.name, honour.stated_count, honour.stated_representatives, honour.entries.count()) == (
        "百优支部", 100, 10, 0)
    assert brand.awarded_at.kind == "award" and honour.named_at.kind == "naming"
    page = client_for(None).get(reverse("campaigns:campaign_detail", args=[brand.pk]))
    assert len(page.context["outcome_projects"]) == 10
    assert "未载明" in page.content.decode()
    assert Honour.objects.count() == 1


def test_demo_campaign_is_synthetic():
    c = load_demo_campaign()
    assert load_demo_campaign() == c
    assert "演示" in c.conference.name and all("示例" in n.unit.name for n in c.nominations.all())
    assert c.phase == "call" and c.nominations.filter(state="submitted").count() == 2
