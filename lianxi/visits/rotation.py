"""Planning the rotating conveners (常任轮值): the roster as it stands, the next terms proposed from
the conference's written rule, the conflicts that stop a proposal, and the handover carried out
through the 调整 agenda item of a plenary (meetings service ``apply_adjustment``: ending and
starting appointments dated at the meeting).

"Current" here also honours adjustments whose successors are not known: once a plenary has
adjusted the rotating conveners (an 调整 item on or after a holder's term began or was attested),
that holder is no longer shown as current, whether or not the item could be applied."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lianxi.meetings.models import AgendaItem, Meeting
from lianxi.meetings.services import apply_adjustment
from lianxi.registry.adjustments import Adjustment, adjustments_of, split_current
from lianxi.registry.models import Appointment, Conference, Membership, Person, Unit
from lianxi.visits.models import RotationRule

ROLE = Appointment.Role.ROTATING_CONVENER


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Roster:
    current: list[Appointment]
    # Holders whose post a later 调整 item adjusted without a recorded successor: not current.
    adjusted_away: list[tuple[Appointment, Adjustment]]
    pending_items: list[Adjustment]  # 调整 items not yet applied


def roster(conference: Conference, on: datetime.date | None = None) -> Roster:
    """The rotating conveners current on ``on``, with adjusted-away holders set apart (the rule of
    :mod:`lianxi.registry.adjustments`, shared with the registry's roster)."""
    on = on or timezone.localdate()
    holders = (Appointment.objects.filter(conference=conference, role=ROLE).current(on)
               .select_related("person", "unit").order_by("start", "id"))
    adjustments = adjustments_of(conference, on)
    current, away = split_current(holders, adjustments, on)
    return Roster(current=current, adjusted_away=away, pending_items=[a for a in adjustments if not a.applied])


@dataclass
class Term:
    start: datetime.date
    end: datetime.date
    units: list[Unit]


@dataclass
class Proposal:
    rule: RotationRule | None
    handover_on: datetime.date | None
    handover_meeting: Meeting | None
    terms: list[Term] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def other_rotating_posts(unit_ids, conference: Conference, on: datetime.date) -> dict[int, list[Appointment]]:
    """Rotating posts units hold in *other* conferences on ``on`` (one query)."""
    out: dict[int, list[Appointment]] = {}
    for a in (Appointment.objects.filter(role=ROLE, unit_id__in=list(unit_ids)).exclude(conference=conference)
              .current(on).select_related("conference")):
        out.setdefault(a.unit_id, []).append(a)
    return out


def propose(conference: Conference, *, on: datetime.date | None = None, count: int = 3) -> Proposal:
    """The next ``count`` terms from the rule, starting at the next plenary (or when the current
    terms end), and every conflict found on the way."""
    on = on or timezone.localdate()
    rule = RotationRule.objects.filter(conference=conference).first()
    if rule is None:
        return Proposal(rule=None, handover_on=None, handover_meeting=None, conflicts=["尚未制定轮值规则。"])
    state = roster(conference, on)
    conflicts = []
    for item in state.pending_items:
        conflicts.append(f"{item.day:%Y-%m-%d} 会议议程“{item.title}”尚未执行（继任人选未载明）。")
    units = {u.pk: u for u in Unit.objects.filter(pk__in=rule.order)}
    members = set(Membership.objects.current(on).filter(conference=conference).values_list("unit_id", flat=True))
    order = []
    for pk in rule.order:
        unit = units.get(pk)
        if unit is None:
            conflicts.append(f"轮值顺序中的单位（编号 {pk}）已不存在。")
        elif pk not in members:
            conflicts.append(f"{unit}已不是现任成员单位，轮到时跳过。")
        else:
            order.append(unit)
    if len(order) < rule.seats:
        conflicts.append(f"可轮值单位 {len(order)} 家，少于同时在任人数 {rule.seats}：将有单位同时担任两个轮值职务。")
        return Proposal(rule=rule, handover_on=None, handover_meeting=None, conflicts=conflicts)
    meeting = (Meeting.objects.filter(conference=conference, kind=Meeting.Kind.PLENARY, date__gt=on)
               .order_by("date").first())
    current_ends = [a.end for a in state.current if a.end]
    start = meeting.date if meeting else (min(current_ends) if current_ends else on)
    # Continue after the last unit in order that held (or holds) the post.
    last_holders = list(Appointment.objects.filter(conference=conference, role=ROLE, unit_id__in=[u.pk for u in order])
                        .order_by("-start", "-id").values_list("unit_id", flat=True)[:rule.seats])
    positions = [i for i, u in enumerate(order) if u.pk in last_holders]
    cursor = (max(positions) + 1) if positions else 0
    elsewhere = other_rotating_posts([u.pk for u in order], conference, start)
    terms = []
    for _ in range(count):
        end = add_months(start, rule.term_months)
        chosen: list[Unit] = []
        tried = 0
        while len(chosen) < rule.seats and tried < len(order):
            unit = order[cursor % len(order)]
            cursor += 1
            tried += 1
            if unit in chosen:
                continue
            if unit.pk in elsewhere:
                posts = "、".join(a.conference.display_name for a in elsewhere[unit.pk])
                conflicts.append(f"{unit}正担任{posts}的轮值召集人，一个单位不同时担任两个轮值职务，本轮跳过。")
                continue
            chosen.append(unit)
        if len(chosen) < rule.seats:
            conflicts.append(f"{start:%Y-%m-%d} 起的任期找不到 {rule.seats} 家可轮值单位。")
        terms.append(Term(start=start, end=end, units=chosen))
        start = end
    return Proposal(rule=rule, handover_on=meeting.date if meeting else None, handover_meeting=meeting,
                    terms=terms, conflicts=list(dict.fromkeys(conflicts)))


def check_no_double_post(units: list[Unit], conference: Conference, on: datetime.date):
    """Refuse a handover giving one unit two rotating posts at once (here or in another conference)."""
    ids = [u.pk for u in units]
    if len(set(ids)) != len(ids):
        raise ValidationError({"units": "同一单位不能同时担任两个轮值召集人职务。"})
    elsewhere = other_rotating_posts(ids, conference, on)
    if elsewhere:
        names = "、".join(f"{a.unit}（{a.conference.display_name}）" for posts in elsewhere.values() for a in posts)
        raise ValidationError({"units": f"以下单位已担任其他联席会议的轮值召集人：{names}。"})


@transaction.atomic
def carry_out_handover(actor, item: AgendaItem, *, successors: list[tuple[Unit, Person | None]]) -> list[Appointment]:
    """Hand the rotating conveners over at ``item`` (an 调整 item of a plenary), through the meetings
    service: the outgoing posts end on the meeting's date and the successors' start that day. A
    successor unit whose person is not known gets no post yet (nothing is invented): the outgoing
    holder still ends, so the roster no longer shows them as current."""
    meeting = item.meeting
    conference = item.concerns_conference or meeting.conference
    if meeting.kind != Meeting.Kind.PLENARY:
        raise ValidationError({"item": "轮值交接须在全体会议的“调整”议程中进行。"})
    check_no_double_post([u for u, _p in successors], conference, meeting.date)
    outgoing = list(Appointment.objects.filter(conference=conference, role=ROLE).current(meeting.date)
                    .order_by("start", "id"))
    changes = [{"appointment": a} for a in outgoing]
    additions = [{"role": ROLE, "person": person, "unit": unit} for unit, person in successors if person is not None]
    if not changes and not additions:
        raise ValidationError({"successors": "没有需要交接的轮值召集人，也没有已知的继任人选。"})
    return apply_adjustment(actor, item, changes=changes, additions=additions)
