"""Random sequences of actions on one need keep the invariants: the claimed total is the sum of the
live claims and never exceeds the quantity; every state change is one the tables allow; every
change has exactly one audit row (and a refused action writes none and changes nothing)."""

import datetime
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianxi.audit.models import AuditEntry
from lianxi.burden.models import BurdenRequest
from lianxi.lists import services
from lianxi.lists.models import Cadence, Claim, Delivery, Need
from lianxi.lists.tests.helpers import extra_members, make_need

pytestmark = pytest.mark.django_db

# Weighted towards the actions that move a need forward, so sequences reach delivery and beyond;
# the terminal ones (withdraw, close, expire) come up often enough to be tried in every state.
ACTIONS = ["claim"] * 6 + ["record"] * 6 + ["confirm"] * 5 + ["cancel", "cancel", "rate", "end", "end", "publish", "withdraw",
                                                               "close", "expire"]
MODELS = {Need: "need", Claim: "claim", Delivery: "delivery", BurdenRequest: "request"}
INITIAL = {
    Claim: {Claim.State.ACTIVE},
    Delivery: {Delivery.State.SCHEDULED},
    BurdenRequest: {BurdenRequest.State.SENT, BurdenRequest.State.BATCHED, BurdenRequest.State.AWAITING_APPROVAL},
}


@pytest.fixture
def units(world):
    return [world.unit_a, world.unit_b, *extra_members(world, 2)]


def states() -> dict:
    out = {}
    for model in MODELS:
        for pk, state in model.objects.values_list("pk", "state"):
            out[(model, pk)] = state
    return out


def pick(qs, index, **preferred):
    """Mostly an object in the state the action wants (so sequences move on), every third time any
    object (so the refusals are tried too)."""
    if preferred and index % 3:
        items = list(qs.filter(**preferred).order_by("pk"))
        if items:
            return items[index % len(items)]
    items = list(qs.order_by("pk"))
    return items[index % len(items)] if items else None


def act(world, need, units, action, index, amount, cadence):
    """Perform one action; ``None`` when there was nothing to act on."""
    need = Need.objects.get(pk=need.pk)
    claims = Claim.objects.filter(need=need)
    deliveries = Delivery.objects.filter(claim__need=need)
    if action == "claim":
        unit = units[index % len(units)]
        return services.claim_need(None, need, unit=unit, quantity=amount, cadence=cadence)
    if action == "cancel":
        claim = pick(claims, index, state=Claim.State.ACTIVE)
        return claim and services.cancel_claim(None, claim)
    if action == "end":
        claim = pick(claims.exclude(cadence=Cadence.ONCE), index, state=Claim.State.ACTIVE)
        return claim and services.end_claim(None, claim)
    if action == "record":
        delivery = pick(deliveries, index, state=Delivery.State.SCHEDULED)
        return delivery and services.record_delivery(None, delivery)
    if action == "confirm":
        delivery = pick(deliveries, index, state=Delivery.State.DELIVERED)
        return delivery and services.confirm_delivery(world.street, delivery, rating=amount if index % 2 else None)
    if action == "rate":
        delivery = pick(deliveries, index, state=Delivery.State.CONFIRMED, rating__isnull=True)
        return delivery and services.rate_delivery(world.street, delivery, rating=amount)
    if action == "withdraw":
        return services.withdraw_need(None, need)
    if action == "publish":
        return services.publish_need(None, need)
    if action == "close":
        return services.close_need(None, need)
    if action == "expire":
        return services.expire_needs(None, on=timezone.localdate() + datetime.timedelta(days=400))
    raise AssertionError(action)


def check_invariants(need_pk, before: dict, after: dict, rows: list, refused: bool):
    need = Need.objects.get(pk=need_pk)
    live = Claim.objects.filter(need=need).exclude(state=Claim.State.CANCELLED).aggregate(s=Sum("quantity"))["s"] or 0
    assert need.claimed_quantity == live <= need.quantity
    assert need.is_open == (need.state in Need.CLAIMABLE_STATES and live < need.quantity)
    if need.state in (Need.State.PUBLISHED, Need.State.PARTLY_CLAIMED, Need.State.CLAIMED):
        expected = Need.State.PUBLISHED if live == 0 else (
            Need.State.PARTLY_CLAIMED if live < need.quantity else Need.State.CLAIMED)
        assert need.state == expected
    per_target = Counter((r.target_type_id, r.target_id) for r in rows)
    assert max(per_target.values(), default=0) <= 1, "more than one audit row for one object in one action"
    if refused:
        assert rows == [] and before == after
        return
    by_target = {(r.target_type_id, r.target_id): r for r in rows}
    for (model, pk), new in after.items():
        old = before.get((model, pk))
        if old == new:
            continue
        key = (ContentType.objects.get_for_model(model).pk, str(pk))
        assert key in by_target, f"{model.__name__} {pk} changed {old}→{new} without an audit row"
        if old is None:
            if model is Need:
                continue
            assert new in INITIAL[model] or model is BurdenRequest and new == BurdenRequest.State.ANSWERED
        else:
            assert new in model.TRANSITIONS[old], f"{model.__name__}: {old} → {new} is not allowed"
            assert by_target[key].changes["state"] == [old, new]


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    quantity=st.integers(1, 6),
    publish=st.sampled_from([True, True, True, False]),
    steps=st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.integers(0, 7), st.integers(1, 5),
                  st.sampled_from([Cadence.ONCE, Cadence.ONCE, Cadence.WEEKLY, Cadence.MONTHLY])),
        min_size=10, max_size=25,
    ),
)
def test_random_action_sequences_keep_the_invariants(world, units, quantity, publish, steps):
    with transaction.atomic():
        need = make_need(world, quantity=quantity, publish=publish,
                         deadline=timezone.localdate() + datetime.timedelta(days=30))
        for action, index, amount, cadence in steps:
            before = states()
            last = AuditEntry.objects.aggregate(m=Max("id"))["m"]
            refused = False
            try:
                result = act(world, need, units, action, index, amount, cadence)
            except ValidationError as exc:
                refused = True
                assert exc.message_dict, "a refusal names its field"
                result = True
            if result is None:
                continue
            rows = list(AuditEntry.objects.filter(id__gt=last))
            check_invariants(need.pk, before, states(), rows, refused)
        transaction.set_rollback(True)

