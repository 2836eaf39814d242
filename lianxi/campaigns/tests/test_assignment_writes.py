"""The database side of reviewer assignment: a rerun replaces only this campaign's assignment, the
rows written are the solver's pairs, and the own-nominating-body rule (conference, area, category)
gives the same units as asking the database body by body."""

import pytest
from django.utils import timezone

from lianxi.campaigns import services
from lianxi.campaigns.models import Assignment, Campaign, NominatingBody, Nomination, Phase
from lianxi.campaigns.tests.helpers import campaign, reviewer
from lianxi.registry.models import Membership, Unit

pytestmark = pytest.mark.django_db


def ready(world, title):
    c = campaign(world, title=title, k=1)
    b = services.add_body(world.secretariat, c, name="示例推荐主体", quota=9)
    Campaign.objects.filter(pk=c.pk).update(phase=Phase.REVIEW)
    for u in (world.unit_a, world.unit_b, world.street_unit):
        Nomination.objects.create(campaign=c, unit=u, body=b, title=f"示例申报{u.pk}", links=["brand"],
                                  state=Nomination.State.RECOMMENDED)
    c.refresh_from_db()
    return c


def test_rerun_replaces_only_this_campaigns_assignment(world):
    a, b = ready(world, "演示评选甲"), ready(world, "演示评选乙")
    for c in (a, b):
        reviewer(world, c, f"评审{c.pk}", expertise=["brand"])
        reviewer(world, c, f"评审{c.pk}b")
    first = services.assign_reviewers(world.secretariat, a)
    services.assign_reviewers(world.secretariat, b)
    b_rows = set(Assignment.objects.filter(reviewer__campaign=b).values_list("pk", "reviewer_id", "nomination_id"))
    again = services.assign_reviewers(world.secretariat, a, method="greedy")
    assert set(Assignment.objects.filter(reviewer__campaign=b).values_list("pk", "reviewer_id", "nomination_id")) \
        == b_rows
    rows = list(Assignment.objects.filter(reviewer__campaign=a).values_list("reviewer_id", "nomination_id", "reason",
                                                                              "submitted_at"))
    _problem, noms, revs = services.build_problem(a)
    assert sorted((r, n) for r, n, _reason, _s in rows) == sorted((revs[j].pk, noms[i].pk) for i, j in again.pairs)
    assert len(rows) == len(first.pairs) == 3 and all(s is None for *_x, s in rows)
    assert {reason for _r, _n, reason, _s in rows} <= {"专长匹配（品牌联创）", "无利益冲突，按负载均衡分配"}


def test_own_nominating_body_matches_the_per_body_queries(world):
    c = campaign(world, title="演示评选丙")
    bodies = [services.add_body(world.secretariat, c, name=name, quota=5, **kw) for name, kw in [
        ("按会议", {"conference": world.district}), ("按区域", {"area": world.street_area}),
        ("按类别", {"category": Unit.Category.ENTERPRISE}),
        ("会议且类别", {"conference": world.district, "category": Unit.Category.NEW_ECONOMIC}),
        ("无条件", {})]]
    revs = [reviewer(world, c, f"评审{u.pk}", unit=u) for u in (world.unit_a, world.unit_b, world.street_unit,
                                                              world.outside_unit)] + [reviewer(world, c, "无单位")]
    today = timezone.localdate()
    units = {r.unit_id for r in revs if r.unit_id}
    expected = {}
    for body in NominatingBody.objects.filter(campaign=c):
        qs = Unit.objects.filter(pk__in=units)
        if body.conference_id:
            qs = qs.filter(pk__in=Membership.objects.current(today).filter(conference_id=body.conference_id)
                           .values("unit_id"))
        if body.area_id:
            qs = qs.filter(area_id=body.area_id)
        if body.category:
            qs = qs.filter(category=body.category)
        expected[body.pk] = set(qs.values_list("pk", flat=True))
    got = services._body_units(c, revs)
    assert got == expected
    assert got[bodies[4].pk] == units and got[bodies[0].pk] != units  # the outside unit is no member
