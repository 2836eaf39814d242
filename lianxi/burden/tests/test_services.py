"""The burden gate on its own: the cap, the digest, approval, the unit's override, the summary."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lianxi.audit.models import AuditEntry
from lianxi.burden import services as burden
from lianxi.burden.models import BurdenCap, BurdenDigest, BurdenRequest

pytestmark = pytest.mark.django_db
St = BurdenRequest.State
Kind = BurdenRequest.Kind


def audit_rows(obj, action: str | None = None):
    rows = AuditEntry.objects.for_object(obj)
    if action:
        rows = rows.filter(action=action)
    return list(rows.order_by("id"))


def ask(world, n, kind=Kind.CONFIRM, unit=None, subject=None):
    return [burden.request(world.secretariat, unit=unit or world.street_unit, kind=kind, subject=subject,
                           summary=f"示例请求{i}") for i in range(n)]


def test_within_cap_requests_are_sent_and_audited(world):
    [req] = ask(world, 1)
    assert (req.state, req.month) == (St.SENT, timezone.localdate().replace(day=1))
    assert req.asked_at is not None and req.requested_by == world.secretariat
    [row] = audit_rows(req)
    assert row.action == "lists.burden.request"
    assert row.changes["state"] == [None, "sent"] and row.changes["summary"] == [None, "示例请求0"]


def test_cap_reached_then_routine_requests_go_into_one_digest(world):
    sent = ask(world, 8)
    assert {r.state for r in sent} == {St.SENT}
    over = ask(world, 3)
    assert {r.state for r in over} == {St.BATCHED}
    digest = BurdenDigest.objects.get()
    assert (digest.unit, digest.month, digest.sent_at) == (world.street_unit, burden.month_of(), None)
    assert {r.digest_id for r in over} == {digest.pk}
    assert all(r.asked_at is None for r in over)
    assert len(audit_rows(digest, "lists.burden.digest.create")) == 1
    assert burden.used(world.street_unit, burden.month_of()) == 8


def test_past_cap_new_work_waits_for_approval_never_dropped(world):
    ask(world, 8)
    [invite] = ask(world, 1, kind=Kind.INVITATION)
    [form] = ask(world, 1, kind=Kind.FORM)
    assert invite.state == form.state == St.AWAITING_APPROVAL
    assert BurdenRequest.objects.count() == 10
    burden.approve(world.admin, invite)
    invite.refresh_from_db()
    assert invite.state == St.SENT and invite.asked_at is not None
    burden.defer_to_digest(world.admin, form)
    form.refresh_from_db()
    assert form.state == St.BATCHED and form.digest is not None
    assert [r.action for r in audit_rows(invite)] == ["lists.burden.request", "lists.burden.approve"]


def test_sending_the_digest_asks_its_requests_once(world):
    ask(world, 8)
    over = ask(world, 2)
    digest = BurdenDigest.objects.get()
    burden.send_digest(world.admin, digest)
    digest.refresh_from_db()
    assert digest.sent_at is not None
    for req in over:
        req.refresh_from_db()
        assert req.asked_at == digest.sent_at and req.state == St.BATCHED
    with pytest.raises(ValidationError) as err:
        burden.send_digest(world.admin, digest)
    assert err.value.message_dict == {"digest": ["该汇总已经发送。"]}
    # A late item joins the already-sent digest and is shown at once.
    [late] = ask(world, 1)
    assert late.state == St.BATCHED and late.digest_id == digest.pk and late.asked_at is not None
    # Digest items do not count against the cap: still 8 individually sent.
    assert burden.used(world.street_unit, burden.month_of()) == 8


def test_send_due_digests_sends_last_months(world):
    ask(world, 8)
    ask(world, 1)
    digest = BurdenDigest.objects.get()
    assert burden.send_due_digests(None) == 0
    next_month = (digest.month + datetime.timedelta(days=32)).replace(day=1)
    assert burden.send_due_digests(None, before=next_month) == 1
    digest.refresh_from_db()
    assert digest.sent_at is not None


def test_unit_override_of_the_cap(world):
    burden.set_cap(world.admin, world.street_unit, monthly_cap=2, note="换届期间减负")
    assert burden.cap_for(world.street_unit) == 2
    reqs = ask(world, 3)
    assert [r.state for r in reqs] == [St.SENT, St.SENT, St.BATCHED]
    cap = BurdenCap.objects.get(unit=world.street_unit)
    assert audit_rows(cap)[0].changes["monthly_cap"] == [None, 2]
    assert burden.set_cap(world.admin, world.street_unit, monthly_cap=3) == {"monthly_cap": [2, 3], "note": ["换届期间减负", ""]}
    burden.set_cap(world.admin, world.street_unit, monthly_cap=None)
    assert burden.cap_for(world.street_unit) == 8
    # A cap of zero: nothing is sent one by one, all goes to the digest or to approval.
    burden.set_cap(world.admin, world.unit_a, monthly_cap=0)
    [r] = ask(world, 1, unit=world.unit_a)
    assert r.state == St.BATCHED


def test_summary_by_aggregates(world):
    reqs = ask(world, 9)
    burden.answer(world.street, reqs[0])
    s = burden.summary(world.street_unit, burden.month_of())
    assert {k: s[k] for k in ("total", "counted", "answered", "batched", "awaiting", "open", "cap")} == {
        "total": 9, "counted": 8, "answered": 1, "batched": 1, "awaiting": 0, "open": 8, "cap": 8}
    assert s["mean_answer"] is not None and s["mean_answer"] >= datetime.timedelta(0)
    assert s["by_kind"][0] == ("确认交付", 9)


def test_bad_kind_and_empty_summary_are_refused(world):
    with pytest.raises(ValidationError) as err:
        burden.request(None, unit=world.street_unit, kind="call", summary="x")
    assert err.value.message_dict == {"kind": ["事项类型无效。"]}
    with pytest.raises(ValidationError) as err:
        burden.request(None, unit=world.street_unit, kind=Kind.FORM, summary="")
    assert err.value.message_dict == {"summary": ["请写明请求事项。"]}
