"""Every write to the three lists: post, publish, withdraw and expire needs; offer resources; pair
needs with first-right units; claim (single, joint, long-term), cancel and end claims; schedule,
record, confirm and rate deliveries; freeze the lists released at a plenary.

Each function runs in one transaction, checks its rules (refusals raise ``ValidationError`` in
Chinese, keyed by field), moves states only along the tables in ``models`` and writes one audit row
per object it changes. Access is decided by ``lianxi.lists.gates`` before a service is called."""

import calendar
import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lianxi.audit.services import created, record, record_many
from lianxi.burden import services as burden
from lianxi.burden.models import BurdenRequest
from lianxi.lib.db import insert_prepared
from lianxi.lib.services import clean_names, create_object, update_object
from lianxi.lists import tables
from lianxi.lists.models import (
    Cadence,
    Claim,
    ClaimShare,
    Delivery,
    ListSnapshot,
    Need,
    NeedPairing,
    Resource,
)
from lianxi.lists.signals import TEXT_FIELDS, announce_need_state, announce_texts_saved
from lianxi.registry.models import Area, Conference, Membership, Unit

NEED_FIELDS = ["conference", "owner", "source", "source_meeting", "source_note", "title", "description", "category",
               "area", "quantity", "quantity_unit", "beneficiaries", "deadline", "urgency", "contact_name",
               "contact_phone"]
# What may still change once a need is published (before anyone claimed it).
NEED_EDITABLE_WHEN_PUBLISHED = ["title", "description", "category", "area", "quantity", "quantity_unit",
                                "beneficiaries", "deadline", "urgency", "contact_name", "contact_phone", "source_note"]
RESOURCE_FIELDS = ["conference", "unit", "title", "description", "category", "kind", "capacity", "capacity_unit",
                   "period", "available_from", "available_until", "conditions", "contact_name", "contact_phone",
                   "venue"]

# One-off claims without a deadline on the need are due this long after they start.
DEFAULT_ONE_OFF_DAYS = 30
# Long-term claims keep their schedule filled this far ahead.
SCHEDULE_HORIZON_DAYS = 31


# --------------------------------------------------------------------------------------------
# Rules shared by the web form, the Excel import and the API
# --------------------------------------------------------------------------------------------


# A need in one of these states no longer holds its title: its owner may post that title again.
CLOSED_NEED_STATES = [Need.State.WITHDRAWN, Need.State.EXPIRED, Need.State.CLOSED]


class NeedRules:
    """The business rules of a need's fields, with lookups cached so that an import of 100,000
    rows checks each row without a query. Build one per request or per import."""

    def __init__(self, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self._area_parent: dict[int, int | None] | None = None
        self._members: dict[int, set[int]] = {}
        self._conference_area: dict[int, int | None] = {}
        self._open_titles: dict[int, dict[tuple[int, str], int]] = {}

    def area_ancestors(self, area_id: int | None) -> list[int]:
        """``area_id`` and every area above it, nearest first."""
        if self._area_parent is None:
            self._area_parent = dict(Area.objects.values_list("id", "parent_id"))
        out, seen = [], set()
        while area_id is not None and area_id not in seen:
            seen.add(area_id)
            out.append(area_id)
            area_id = self._area_parent.get(area_id)
        return out

    def is_member(self, unit_id: int, conference_id: int) -> bool:
        if conference_id not in self._members:
            self._members[conference_id] = set(
                Membership.objects.current(self.today).filter(conference_id=conference_id).values_list("unit_id", flat=True)
            )
        return unit_id in self._members[conference_id]

    def conference_area(self, conference: Conference) -> int | None:
        if conference.pk not in self._conference_area:
            self._conference_area[conference.pk] = conference.area_id
        return self._conference_area[conference.pk]

    def may_post(self, unit: Unit, conference: Conference) -> bool:
        """A unit may post needs to a conference it belongs to, or to one whose area contains it."""
        if self.is_member(unit.pk, conference.pk):
            return True
        root = self.conference_area(conference)
        return root is not None and root in self.area_ancestors(unit.area_id)

    def open_title_owner(self, conference_id: int, owner_id: int, title: str) -> int | None:
        """The id of the owner's open need titled ``title`` in the conference, if any (the
        conference's titles are read once per rules object: an import checks each row without a query)."""
        if conference_id not in self._open_titles:
            self._open_titles[conference_id] = {
                (o, t): pk for pk, o, t in Need.objects.filter(conference_id=conference_id)
                .exclude(state__in=CLOSED_NEED_STATES).values_list("pk", "owner_id", "title")
            }
        return self._open_titles[conference_id].get((owner_id, title))

    def check_need(self, fields: dict, *, publishing: bool = False, need_pk: int | None = None) -> dict[str, str]:
        """``{field: message}`` for every rule ``fields`` break (empty when all hold). ``need_pk``:
        the need being corrected or published, which does not clash with its own title."""
        errors: dict[str, str] = clean_names(fields, ("title",))
        conference, owner, area = fields.get("conference"), fields.get("owner"), fields.get("area")
        title = fields.get("title")
        if conference is not None and owner is not None and title:
            same = self.open_title_owner(conference.pk, owner.pk, title)
            if same is not None and same != need_pk:
                errors["title"] = f"{owner}已有同名需求“{title}”。"
        category = fields.get("category")
        if conference is not None and owner is not None and not self.may_post(owner, conference):
            errors["owner"] = f"{owner}不是{conference.display_name}的成员单位，也不在其区域内，不能在此发布需求。"
        if conference is not None and area is not None:
            root = self.conference_area(conference)
            if root is not None and root not in self.area_ancestors(area.pk):
                errors["area"] = f"{area}不在{conference.display_name}的区域范围内。"
        if category is not None and not category.is_active:
            errors["category"] = f"类别“{category}”已停用。"
        deadline = fields.get("deadline")
        if publishing and deadline is not None and deadline < self.today:
            errors["deadline"] = "截止日期已过，不能发布。"
        return errors


def _raise(errors: dict[str, str]):
    if errors:
        raise ValidationError(errors)


def _label(choices, value) -> str:
    return dict(choices.choices).get(value, value)


def _require_transition(obj, new_state):
    model = type(obj)
    if new_state not in model.TRANSITIONS.get(obj.state, set()):
        raise ValidationError({
            "state": f"{model._meta.verbose_name}不能从“{_label(model.State, obj.state)}”变为“{_label(model.State, new_state)}”。"
        })


def _move(actor, obj, new_state, action: str, **fields) -> dict:
    """Move ``obj`` along its state table, saving ``fields`` with it: one audit row."""
    _require_transition(obj, new_state)
    old_state = obj.state
    changes = update_object(actor, obj, action, state=new_state, **fields)
    if isinstance(obj, Need):
        announce_need_state(actor, Need, obj.pk, old_state, new_state)
    return changes


def _lock(model, pk):
    """The row, re-read under ``SELECT … FOR UPDATE`` (PostgreSQL). On SQLite the IMMEDIATE
    transaction already holds the write lock, so writers are serialised anyway."""
    return model.objects.select_for_update().get(pk=pk)


def is_current_member(unit_id: int, conference_id: int, on: datetime.date | None = None) -> bool:
    return Membership.objects.current(on or timezone.localdate()).filter(
        unit_id=unit_id, conference_id=conference_id
    ).exists()


# --------------------------------------------------------------------------------------------
# Needs
# --------------------------------------------------------------------------------------------


@transaction.atomic
def post_need(actor, *, publish: bool = False, rules: NeedRules | None = None, **fields) -> Need:
    """Record a need as a draft, or straight away as published (one audit row either way)."""
    unknown = set(fields) - set(NEED_FIELDS)
    if unknown:
        raise TypeError(f"unknown need fields: {sorted(unknown)}")
    rules = rules or NeedRules()
    _raise(rules.check_need(fields, publishing=publish))
    extra = {"posted_by": actor if getattr(actor, "is_authenticated", False) else None}
    if publish:
        extra.update(state=Need.State.PUBLISHED, published_at=timezone.now())
    need = create_object(actor, Need, "lists.need.create", **fields, **extra)
    announce_texts_saved(Need, [need.pk])
    return need


class RowErrors(ValidationError):
    """The rules broken by rows of a bulk write, ``{row index: {field: message}}``; nothing saved."""

    def __init__(self, rows: dict[int, dict[str, str]]):
        self.rows = rows
        super().__init__([f"{i + 1}: {m}" for i, errs in sorted(rows.items()) for m in errs.values()])


def check_need_rows(rows: list[dict], *, publishing: bool, rules: "NeedRules", labels=None) -> dict:
    """``{index: {field: message}}`` for the rows of a batch that break a need's rules, including
    two rows of the batch with the same owner and title. ``labels[i]`` names row ``i`` in that
    message (第 5 行 for an Excel sheet)."""
    errors: dict[int, dict[str, str]] = {}
    seen: dict[tuple, int] = {}
    for i, fields in enumerate(rows):
        row = rules.check_need(fields, publishing=publishing)
        owner, title = fields.get("owner"), fields.get("title")
        if owner is not None and title and "title" not in row:
            key = (owner.pk, title)
            if key in seen:
                other = labels[seen[key]] if labels else f"第 {seen[key] + 1} 条"
                row["title"] = f"与{other}重复（同一单位、同名需求）。"
            else:
                seen[key] = i
        if row:
            errors[i] = row
    return errors


def check_resource_rows(rows: list[dict], *, rules: "NeedRules") -> dict:
    """``{index: {field: message}}`` for the rows of a batch of resources that break their rules."""
    errors = {}
    for i, fields in enumerate(rows):
        try:
            _check_resource(fields, rules=rules)
        except ValidationError as exc:
            errors[i] = {f: "；".join(m for e in errs for m in e.messages) for f, errs in exc.error_dict.items()}
    return errors


BULK_BATCH = 1000


@transaction.atomic
def post_needs_bulk(actor, rows: list[dict], *, publish: bool = True, progress=None, rules: "NeedRules | None" = None,
                    checked: bool = False, progress_after=None) -> int:
    """Save many needs (the Excel import), in batches, each with its own audit row, after the same
    rules :func:`post_need` checks (and no two rows alike): :func:`check_need_rows`, unless the
    caller ran it already on these rows (``checked``, an import reporting every bad row first).
    Raises :class:`RowErrors` naming every bad row. All or nothing. ``progress(n)`` is called after
    each batch of ``n`` rows is written; ``progress_after`` is handed to the after-commit work on
    the saved texts (:func:`~lianxi.lists.signals.announce_texts_saved`)."""
    if not checked:
        errors = check_need_rows(rows, publishing=publish, rules=rules or NeedRules())
        if errors:
            raise RowErrors(errors)
    now = timezone.now()
    posted_by = actor if getattr(actor, "is_authenticated", False) else None
    total, saved = 0, []
    for start in range(0, len(rows), BULK_BATCH):
        batch = []
        for fields in rows[start:start + BULK_BATCH]:
            need = Need(**fields, posted_by=posted_by)
            if publish:
                need.state, need.published_at = Need.State.PUBLISHED, now
            need.clean_fields(exclude=["conference", "owner", "category", "area", "source_meeting", "posted_by"])
            need.derive()
            batch.append(need)
        # Prepared tuples (lib.db.insert_prepared), not bulk_create: the same rows, a third of the cost.
        insert_prepared(batch)
        record_many(actor, "lists.need.import", [
            (need, created(need, [*fields.keys(), "state"])) for need, fields in zip(batch, rows[start:start + BULK_BATCH], strict=True)
        ])
        saved.extend(n.pk for n in batch)
        total += len(batch)
        if progress:
            progress(len(batch))
    announce_texts_saved(Need, saved, progress=progress_after)  # one announcement: segmented as one batch
    return total


@transaction.atomic
def offer_resources_bulk(actor, rows: list[tuple[dict, list]], *, progress=None, rules: "NeedRules | None" = None,
                         checked: bool = False) -> int:
    """Save many resources (the Excel import), each with its areas and its own audit row, after the
    rules :func:`offer_resource` checks (unless the caller ran :func:`check_resource_rows` already:
    ``checked``); raises :class:`RowErrors` naming every bad row. All or nothing."""
    if not checked:
        errors = check_resource_rows([fields for fields, _areas in rows], rules=rules or NeedRules())
        if errors:
            raise RowErrors(errors)
    offered_by = actor if getattr(actor, "is_authenticated", False) else None
    total, saved = 0, []
    through = Resource.areas.through
    for start in range(0, len(rows), BULK_BATCH):
        chunk = rows[start:start + BULK_BATCH]
        batch = []
        for fields, _areas in chunk:
            resource = Resource(**fields, offered_by=offered_by)
            resource.clean_fields(exclude=["conference", "unit", "category", "offered_by"])
            resource.derive()
            batch.append(resource)
        Resource.objects.bulk_create(batch)
        through.objects.bulk_create([through(resource_id=r.pk, area_id=a.pk) for r, (_f, areas) in zip(batch, chunk, strict=True)
                                     for a in areas])
        entries = []
        for resource, (fields, areas) in zip(batch, chunk, strict=True):
            changes = created(resource, list(fields.keys()))
            if areas:
                changes["areas"] = [None, sorted(a.name for a in areas)]
            entries.append((resource, changes))
        record_many(actor, "lists.resource.import", entries)
        saved.extend(r.pk for r in batch)
        total += len(batch)
        if progress:
            progress(len(batch))
    announce_texts_saved(Resource, saved)
    return total


@transaction.atomic
def update_need(actor, need: Need, **fields) -> dict:
    """Correct a need before anyone claimed it: anything while a draft, the content once published."""
    need = _lock(Need, need.pk)
    if need.state == Need.State.DRAFT:
        allowed = set(NEED_FIELDS)
    elif need.state == Need.State.PUBLISHED:
        allowed = set(NEED_EDITABLE_WHEN_PUBLISHED)
    else:
        raise ValidationError({"state": f"需求已{need.get_state_display()}，不能再修改。"})
    refused = set(fields) - allowed
    if refused:
        raise ValidationError({sorted(refused)[0]: "需求发布后不能修改此项。"})
    merged = {f: getattr(need, f) for f in NEED_FIELDS}
    merged.update(fields)
    _raise(NeedRules().check_need(merged, publishing=need.state == Need.State.PUBLISHED, need_pk=need.pk))
    changes = update_object(actor, need, "lists.need.update", **fields)
    if any(f in changes for f in TEXT_FIELDS):
        announce_texts_saved(Need, [need.pk])
    return changes


@transaction.atomic
def publish_need(actor, need: Need) -> dict:
    need = _lock(Need, need.pk)
    if need.state != Need.State.DRAFT:
        # The table also lets a need fall back to published when its claims are cancelled; publishing
        # by hand is only for drafts.
        raise ValidationError({"state": f"只有草稿可以发布，该需求{need.get_state_display()}。"})
    _raise(NeedRules().check_need({f: getattr(need, f) for f in NEED_FIELDS}, publishing=True, need_pk=need.pk))
    return _move(actor, need, Need.State.PUBLISHED, "lists.need.publish", published_at=timezone.now())


@transaction.atomic
def withdraw_need(actor, need: Need, *, reason: str = "") -> dict:
    """Withdraw a need nobody has started delivering; its active claims are cancelled with it."""
    need = _lock(Need, need.pk)
    _require_transition(need, Need.State.WITHDRAWN)
    for claim in need.claims.filter(state=Claim.State.ACTIVE).order_by("pk"):
        _cancel_claim_rows(actor, claim, reason=reason or "需求已撤回")
    changes = _move(actor, need, Need.State.WITHDRAWN, "lists.need.withdraw", claimed_quantity=0)
    return changes


@transaction.atomic
def expire_needs(actor=None, *, on: datetime.date | None = None) -> int:
    """Expire published needs whose deadline has passed with nobody claiming them."""
    on = on or timezone.localdate()
    count = 0
    stale = Need.objects.select_for_update().filter(state=Need.State.PUBLISHED, deadline__lt=on, claimed_quantity=0)
    for need in stale.order_by("pk"):
        _move(actor, need, Need.State.EXPIRED, "lists.need.expire")
        count += 1
    return count


@transaction.atomic
def close_need(actor, need: Need) -> dict:
    """Close a need being or having been delivered. Long-term claims on it end; what is still
    scheduled is cancelled."""
    need = _lock(Need, need.pk)
    _require_transition(need, Need.State.CLOSED)
    today = timezone.localdate()
    for claim in need.claims.filter(state=Claim.State.ACTIVE).order_by("pk"):
        _cancel_scheduled(actor, claim.deliveries.filter(state=Delivery.State.SCHEDULED))
        fields = {"ended_at": timezone.now()}
        if claim.is_long_term and claim.end_on is None:
            fields["end_on"] = max(today, claim.start_on + datetime.timedelta(days=1))
        _move(actor, claim, Claim.State.COMPLETED, "lists.claim.complete", **fields)
    return _move(actor, need, Need.State.CLOSED, "lists.need.close")


@transaction.atomic
def pair_need(actor, need: Need, *, units: Iterable[Unit], until: datetime.datetime | None) -> dict:
    """Give ``units`` the first right to claim ``need`` until ``until``; an empty list or no date
    puts the need straight into the open hall."""
    need = _lock(Need, need.pk)
    if need.state not in (Need.State.DRAFT, Need.State.PUBLISHED):
        raise ValidationError({"units": "只有尚未被认领的需求可以设置结对优先认领。"})
    units = list(units)
    today = timezone.localdate()
    for unit in units:
        if unit.pk == need.owner_id:
            raise ValidationError({"units": "需求单位不能与自己的需求结对。"})
        if not is_current_member(unit.pk, need.conference_id, today):
            raise ValidationError({"units": f"{unit}不是{need.conference.display_name}的现任成员单位。"})
    if units and until is None:
        raise ValidationError({"until": "请填写结对优先认领的截止时间。"})
    if until is not None and until <= timezone.now():
        raise ValidationError({"until": "优先认领截止时间须晚于现在。"})
    old_units = sorted(need.pairings.values_list("unit__name", flat=True))
    new_units = sorted(u.name for u in units)
    new_until = until if units else None
    changes = {}
    if old_units != new_units:
        need.pairings.exclude(unit__in=units).delete()
        existing = set(need.pairings.values_list("unit_id", flat=True))
        NeedPairing.objects.bulk_create([NeedPairing(need=need, unit=u) for u in units if u.pk not in existing])
        changes["pairings"] = [old_units, new_units]
    if need.first_right_until != new_until:
        changes["first_right_until"] = [
            need.first_right_until.isoformat() if need.first_right_until else None,
            new_until.isoformat() if new_until else None,
        ]
        need.first_right_until = new_until
        need.save(update_fields=["first_right_until"])
    if changes:
        record(actor, "lists.need.pair", need, changes)
    return changes


# --------------------------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------------------------


def _check_resource(fields: dict, today: datetime.date | None = None, rules: "NeedRules | None" = None):
    _raise(clean_names(fields, ("title",)))
    unit, conference = fields.get("unit"), fields.get("conference")
    member = (rules.is_member(unit.pk, conference.pk) if rules is not None
              else is_current_member(unit.pk, conference.pk, today)) if unit is not None and conference is not None else True
    if not member:
        raise ValidationError({"unit": f"{unit}不是{conference.display_name}的现任成员单位，不能提供资源。"})
    venue = fields.get("venue")
    if venue is not None and unit is not None and venue.owner_id != unit.pk:
        raise ValidationError({"venue": f"阵地“{venue}”不属于{unit}，只能提供本单位的阵地。"})
    start, end = fields.get("available_from"), fields.get("available_until")
    if start and end and end < start:
        raise ValidationError({"available_until": "可提供截止日期不能早于起始日期。"})


@transaction.atomic
def offer_resource(actor, *, areas: Iterable[Area] = (), **fields) -> Resource:
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    _check_resource(fields)
    offered_by = actor if getattr(actor, "is_authenticated", False) else None
    resource = create_object(actor, Resource, "lists.resource.create", m2m={"areas": list(areas)},
                             offered_by=offered_by, **fields)
    announce_texts_saved(Resource, [resource.pk])
    return resource


@transaction.atomic
def update_resource(actor, resource: Resource, *, areas: Iterable[Area] | None = None, **fields) -> dict:
    if "unit" in fields or "conference" in fields:
        raise ValidationError({"unit": "资源的提供单位和联席会议不能更改，请撤回后重新发布。"})
    merged = {f: getattr(resource, f) for f in RESOURCE_FIELDS}
    merged.update(fields)
    _check_resource({k: v for k, v in merged.items() if k != "conference"})
    m2m = {"areas": list(areas)} if areas is not None else None
    changes = update_object(actor, resource, "lists.resource.update", m2m=m2m, **fields)
    if any(f in changes for f in TEXT_FIELDS):
        announce_texts_saved(Resource, [resource.pk])
    return changes


@transaction.atomic
def withdraw_resource(actor, resource: Resource) -> dict:
    resource = _lock(Resource, resource.pk)
    return _move(actor, resource, Resource.State.WITHDRAWN, "lists.resource.withdraw")


@transaction.atomic
def reoffer_resource(actor, resource: Resource) -> dict:
    resource = _lock(Resource, resource.pk)
    _check_resource({"unit": resource.unit, "conference": resource.conference})
    return _move(actor, resource, Resource.State.OFFERED, "lists.resource.reoffer")


# --------------------------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------------------------


def add_period(day: datetime.date, cadence: str, n: int = 1) -> datetime.date:
    """``day`` moved ``n`` periods of ``cadence`` on; month ends are clamped (31 Jan + 1 month = 28/29 Feb)."""
    if cadence == Cadence.WEEKLY:
        return day + datetime.timedelta(weeks=n)
    months = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3}.get(cadence)
    if months is None:
        raise ValueError(f"no period for cadence {cadence!r}")
    total = day.month - 1 + months * n
    year, month = day.year + total // 12, total % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_dates(claim: Claim, *, after_sequence: int = 0, horizon: datetime.date) -> list[tuple[int, datetime.date]]:
    """``(sequence, due_on)`` of the deliveries a claim owes after ``after_sequence``, up to
    ``horizon``. A one-off claim owes one, due at the need's deadline (or 30 days on); a
    long-term claim one per period from its start, up to its end date when it has one."""
    if claim.cadence == Cadence.ONCE:
        if after_sequence >= 1:
            return []
        deadline = claim.need.deadline
        due = deadline if deadline and deadline >= claim.start_on else claim.start_on + datetime.timedelta(
            days=DEFAULT_ONE_OFF_DAYS)
        return [(1, due)]
    out = []
    seq = after_sequence + 1
    while True:
        due = add_period(claim.start_on, claim.cadence, seq)
        if claim.end_on is not None and due > claim.end_on:
            # A claim that ends before its first full period still owes one delivery, at its end.
            if seq == 1:
                out.append((1, claim.end_on))
            break
        if due > horizon:
            break
        out.append((seq, due))
        seq += 1
    return out


def _schedule(actor, claim: Claim, *, horizon: datetime.date) -> list[Delivery]:
    last = claim.deliveries.aggregate(m=Max("sequence"))["m"] or 0
    created = []
    for seq, due in due_dates(claim, after_sequence=last, horizon=horizon):
        created.append(create_object(actor, Delivery, "lists.delivery.schedule", claim=claim,
                                     conference_id=claim.conference_id, sequence=seq, due_on=due))
    return created


def _check_claim(need: Need, *, unit: Unit, quantity: int, resource: Resource | None,
                 co_claimants: list[tuple[Unit, int]], cadence: str, start_on: datetime.date,
                 end_on: datetime.date | None, now: datetime.datetime):
    today = timezone.localdate(now)
    if need.state not in (Need.State.PUBLISHED, Need.State.PARTLY_CLAIMED, Need.State.IN_DELIVERY):
        raise ValidationError({"need": f"需求{need.get_state_display()}，不能认领。"})
    if quantity is None or quantity < 1:
        raise ValidationError({"quantity": "认领数量至少为 1。"})
    if quantity > need.remaining:
        raise ValidationError({"quantity": f"认领数量超过剩余可认领数量（剩余 {need.remaining}{need.quantity_unit}）。"})
    participants = [unit] + [u for u, _ in co_claimants]
    if len({u.pk for u in participants}) != len(participants):
        raise ValidationError({"co_claimants": "联合认领单位不能重复。"})
    for u in participants:
        if u.pk == need.owner_id:
            raise ValidationError({"unit": "需求单位不能认领自己的需求。"})
    members = set(
        Membership.objects.current(today)
        .filter(conference_id=need.conference_id, unit_id__in=[u.pk for u in participants])
        .values_list("unit_id", flat=True)
    )
    for u in participants:
        if u.pk not in members:
            field = "unit" if u.pk == unit.pk else "co_claimants"
            raise ValidationError({field: f"{u}不是{need.conference.display_name}的现任成员单位，不能认领。"})
    if need.window_open(now) and not need.pairings.filter(unit=unit).exists():
        until = timezone.localtime(need.first_right_until).strftime("%Y-%m-%d %H:%M")
        raise ValidationError({"unit": f"该需求在 {until} 前由结对单位优先认领，届时进入认领大厅。"})
    if co_claimants:
        if any(q is None or q < 1 for _, q in co_claimants):
            raise ValidationError({"co_claimants": "每个联合认领单位的承担数量至少为 1。"})
        if sum(q for _, q in co_claimants) >= quantity:
            raise ValidationError({"co_claimants": "联合认领单位承担的数量之和须小于认领总数，牵头单位至少承担 1。"})
    if resource is not None:
        if resource.unit_id not in {u.pk for u in participants}:
            raise ValidationError({"resource": "只能使用认领单位自己的资源。"})
        if resource.state != Resource.State.OFFERED:
            raise ValidationError({"resource": "该资源已撤回。"})
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": "频次无效。"})
    if start_on < today - datetime.timedelta(days=31):
        raise ValidationError({"start_on": "开始日期不能早于一个月前。"})
    if end_on is not None and end_on <= start_on:
        raise ValidationError({"end_on": "结束日期必须晚于开始日期。"})
    if Claim.objects.filter(need=need, unit=unit, state=Claim.State.ACTIVE).exists():
        raise ValidationError({"unit": f"{unit}已认领此需求，如需调整数量请先撤回原认领。"})


def _need_target_state(need: Need, claimed_quantity: int) -> str:
    """The state the need's claims and deliveries put it in, from where it stands now."""
    state = need.state
    if state in (Need.State.PUBLISHED, Need.State.PARTLY_CLAIMED, Need.State.CLAIMED):
        delivered_any = state != Need.State.PUBLISHED and Delivery.objects.filter(
            claim__need=need, state__in=[Delivery.State.DELIVERED, Delivery.State.CONFIRMED]
        ).exists()
        if not delivered_any:
            if claimed_quantity == 0:
                return Need.State.PUBLISHED
            return Need.State.PARTLY_CLAIMED if claimed_quantity < need.quantity else Need.State.CLAIMED
        # Delivery has begun; carry on to where the deliveries put it (claimed → delivered in one step
        # when a one-off claim covering the whole need is delivered).
        state = Need.State.IN_DELIVERY
    if state in (Need.State.IN_DELIVERY, Need.State.DELIVERED):
        if claimed_quantity < need.quantity or need.claims.filter(state=Claim.State.ACTIVE).exists():
            return state
        unconfirmed = Delivery.objects.filter(claim__need=need, state=Delivery.State.DELIVERED).exists()
        return Need.State.DELIVERED if unconfirmed else Need.State.CONFIRMED
    return state


def _settle_need(actor, need: Need, action: str, *, claimed_quantity: int | None = None) -> dict:
    """Save the claimed total and the state the need's claims and deliveries lead to: one audit
    row, or none when nothing changed."""
    fields = {}
    if claimed_quantity is not None:
        fields["claimed_quantity"] = claimed_quantity
    target = _need_target_state(need, need.claimed_quantity if claimed_quantity is None else claimed_quantity)
    if target != need.state:
        _require_transition(need, target)
        fields["state"] = target
    old_state = need.state
    changes = update_object(actor, need, action, **fields) if fields else {}
    if "state" in changes:
        announce_need_state(actor, Need, need.pk, old_state, need.state)
    return changes


@transaction.atomic
def claim_need(actor, need: Need, *, unit: Unit, quantity: int, resource: Resource | None = None,
               co_claimants: Iterable[tuple[Unit, int]] = (), cadence: str = Cadence.ONCE,
               start_on: datetime.date | None = None, end_on: datetime.date | None = None, note: str = "",
               invitation: BurdenRequest | None = None, now: datetime.datetime | None = None) -> Claim:
    """``unit`` takes ``quantity`` of ``need`` — alone, or jointly with ``co_claimants``
    (``[(unit, share), …]``; the lead unit carries the rest) — optionally drawing on ``resource``.
    With a cadence it is a long-term claim (长效认领) until ``end_on`` or indefinitely.

    While the need's first-right window is open only a paired unit may lead a claim; afterwards any
    current member of the conference may. The need row is locked for the whole check-and-write, and
    a check constraint bounds the claimed total, so the quantity is never over-claimed.
    ``invitation`` is the BurdenRequest (kind invitation) this claim accepts; it is answered here."""
    now = now or timezone.now()
    need = _lock(Need, need.pk)
    co_claimants = list(co_claimants)
    start_on = start_on or timezone.localdate(now)
    if cadence == Cadence.ONCE:
        end_on = None
    _check_claim(need, unit=unit, quantity=quantity, resource=resource, co_claimants=co_claimants,
                 cadence=cadence, start_on=start_on, end_on=end_on, now=now)
    if invitation is not None:
        if invitation.kind != BurdenRequest.Kind.INVITATION or invitation.unit_id != unit.pk:
            raise ValidationError({"invitation": "该邀请不是发给此单位的认领邀请。"})
        burden.answer(actor, invitation)
    shares = []
    if co_claimants:
        shares = [(unit, quantity - sum(q for _, q in co_claimants)), *co_claimants]
    claim = Claim(
        need=need, conference_id=need.conference_id, unit=unit, quantity=quantity, resource=resource,
        cadence=cadence, start_on=start_on, end_on=end_on, note=note, via_request=invitation,
        claimed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    claim.full_clean()
    claim.save()
    ClaimShare.objects.bulk_create([ClaimShare(claim=claim, unit=u, quantity=q) for u, q in shares])
    # The shares are part of the claim: they go on its one audit row.
    changes = created(claim, ["need", "unit", "quantity", "resource", "cadence", "start_on", "end_on", "note",
                              "via_request"])
    if shares:
        changes["shares"] = [None, [f"{u.name}:{q}" for u, q in shares]]
    record(actor, "lists.claim.create", claim, changes)
    _schedule(actor, claim, horizon=timezone.localdate(now) + datetime.timedelta(days=SCHEDULE_HORIZON_DAYS))
    _settle_need(actor, need, "lists.need.claim", claimed_quantity=need.claimed_quantity + quantity)
    return claim


def _cancel_scheduled(actor, deliveries) -> int:
    count = 0
    for delivery in deliveries.order_by("pk"):
        _move(actor, delivery, Delivery.State.CANCELLED, "lists.delivery.cancel")
        count += 1
    return count


def _cancel_claim_rows(actor, claim: Claim, *, reason: str):
    if claim.deliveries.filter(state__in=[Delivery.State.DELIVERED, Delivery.State.CONFIRMED]).exists():
        raise ValidationError({"claim": f"{claim.unit}的认领已有交付记录，不能撤回；长效认领请使用“结束认领”。"})
    _cancel_scheduled(actor, claim.deliveries.filter(state=Delivery.State.SCHEDULED))
    note = f"{claim.note}（撤回：{reason}）" if reason else claim.note
    _move(actor, claim, Claim.State.CANCELLED, "lists.claim.cancel", ended_at=timezone.now(), note=note[:200])


@transaction.atomic
def cancel_claim(actor, claim: Claim, *, reason: str = "") -> dict:
    """Withdraw a claim before anything was delivered; its quantity returns to the need."""
    need = _lock(Need, claim.need_id)
    claim = _lock(Claim, claim.pk)
    _cancel_claim_rows(actor, claim, reason=reason)
    return _settle_need(actor, need, "lists.need.unclaim", claimed_quantity=need.claimed_quantity - claim.quantity)


@transaction.atomic
def end_claim(actor, claim: Claim, *, end_on: datetime.date | None = None) -> dict:
    """End a long-term claim on ``end_on`` (default today): what is scheduled after that date is
    cancelled; the claim completes once nothing scheduled remains."""
    need = _lock(Need, claim.need_id)
    claim = _lock(Claim, claim.pk)
    if claim.state != Claim.State.ACTIVE:
        raise ValidationError({"claim": f"认领已{claim.get_state_display()}。"})
    if not claim.is_long_term:
        raise ValidationError({"claim": "一次性认领在交付后自动完成，无需结束。"})
    today = timezone.localdate()
    end_on = end_on or today
    if end_on < today:
        raise ValidationError({"end_on": "结束日期不能早于今天。"})
    if end_on <= claim.start_on:
        end_on = claim.start_on + datetime.timedelta(days=1)
    if claim.end_on is not None and claim.end_on < end_on:
        raise ValidationError({"end_on": "结束日期不能晚于原定结束日期。"})
    if not claim.deliveries.filter(state__in=[Delivery.State.DELIVERED, Delivery.State.CONFIRMED]).exists() \
            and not claim.deliveries.filter(state=Delivery.State.SCHEDULED, due_on__lte=end_on).exists():
        raise ValidationError({"claim": "该认领到结束日期前没有任何交付，请撤回认领，而不是结束。"})
    _cancel_scheduled(actor, claim.deliveries.filter(state=Delivery.State.SCHEDULED, due_on__gt=end_on))
    if claim.deliveries.filter(state=Delivery.State.SCHEDULED).exists():
        changes = update_object(actor, claim, "lists.claim.end", end_on=end_on)
    else:
        changes = _move(actor, claim, Claim.State.COMPLETED, "lists.claim.complete", end_on=end_on,
                        ended_at=timezone.now())
    _settle_need(actor, need, "lists.need.progress")
    return changes


@transaction.atomic
def roll_deliveries(actor=None, *, on: datetime.date | None = None) -> int:
    """Keep every active long-term claim's schedule filled to the horizon (run daily)."""
    on = on or timezone.localdate()
    horizon = on + datetime.timedelta(days=SCHEDULE_HORIZON_DAYS)
    created = 0
    claims = (Claim.objects.filter(state=Claim.State.ACTIVE).exclude(cadence=Cadence.ONCE)
              .select_related("need").order_by("pk"))
    for claim in claims:
        created += len(_schedule(actor, claim, horizon=horizon))
    return created


# --------------------------------------------------------------------------------------------
# Deliveries
# --------------------------------------------------------------------------------------------


def _after_delivery(actor, claim: Claim, today: datetime.date):
    """A one-off claim completes with its delivery; a long-term one when its end date is reached
    and nothing is left to deliver. Otherwise the schedule is extended."""
    scheduled = claim.deliveries.filter(state=Delivery.State.SCHEDULED)
    if claim.cadence == Cadence.ONCE:
        if not scheduled.exists():
            _move(actor, claim, Claim.State.COMPLETED, "lists.claim.complete", ended_at=timezone.now())
        return
    _schedule(actor, claim, horizon=today + datetime.timedelta(days=SCHEDULE_HORIZON_DAYS))
    if claim.end_on is not None and not scheduled.exists():
        _move(actor, claim, Claim.State.COMPLETED, "lists.claim.complete", ended_at=timezone.now())


@transaction.atomic
def record_delivery(actor, delivery: Delivery, *, delivered_on: datetime.date | None = None,
                    quantity: int | None = None, note: str = "") -> dict:
    """The claimant records a delivery; the need's owner is asked (through the burden gate) to confirm."""
    claim = delivery.claim
    need = _lock(Need, claim.need_id)
    delivery = _lock(Delivery, delivery.pk)
    claim = _lock(Claim, delivery.claim_id)
    today = timezone.localdate()
    delivered_on = delivered_on or today
    if delivered_on > today:
        raise ValidationError({"delivered_on": "交付日期不能晚于今天。"})
    if quantity is not None and quantity < 1:
        raise ValidationError({"quantity": "交付数量至少为 1。"})
    _require_transition(delivery, Delivery.State.DELIVERED)
    changes = _move(actor, delivery, Delivery.State.DELIVERED, "lists.delivery.record",
                    delivered_on=delivered_on, quantity=quantity or claim.quantity, note=note,
                    delivered_by=actor if getattr(actor, "is_authenticated", False) else None)
    _after_delivery(actor, claim, today)
    _settle_need(actor, need, "lists.need.progress")
    burden.request(
        actor, unit=need.owner, kind=BurdenRequest.Kind.CONFIRM, subject=delivery,
        summary=f"请确认{claim.unit}对“{need.title}”的第{delivery.sequence}期交付",
    )
    return changes


@transaction.atomic
def confirm_delivery(actor, delivery: Delivery, *, rating: int | None = None, comment: str = "") -> dict:
    """The need's owner confirms a delivery, optionally rating it (1–5) in the same click."""
    need = _lock(Need, delivery.claim.need_id)
    delivery = _lock(Delivery, delivery.pk)
    _require_transition(delivery, Delivery.State.CONFIRMED)
    fields = {"confirmed_on": timezone.now(), "confirmed_by": actor if getattr(actor, "is_authenticated", False) else None}
    if rating is not None:
        _check_rating(rating)
        fields.update(rating=rating, rating_comment=comment)
    changes = _move(actor, delivery, Delivery.State.CONFIRMED, "lists.delivery.confirm", **fields)
    burden.answer_for(actor, subject=delivery, kinds=[BurdenRequest.Kind.CONFIRM]
                      + ([BurdenRequest.Kind.RATE] if rating is not None else []))
    _settle_need(actor, need, "lists.need.progress")
    return changes


def _check_rating(rating):
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": "评价须为 1 到 5 分。"})


@transaction.atomic
def rate_delivery(actor, delivery: Delivery, *, rating: int, comment: str = "") -> dict:
    """Rate a delivered or confirmed delivery once (1–5, optional comment)."""
    delivery = _lock(Delivery, delivery.pk)
    if delivery.state not in (Delivery.State.DELIVERED, Delivery.State.CONFIRMED):
        raise ValidationError({"rating": "交付完成后才能评价。"})
    if delivery.rating is not None:
        raise ValidationError({"rating": "这次交付已经评价过。"})
    _check_rating(rating)
    changes = update_object(actor, delivery, "lists.delivery.rate", rating=rating, rating_comment=comment)
    burden.answer_for(actor, subject=delivery, kinds=[BurdenRequest.Kind.RATE])
    return changes


# --------------------------------------------------------------------------------------------
# Snapshots
# --------------------------------------------------------------------------------------------


@transaction.atomic
def freeze_lists(actor, agenda_item) -> ListSnapshot:
    """Freeze the three lists as released by a plenary agenda item of kind release (发布)."""
    from lianxi.meetings.models import AgendaItem

    if agenda_item.kind != AgendaItem.Kind.RELEASE:
        raise ValidationError({"agenda_item": "只有“发布”类议程可以将清单定稿。"})
    if ListSnapshot.objects.filter(agenda_item=agenda_item).exists():
        raise ValidationError({"agenda_item": "该议程的清单已经定稿。"})
    meeting = agenda_item.meeting
    conference = agenda_item.concerns_conference or meeting.conference
    data = tables.plenary_tables(conference, year=meeting.date.year)
    snapshot = ListSnapshot.objects.create(
        conference=conference, agenda_item=agenda_item, title=f"{meeting.title} · {agenda_item.title}"[:200],
        taken_by=actor if getattr(actor, "is_authenticated", False) else None, data=data,
    )
    record(actor, "lists.snapshot.create", snapshot, {
        "agenda_item": [None, str(agenda_item)],
        **{name: [None, len(table["rows"])] for name, table in data.items()},
    })
    return snapshot


def unit_claim_counts(unit_ids: Iterable[int]) -> dict[int, int]:
    """Active claims per unit (the matcher's "current load")."""
    from django.db.models import Count

    rows = (Claim.objects.filter(state=Claim.State.ACTIVE, unit_id__in=list(unit_ids))
            .values("unit_id").annotate(n=Count("id")))
    return {r["unit_id"]: r["n"] for r in rows}


def last_contact(unit: Unit) -> dict:
    """What the platform already knows about a unit's contact: from its last need or resource,
    else its profile. Forms are prefilled with it so nobody types it twice."""
    latest = (Need.objects.filter(owner=unit).exclude(contact_name="", contact_phone="")
              .order_by("-created_at").values("contact_name", "contact_phone").first())
    if latest is None:
        latest = (Resource.objects.filter(unit=unit).exclude(contact_name="", contact_phone="")
                  .order_by("-created_at").values("contact_name", "contact_phone").first())
    if latest is None:
        latest = {"contact_name": "", "contact_phone": unit.phone}
    return latest


__all__ = [
    "NeedRules", "RowErrors", "check_need_rows", "post_need", "update_need", "publish_need", "withdraw_need", "expire_needs", "close_need",
    "pair_need", "offer_resource", "update_resource", "withdraw_resource", "reoffer_resource", "claim_need",
    "cancel_claim", "end_claim", "roll_deliveries", "record_delivery", "confirm_delivery", "rate_delivery",
    "freeze_lists", "due_dates", "add_period", "last_contact", "unit_claim_counts",
]
