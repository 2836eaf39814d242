"""Organisation coverage equals a direct count over the generated registry, with a constant number
of queries however many units there are."""

import datetime
import io
import random
from collections import Counter

import pytest
from django.core.management import call_command

from lianxi.registry.models import Area, Conference, Membership, Unit, Venue
from lianxi.visits import coverage

pytestmark = pytest.mark.django_db

ON = datetime.date(2025, 6, 30)


def _direct(conference, on):
    """The figures by walking every membership row in Python (no grouping in SQL)."""
    street = {}
    for area in Area.objects.all():
        street[area.pk] = area.pk if area.kind == Area.Kind.STREET else (
            area.parent_id if area.kind == Area.Kind.NEIGHBOURHOOD else None)
    by_status, two_new, two_new_built, per_street = Counter(), 0, 0, Counter()
    seen = set()
    for m in Membership.objects.filter(conference=conference).select_related("unit"):
        if (m.start is None or m.start <= on) and (m.end is None or m.end > on) and m.unit_id not in seen:
            seen.add(m.unit_id)
            u = m.unit
            status = ("not_built" if u.party_org_level == "none" else
                      "unknown" if u.party_org_level == "unknown" else "built")
            by_status[status] += 1
            per_street[street.get(u.area_id)] += 1
            if u.category in ("new_economic", "new_social"):
                two_new += 1
                two_new_built += status == "built"
    return by_status, two_new, two_new_built, per_street, seen


def _trend_direct(conference, day):
    members, built, undated = set(), set(), set()
    for m in Membership.objects.filter(conference=conference, unit__category__in=["new_economic", "new_social"]) \
            .select_related("unit"):
        if (m.start is None or m.start <= day) and (m.end is None or m.end > day):
            members.add(m.unit_id)
            if m.unit.party_org_level not in ("none", "unknown"):
                if m.unit.party_org_founded_on is None:
                    undated.add(m.unit_id)
                elif m.unit.party_org_founded_on <= day:
                    built.add(m.unit_id)
    return len(members), len(built), len(undated)


@pytest.fixture
def generated(db):
    call_command("generate", "--scale", "tiny", "--seed", "3", stdout=io.StringIO())
    rng = random.Random(5)
    units = list(Unit.objects.all())
    # Give some units founding dates and some no party organisation, so every branch is exercised.
    for unit in units:
        roll = rng.random()
        if roll < 0.2:
            unit.party_org_level = Unit.PartyOrgLevel.NONE
        elif roll < 0.3:
            unit.party_org_level = Unit.PartyOrgLevel.UNKNOWN
        if rng.random() < 0.6:
            unit.party_org_founded_on = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randrange(1300))
    Unit.objects.bulk_update(units, ["party_org_level", "party_org_founded_on"])
    for unit in rng.sample(units, 10):
        Venue.objects.create(name=f"示例阵地{unit.pk}", kind=Venue.Kind.SERVICE_STATION, owner=unit, area=unit.area)
    return Conference.objects.order_by("id").first()


def test_org_coverage_equals_a_direct_count(generated, count_queries):
    conference = generated
    with count_queries() as ctx:
        data = coverage.org_coverage(conference, ON)
    by_status, two_new, two_new_built, per_street, members = _direct(conference, ON)
    total = data["total"]
    assert total["units"] == len(members) > 0
    assert (total["built"], total["not_built"], total["unknown"]) == (
        by_status["built"], by_status["not_built"], by_status["unknown"])
    assert (total["two_new"], total["two_new_built"]) == (two_new, two_new_built)
    assert {r["street_id"]: r["units"] for r in data["streets"]} == dict(per_street)
    venues = Venue.objects.filter(owner_id__in=members).count()
    assert total["venues"] == venues
    for point in data["trend"]:
        assert (point["two_new"], point["built"], point["built_undated"]) == _trend_direct(conference, point["on"])
    assert len(ctx.captured_queries) == 4
    without = coverage.units_without_party_org(conference, ON)
    assert without.count() == by_status["not_built"]


def test_query_count_does_not_grow_with_the_conference(generated, count_queries):
    counts = []
    for conference in Conference.objects.order_by("id")[:3]:
        with count_queries() as ctx:
            coverage.org_coverage(conference, ON)
        counts.append(len(ctx.captured_queries))
    assert len(set(counts)) == 1


def test_quarter_ends():
    assert coverage.quarter_ends(datetime.date(2025, 5, 10), 4) == [
        datetime.date(2024, 9, 30), datetime.date(2024, 12, 31), datetime.date(2025, 3, 31), datetime.date(2025, 5, 10)]


def _plan_with_visits(conference, rng):
    from lianxi.visits import services
    from lianxi.visits.models import Visit

    plan = services.create_plan(None, conference=conference, start=datetime.date(2025, 4, 1))
    units = list(services.plan_units(plan).order_by("id"))
    blocked = services.blocked_days(plan)
    for i, unit in enumerate(rng.sample(units, max(len(units) * 2 // 3, 1))):
        day = datetime.date(2025, 4, 1) + datetime.timedelta(days=rng.randrange(85))
        while day.weekday() >= 5 or day in blocked:
            day += datetime.timedelta(days=1)
        visit = services.add_visit(None, plan, unit=unit, planned_on=day)
        if i % 3 == 0:
            Visit.objects.filter(pk=visit.pk).update(state=Visit.State.DONE, done_on=day)
        elif i % 5 == 1:
            Visit.objects.filter(pk=visit.pk).update(state=Visit.State.CANCELLED)
    return plan


def _plan_direct(plan, on):
    """Per street: the plan's units and each one's visit state, walking every visit in Python."""
    from lianxi.visits import services
    from lianxi.visits.models import Visit

    street = {a.pk: a.pk if a.kind == Area.Kind.STREET else (a.parent_id if a.kind == Area.Kind.NEIGHBOURHOOD else None)
              for a in Area.objects.all()}
    status = {}
    for v in Visit.objects.filter(plan=plan):
        if v.state == Visit.State.CANCELLED:
            continue
        status[v.unit_id] = "visited" if v.state == Visit.State.DONE else ("overdue" if v.planned_on < on else "planned")
    rows = {}
    for unit in services.plan_units(plan):
        row = rows.setdefault(street.get(unit.area_id), Counter())
        row["units"] += 1
        row[status.get(unit.pk, "unplanned")] += 1
    return rows


def test_plan_coverage_equals_a_direct_count(generated, count_queries):
    plan = _plan_with_visits(generated, random.Random(7))
    on = datetime.date(2025, 5, 15)
    with count_queries() as ctx:
        data = coverage.plan_coverage(plan, on)
    direct = _plan_direct(plan, on)
    keys = ("units", "visited", "planned", "overdue", "unplanned")
    assert {r["street_id"]: {k: r[k] for k in keys} for r in data["streets"]} == {
        s: {k: row[k] for k in keys} for s, row in direct.items()}
    assert data["total"]["units"] == sum(row["units"] for row in direct.values()) > 0
    assert data["total"]["visited"] > 0 and data["total"]["unplanned"] > 0
    assert len(ctx.captured_queries) == 3


def test_coverage_query_counts_stay_constant_as_the_conference_grows(generated, count_queries):
    """Both coverage figures and their pages' query counts, on the conference as generated and again
    after it has gained members, venues and visits: the counts do not move with the data."""
    conference = generated
    rng = random.Random(11)
    plan = _plan_with_visits(conference, rng)
    on = datetime.date(2025, 6, 30)

    def measure():
        counts = []
        for fn in (lambda: coverage.org_coverage(conference, on), lambda: coverage.plan_coverage(plan, on),
                   lambda: list(coverage.units_without_party_org(conference, on))):
            with count_queries() as ctx:
                fn()
            counts.append(len(ctx.captured_queries))
        return counts

    small = measure()
    members = set(Membership.objects.filter(conference=conference).values_list("unit_id", flat=True))
    others = [u for u in Unit.objects.exclude(pk__in=members).order_by("id")][:40]
    assert len(others) >= 20
    for unit in others:
        Membership.objects.create(conference=conference, unit=unit, start=datetime.date(2024, 1, 1))
        Venue.objects.create(name=f"示例阵地增{unit.pk}", kind=Venue.Kind.OTHER, owner=unit, area=unit.area)
    from lianxi.visits import services

    blocked = services.blocked_days(plan)
    day = next(d for d in (datetime.date(2025, 5, 6) + datetime.timedelta(days=7 * k) for k in range(8))
               if d not in blocked)
    for unit in others[:20]:
        services.add_visit(None, plan, unit=unit, planned_on=day)
    assert measure() == small
    assert small[0] == 4 and small[1] == 3
    assert coverage.org_coverage(conference, on)["total"]["units"] == _direct(conference, on)[0].total()
