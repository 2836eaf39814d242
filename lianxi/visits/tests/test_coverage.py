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
