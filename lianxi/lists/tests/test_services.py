import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lianxi.audit.models import AuditEntry
from lianxi.burden.models import BurdenRequest
from lianxi.lists import services
from lianxi.lists.models import Cadence, Claim, ClaimShare, Delivery, ListSnapshot, Need, Resource
from lianxi.lists.tests.helpers import audit_rows, category, extra_members, later, make_need, make_resource
from lianxi.registry.models import Area, Unit
from lianxi.registry.services import create_area, create_unit

pytestmark = pytest.mark.django_db
S = Need.State


# ------------------------------------------------------------------ the transition table itself


def test_every_state_has_a_row_and_targets_are_states():
    for model in (Need, Claim, Delivery, Resource, BurdenRequest):
        states = set(model.State.values)
        assert set(model.TRANSITIONS) == states, model
        for targets in model.TRANSITIONS.values():
            assert targets <= states


def test_terminal_need_states_have_no_way_out():
    assert Need.TRANSITIONS[S.CLOSED] == set()
    assert Need.TRANSITIONS[S.WITHDRAWN] == set()
    assert Need.TRANSITIONS[S.EXPIRED] == set()


# ------------------------------------------------------------------ needs


def test_post_need_as_draft_writes_one_audit_row(world):
    need = make_need(world, publish=False)
    rows = audit_rows(need)
    assert [r.action for r in rows] == ["lists.need.create"]
    assert rows[0].actor == world.street
    assert rows[0].changes["title"] == [None, "示例需求：助餐"]
    assert rows[0].changes["quantity"] == [None, 4]
    assert need.state == S.DRAFT and need.posted_by == world.street


def test_post_published_need_is_one_change(world):
    need = make_need(world)
    assert need.state == S.PUBLISHED and need.published_at is not None
    rows = audit_rows(need)
    assert len(rows) == 1
    assert rows[0].changes["state"] == [None, "published"]


def test_publish_draft_moves_state_and_audits(world):
    need = make_need(world, publish=False)
    changes = services.publish_need(world.street, need)
    need.refresh_from_db()
    assert need.state == S.PUBLISHED
    assert changes["state"] == ["draft", "published"]
    assert audit_rows(need, "lists.need.publish")[0].changes["state"] == ["draft", "published"]


def test_publish_twice_is_refused_in_chinese(world):
    need = make_need(world)
    with pytest.raises(ValidationError) as err:
        services.publish_need(world.street, need)
    assert err.value.message_dict == {"state": ["只有草稿可以发布，该需求待认领。"]}


def test_publish_with_past_deadline_is_refused(world):
    need = make_need(world, publish=False, deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as err:
        services.publish_need(world.street, need)
    assert err.value.message_dict == {"deadline": ["截止日期已过，不能发布。"]}


def test_owner_outside_conference_and_area_is_refused(world):
    far = create_area(None, name="示例外区", kind=Area.Kind.DISTRICT)
    far_street = create_area(None, name="示例外区街道", kind=Area.Kind.STREET, parent=far)
    stranger = create_unit(None, name="示例外区街道办", category=Unit.Category.STREET, area=far_street)
    with pytest.raises(ValidationError) as err:
        make_need(world, owner=stranger)
    assert "owner" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.post_need(world.street, conference=world.district, owner=world.street_unit, title="x",
                           category=category(), area=far_street, quantity=1)
    assert err.value.message_dict == {"area": ["示例外区街道不在示例区的区域范围内。"]}


def test_street_in_conference_area_may_post_without_membership(world):
    neighbour = create_unit(None, name="示例居委会", category=Unit.Category.STREET, area=world.street_area)
    need = make_need(world, owner=neighbour)
    assert need.owner == neighbour


def test_update_published_need_content_but_not_owner(world):
    need = make_need(world)
    assert services.update_need(world.street, need, title="示例需求：送餐") == {"title": ["示例需求：助餐", "示例需求：送餐"]}
    need.refresh_from_db()
    assert need.search_text.startswith("示例需求送餐")
    with pytest.raises(ValidationError) as err:
        services.update_need(world.street, need, owner=world.unit_a)
    assert err.value.message_dict == {"owner": ["需求发布后不能修改此项。"]}


def test_update_after_claim_is_refused(world):
    need = make_need(world)
    services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    with pytest.raises(ValidationError) as err:
        services.update_need(world.street, need, title="改")
    assert err.value.message_dict == {"state": ["需求已部分认领，不能再修改。"]}


def test_withdraw_cancels_active_claims(world):
    need = make_need(world)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2)
    services.withdraw_need(world.street, need, reason="已由街道自行解决")
    need.refresh_from_db()
    claim.refresh_from_db()
    assert (need.state, need.claimed_quantity) == (S.WITHDRAWN, 0)
    assert claim.state == Claim.State.CANCELLED
    assert claim.deliveries.get().state == Delivery.State.CANCELLED
    assert audit_rows(need, "lists.need.withdraw")[0].changes == {"claimed_quantity": [2, 0], "state": ["partly_claimed", "withdrawn"]}
    assert len(audit_rows(claim, "lists.claim.cancel")) == 1


def test_withdraw_after_delivery_is_refused(world):
    need = make_need(world, quantity=1)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    services.record_delivery(world.liaison, claim.deliveries.get())
    with pytest.raises(ValidationError) as err:
        services.withdraw_need(world.street, need)
    assert err.value.message_dict == {"state": ["需求不能从“已交付”变为“已撤回”。"]}


def test_expire_only_unclaimed_published_needs_past_deadline(world):
    today = timezone.localdate()
    stale = make_need(world, title="过期", publish=False, deadline=today - datetime.timedelta(days=2))
    Need.objects.filter(pk=stale.pk).update(state=S.PUBLISHED)
    fresh = make_need(world, title="未到期", deadline=today + datetime.timedelta(days=2))
    claimed = make_need(world, title="已认领", publish=False, deadline=today - datetime.timedelta(days=2))
    Need.objects.filter(pk=claimed.pk).update(state=S.PUBLISHED)
    services.claim_need(world.liaison, Need.objects.get(pk=claimed.pk), unit=world.unit_a, quantity=1)
    assert services.expire_needs(None, on=today) == 1
    assert Need.objects.get(pk=stale.pk).state == S.EXPIRED
    assert Need.objects.get(pk=fresh.pk).state == S.PUBLISHED
    assert Need.objects.get(pk=claimed.pk).state == S.PARTLY_CLAIMED
    row = audit_rows(stale, "lists.need.expire")[0]
    assert (row.actor, row.changes) == (None, {"state": ["published", "expired"]})


# ------------------------------------------------------------------ claims


def test_single_claim_audits_claim_need_and_schedule(world):
    need = make_need(world, quantity=4)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=3, note="周一到周五")
    need.refresh_from_db()
    assert (need.claimed_quantity, need.state, need.remaining) == (3, S.PARTLY_CLAIMED, 1)
    [row] = audit_rows(claim)
    assert row.action == "lists.claim.create" and row.actor == world.liaison
    assert row.changes["quantity"] == [None, 3] and row.changes["unit"] == [None, "示例单位A"]
    [need_row] = audit_rows(need, "lists.need.claim")
    assert need_row.changes == {"claimed_quantity": [0, 3], "state": ["published", "partly_claimed"]}
    [delivery] = claim.deliveries.all()
    assert delivery.due_on == timezone.localdate() + datetime.timedelta(days=30)
    assert len(audit_rows(delivery, "lists.delivery.schedule")) == 1


def test_claim_the_rest_makes_the_need_claimed(world):
    need = make_need(world, quantity=4)
    services.claim_need(world.liaison, need, unit=world.unit_a, quantity=3)
    services.claim_need(world.liaison_b, need, unit=world.unit_b, quantity=1)
    need.refresh_from_db()
    assert (need.claimed_quantity, need.state) == (4, S.CLAIMED)


def test_over_claim_is_refused_with_the_remainder(world):
    need = make_need(world, quantity=4)
    services.claim_need(world.liaison, need, unit=world.unit_a, quantity=3)
    with pytest.raises(ValidationError) as err:
        services.claim_need(world.liaison_b, need, unit=world.unit_b, quantity=2)
    assert err.value.message_dict == {"quantity": ["认领数量超过剩余可认领数量（剩余 1人）。"]}
    need.refresh_from_db()
    assert need.claimed_quantity == 3


def test_database_check_refuses_over_claim_even_past_the_service(world):
    from django.db import IntegrityError, transaction

    need = make_need(world, quantity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Need.objects.filter(pk=need.pk).update(claimed_quantity=3)


def test_owner_nonmember_and_duplicate_claims_are_refused(world):
    need = make_need(world, owner=world.unit_b)
    with pytest.raises(ValidationError) as err:
        services.claim_need(world.liaison_b, need, unit=world.unit_b, quantity=1)
    assert err.value.message_dict == {"unit": ["需求单位不能认领自己的需求。"]}
    with pytest.raises(ValidationError) as err:
        services.claim_need(world.admin, need, unit=world.outside_unit, quantity=1)
    assert err.value.message_dict == {"unit": ["示例单位Z不是示例区的现任成员单位，不能认领。"]}
    services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    with pytest.raises(ValidationError) as err:
        services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    assert err.value.message_dict == {"unit": ["示例单位A已认领此需求，如需调整数量请先撤回原认领。"]}


def test_draft_and_withdrawn_needs_cannot_be_claimed(world):
    need = make_need(world, publish=False)
    with pytest.raises(ValidationError) as err:
        services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    assert err.value.message_dict == {"need": ["需求草稿，不能认领。"]}


def test_joint_claim_records_shares_on_its_one_audit_row(world):
    need = make_need(world, quantity=5)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=5, co_claimants=[(world.unit_b, 2)])
    shares = {s.unit.name: s.quantity for s in ClaimShare.objects.filter(claim=claim)}
    assert shares == {"示例单位A": 3, "示例单位B": 2}
    [row] = audit_rows(claim)
    assert row.changes["shares"] == [None, ["示例单位A:3", "示例单位B:2"]]


def test_joint_claim_rules(world):
    need = make_need(world, quantity=5)
    with pytest.raises(ValidationError) as err:
        services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, co_claimants=[(world.unit_b, 2)])
    assert err.value.message_dict == {"co_claimants": ["联合认领单位承担的数量之和须小于认领总数，牵头单位至少承担 1。"]}
    with pytest.raises(ValidationError) as err:
        services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, co_claimants=[(world.outside_unit, 1)])
    assert err.value.message_dict == {"co_claimants": ["示例单位Z不是示例区的现任成员单位，不能认领。"]}
    with pytest.raises(ValidationError):
        services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, co_claimants=[(world.unit_a, 1)])


def test_claim_with_resource_of_another_unit_is_refused(world):
    need = make_need(world)
    resource_b = make_resource(world, unit=world.unit_b, actor=world.liaison_b)
    with pytest.raises(ValidationError) as err:
        services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1, resource=resource_b)
    assert err.value.message_dict == {"resource": ["只能使用认领单位自己的资源。"]}
    # Drawing on a co-claimant's resource is allowed.
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, resource=resource_b,
                                co_claimants=[(world.unit_b, 1)])
    assert claim.resource == resource_b


def test_cancel_claim_returns_quantity(world):
    need = make_need(world, quantity=4)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=4)
    services.cancel_claim(world.liaison, claim, reason="人手不足")
    need.refresh_from_db()
    claim.refresh_from_db()
    assert (need.state, need.claimed_quantity) == (S.PUBLISHED, 0)
    assert claim.state == Claim.State.CANCELLED and "人手不足" in claim.note
    assert audit_rows(need, "lists.need.unclaim")[0].changes == {"claimed_quantity": [4, 0], "state": ["claimed", "published"]}
    with pytest.raises(ValidationError) as err:
        services.cancel_claim(world.liaison, claim)
    assert err.value.message_dict == {"state": ["认领不能从“已撤回”变为“已撤回”。"]}


# ------------------------------------------------------------------ the first-right window


def test_window_open_only_paired_units_claim(world):
    need = make_need(world)
    services.pair_need(world.secretariat, need, units=[world.unit_b], until=later(days=3))
    need.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    assert list(err.value.message_dict) == ["unit"]
    assert "由结对单位优先认领" in err.value.message_dict["unit"][0]
    services.claim_need(world.liaison_b, need, unit=world.unit_b, quantity=1)
    assert not Need.objects.in_hall().filter(pk=need.pk).exists()
    assert Need.objects.open().filter(pk=need.pk).exists()


def test_after_window_every_member_claims(world):
    need = make_need(world)
    services.pair_need(world.secretariat, need, units=[world.unit_b], until=later(days=3))
    need.refresh_from_db()
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1, now=later(days=3, hours=1))
    assert claim.unit == world.unit_a
    assert Need.objects.in_hall(now=later(days=4)).filter(pk=need.pk).exists()


def test_pair_need_audits_one_row_and_refuses_nonmembers(world):
    need = make_need(world)
    until = later(days=7)
    changes = services.pair_need(world.secretariat, need, units=[world.unit_a, world.unit_b], until=until)
    assert changes["pairings"] == [[], ["示例单位A", "示例单位B"]]
    assert len(audit_rows(need, "lists.need.pair")) == 1
    with pytest.raises(ValidationError) as err:
        services.pair_need(world.secretariat, need, units=[world.outside_unit], until=until)
    assert err.value.message_dict == {"units": ["示例单位Z不是示例区的现任成员单位。"]}
    with pytest.raises(ValidationError):
        services.pair_need(world.secretariat, need, units=[world.unit_a], until=timezone.now() - datetime.timedelta(hours=1))
    services.pair_need(world.secretariat, need, units=[], until=None)
    need.refresh_from_db()
    assert need.first_right_until is None and need.pairings.count() == 0


# ------------------------------------------------------------------ deliveries


def test_one_off_claim_full_path_to_confirmed(world):
    need = make_need(world, quantity=2)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2)
    delivery = claim.deliveries.get()
    services.record_delivery(world.liaison, delivery, note="已送达")
    need.refresh_from_db()
    claim.refresh_from_db()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.quantity, delivery.delivered_by) == (Delivery.State.DELIVERED, 2, world.liaison)
    assert claim.state == Claim.State.COMPLETED
    assert need.state == S.DELIVERED
    assert [r.changes["state"] for r in audit_rows(need) if "state" in r.changes] == [
        [None, "published"], ["published", "claimed"], ["claimed", "delivered"]]
    ask = BurdenRequest.objects.get(kind=BurdenRequest.Kind.CONFIRM)
    assert (ask.unit, ask.state, ask.link) == (world.street_unit, BurdenRequest.State.SENT, delivery.get_absolute_url())

    services.confirm_delivery(world.street, delivery, rating=5, comment="很及时")
    need.refresh_from_db()
    delivery.refresh_from_db()
    ask.refresh_from_db()
    assert (delivery.state, delivery.rating, delivery.confirmed_by) == (Delivery.State.CONFIRMED, 5, world.street)
    assert need.state == S.CONFIRMED
    assert ask.state == BurdenRequest.State.ANSWERED and ask.answered_at is not None
    services.close_need(world.secretariat, need)
    need.refresh_from_db()
    assert need.state == S.CLOSED


def test_partly_claimed_need_goes_in_delivery_and_keeps_the_rest_open(world):
    need = make_need(world, quantity=4)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    services.record_delivery(world.liaison, claim.deliveries.get())
    need.refresh_from_db()
    assert need.state == S.IN_DELIVERY
    assert Need.objects.open().filter(pk=need.pk).exists()
    services.claim_need(world.liaison_b, need, unit=world.unit_b, quantity=3)
    need.refresh_from_db()
    assert (need.state, need.claimed_quantity) == (S.IN_DELIVERY, 4)


def test_record_twice_and_confirm_before_delivery_are_refused(world):
    need = make_need(world, quantity=1)
    delivery = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1).deliveries.get()
    with pytest.raises(ValidationError) as err:
        services.confirm_delivery(world.street, delivery)
    assert err.value.message_dict == {"state": ["交付不能从“待交付”变为“已确认”。"]}
    services.record_delivery(world.liaison, delivery)
    with pytest.raises(ValidationError):
        services.record_delivery(world.liaison, delivery)
    with pytest.raises(ValidationError) as err:
        services.record_delivery(world.liaison, delivery, delivered_on=timezone.localdate() + datetime.timedelta(days=1))


def test_rate_once_and_in_range(world):
    need = make_need(world, quantity=1)
    delivery = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1).deliveries.get()
    with pytest.raises(ValidationError) as err:
        services.rate_delivery(world.street, delivery, rating=4)
    assert err.value.message_dict == {"rating": ["交付完成后才能评价。"]}
    services.record_delivery(world.liaison, delivery)
    services.confirm_delivery(world.street, delivery)
    with pytest.raises(ValidationError) as err:
        services.rate_delivery(world.street, delivery, rating=6)
    assert err.value.message_dict == {"rating": ["评价须为 1 到 5 分。"]}
    services.rate_delivery(world.street, delivery, rating=4, comment="好")
    assert audit_rows(delivery, "lists.delivery.rate")[0].changes == {"rating": [None, 4], "rating_comment": ["", "好"]}
    with pytest.raises(ValidationError) as err:
        services.rate_delivery(world.street, delivery, rating=3)
    assert err.value.message_dict == {"rating": ["这次交付已经评价过。"]}


# ------------------------------------------------------------------ long-term claims


def test_add_period_clamps_month_ends():
    d = datetime.date(2024, 1, 31)
    assert services.add_period(d, Cadence.MONTHLY) == datetime.date(2024, 2, 29)
    assert services.add_period(d, Cadence.QUARTERLY) == datetime.date(2024, 4, 30)
    assert services.add_period(d, Cadence.WEEKLY, 2) == datetime.date(2024, 2, 14)
    assert services.add_period(datetime.date(2024, 11, 15), Cadence.QUARTERLY) == datetime.date(2025, 2, 15)


def test_long_term_claim_schedules_by_cadence_and_rolls_on(world):
    need = make_need(world, quantity=4)
    start = timezone.localdate()
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, cadence=Cadence.WEEKLY)
    assert claim.is_long_term and claim.end_on is None
    dues = list(claim.deliveries.values_list("due_on", flat=True))
    assert dues == [start + datetime.timedelta(weeks=k) for k in range(1, 5)]
    created = services.roll_deliveries(None, on=start + datetime.timedelta(days=14))
    assert created == 2
    assert claim.deliveries.count() == 6
    assert services.roll_deliveries(None, on=start + datetime.timedelta(days=14)) == 0


def test_long_term_claim_with_end_date_completes_after_its_last_delivery(world):
    need = make_need(world, quantity=2)
    start = timezone.localdate() - datetime.timedelta(days=30)
    end = start + datetime.timedelta(days=28)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, cadence=Cadence.WEEKLY,
                                start_on=start, end_on=end)
    deliveries = list(claim.deliveries.order_by("sequence"))
    assert [d.due_on for d in deliveries] == [start + datetime.timedelta(weeks=k) for k in range(1, 5)]
    assert Delivery.objects.overdue().filter(claim=claim).count() == 4
    for d in deliveries:
        services.record_delivery(world.liaison, d)
    claim.refresh_from_db()
    need.refresh_from_db()
    assert claim.state == Claim.State.COMPLETED
    assert need.state == S.DELIVERED
    for d in deliveries:
        services.confirm_delivery(world.street, d)
    need.refresh_from_db()
    assert need.state == S.CONFIRMED


def test_overdue_shows_missed_deliveries(world):
    need = make_need(world, quantity=2)
    start = timezone.localdate() - datetime.timedelta(days=20)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1, cadence=Cadence.WEEKLY,
                                start_on=start)
    overdue = list(Delivery.objects.overdue().filter(claim=claim).values_list("sequence", flat=True))
    assert overdue == [1, 2]
    first = claim.deliveries.get(sequence=1)
    assert first.is_overdue()
    services.record_delivery(world.liaison, first)
    assert list(Delivery.objects.overdue().filter(claim=claim).values_list("sequence", flat=True)) == [2]


def test_end_long_term_claim_cancels_what_is_left(world):
    need = make_need(world, quantity=2)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, cadence=Cadence.WEEKLY)
    first = claim.deliveries.get(sequence=1)
    Delivery.objects.filter(pk=first.pk).update(due_on=timezone.localdate())
    services.record_delivery(world.liaison, first)
    services.end_claim(world.liaison, claim)
    claim.refresh_from_db()
    need.refresh_from_db()
    assert claim.state == Claim.State.COMPLETED
    assert set(claim.deliveries.exclude(pk=first.pk).values_list("state", flat=True)) == {Delivery.State.CANCELLED}
    assert need.state == S.DELIVERED
    with pytest.raises(ValidationError):
        services.end_claim(world.liaison, claim)


def test_one_off_claim_cannot_be_ended(world):
    need = make_need(world)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    with pytest.raises(ValidationError) as err:
        services.end_claim(world.liaison, claim)
    assert err.value.message_dict == {"claim": ["一次性认领在交付后自动完成，无需结束。"]}


def test_close_need_in_delivery_completes_long_term_claims(world):
    need = make_need(world, quantity=3)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1, cadence=Cadence.MONTHLY)
    services.record_delivery(world.liaison, claim.deliveries.get(sequence=1))
    services.close_need(world.secretariat, need)
    claim.refresh_from_db()
    need.refresh_from_db()
    assert need.state == S.CLOSED
    assert claim.state == Claim.State.COMPLETED and claim.end_on is not None


# ------------------------------------------------------------------ resources


def test_offer_resource_audits_with_areas(world):
    resource = make_resource(world)
    [row] = audit_rows(resource)
    assert row.action == "lists.resource.create"
    assert row.changes["areas"] == [None, ["示例街道"]]
    assert resource.offered_by == world.liaison


def test_nonmember_cannot_offer_and_window_must_be_ordered(world):
    with pytest.raises(ValidationError) as err:
        make_resource(world, unit=world.outside_unit, actor=world.admin)
    assert err.value.message_dict == {"unit": ["示例单位Z不是示例区的现任成员单位，不能提供资源。"]}
    with pytest.raises(ValidationError) as err:
        make_resource(world, available_from=datetime.date(2024, 6, 1), available_until=datetime.date(2024, 5, 1))
    assert err.value.message_dict == {"available_until": ["可提供截止日期不能早于起始日期。"]}


def test_withdraw_and_reoffer_resource(world):
    resource = make_resource(world)
    services.withdraw_resource(world.liaison, resource)
    resource.refresh_from_db()
    assert resource.state == Resource.State.WITHDRAWN
    with pytest.raises(ValidationError):
        services.withdraw_resource(world.liaison, resource)
    services.reoffer_resource(world.liaison, resource)
    assert [r.action for r in audit_rows(resource)] == ["lists.resource.create", "lists.resource.withdraw",
                                                        "lists.resource.reoffer"]


def test_last_contact_prefers_the_last_need(world):
    assert services.last_contact(world.street_unit) == {"contact_name": "", "contact_phone": ""}
    make_need(world, contact_name="示例联系人甲", contact_phone="000-1111")
    make_need(world, title="第二条", contact_name="示例联系人乙", contact_phone="000-2222")
    assert services.last_contact(world.street_unit) == {"contact_name": "示例联系人乙", "contact_phone": "000-2222"}


# ------------------------------------------------------------------ snapshots


def test_freeze_lists_at_a_release_item(world):
    from lianxi.meetings.models import AgendaItem, Meeting

    meeting = Meeting.objects.create(conference=world.district, title="示例第一次全体会议", date=timezone.localdate())
    release = AgendaItem.objects.create(meeting=meeting, order=1, kind=AgendaItem.Kind.RELEASE, title="发布三张清单")
    speech = AgendaItem.objects.create(meeting=meeting, order=2, kind=AgendaItem.Kind.SPEECH, title="讲话")
    need = make_need(world, contact_name="示例联系人", contact_phone="000-1")
    services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    make_resource(world)
    with pytest.raises(ValidationError) as err:
        services.freeze_lists(world.secretariat, speech)
    assert err.value.message_dict == {"agenda_item": ["只有“发布”类议程可以将清单定稿。"]}
    snapshot = services.freeze_lists(world.secretariat, release)
    assert snapshot.data["needs"]["headers"][:4] == ["序号", "单位", "内容", "类别"]
    assert snapshot.data["needs"]["rows"] == [
        [1, "示例街道", "示例需求：助餐", "为老服务", "示例街道", "4人", "", "", "示例联系人", "000-1", "部分认领", "示例单位A"]
    ]
    assert snapshot.count("resources") == 1
    [row] = audit_rows(snapshot)
    assert row.changes == {"agenda_item": [None, "1. 发布三张清单"], "needs": [None, 1], "resources": [None, 1],
                           "projects": [None, 0]}
    # Later changes never rewrite what was released that day.
    services.withdraw_need(world.street, need)
    snapshot.refresh_from_db()
    assert snapshot.count("needs") == 1
    with pytest.raises(ValidationError):
        services.freeze_lists(world.secretariat, release)
    assert ListSnapshot.objects.count() == 1


def test_unit_claim_counts(world):
    need = make_need(world)
    services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    assert services.unit_claim_counts([world.unit_a.pk, world.unit_b.pk]) == {world.unit_a.pk: 1}


def test_many_members_claim_in_turn_never_exceeds(world):
    units = extra_members(world, 6)
    need = make_need(world, quantity=4)
    accepted = 0
    for unit in units:
        try:
            services.claim_need(None, need, unit=unit, quantity=1)
            accepted += 1
        except ValidationError:
            pass
    need.refresh_from_db()
    assert accepted == 4 and need.claimed_quantity == 4 and need.state == S.CLAIMED
    assert AuditEntry.objects.filter(action="lists.claim.create").count() == 4
