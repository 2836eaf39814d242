"""Every write to the registry: conferences, committees, units, people, memberships and posts.
Each function runs in one transaction and appends one audit row per object it changes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from lianxi.audit.services import created, record
from lianxi.lib.db import insert_prepared
from lianxi.lib.services import create_object, update_object
from lianxi.registry.models import Appointment, Area, Committee, Conference, Membership, Person, Unit, Venue

CONFERENCE_FIELDS = ["name", "short_name", "kind", "parent", "area", "founded_on", "founded_at", "upgraded_from",
                     "status", "is_public", "description"]
UNIT_FIELDS = ["name", "party_org_name", "party_org_level", "party_org_founded_on", "category", "area", "address", "phone",
               "description"]
PERSON_FIELDS = ["name", "unit", "title", "phone", "email"]


def _check_parent(conference: Conference | None, parent: Conference | None):
    """A conference may not sit under itself or under one of its own descendants."""
    node = parent
    while node is not None:
        if conference is not None and node.pk == conference.pk:
            raise ValidationError({"parent": "上级联席会议不能是它自己或它的下级。"})
        node = node.parent


def create_area(actor, **fields) -> Area:
    return create_object(actor, Area, "registry.area.create", **fields)


def create_conference(actor, **fields) -> Conference:
    _check_parent(None, fields.get("parent"))
    return create_object(actor, Conference, "registry.conference.create", **fields)


def update_conference(actor, conference: Conference, **fields) -> dict:
    if "parent" in fields:
        _check_parent(conference, fields["parent"])
    return update_object(actor, conference, "registry.conference.update", **fields)


def create_committee(actor, **fields) -> Committee:
    return create_object(actor, Committee, "registry.committee.create", **fields)


def update_committee(actor, committee: Committee, **fields) -> dict:
    return update_object(actor, committee, "registry.committee.update", **fields)


def _removed(obj, fields) -> dict:
    """The change set of a deleted object: ``{field: [value, None]}`` for the non-empty fields."""
    return {name: [value, None] for name, (_none, value) in created(obj, fields).items()}


@transaction.atomic
def delete_committee(actor, committee: Committee) -> dict:
    """Remove a committee (nothing else refers to one); the audit row keeps what it was."""
    changes = _removed(committee, ["conference", "name", "description"])
    record(actor, "registry.committee.delete", committee, changes)
    committee.delete()
    return changes


def create_unit(actor, **fields) -> Unit:
    return create_object(actor, Unit, "registry.unit.create", **fields)


def update_unit(actor, unit: Unit, **fields) -> dict:
    return update_object(actor, unit, "registry.unit.update", **fields)


def create_person(actor, **fields) -> Person:
    return create_object(actor, Person, "registry.person.create", **fields)


def update_person(actor, person: Person, **fields) -> dict:
    return update_object(actor, person, "registry.person.update", **fields)


def person_deletion_blockers(person: Person) -> list[str]:
    """Why ``person`` may not be deleted (empty when they may): any post, current or ended, and any
    agenda role names them, and those rows are the conference's history."""
    reasons = []
    posts = person.appointments.count()
    if posts:
        reasons.append(f"{person.name}有 {posts} 条任职记录（含已结束的任职）。任职记录是联席会议的历史，须保留所任之人，"
                       "因此不能删除该人员；如信息有误，请改为编辑。")
    roles = person.agenda_roles.count()
    if roles:
        reasons.append(f"{person.name}见于 {roles} 项会议议程（讲话、主持等）。会议记录须保留所载之人，因此不能删除该人员；"
                       "如信息有误，请改为编辑。")
    return reasons


@transaction.atomic
def delete_person(actor, person: Person) -> dict:
    """Remove a person entered by mistake; refused while any post or agenda role names them."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    reasons = person_deletion_blockers(person)
    if reasons:
        raise ValidationError(reasons)
    changes = _removed(person, PERSON_FIELDS + ["user"])
    record(actor, "registry.person.delete", person, changes)
    try:
        person.delete()
    except ProtectedError as error:  # a post or agenda role added since the checks above
        raise ValidationError(f"{person.name}已被其他记录引用，不能删除。") from error
    return changes


@transaction.atomic
def admit_unit(actor, *, unit: Unit, conference: Conference, start: datetime.date | None,
               admitted_at=None, plaque_awarded_on: datetime.date | None = None, note: str = "") -> Membership:
    """Make ``unit`` a member of ``conference`` from ``start``; refused while it already is one."""
    if Membership.objects.filter(unit=unit, conference=conference, end__isnull=True).exists():
        raise ValidationError({"unit": f"{unit}已是{conference.display_name}的成员单位。"})
    return create_object(
        actor, Membership, "registry.membership.create",
        unit=unit, conference=conference, start=start, admitted_at=admitted_at,
        plaque_awarded_on=plaque_awarded_on, note=note,
    )


def award_plaque(actor, membership: Membership, on: datetime.date | None) -> dict:
    """Record (or correct, or clear with ``None``) the day the unit was given its plaque: within
    its membership, from the day it joined to before the day it left."""
    if on is not None and membership.start is not None and on < membership.start:
        raise ValidationError({"plaque_awarded_on": f"授牌日期不能早于加入日期（{membership.start:%Y-%m-%d}）。"})
    if on is not None and membership.end is not None and on >= membership.end:
        raise ValidationError({"plaque_awarded_on": f"授牌日期须早于退出日期（{membership.end:%Y-%m-%d}）。"})
    return update_object(actor, membership, "registry.membership.plaque", plaque_awarded_on=on)


@transaction.atomic
def end_membership(actor, membership: Membership, *, end: datetime.date, note: str = "") -> dict:
    if membership.end is not None:
        raise ValidationError({"end": "该成员资格已经结束。"})
    fields = {"end": end}
    if note:
        fields["note"] = note
    return update_object(actor, membership, "registry.membership.end", **fields)


@transaction.atomic
def appoint(actor, *, conference: Conference, role: str, person: Person | None = None, unit: Unit | None = None,
            start: datetime.date | None = None, end: datetime.date | None = None,
            attested_on: datetime.date | None = None, appointed_at=None, note: str = "") -> Appointment:
    """Start a post. Unit-only posts (秘书长单位, 秘书处) take a unit and no person; personal posts a
    person (and usually the unit they serve for)."""
    if role in Appointment.UNIT_ONLY_ROLES:
        if unit is None:
            raise ValidationError({"unit": "秘书长单位、秘书处须指定单位。"})
    elif person is None:
        raise ValidationError({"person": "该职务须指定人员。"})
    if person is not None and start is not None:
        overlapping = Appointment.objects.filter(conference=conference, role=role, person=person).current(start)
        if overlapping.exists():
            raise ValidationError({"person": f"{person}在{start}已担任该职务，请先结束原任职。"})
    return create_object(
        actor, Appointment, "registry.appointment.create",
        conference=conference, role=role, person=person, unit=unit, start=start, end=end,
        attested_on=attested_on, appointed_at=appointed_at, note=note,
    )


@transaction.atomic
def end_appointment(actor, appointment: Appointment, *, end: datetime.date, ended_at=None, note: str = "") -> dict:
    """End a post on ``end`` (exclusive). The row stays: history is rows, not overwrites. ``note``
    (e.g. "调整后未载明") replaces the post's note when given."""
    if appointment.end is not None:
        raise ValidationError({"end": "该任职已经结束。"})
    if appointment.start is not None and end <= appointment.start:
        raise ValidationError({"end": "结束日期必须晚于起始日期。"})
    fields = {"end": end, "ended_at": ended_at}
    if note:
        fields["note"] = note
    return update_object(actor, appointment, "registry.appointment.end", **fields)


@transaction.atomic
def replace_appointment(actor, appointment: Appointment, *, on: datetime.date, person: Person | None = None,
                        unit: Unit | None = None, at_meeting=None) -> Appointment:
    """Hand a post over on ``on``: end the old row and start a new one for the successor."""
    end_appointment(actor, appointment, end=on, ended_at=at_meeting)
    return appoint(
        actor, conference=appointment.conference, role=appointment.role,
        person=person, unit=unit if unit is not None else (None if person else appointment.unit),
        start=on, appointed_at=at_meeting,
    )


def note_event(actor, action: str, target, changes: dict | None = None):
    """Audit an event that changes no column of ``target`` (e.g. a plaque shown on stage)."""
    return record(actor, action, target, changes)


# --- bulk writes (registry sheets): the same rules, checked once per batch ------------------------

BULK_BATCH = 1000


def _bulk(actor, model, action: str, objects: list, fields_of) -> list:
    """Insert ``objects`` (already built) in batches with one audit row each, in the caller's
    transaction. Field rules are checked per object; constraints by the database (a unique or
    check constraint refuses the batch, and the caller's transaction rolls back)."""
    from lianxi.audit.services import created, record_many

    for obj in objects:
        obj.clean_fields(exclude=[f.name for f in model._meta.fields if f.is_relation])
        if hasattr(obj, "fill_derived"):
            obj.fill_derived()
    for start in range(0, len(objects), BULK_BATCH):
        batch = objects[start:start + BULK_BATCH]
        # Prepared tuples, not bulk_create: the same rows without compiling every value into SQL
        # (two thirds of bulk_create's cost on an import of 5,000 units and 20,000 people).
        insert_prepared(batch)
        record_many(actor, action, [(obj, created(obj, fields_of(obj))) for obj in batch])
    return objects


@transaction.atomic
def create_units_bulk(actor, rows: list[dict]) -> list[Unit]:
    """Many new units at once (names already checked unique against the registry and each other)."""
    taken = set(Unit.objects.filter(name__in=[r["name"] for r in rows]).values_list("name", flat=True))
    if taken:
        raise ValidationError({"name": f"已有同名单位：{'、'.join(sorted(taken)[:5])}"})
    return _bulk(actor, Unit, "registry.unit.create", [Unit(**r) for r in rows], lambda u: list(_FIELDS_UNIT))


_FIELDS_UNIT = ("name", "party_org_name", "party_org_level", "category", "area", "address", "phone")


@transaction.atomic
def admit_units_bulk(actor, rows: list[dict]) -> list[Membership]:
    """Many admissions at once: ``{unit, conference, start, admitted_at}``; refused when any unit is
    already a current member of that conference."""
    pairs = {(r["unit"].pk, r["conference"].pk) for r in rows}
    current = set(Membership.objects.filter(end__isnull=True, unit_id__in=[u for u, _c in pairs])
                  .values_list("unit_id", "conference_id"))
    already = pairs & current
    if already or len(pairs) != len(rows):
        raise ValidationError({"unit": "有单位已是该联席会议的成员单位，或在表中重复出现。"})
    return _bulk(actor, Membership, "registry.membership.create", [Membership(**r) for r in rows],
                 lambda m: ["unit", "conference", "start", "admitted_at"])


@transaction.atomic
def create_people_bulk(actor, rows: list[dict]) -> list[Person]:
    return _bulk(actor, Person, "registry.person.create", [Person(**r) for r in rows],
                 lambda p: ["name", "unit", "title", "phone", "email"])


@transaction.atomic
def appoint_bulk(actor, rows: list[dict]) -> list[Appointment]:
    """Many personal posts at once: ``{conference, role, person, unit, start, end}``; a person may not
    hold the same current post twice."""
    keys = [(r["conference"].pk, r["role"], r["person"].pk) for r in rows]
    if len(set(keys)) != len(keys):
        raise ValidationError({"person": "同一人在表中重复担任同一职务。"})
    existing = set(Appointment.objects.current().filter(person_id__in=[k[2] for k in keys])
                   .values_list("conference_id", "role", "person_id"))
    clash = existing & set(keys)
    if clash:
        raise ValidationError({"person": "有人员已担任表中的职务，请先结束原任职。"})
    for r in rows:
        if r["role"] in Appointment.UNIT_ONLY_ROLES:
            raise ValidationError({"role": "秘书长单位、秘书处须按单位登记。"})
    return _bulk(actor, Appointment, "registry.appointment.create", [Appointment(**r) for r in rows],
                 lambda a: ["conference", "role", "person", "unit", "start", "end"])


@transaction.atomic
def link_accounts_bulk(actor, pairs: list[tuple]) -> int:
    """Give many people their login account at once (``[(person, user), …]``: the liaison accounts
    of a whole conference), one audit row each as :func:`update_person` writes it. One prepared
    ``UPDATE`` a person (``executemany``), not ``bulk_update``'s ``CASE`` over the batch, which
    cost more to build than to run. Only people without an account are linked."""
    from django.db import connection

    from lianxi.audit.services import record_many

    taken = [p.name for p, _u in pairs if p.user_id is not None]
    if taken:
        raise ValidationError({"user": f"已有登录账号：{'、'.join(taken[:5])}"})
    for person, user in pairs:
        person.user = user
    meta = Person._meta
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(meta.db_table)} SET {qn(meta.get_field('user').column)} = %s "
           f"WHERE {qn(meta.pk.column)} = %s AND {qn(meta.get_field('user').column)} IS NULL")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(user.pk, person.pk) for person, user in pairs])
    record_many(actor, "registry.person.update", [(p, {"user": [None, u.get_username()]}) for p, u in pairs])
    return len(pairs)


VENUE_FIELDS = ["name", "kind", "owner", "area", "address", "capacity", "opening_hours", "access", "access_note"]


@transaction.atomic
def create_venue(actor, **fields) -> Venue:
    """Register a venue (阵地) of a unit."""
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise TypeError(f"unknown venue fields: {sorted(unknown)}")
    return create_object(actor, Venue, "registry.venue.create", **fields)


@transaction.atomic
def update_venue(actor, venue: Venue, **fields) -> dict:
    if "owner" in fields and fields["owner"].pk != venue.owner_id:
        raise ValidationError({"owner": "阵地的所属单位不能更改，请停用后重新登记。"})
    return update_object(actor, venue, "registry.venue.update", **fields)


@transaction.atomic
def retire_venue(actor, venue: Venue) -> dict:
    """Stop using a venue; the row stays (resources and visits may point at it)."""
    if not venue.is_active:
        raise ValidationError({"is_active": "该阵地已停用。"})
    return update_object(actor, venue, "registry.venue.retire", is_active=False)
