"""Visit services: computing and re-computing a plan, the burden gate, recording a visit with a need
raised (it reaches the claim hall as 走访收集), follow-ups, the plan's coverage."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lianxi.audit.models import AuditEntry
from lianxi.burden.models import BurdenRequest
from lianxi.lists.models import Need, NeedCategory
from lianxi.meetings.models import Meeting
from lianxi.meetings.services import create_meeting
from lianxi.visits import coverage, services
from lianxi.visits.models import FollowUp, Visit, VisitNeed

pytestmark = pytest.mark.django_db


def test_plan_defaults_to_the_quarter(world):
    plan = services.create_plan(world.secretariat, conference=world.district, start=datetime.date(2025, 5, 7))
    assert (plan.start, plan.end) == (datetime.date(2025, 5, 7), datetime.date(2025, 6, 30))
    plan = services.create_plan(world.secretariat, conference=world.sub)
    assert plan.start.day == 1 and plan.start.month in (1, 4, 7, 10)
    entry = AuditEntry.objects.filter(action="visits.plan.create").latest("id")
    assert entry.target_id == str(plan.pk)


def test_compute_plans_every_member_and_avoids_the_plenary_week(world, plan):
    create_meeting(world.secretariat, conference=world.district, kind=Meeting.Kind.PLENARY, number=1,
                   title="示例第一次全体会议", date=datetime.date(2025, 1, 8))
    result = services.compute_plan(world.secretariat, plan, today=plan.start)
    visits = list(Visit.objects.filter(plan=plan))
    assert result.covered == 3 and not result.unplanned
    assert sorted(v.unit_id for v in visits) == sorted([world.unit_a.pk, world.unit_b.pk, world.street_unit.pk])
    blocked = {datetime.date(2025, 1, 6) + datetime.timedelta(days=i) for i in range(7)}
    assert not [v for v in visits if v.planned_on in blocked]
    # The three units share a street: one visitor, one day.
    assert len({v.planned_on for v in visits}) == 1
    plan.refresh_from_db()
    assert plan.stats["covered"] == 3 and plan.stats["greedy"]["covered"] == 3
    assert AuditEntry.objects.filter(action="visits.plan.compute", target_id=str(plan.pk)).count() == 1


def test_recompute_keeps_done_and_confirmed_visits(world, plan):
    services.compute_plan(world.secretariat, plan, today=plan.start)
    done = Visit.objects.get(plan=plan, unit=world.unit_a)
    services.record_visit(world.secretariat, done, done_on=done.planned_on, notes="已走访")
    confirmed = Visit.objects.get(plan=plan, unit=world.unit_b)
    services.propose_visit(world.secretariat, confirmed)
    services.confirm_visit(world.liaison_b, confirmed)
    services.set_unit_unavailable(world.secretariat, plan, unit=world.street_unit,
                                  dates=[plan.start + datetime.timedelta(days=i) for i in range(40)])
    services.compute_plan(world.secretariat, plan, today=plan.start)
    kept = {v.unit_id: v for v in Visit.objects.filter(plan=plan)}
    assert kept[world.unit_a.pk].pk == done.pk and kept[world.unit_a.pk].state == Visit.State.DONE
    assert kept[world.unit_b.pk].pk == confirmed.pk and kept[world.unit_b.pk].planned_on == confirmed.planned_on
    assert kept[world.street_unit.pk].planned_on >= plan.start + datetime.timedelta(days=40)


def test_unplanned_units_say_why(world, plan):
    services.set_unit_unavailable(world.secretariat, plan, unit=world.unit_b,
                                  dates=[plan.start + datetime.timedelta(days=i) for i in range(95)])
    result = services.compute_plan(world.secretariat, plan, today=plan.start)
    assert result.unplanned == {world.unit_b.pk: "no_date"}
    plan.refresh_from_db()
    assert plan.stats["unplanned_units"] == {str(world.unit_b.pk): "no_date"}


def test_compute_without_visitors_is_refused(world):
    plan = services.create_plan(world.secretariat, conference=world.district, start=datetime.date(2025, 4, 1))
    with pytest.raises(ValidationError) as error:
        services.compute_plan(world.secretariat, plan, today=plan.start)
    assert "走访人" in str(error.value)


def test_proposing_a_visit_goes_through_the_burden_gate(world, plan):
    visit = services.add_visit(world.secretariat, plan, unit=world.street_unit, planned_on=datetime.date(2025, 2, 4))
    req = services.propose_visit(world.secretariat, visit)
    assert (req.kind, req.state, req.unit_id) == (BurdenRequest.Kind.VISIT, BurdenRequest.State.SENT,
                                                  world.street_unit.pk)
    visit.refresh_from_db()
    assert visit.state == Visit.State.PROPOSED
    services.confirm_visit(world.street, visit)
    req.refresh_from_db()
    assert req.state == BurdenRequest.State.ANSWERED


def test_visit_past_the_cap_waits_for_approval(world, plan, settings):
    settings.BURDEN_MONTHLY_CAP = 0
    visit = services.add_visit(world.secretariat, plan, unit=world.street_unit, planned_on=datetime.date(2025, 2, 4))
    req = services.propose_visit(world.secretariat, visit)
    assert req.state == BurdenRequest.State.AWAITING_APPROVAL


def test_recording_a_visit_posts_the_need_to_the_hall(world, plan):
    visit = services.add_visit(world.secretariat, plan, unit=world.street_unit, planned_on=datetime.date(2025, 2, 4))
    category = NeedCategory.objects.order_by("order").first()
    needs = services.record_visit(
        world.secretariat, visit, done_on=datetime.date(2025, 2, 4), participants="示例走访人", met_with="示例书记",
        notes="了解到辖区独居老人助餐需求", needs=[{"title": "独居老人助餐", "category": category, "quantity": 2}])
    need = needs[0]
    assert (need.source, need.state, need.owner_id, need.area_id) == (
        Need.Source.VISIT, Need.State.PUBLISHED, world.street_unit.pk, world.street_unit.area_id)
    assert Need.objects.in_hall().filter(pk=need.pk).exists()
    assert VisitNeed.objects.get(need=need).visit_id == visit.pk
    follow_up = FollowUp.objects.get(visit=visit)
    assert follow_up.need_id == need.pk and follow_up.closed_on is None
    services.close_follow_up(world.secretariat, follow_up, note="已对接认领")
    follow_up.refresh_from_db()
    assert follow_up.closed_on is not None
    with pytest.raises(ValidationError):
        services.close_follow_up(world.secretariat, follow_up)


def test_a_bad_need_leaves_the_visit_unrecorded(world, plan):
    visit = services.add_visit(world.secretariat, plan, unit=world.street_unit, planned_on=datetime.date(2025, 2, 4))
    with pytest.raises(ValidationError):
        services.record_visit(world.secretariat, visit, done_on=datetime.date(2025, 2, 4),
                              needs=[{"title": "", "quantity": 1}])
    visit.refresh_from_db()
    assert visit.state == Visit.State.PLANNED and not Need.objects.exists()


def test_plan_coverage_counts(world, plan):
    services.compute_plan(world.secretariat, plan, today=plan.start)
    visit = Visit.objects.get(plan=plan, unit=world.unit_a)
    services.record_visit(world.secretariat, visit, done_on=visit.planned_on)
    data = coverage.plan_coverage(plan, on=datetime.date(2025, 1, 1))
    assert data["total"] == {"units": 3, "visited": 1, "planned": 2, "overdue": 0, "unplanned": 0, "rate": 33.3}
    later = coverage.plan_coverage(plan, on=datetime.date(2025, 4, 1))
    assert (later["total"]["visited"], later["total"]["overdue"]) == (1, 2)
    assert [r["street"] for r in later["streets"]] == ["示例街道"]


def test_no_visit_by_hand_in_a_plenary_week(world, plan):
    create_meeting(world.secretariat, conference=world.district, kind=Meeting.Kind.PLENARY, number=1,
                   title="示例第一次全体会议", date=datetime.date(2025, 1, 8))
    with pytest.raises(ValidationError) as error:
        services.add_visit(world.secretariat, plan, unit=world.unit_a, planned_on=datetime.date(2025, 1, 10))
    assert "全体会议" in str(error.value)


def test_compute_plans_only_from_today_and_not_after_the_period(world, plan):
    today = datetime.date(2025, 2, 10)
    services.compute_plan(world.secretariat, plan, today=today)
    assert min(Visit.objects.filter(plan=plan).values_list("planned_on", flat=True)) >= today
    with pytest.raises(ValidationError) as error:
        services.compute_plan(world.secretariat, plan, today=datetime.date(2025, 4, 1))
    assert "已于 2025-03-31 结束" in str(error.value)


def _visit_with_needs(world, plan, *titles):
    visit = services.add_visit(world.secretariat, plan, unit=world.street_unit, planned_on=datetime.date(2025, 2, 4))
    category = NeedCategory.objects.order_by("order").first()
    needs = services.record_visit(world.secretariat, visit, done_on=datetime.date(2025, 2, 4),
                                  needs=[{"title": t, "category": category, "quantity": 1} for t in titles])
    return visit, needs


def _visit_with_need(world, plan):
    visit, (need,) = _visit_with_needs(world, plan, "独居老人助餐")
    return visit, need


def test_a_follow_up_closes_itself_when_its_need_is_confirmed(world, plan, django_capture_on_commit_callbacks):
    """The lists announce the need's move; visits listen (the lists never call visits)."""
    from lianxi.lists import services as lists_services

    visit, need = _visit_with_need(world, plan)
    other = services.add_follow_up(world.secretariat, visit, summary="回访书记")  # no need: stays open
    follow_up = FollowUp.objects.get(visit=visit, need=need)
    with django_capture_on_commit_callbacks(execute=True):
        claim = lists_services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    with django_capture_on_commit_callbacks(execute=True):
        lists_services.record_delivery(world.liaison, claim.deliveries.get())
    follow_up.refresh_from_db()
    need.refresh_from_db()
    # Delivered, not yet confirmed by the unit: still the visitor's to follow.
    assert need.state == Need.State.DELIVERED and follow_up.closed_on is None
    with django_capture_on_commit_callbacks(execute=True):
        lists_services.confirm_delivery(world.street, claim.deliveries.get(), rating=5)
    need.refresh_from_db()
    follow_up.refresh_from_db()
    other.refresh_from_db()
    assert need.state == Need.State.CONFIRMED
    assert follow_up.closed_on is not None and follow_up.closing_note == "需求已确认交付"
    assert other.closed_on is None
    entry = AuditEntry.objects.filter(action="visits.followup.close_with_need").get()
    assert entry.target_id == str(follow_up.pk) and entry.actor_id == world.street.pk


def test_a_follow_up_closes_with_a_withdrawn_need_but_not_an_expired_one(world, plan,
                                                                         django_capture_on_commit_callbacks):
    from lianxi.lists import services as lists_services

    _visit, (withdrawn, expiring) = _visit_with_needs(world, plan, "社区助餐", "楼道照明")
    with django_capture_on_commit_callbacks(execute=True):
        lists_services.withdraw_need(world.street, withdrawn, reason="已自行解决")
    assert FollowUp.objects.get(need=withdrawn).closing_note == "需求已撤回"
    Need.objects.filter(pk=expiring.pk).update(deadline=datetime.date(2025, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert lists_services.expire_needs(on=datetime.date(2025, 3, 2)) == 1
    assert FollowUp.objects.get(need=expiring).closed_on is None  # nobody took it: keep following it up


def test_closing_by_hand_first_leaves_nothing_to_close(world, plan, django_capture_on_commit_callbacks):
    from lianxi.lists import services as lists_services

    visit, need = _visit_with_need(world, plan)
    follow_up = FollowUp.objects.get(need=need)
    services.close_follow_up(world.secretariat, follow_up, note="已对接")
    with django_capture_on_commit_callbacks(execute=True):
        lists_services.withdraw_need(world.street, need)
    follow_up.refresh_from_db()
    assert follow_up.closing_note == "已对接"
    assert not AuditEntry.objects.filter(action="visits.followup.close_with_need").exists()


def test_compute_plans_saves_every_plan_as_compute_plan_does(world, plan):
    from lianxi.registry.models import Person
    from lianxi.visits.models import Visitor

    other = services.create_plan(world.secretariat, conference=world.sub, start=datetime.date(2025, 1, 1))
    services.add_visitor(world.secretariat, other, person=Person.objects.create(name="示例片区走访人", unit=world.unit_b),
                         role=Visitor.Role.CONVENER, capacity=5)
    done = services.add_visit(world.secretariat, plan, unit=world.street_unit, planned_on=datetime.date(2025, 1, 7))
    services.record_visit(world.secretariat, done, done_on=datetime.date(2025, 1, 7))
    solved = services.compute_plans(world.secretariat, [plan, other], budget=4, processes=1,
                                    today=datetime.date(2025, 1, 1))
    for p in (plan, other):
        result, limit, seconds = solved[p.pk]
        p.refresh_from_db()
        assert p.stats["covered"] == result.covered == len(services.plan_units(p))
        assert Visit.objects.filter(plan=p).exclude(state=Visit.State.CANCELLED).count() == result.covered
        assert AuditEntry.objects.filter(action="visits.plan.compute", target_id=str(p.pk)).count() == 1
    done.refresh_from_db()
    assert done.state == Visit.State.DONE  # kept as it was
    assert Visit.objects.filter(plan=plan, unit=world.street_unit).count() == 1
