
"""The burden gate as the lists use it: one request per subject, deliveries and invitations."""

import pytest
from django.core.exceptions import ValidationError

from lianxi.burden import services as burden
from lianxi.burden.models import BurdenRequest
from lianxi.lists import services
from lianxi.lists.tests.helpers import make_need

pytestmark = pytest.mark.django_db
St = BurdenRequest.State
Kind = BurdenRequest.Kind


def ask(world, n, kind=Kind.CONFIRM, unit=None, subject=None):
    return [burden.request(world.secretariat, unit=unit or world.street_unit, kind=kind, subject=subject,
                           summary=f"示例请求{i}") for i in range(n)]


def test_same_subject_is_not_asked_twice_while_open(world):
    need = make_need(world)
    first = burden.request(world.secretariat, unit=world.street_unit, kind=Kind.FORM, subject=need, summary="请补充受益人数")
    again = burden.request(world.secretariat, unit=world.street_unit, kind=Kind.FORM, subject=need, summary="请补充受益人数")
    assert again.pk == first.pk
    assert BurdenRequest.objects.count() == 1
    assert first.link == need.get_absolute_url()
    burden.answer(world.street, first)
    third = burden.request(world.secretariat, unit=world.street_unit, kind=Kind.FORM, subject=need, summary="再次确认")
    assert third.pk != first.pk


def test_answer_and_withdraw_by_subject(world):
    need = make_need(world)
    burden.request(None, unit=world.street_unit, kind=Kind.FORM, subject=need, summary="填报")
    burden.request(None, unit=world.street_unit, kind=Kind.RATE, subject=need, summary="评价")
    assert burden.answer_for(world.street, subject=need, kinds=[Kind.FORM]) == 1
    assert burden.withdraw_for(None, subject=need) == 1
    assert sorted(BurdenRequest.objects.values_list("kind", "state")) == [("form", "answered"), ("rate", "withdrawn")]
    with pytest.raises(ValidationError) as err:
        burden.answer(world.street, BurdenRequest.objects.get(kind=Kind.RATE))
    assert err.value.message_dict == {"state": ["该事项不能从“已撤回”变为“已答复”。"]}


def test_delivery_confirmations_go_through_the_gate(world):
    burden.set_cap(world.admin, world.street_unit, monthly_cap=1)
    need = make_need(world, quantity=2)
    a = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    b = services.claim_need(world.liaison_b, need, unit=world.unit_b, quantity=1)
    services.record_delivery(world.liaison, a.deliveries.get())
    services.record_delivery(world.liaison_b, b.deliveries.get())
    states = list(BurdenRequest.objects.order_by("id").values_list("kind", "state"))
    assert states == [("confirm", "sent"), ("confirm", "batched_in_digest")]
    # Confirming answers the request, wherever it waits.
    services.confirm_delivery(world.street, b.deliveries.get(), rating=4)
    assert BurdenRequest.objects.order_by("id").last().state == St.ANSWERED


def test_invitation_accepted_by_claim_is_answered(world):
    need = make_need(world)
    invite = burden.request(world.secretariat, unit=world.unit_a, kind=Kind.INVITATION, subject=need,
                            summary="邀请认领：示例需求")
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1, invitation=invite)
    invite.refresh_from_db()
    assert invite.state == St.ANSWERED and claim.via_request == invite
    second = make_need(world, title="第二条")
    other = burden.request(world.secretariat, unit=world.unit_b, kind=Kind.INVITATION, subject=second, summary="邀请")
    with pytest.raises(ValidationError) as err:
        services.claim_need(world.liaison, second, unit=world.unit_a, quantity=1, invitation=other)
    assert err.value.message_dict == {"invitation": ["该邀请不是发给此单位的认领邀请。"]}
    other.refresh_from_db()
    assert other.state == St.SENT
