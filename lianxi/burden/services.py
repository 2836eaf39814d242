"""The burden gate (减负闸门): the one door through which the platform asks anything of a unit.

Every request — confirm a delivery, rate, answer an invitation, fill a form — is made with
:func:`request`, which counts it against the unit's monthly cap (``settings.BURDEN_MONTHLY_CAP``,
or the unit's ``BurdenCap``). Within the cap the request is sent at once. Past it, routine
requests (confirm, rate) wait in the unit's one digest for the month, and new work (invitations,
forms) waits for an administrator's approval. Nothing is dropped: every request is a row that ends
answered or withdrawn, and the burden page shows per unit and month what was asked and how long the
answers took.

Other apps call::

    from lianxi.burden import services as burden
    req = burden.request(actor, unit=unit, kind=BurdenRequest.Kind.INVITATION, subject=obj, summary="…")
    burden.answer(actor, req)                  # when the unit answered (accepted or declined)
    burden.answer_for(actor, subject=obj)      # … or by the object the request was about
    burden.withdraw_for(actor, subject=obj)    # the object went away; stop asking
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from lianxi.audit.services import record
from lianxi.burden.models import BurdenCap, BurdenDigest, BurdenRequest
from lianxi.lib.services import create_object, update_object
from lianxi.registry.models import Unit

# Audit actions keep the names they had when the gate lived in the lists app ("lists.burden.…"), so a
# unit's history reads the same before and after the move.
State = BurdenRequest.State
Kind = BurdenRequest.Kind

# Requests that count against the cap: those delivered to the unit one by one (a digest counts once).
COUNTED = Q(asked_at__isnull=False, digest__isnull=True)


def month_of(moment: datetime.datetime | datetime.date | None = None) -> datetime.date:
    """The first day of the local month ``moment`` falls in."""
    if moment is None:
        day = timezone.localdate()
    elif isinstance(moment, datetime.datetime):
        day = timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    else:
        day = moment
    return day.replace(day=1)


def cap_for(unit: Unit) -> int:
    """The unit's monthly cap: its own override, else the district default."""
    override = BurdenCap.objects.filter(unit=unit).values_list("monthly_cap", flat=True).first()
    return settings.BURDEN_MONTHLY_CAP if override is None else override


def used(unit: Unit, month: datetime.date) -> int:
    """Requests already counted against the unit's cap in ``month``."""
    return BurdenRequest.objects.filter(COUNTED, unit=unit, month=month).count()


def _subject_key(subject) -> tuple[ContentType | None, str]:
    if subject is None:
        return None, ""
    return ContentType.objects.get_for_model(subject), str(subject.pk)


def _move(actor, req: BurdenRequest, new_state: str, action: str, **fields) -> dict:
    if new_state not in BurdenRequest.TRANSITIONS.get(req.state, set()):
        labels = dict(State.choices)
        raise ValidationError({"state": f"该事项不能从“{labels[req.state]}”变为“{labels[new_state]}”。"})
    return update_object(actor, req, action, state=new_state, **fields)


def _digest(actor, unit: Unit, month: datetime.date) -> BurdenDigest:
    digest = BurdenDigest.objects.filter(unit=unit, month=month).first()
    if digest is None:
        digest = create_object(actor, BurdenDigest, "lists.burden.digest.create", unit=unit, month=month)
    return digest


@transaction.atomic
def request(actor, *, unit: Unit, kind: str, subject=None, summary: str) -> BurdenRequest:
    """Ask ``unit`` for something (``kind``) about ``subject``, through the gate.

    Returns the request row: ``sent`` when within the cap, ``batched_in_digest`` or
    ``awaiting_approval`` past it. Asking again about the same subject while the first request is
    still open returns the open one: nothing the platform already asked is asked twice."""
    if kind not in Kind.values:
        raise ValidationError({"kind": "事项类型无效。"})
    if not summary:
        raise ValidationError({"summary": "请写明请求事项。"})
    # Serialise requests to one unit so two of them cannot both take the last place under the cap.
    Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True).first()
    subject_type, subject_id = _subject_key(subject)
    if subject is not None:
        existing = BurdenRequest.objects.filter(
            unit=unit, kind=kind, subject_type=subject_type, subject_id=subject_id, state__in=BurdenRequest.OPEN_STATES
        ).first()
        if existing is not None:
            return existing
    now = timezone.now()
    month = month_of(now)
    link = ""
    if subject is not None and hasattr(subject, "get_absolute_url"):
        link = subject.get_absolute_url()[:300]
    fields = {"unit": unit, "kind": kind, "month": month, "subject_type": subject_type, "subject_id": subject_id,
              "summary": summary[:300], "link": link, "created_at": now,
              "requested_by": actor if getattr(actor, "is_authenticated", False) else None}
    if used(unit, month) < cap_for(unit):
        fields.update(state=State.SENT, asked_at=now)
    elif kind in BurdenRequest.DIGESTIBLE_KINDS:
        digest = _digest(actor, unit, month)
        # A digest already sent this month shows late items at once, still as part of the digest.
        fields.update(state=State.BATCHED, digest=digest, asked_at=now if digest.sent_at else None)
    else:
        fields["state"] = State.AWAITING_APPROVAL
    return create_object(actor, BurdenRequest, "lists.burden.request", **fields)


@transaction.atomic
def answer(actor, req: BurdenRequest) -> dict:
    """The unit answered (confirmed, rated, accepted or declined, filled in)."""
    req = BurdenRequest.objects.select_for_update().get(pk=req.pk)
    return _move(actor, req, State.ANSWERED, "lists.burden.answer", answered_at=timezone.now())


def _open_for(subject, kinds: Iterable[str] | None):
    subject_type, subject_id = _subject_key(subject)
    qs = BurdenRequest.objects.filter(subject_type=subject_type, subject_id=subject_id,
                                      state__in=BurdenRequest.OPEN_STATES)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return qs.select_for_update().order_by("pk")


@transaction.atomic
def answer_for(actor, *, subject, kinds: Iterable[str] | None = None) -> int:
    """Answer every open request about ``subject`` (of ``kinds``): the unit did what was asked."""
    count = 0
    for req in _open_for(subject, kinds):
        _move(actor, req, State.ANSWERED, "lists.burden.answer", answered_at=timezone.now())
        count += 1
    return count


@transaction.atomic
def withdraw_for(actor, *, subject, kinds: Iterable[str] | None = None) -> int:
    """Stop asking about ``subject`` (it was cancelled): open requests are withdrawn, not dropped."""
    count = 0
    for req in _open_for(subject, kinds):
        _move(actor, req, State.WITHDRAWN, "lists.burden.withdraw")
        count += 1
    return count


@transaction.atomic
def approve(actor, req: BurdenRequest) -> dict:
    """An administrator lets a request past the cap through to the unit now."""
    req = BurdenRequest.objects.select_for_update().get(pk=req.pk)
    return _move(actor, req, State.SENT, "lists.burden.approve", asked_at=timezone.now())


@transaction.atomic
def defer_to_digest(actor, req: BurdenRequest) -> dict:
    """An administrator puts a request awaiting approval into the unit's digest instead."""
    req = BurdenRequest.objects.select_for_update().get(pk=req.pk)
    digest = _digest(actor, req.unit, req.month)
    return _move(actor, req, State.BATCHED, "lists.burden.defer", digest=digest,
                 asked_at=timezone.now() if digest.sent_at else None)


@transaction.atomic
def send_digest(actor, digest: BurdenDigest) -> dict:
    """Send the month's digest to the unit as one item: its open requests are asked now."""
    digest = BurdenDigest.objects.select_for_update().get(pk=digest.pk)
    if digest.sent_at is not None:
        raise ValidationError({"digest": "该汇总已经发送。"})
    now = timezone.now()
    changes = update_object(actor, digest, "lists.burden.digest.send", sent_at=now)
    for req in digest.requests.filter(state=State.BATCHED, asked_at__isnull=True).order_by("pk"):
        update_object(actor, req, "lists.burden.digest.asked", asked_at=now)
    return changes


def send_due_digests(actor=None, *, before: datetime.date | None = None) -> int:
    """Send every unsent digest of a month before ``before`` (default: this month). Run daily."""
    before = before or month_of()
    count = 0
    for digest in BurdenDigest.objects.filter(sent_at__isnull=True, month__lt=before).order_by("month", "pk"):
        if digest.requests.filter(state=State.BATCHED).exists():
            send_digest(actor, digest)
            count += 1
    return count


@transaction.atomic
def set_cap(actor, unit: Unit, *, monthly_cap: int | None, note: str = "") -> dict:
    """Override the district cap for one unit; ``None`` returns it to the district default."""
    current = BurdenCap.objects.filter(unit=unit).first()
    if monthly_cap is not None and monthly_cap < 0:
        raise ValidationError({"monthly_cap": "上限不能为负数。"})
    if monthly_cap is None:
        if current is None:
            return {}
        record(actor, "lists.burden.cap.delete", unit, {"burden_cap": [current.monthly_cap, None]})
        current.delete()
        return {"monthly_cap": [current.monthly_cap, None]}
    if current is None:
        create_object(actor, BurdenCap, "lists.burden.cap.create", unit=unit, monthly_cap=monthly_cap, note=note)
        return {"monthly_cap": [None, monthly_cap]}
    return update_object(actor, current, "lists.burden.cap.update", monthly_cap=monthly_cap, note=note)


def summary(unit: Unit, month: datetime.date) -> dict:
    """What was asked of ``unit`` in ``month``: counts by state and kind and the mean answer time,
    all from aggregate queries."""
    qs = BurdenRequest.objects.filter(unit=unit, month=month)
    wait = ExpressionWrapper(F("answered_at") - F("asked_at"), output_field=DurationField())
    totals = qs.aggregate(
        total=Count("id"),
        counted=Count("id", filter=COUNTED),
        answered=Count("id", filter=Q(state=State.ANSWERED)),
        batched=Count("id", filter=Q(digest__isnull=False)),
        awaiting=Count("id", filter=Q(state=State.AWAITING_APPROVAL)),
        open=Count("id", filter=Q(state__in=BurdenRequest.OPEN_STATES)),
        mean_answer=Avg(wait, filter=Q(answered_at__isnull=False, asked_at__isnull=False)),
    )
    by_kind = {row["kind"]: row["n"] for row in qs.values("kind").annotate(n=Count("id")).order_by()}
    totals["by_kind"] = [(label, by_kind.get(value, 0)) for value, label in Kind.choices]
    totals["cap"] = cap_for(unit)
    return totals
