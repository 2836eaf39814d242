"""Every write to meetings: the meeting, its ordered agenda, the people, units and exchanges on each
item, the figures stated, and the resolutions an item carries (admission, unveiling, adjustment,
release, award, naming). Each write runs in one transaction and appends one audit row; applying a
resolution also calls the registry services (and, for release and award, the projects service
registered in lianxi.meetings.resolutions), which write their own rows."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from lianxi.audit.services import record
from lianxi.lib.numbers import chinese_ordinal
from lianxi.lib.services import create_object, update_object
from lianxi.meetings.models import AgendaItem, AgendaParticipant, AgendaUnit, Exchange, Meeting, StatedFigure
from lianxi.meetings.resolutions import resolution_for
from lianxi.registry.models import Appointment, Conference
from lianxi.registry.services import (
    admit_unit,
    appoint,
    create_conference,
    create_person,
    end_appointment,
    replace_appointment,
    update_conference,
)

MEETING_FIELDS = ["conference", "kind", "number", "title", "date", "venue", "host_unit", "summary", "source",
                  "is_published"]
AGENDA_FIELDS = ["kind", "title", "description", "concerns_conference"]

# Agenda kinds whose resolution a service applies; the others (speech, video …) are only recorded.
RESOLUTION_KINDS = {
    AgendaItem.Kind.ADMISSION,
    AgendaItem.Kind.UNVEILING,
    AgendaItem.Kind.ADJUSTMENT,
    AgendaItem.Kind.RELEASE,
    AgendaItem.Kind.AWARD,
    AgendaItem.Kind.NAMING,
}


# --- meetings --------------------------------------------------------------------------------------

def suggest_next_number(conference: Conference, kind: str = Meeting.Kind.PLENARY) -> int:
    """The number the next meeting of this kind would take (one past the highest so far)."""
    top = Meeting.objects.filter(conference=conference, kind=kind).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _check_number(meeting_pk, conference: Conference, kind: str, number: int | None):
    """Plenaries are numbered per conference and kind; a clash names the ``number`` field."""
    if number is None or conference is None:
        return
    clash = Meeting.objects.filter(conference=conference, kind=kind, number=number).exclude(pk=meeting_pk).first()
    if clash is not None:
        kind_label = Meeting.Kind(kind).label
        suggestion = suggest_next_number(conference, kind)
        raise ValidationError({"number": (
            f"{conference.display_name}已有第{chinese_ordinal(number)}次{kind_label}（{clash.date:%Y-%m-%d}），"
            f"下一个可用届次为第{chinese_ordinal(suggestion)}次。"
        )})


def create_meeting(actor, **fields) -> Meeting:
    with transaction.atomic():
        _check_number(None, fields.get("conference"), fields.get("kind", Meeting.Kind.PLENARY), fields.get("number"))
        return create_object(actor, Meeting, "meetings.meeting.create", **fields)


def update_meeting(actor, meeting: Meeting, **fields) -> dict:
    with transaction.atomic():
        _check_number(
            meeting.pk,
            fields.get("conference", meeting.conference),
            fields.get("kind", meeting.kind),
            fields.get("number", meeting.number),
        )
        return update_object(actor, meeting, "meetings.meeting.update", **fields)


# --- figures stated at a meeting --------------------------------------------------------------------

def add_figure(actor, meeting: Meeting, *, key: str, label: str, value: int, unit_label: str = "",
               quote: str = "") -> StatedFigure:
    with transaction.atomic():
        if StatedFigure.objects.filter(meeting=meeting, key=key).exists():
            raise ValidationError({"key": f"该会议已记录代码为“{key}”的数字。"})
        return create_object(actor, StatedFigure, "meetings.figure.create", meeting=meeting, key=key, label=label,
                             value=value, unit_label=unit_label, quote=quote)


def update_figure(actor, figure: StatedFigure, **fields) -> dict:
    return update_object(actor, figure, "meetings.figure.update", **fields)


# --- the agenda -----------------------------------------------------------------------------------

def _next_order(queryset) -> int:
    return (queryset.aggregate(top=Max("order"))["top"] or 0) + 1


def add_agenda_item(actor, meeting: Meeting, *, kind: str, title: str, order: int | None = None,
                    description: str = "", concerns_conference: Conference | None = None) -> AgendaItem:
    """Append an item (or place it at a free ``order``); reorder with :func:`reorder_agenda`."""
    with transaction.atomic():
        if order is None:
            order = _next_order(meeting.agenda_items.all())
        elif meeting.agenda_items.filter(order=order).exists():
            raise ValidationError({"order": f"第{order}项议程已存在，请调整顺序后再添加。"})
        return create_object(actor, AgendaItem, "meetings.agenda.create", meeting=meeting, order=order, kind=kind,
                             title=title, description=description, concerns_conference=concerns_conference)


def update_agenda_item(actor, item: AgendaItem, **fields) -> dict:
    if item.applied_on is not None and "kind" in fields and fields["kind"] != item.kind:
        raise ValidationError({"kind": "决议已执行的议程不能更改类型。"})
    return update_object(actor, item, "meetings.agenda.update", **fields)


@transaction.atomic
def reorder_agenda(actor, meeting: Meeting, item_ids: list[int]) -> list[AgendaItem]:
    """Put the meeting's items in the order of ``item_ids`` (all of them, each once): 1, 2, 3 …"""
    items = {item.pk: item for item in meeting.agenda_items.select_for_update()}
    if sorted(item_ids) != sorted(items):
        raise ValidationError({"order": "新的顺序须包含本次会议的每一项议程且各出现一次。"})
    before = [items[pk].title for pk in sorted(items, key=lambda pk: items[pk].order)]
    # Two passes keep the (meeting, order) constraint satisfied at every step.
    offset = max(item.order for item in items.values()) + len(items) + 1
    meeting.agenda_items.update(order=F("order") + offset)
    for position, pk in enumerate(item_ids, start=1):
        AgendaItem.objects.filter(pk=pk).update(order=position)
        items[pk].order = position
    after = [items[pk].title for pk in item_ids]
    if before != after:
        record(actor, "meetings.agenda.reorder", meeting, {"agenda": [before, after]})
    return [items[pk] for pk in item_ids]


def move_agenda_item(actor, item: AgendaItem, step: int) -> list[AgendaItem]:
    """Move an item up (``step`` < 0) or down the agenda by swapping with its neighbour."""
    ids = list(item.meeting.agenda_items.order_by("order").values_list("pk", flat=True))
    index = ids.index(item.pk)
    target = min(max(index + step, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    return reorder_agenda(actor, item.meeting, ids)


@transaction.atomic
def remove_agenda_item(actor, item: AgendaItem):
    """Delete an item and what hangs on it. An item whose resolution was applied stays: its effects
    (memberships, a founded conference) point at the meeting."""
    if item.applied_on is not None:
        raise ValidationError({"applied_on": "决议已执行的议程不能删除。"})
    record(actor, "meetings.agenda.remove", item.meeting, {"agenda_item": [f"{item.order}. {item.title}", None]})
    item.delete()


def add_participant(actor, item: AgendaItem, *, person=None, new_person_name: str = "", role: str, title: str = "",
                    unit=None, order: int | None = None, note: str = "") -> AgendaParticipant:
    """A person on an item, with the titles they were introduced by that day, exactly as stated.
    With ``new_person_name`` instead of ``person``, the person is registered first (with the unit
    and title given), in the same transaction."""
    with transaction.atomic():
        if person is None:
            if not new_person_name.strip():
                raise ValidationError({"person_name": "请填写姓名。"})
            person = create_person(actor, name=new_person_name.strip(), unit=unit, title=title)
        if item.participants.filter(person=person, role=role).exists():
            raise ValidationError({"person": f"{person}已以该角色列入此议程。"})
        if order is None:
            order = _next_order(item.participants.all())
        return create_object(actor, AgendaParticipant, "meetings.participant.create", item=item, person=person,
                             role=role, title=title, unit=unit, order=order, note=note)


def add_agenda_unit(actor, item: AgendaItem, *, unit, role: str, label: str = "",
                    order: int | None = None) -> AgendaUnit:
    """A unit the item concerns (admitted, awarded …); ``label`` keeps how the source named it."""
    with transaction.atomic():
        if item.units.filter(unit=unit, role=role).exists():
            raise ValidationError({"unit": f"{unit}已以该角色列入此议程。"})
        if role == AgendaUnit.Role.ADMITTED and item.applied_on is not None:
            raise ValidationError({"unit": "通过新成员的决议已执行，不能再增加新成员单位。"})
        if order is None:
            order = _next_order(item.units.all())
        return create_object(actor, AgendaUnit, "meetings.agenda_unit.create", item=item, unit=unit, role=role,
                             label=label, order=order)


def add_exchange(actor, item: AgendaItem, *, unit, mode: str, speaker_label: str = "", topic: str = "",
                 order: int | None = None) -> Exchange:
    """An exchange given on an exchange item, live (现场) or in writing (书面)."""
    with transaction.atomic():
        if item.kind != AgendaItem.Kind.EXCHANGE:
            raise ValidationError({"mode": "只有“交流”类议程可以登记交流单位。"})
        if item.exchanges.filter(unit=unit, mode=mode).exists():
            raise ValidationError({"unit": f"{unit}已登记此方式的交流。"})
        if order is None:
            order = _next_order(item.exchanges.all())
        return create_object(actor, Exchange, "meetings.exchange.create", item=item, unit=unit, mode=mode,
                             speaker_label=speaker_label, topic=topic, order=order)


@transaction.atomic
def remove_agenda_detail(actor, obj: AgendaParticipant | AgendaUnit | Exchange):
    """Take a person, unit or exchange off an item (a correction); recorded on the item."""
    item = obj.item
    if isinstance(obj, AgendaUnit) and obj.role == AgendaUnit.Role.ADMITTED and item.applied_on is not None:
        raise ValidationError({"unit": "通过新成员的决议已执行，不能移除新成员单位。"})
    record(actor, f"meetings.{obj._meta.model_name}.remove", item, {obj._meta.model_name: [str(obj), None]})
    obj.delete()


# --- resolutions ----------------------------------------------------------------------------------

def lock_unapplied(item: AgendaItem, kind: str) -> AgendaItem:
    """Lock the item's row and refuse a second application (``applied_on`` is the guard)."""
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if locked.kind != kind:
        raise ValidationError({"kind": f"该议程是“{locked.get_kind_display()}”，不能按“{AgendaItem.Kind(kind).label}”执行。"})
    if locked.applied_on is not None:
        when = timezone.localtime(locked.applied_on)
        raise ValidationError({"applied_on": f"该议程的决议已于{when:%Y-%m-%d %H:%M}执行，不能重复执行。"})
    return locked


def mark_applied(actor, item: AgendaItem, summary: dict, extra_fields: tuple = ()):
    item.applied_on = timezone.now()
    item.save(update_fields=["applied_on", *extra_fields])
    changes = {"applied_on": [None, item.applied_on.isoformat()], **summary}
    record(actor, f"meetings.agenda.apply.{item.kind}", item, changes)


def _target_conference(item: AgendaItem) -> Conference:
    return item.concerns_conference or item.meeting.conference


@transaction.atomic
def apply_admission(actor, item: AgendaItem, *, plaque: bool = True) -> list:
    """通过新成员并授牌: each unit listed as admitted becomes a member from the meeting's date,
    admitted at the meeting, with the plaque awarded that day (``plaque=False`` when none was)."""
    lock_unapplied(item, AgendaItem.Kind.ADMISSION)
    meeting = item.meeting
    admitted = list(item.units.filter(role=AgendaUnit.Role.ADMITTED).select_related("unit").order_by("order", "id"))
    if not admitted:
        raise ValidationError({"units": "请先在此议程中登记新加入的成员单位。"})
    conference = _target_conference(item)
    memberships = [
        admit_unit(actor, unit=row.unit, conference=conference, start=meeting.date, admitted_at=meeting,
                   plaque_awarded_on=meeting.date if plaque else None)
        for row in admitted
    ]
    mark_applied(actor, item, {"memberships": [None, [str(m.unit) for m in memberships]]})
    return memberships


@transaction.atomic
def apply_unveiling(actor, item: AgendaItem, *, name: str = "", short_name: str = "",
                    kind: str = Conference.Kind.AREA, upgraded_from: Conference | None = None,
                    description: str = "") -> Conference:
    """揭牌: found the sub-conference under the meeting's conference, dated and placed at the meeting.
    When the item already names the conference (registered beforehand) it is dated instead of
    created. The body it was upgraded from is marked superseded."""
    lock_unapplied(item, AgendaItem.Kind.UNVEILING)
    meeting = item.meeting
    if upgraded_from is not None and upgraded_from.status == Conference.Status.SUPERSEDED:
        raise ValidationError({"upgraded_from": f"{upgraded_from.display_name}已升级，不能再次升级。"})
    conference = item.concerns_conference
    if conference is not None:
        if conference.founded_at_id is not None:
            raise ValidationError({"name": f"{conference.display_name}已于其他会议揭牌成立。"})
        fields = {"founded_on": meeting.date, "founded_at": meeting}
        if upgraded_from is not None:
            fields["upgraded_from"] = upgraded_from
        update_conference(actor, conference, **fields)
    else:
        if not name.strip():
            raise ValidationError({"name": "请填写揭牌成立的联席会议名称。"})
        conference = create_conference(
            actor, name=name.strip(), short_name=short_name.strip(), kind=kind, parent=meeting.conference,
            founded_on=meeting.date, founded_at=meeting, upgraded_from=upgraded_from, description=description,
        )
        item.concerns_conference = conference
    if upgraded_from is not None:
        update_conference(actor, upgraded_from, status=Conference.Status.SUPERSEDED)
    summary = {"founded": [None, str(conference)]}
    if upgraded_from is not None:
        summary["superseded"] = [None, str(upgraded_from)]
    mark_applied(actor, item, summary, extra_fields=("concerns_conference",))
    return conference


@transaction.atomic
def apply_adjustment(actor, item: AgendaItem, *, changes=(), additions=()) -> list[Appointment]:
    """调整 (rotating/deputy conveners and other posts) on the meeting's date.

    ``changes``: ``{"appointment": a, "person": p, "unit": u}`` hands ``a`` over to the successor; with
    neither person nor unit the post simply ends (no successor), with ``"note"`` if given (e.g.
    "调整后未载明" when the source does not say who holds the post afterwards). ``additions``: ``{"role", "person",
    "unit"}`` starts a post without a predecessor. An adjustment whose successors the source does not
    name is recorded on the agenda and left unapplied; nothing is invented for it."""
    lock_unapplied(item, AgendaItem.Kind.ADJUSTMENT)
    changes, additions = list(changes), list(additions)
    if not changes and not additions:
        raise ValidationError({"changes": "未指定调整内容。继任人选未载明时，请保留议程记录，待资料载明后再执行。"})
    meeting = item.meeting
    on: datetime.date = meeting.date
    conference = _target_conference(item)
    started, summary_old, summary_new = [], [], []
    for change in changes:
        appointment: Appointment = change["appointment"]
        if appointment.conference_id != conference.pk:
            raise ValidationError({"changes": f"{appointment}不属于{conference.display_name}。"})
        summary_old.append(f"{appointment.get_role_display()} {appointment.holder_label}")
        person, unit = change.get("person"), change.get("unit")
        if person is None and unit is None:
            end_appointment(actor, appointment, end=on, ended_at=meeting, note=change.get("note", ""))
            continue
        new = replace_appointment(actor, appointment, on=on, person=person, unit=unit, at_meeting=meeting)
        started.append(new)
        summary_new.append(f"{new.get_role_display()} {new.holder_label}")
    for addition in additions:
        new = appoint(actor, conference=conference, role=addition["role"], person=addition.get("person"),
                      unit=addition.get("unit"), start=on, appointed_at=meeting)
        started.append(new)
        summary_new.append(f"{new.get_role_display()} {new.holder_label}")
    mark_applied(actor, item, {"appointments": [summary_old, summary_new]})
    return started


@transaction.atomic
def apply_naming(actor, item: AgendaItem, *, figures=()) -> list[StatedFigure]:
    """命名 (e.g. 百优支部): the honour is recorded as figures stated at the meeting (how many were
    named, how many representatives received it on stage) — never as invented named rows."""
    lock_unapplied(item, AgendaItem.Kind.NAMING)
    added = [add_figure(actor, item.meeting, **figure) for figure in figures]
    mark_applied(actor, item, {"figures": [None, [str(f) for f in added]]})
    return added


@transaction.atomic
def apply_resolution(actor, item: AgendaItem, **options):
    """Apply the item's resolution according to its kind (once only), in one transaction: the row
    lock taken by :func:`lock_unapplied` needs it, and a resolution that fails half-way leaves
    nothing behind."""
    return resolution_for(item.kind, item.get_kind_display()).apply(actor, item, **options)
