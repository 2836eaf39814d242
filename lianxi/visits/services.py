"""Every write of the visits room: plans, visitors and availability, computing a plan, proposing a
visit to a unit through the burden gate, confirming, recording a visit (with the needs it raised,
posted to the lists as 走访收集), follow-ups; secondment batches and secondments; venues offered as
resources; the rotation rule.

Each function runs in one transaction, checks its rules (refusals raise ``ValidationError`` in
Chinese, keyed by field) and writes one audit row per object it changes. Access is decided by
``lianxi.visits.gates`` before a service is called."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lianxi.audit.services import record
from lianxi.burden import services as burden
from lianxi.burden.models import BurdenRequest
from lianxi.lib.services import create_object, update_object
from lianxi.lists import services as lists_services
from lianxi.lists.models import Need, NeedCategory, Resource
from lianxi.meetings.models import Meeting
from lianxi.registry.models import Area, Conference, Membership, Person, Unit, Venue
from lianxi.visits import planner
from lianxi.visits.models import (
    FollowUp,
    RotationRule,
    Secondment,
    SecondmentBatch,
    UnitUnavailability,
    Visit,
    VisitNeed,
    Visitor,
    VisitPlan,
    quarter_of,
)

# Seconds the CP-SAT stage of a plan may run (the flow and the greedy run before it).
PLAN_TIME_LIMIT = 10.0


def _label(choices, value) -> str:
    return dict(choices.choices).get(value, value)


def _move(actor, obj, new_state, action: str, **fields) -> dict:
    model = type(obj)
    if new_state not in model.TRANSITIONS.get(obj.state, set()):
        raise ValidationError({"state": f"{model._meta.verbose_name}不能从“{_label(model.State, obj.state)}”"
                                        f"变为“{_label(model.State, new_state)}”。"})
    return update_object(actor, obj, action, state=new_state, **fields)


def _dates(values: Iterable, field: str) -> list[str]:
    """ISO strings of ``values`` (dates or ISO strings), sorted, without repeats."""
    out = set()
    for value in values or []:
        if isinstance(value, datetime.date):
            out.add(value.isoformat())
            continue
        try:
            out.add(datetime.date.fromisoformat(str(value).strip()).isoformat())
        except ValueError as error:
            raise ValidationError({field: f"日期“{value}”格式不对，应为 2025-01-31。"}) from error
    return sorted(out)


# --------------------------------------------------------------------------------------------
# Plans, visitors, availability
# --------------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(actor, *, conference: Conference, start: datetime.date | None = None,
                end: datetime.date | None = None, title: str = "") -> VisitPlan:
    """A plan for ``conference``: by default the quarter of ``start`` (or of today)."""
    if start is None or end is None:
        q_start, q_end = quarter_of(start or timezone.localdate())
        start, end = start or q_start, end or q_end
    if not title:
        title = f"{conference.display_name} {start.year}年第{(start.month - 1) // 3 + 1}季度常态走访"
    return create_object(actor, VisitPlan, "visits.plan.create", conference=conference, start=start, end=end,
                         title=title[:120])


@transaction.atomic
def add_visitor(actor, plan: VisitPlan, *, person: Person, role: str, capacity: int = 3,
                unavailable: Iterable = (), user=None) -> Visitor:
    """``user`` (the account the visitor records visits with) defaults to the person's own."""
    if capacity < 0:
        raise ValidationError({"capacity": "每周可走访次数不能为负数。"})
    return create_object(actor, Visitor, "visits.visitor.create", plan=plan, person=person, role=role,
                         capacity=capacity, unavailable=_dates(unavailable, "unavailable"),
                         user=user if user is not None else person.user)


@transaction.atomic
def update_visitor(actor, visitor: Visitor, *, capacity: int | None = None, unavailable: Iterable | None = None) -> dict:
    fields = {}
    if capacity is not None:
        if capacity < 0:
            raise ValidationError({"capacity": "每周可走访次数不能为负数。"})
        fields["capacity"] = capacity
    if unavailable is not None:
        fields["unavailable"] = _dates(unavailable, "unavailable")
    return update_object(actor, visitor, "visits.visitor.update", **fields)


@transaction.atomic
def set_unit_unavailable(actor, plan: VisitPlan, *, unit: Unit, dates: Iterable) -> UnitUnavailability | None:
    """Record the days ``unit`` cannot receive a visit in ``plan`` (an empty list clears them)."""
    dates = _dates(dates, "dates")
    row = UnitUnavailability.objects.filter(plan=plan, unit=unit).first()
    if row is None:
        if not dates:
            return None
        return create_object(actor, UnitUnavailability, "visits.unit_unavailable.create", plan=plan, unit=unit,
                             dates=dates)
    update_object(actor, row, "visits.unit_unavailable.update", dates=dates)
    return row


def blocked_days(plan: VisitPlan) -> frozenset:
    """Every day of each week (Mon–Sun) in which the conference holds a plenary."""
    return _plenary_weeks(Meeting.objects.filter(
        conference_id=plan.conference_id, kind=Meeting.Kind.PLENARY, date__gte=plan.start - datetime.timedelta(days=7),
        date__lte=plan.end + datetime.timedelta(days=7)).values_list("date", flat=True))


def _plenary_weeks(days: Iterable[datetime.date]) -> frozenset:
    out = set()
    for day in days:
        monday = day - datetime.timedelta(days=day.weekday())
        out.update(monday + datetime.timedelta(days=i) for i in range(7))
    return frozenset(out)


def _members_in_period(start: datetime.date, end: datetime.date):
    """Memberships that are current on some day of ``start``–``end``: current on ``start``, or
    starting later within the period (a row's end is after its start)."""
    return (Membership.objects.filter(Q(start__isnull=True) | Q(start__lte=end))
            .filter(Q(end__isnull=True) | Q(end__gt=start)))


def plan_units(plan: VisitPlan):
    """The units a plan should cover: members of the conference at any day of the period. One
    query (the memberships are a subquery)."""
    members = _members_in_period(plan.start, plan.end).filter(conference_id=plan.conference_id)
    return Unit.objects.filter(pk__in=members.values("unit_id"))


def build_problem(plan: VisitPlan, today: datetime.date | None = None) -> tuple[planner.Problem, dict]:
    """The planner's input for ``plan`` and lookups to save the result (see :func:`build_problems`)."""
    return build_problems([plan], today)[plan.pk], {}


def build_problems(plans: list[VisitPlan], today: datetime.date | None = None) -> dict[int, planner.Problem]:
    """The planner's input for each of ``plans`` (``{plan id: Problem}``), read with six queries
    whatever their number and size. Only days from ``today`` on are planned: a plan computed
    mid-quarter fills what is left."""
    today = today or timezone.localdate()
    if not plans:
        return {}
    by_conference: dict[int, list[VisitPlan]] = defaultdict(list)
    for plan in plans:
        by_conference[plan.conference_id].append(plan)
    first = min(p.start for p in plans)
    last = max(p.end for p in plans)
    unit_blocked: dict[int, dict[int, frozenset]] = defaultdict(dict)
    for plan_id, unit_id, dates in UnitUnavailability.objects.filter(plan__in=plans).values_list(
            "plan_id", "unit_id", "dates"):
        unit_blocked[plan_id][unit_id] = frozenset(datetime.date.fromisoformat(d) for d in dates)
    # The street of each unit read with it (a street is its own, a residents' area its parent's),
    # not from every area of the city.
    streets: dict[int, dict[int, int | None]] = defaultdict(dict)
    for conference_id, unit_id, start, end, area, kind, parent in (
            _members_in_period(first, last).filter(conference_id__in=list(by_conference))
            .values_list("conference_id", "unit_id", "start", "end", "unit__area_id", "unit__area__kind",
                         "unit__area__parent_id")):
        for plan in by_conference[conference_id]:
            if (start is None or start <= plan.end) and (end is None or end > plan.start):
                streets[plan.pk][unit_id] = _street(area, kind, parent)
    visitors: dict[int, list[planner.VisitorIn]] = defaultdict(list)
    for visitor in Visitor.objects.filter(plan__in=plans).order_by("id"):
        visitors[visitor.plan_id].append(
            planner.VisitorIn(id=visitor.pk, capacity=visitor.capacity, unavailable=visitor.unavailable_dates()))
    fixed: dict[int, list[planner.FixedVisit]] = defaultdict(list)
    for plan_id, unit_id, visitor_id, day in Visit.objects.filter(plan__in=plans, state__in=Visit.FIXED_STATES) \
            .values_list("plan_id", "unit_id", "visitor_id", "planned_on"):
        fixed[plan_id].append(planner.FixedVisit(unit=unit_id, visitor=visitor_id, day=day))
    plenaries: dict[int, list[datetime.date]] = defaultdict(list)
    for conference_id, day in Meeting.objects.filter(
            conference_id__in=list(by_conference), kind=Meeting.Kind.PLENARY,
            date__gte=first - datetime.timedelta(days=7), date__lte=last + datetime.timedelta(days=7),
    ).values_list("conference_id", "date"):
        plenaries[conference_id].append(day)
    out = {}
    for plan in plans:
        blocked = unit_blocked[plan.pk]
        week = datetime.timedelta(days=7)
        out[plan.pk] = planner.Problem(
            start=max(plan.start, today), end=plan.end,
            units=[planner.UnitIn(id=pk, street=street, unavailable=blocked.get(pk, frozenset()))
                   for pk, street in sorted(streets[plan.pk].items())],
            visitors=visitors[plan.pk],
            blocked_days=_plenary_weeks(d for d in plenaries[plan.conference_id]
                                        if plan.start - week <= d <= plan.end + week),
            fixed=fixed[plan.pk],
        )
    return out


def _fixed_visits(plan: VisitPlan) -> list[planner.FixedVisit]:
    return [planner.FixedVisit(unit=u, visitor=v, day=d) for u, v, d in
            Visit.objects.filter(plan=plan, state__in=Visit.FIXED_STATES)
            .values_list("unit_id", "visitor_id", "planned_on")]


def _street(area_id, kind, parent_id):
    if kind == Area.Kind.STREET:
        return area_id
    if kind == Area.Kind.NEIGHBOURHOOD:
        return parent_id
    return None


@transaction.atomic
def compute_plan(actor, plan: VisitPlan, *, time_limit: float = PLAN_TIME_LIMIT,
                 today: datetime.date | None = None) -> planner.Result:
    """(Re)compute the plan from ``today`` (default: the real today) to its end. Visits already
    proposed, confirmed or done stay as they are; the other planned visits are replaced by the
    planner's. One audit row on the plan with the figures."""
    plan = VisitPlan.objects.select_for_update().get(pk=plan.pk)
    today = today or timezone.localdate()
    _check_computable(plan, today)
    problem, _lookups = build_problem(plan, today)
    result = planner.plan(problem, time_limit=time_limit)
    _save_result(actor, plan, problem, result)
    return result


def _check_computable(plan: VisitPlan, today: datetime.date, *, visitors: bool = True):
    if visitors and not plan.visitors.exists():
        raise ValidationError({"visitors": "请先添加走访人（召集人、副召集人、秘书处或指定人员）。"})
    if today > plan.end:
        raise ValidationError({"end": f"计划周期已于 {plan.end:%Y-%m-%d} 结束，不能再安排走访。"})


def compute_plans(actor, plans: Iterable[VisitPlan], *, budget: float = 100.0, processes: int = 2,
                  today: datetime.date | None = None) -> dict[int, tuple[planner.Result, float, float]]:
    """Compute many plans (every conference of a city) in about ``budget`` seconds of solving:
    the problems are read first, solved ``processes`` at a time (:func:`planner.plan_many`, each
    with its share of the time), then each plan is saved in its own transaction exactly as
    :func:`compute_plan` saves it. A plan whose kept visits changed while it was being solved is
    computed again on its own. Returns ``{plan id: (result, time limit, solve seconds)}``."""
    today = today or timezone.localdate()
    plans = list(plans)
    for plan in plans:
        _check_computable(plan, today, visitors=False)
    problems = build_problems(plans, today)
    for plan in plans:
        if not problems[plan.pk].visitors:
            _check_computable(plan, today)
    solved = planner.plan_many(problems, budget=budget, processes=processes)
    for plan in plans:
        result, limit, seconds = solved[plan.pk]
        with transaction.atomic():
            locked = VisitPlan.objects.select_for_update().get(pk=plan.pk)
            if set(_fixed_visits(locked)) != set(problems[plan.pk].fixed):
                solved[plan.pk] = (compute_plan(actor, locked, today=today), limit, seconds)
                continue
            _save_result(actor, locked, problems[plan.pk], result)
    return solved


def _insert_planned(plan: VisitPlan, assignments: list[planner.Assignment]):
    """Insert the planned visits of ``assignments``: the rows ``bulk_create`` would write, in one
    ``executemany``. ``bulk_create`` prepares every field of every object in Python, four times the
    cost of the insert itself for a city's 100,000 visits; here the fields that are the same for
    every row are prepared once, from a model instance (so defaults such as the state and the
    creation time are the model's), and only unit, visitor and day vary."""
    if not assignments:
        return
    from django.db import connection

    first = assignments[0]
    template = Visit(plan=plan, conference_id=plan.conference_id, unit_id=first.unit, visitor_id=first.visitor,
                     planned_on=first.day)
    fields = [f for f in Visit._meta.concrete_fields if not f.primary_key]
    varying = {"unit_id": lambda a: a.unit, "visitor_id": lambda a: a.visitor,
               "planned_on": lambda a: connection.ops.adapt_datefield_value(a.day)}
    constant = {f.attname: f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in fields
                if f.attname not in varying}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    getters = [varying.get(f.attname) for f in fields]
    values = [constant.get(f.attname) for f in fields]
    rows = [tuple(get(a) if get else value for get, value in zip(getters, values, strict=True)) for a in assignments]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {connection.ops.quote_name(Visit._meta.db_table)} ({columns}) "
                           f"VALUES ({placeholders})", rows)


def _save_result(actor, plan: VisitPlan, problem: planner.Problem, result: planner.Result):
    """Replace the plan's planned (not yet proposed) visits by the result's; one audit row. A
    planned visit the result keeps as it is (same unit, visitor and day) stays; only the others are
    deleted and the new ones inserted, so computing a plan again writes only what changed."""
    errors = planner.check(problem, result)
    if errors:  # a bug in the planner must not reach the units
        raise RuntimeError("; ".join(errors[:5]))
    old = {unit: (pk, visitor, day) for pk, unit, visitor, day in Visit.objects.filter(
        plan=plan, state=Visit.State.PLANNED).values_list("pk", "unit_id", "visitor_id", "planned_on")}
    new = {a.unit: (a.visitor, a.day) for a in result.assignments}
    kept = {unit for unit, (_pk, visitor, day) in old.items() if new.get(unit) == (visitor, day)}
    stale = [pk for unit, (pk, _v, _d) in old.items() if unit not in kept]
    if stale:
        Visit.objects.filter(pk__in=stale).delete()
    _insert_planned(plan, [a for a in result.assignments if a.unit not in kept])
    old_count = len(old)
    before = plan.stats or {}
    stats = result.as_stats()
    stats["unplanned_units"] = {str(k): v for k, v in result.unplanned.items()}
    plan.stats, plan.computed_at = stats, timezone.now()
    plan.save(update_fields=["stats", "computed_at"])
    record(actor, "visits.plan.compute", plan, {
        "planned_visits": [old_count, len(result.assignments)],
        "covered": [before.get("covered"), result.covered],
        "unplanned": [before.get("unplanned"), len(result.unplanned)],
    })


# --------------------------------------------------------------------------------------------
# Visits
# --------------------------------------------------------------------------------------------


@transaction.atomic
def add_visit(actor, plan: VisitPlan, *, unit: Unit, planned_on: datetime.date, visitor: Visitor | None = None) -> Visit:
    """Schedule a visit by hand (outside the planner)."""
    if visitor is not None and visitor.plan_id != plan.pk:
        raise ValidationError({"visitor": "走访人不属于该计划。"})
    if not (plan.start <= planned_on <= plan.end):
        raise ValidationError({"planned_on": f"计划日期须在 {plan.start:%Y-%m-%d} 至 {plan.end:%Y-%m-%d} 之间。"})
    if planned_on in blocked_days(plan):
        raise ValidationError({"planned_on": "该周召开全体会议，不安排走访。"})
    return create_object(actor, Visit, "visits.visit.create", plan=plan, conference=plan.conference, unit=unit,
                         visitor=visitor, planned_on=planned_on)


@transaction.atomic
def propose_visit(actor, visit: Visit) -> BurdenRequest:
    """Ask the unit to receive the visit on its date, through the burden gate (kind 走访预约, counted
    against the unit's monthly cap). Past the cap the request waits for an administrator."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    req = burden.request(actor, unit=visit.unit, kind=BurdenRequest.Kind.VISIT, subject=visit,
                         summary=f"走访预约：{visit.planned_on:%Y-%m-%d} 走访{visit.unit}")
    _move(actor, visit, Visit.State.PROPOSED, "visits.visit.propose")
    return req


@transaction.atomic
def confirm_visit(actor, visit: Visit) -> dict:
    """The unit agreed to the date (answers the gate's request)."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    changes = _move(actor, visit, Visit.State.CONFIRMED, "visits.visit.confirm")
    burden.answer_for(actor, subject=visit, kinds=[BurdenRequest.Kind.VISIT])
    return changes


@transaction.atomic
def cancel_visit(actor, visit: Visit) -> dict:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    changes = _move(actor, visit, Visit.State.CANCELLED, "visits.visit.cancel")
    burden.withdraw_for(actor, subject=visit, kinds=[BurdenRequest.Kind.VISIT])
    return changes


@transaction.atomic
def record_visit(actor, visit: Visit, *, done_on: datetime.date, participants: str = "", met_with: str = "",
                 notes: str = "", needs: Iterable[dict] = (), follow_ups: Iterable[dict] = ()) -> list[Need]:
    """The visit took place: its log, and each need raised posted to the lists (source 走访收集,
    published, linked back to the visit) with a follow-up to see it through.

    ``needs``: dicts of need fields (title, category, quantity, …); owner, conference, area and the
    source are taken from the visit. ``follow_ups``: ``{"summary", "due_on"}``."""
    visit = Visit.objects.select_for_update().select_related("unit", "conference").get(pk=visit.pk)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "走访日期不能晚于今天。"})
    if visit.plan_id and not (visit.plan.start <= done_on <= visit.plan.end + datetime.timedelta(days=31)):
        raise ValidationError({"done_on": "走访日期不在计划周期内。"})
    _move(actor, visit, Visit.State.DONE, "visits.visit.record", done_on=done_on, participants=participants[:200],
          met_with=met_with[:200], notes=notes)
    # The visit happened: whatever the gate still asks about it is answered.
    burden.answer_for(actor, subject=visit, kinds=[BurdenRequest.Kind.VISIT])
    rules = lists_services.NeedRules()
    created = []
    for index, fields in enumerate(needs, start=1):
        fields = dict(fields)
        if not fields.get("title"):
            raise ValidationError({"needs": f"第 {index} 条需求缺少名称。"})
        area = fields.pop("area", None) or visit.unit.area
        if area is None:
            raise ValidationError({"needs": f"{visit.unit}未登记所在街道，请为第 {index} 条需求指明街道/居民区。"})
        need = lists_services.post_need(
            actor, publish=True, rules=rules, conference=visit.conference, owner=visit.unit, area=area,
            source=Need.Source.VISIT, source_note=f"{done_on:%Y-%m-%d} 走访{visit.unit}"[:200], **fields)
        create_object(actor, VisitNeed, "visits.visit.need", visit=visit, need=need)
        create_object(actor, FollowUp, "visits.followup.create", visit=visit, need=need,
                      summary=f"跟进需求：{need.title}"[:200])
        created.append(need)
    for item in follow_ups:
        add_follow_up(actor, visit, summary=item["summary"], due_on=item.get("due_on"))
    return created


@transaction.atomic
def add_follow_up(actor, visit: Visit, *, summary: str, due_on: datetime.date | None = None,
                  need: Need | None = None) -> FollowUp:
    if not (summary or "").strip():
        raise ValidationError({"summary": "请填写跟进事项。"})
    return create_object(actor, FollowUp, "visits.followup.create", visit=visit, summary=summary.strip()[:200],
                         due_on=due_on, need=need)


@transaction.atomic
def close_follow_up(actor, follow_up: FollowUp, *, note: str = "", on: datetime.date | None = None) -> dict:
    if follow_up.closed_on is not None:
        raise ValidationError({"closed_on": "该跟进事项已办结。"})
    return update_object(actor, follow_up, "visits.followup.close", closed_on=on or timezone.localdate(),
                         closing_note=note[:200])


# A follow-up opened for a need is done when the need is: its owner confirmed the delivery, or it
# was closed or withdrawn. A need merely delivered (awaiting the owner's confirmation) or expired
# unclaimed still needs the visitor's attention.
NEED_DONE_STATES = {Need.State.CONFIRMED: "需求已确认交付", Need.State.CLOSED: "需求已关闭",
                    Need.State.WITHDRAWN: "需求已撤回"}


@transaction.atomic
def close_follow_ups_for_need(actor, need_id: int, *, state: str, on: datetime.date | None = None) -> int:
    """Close the open follow-ups of ``need_id`` once the need reached ``state`` (one of
    :data:`NEED_DONE_STATES`); returns how many were closed. One audit row each."""
    note = NEED_DONE_STATES.get(state)
    if note is None:
        return 0
    on = on or timezone.localdate()
    open_rows = FollowUp.objects.select_for_update().filter(need_id=need_id, closed_on__isnull=True).order_by("id")
    count = 0
    for follow_up in open_rows:
        update_object(actor, follow_up, "visits.followup.close_with_need", closed_on=on, closing_note=note)
        count += 1
    return count


def on_need_state_changed(sender, *, actor, need_id, old, new, **kwargs):
    """:data:`lianxi.lists.signals.need_state_changed`: a need raised on a visit was seen through."""
    if new in NEED_DONE_STATES:
        close_follow_ups_for_need(actor, need_id, state=new)


# --------------------------------------------------------------------------------------------
# Venues offered as resources
# --------------------------------------------------------------------------------------------


@transaction.atomic
def offer_venue(actor, venue: Venue, *, conference: Conference, category: NeedCategory, capacity: int = 1,
                period: str = Resource.Period.MONTHLY, description: str = "") -> Resource:
    """The venue's owner offers it in the conference's resource list (kind 场地阵地, linked to it)."""
    if not venue.is_active:
        raise ValidationError({"venue": "该阵地已停用，不能提供。"})
    return lists_services.offer_resource(
        actor, areas=[venue.area] if venue.area_id else [], conference=conference, unit=venue.owner,
        title=venue.name[:120], description=description or f"{venue.get_kind_display()}，{venue.address}".strip("，"),
        category=category, kind=Resource.Kind.VENUE, capacity=capacity, capacity_unit="场", period=period,
        conditions=" ".join(filter(None, [venue.opening_hours, venue.get_access_display(), venue.access_note])),
        venue=venue,
    )


# --------------------------------------------------------------------------------------------
# Secondments (双向交流)
# --------------------------------------------------------------------------------------------


SECONDMENT_FIELDS = ["batch", "person", "home_unit", "host_unit", "host_post", "kind", "start", "end"]


@transaction.atomic
def create_batch(actor, *, conference: Conference, name: str, year: int, project=None,
                 description: str = "") -> SecondmentBatch:
    if project is not None and project.conference_id not in {conference.pk, conference.parent_id}:
        raise ValidationError({"project": "所属项目须为本联席会议（或上级联席会议）的项目。"})
    return create_object(actor, SecondmentBatch, "visits.batch.create", conference=conference, name=name.strip(),
                         year=year, project=project, description=description)


def check_secondment(fields: dict, *, busy: set[tuple[int, datetime.date, datetime.date]] | None = None) -> dict:
    """``{field: message}`` for the rules a secondment breaks (shared by form, API and import)."""
    errors = {}
    start, end = fields.get("start"), fields.get("end")
    if start and end and end <= start:
        errors["end"] = "截止日期必须晚于起始日期。"
    home, host = fields.get("home_unit"), fields.get("host_unit")
    if home is not None and host is not None and home.pk == host.pk:
        errors["host_unit"] = "派出单位与接收单位不能相同。"
    return errors


@transaction.atomic
def add_secondment(actor, **fields) -> Secondment:
    unknown = set(fields) - set(SECONDMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown secondment fields: {sorted(unknown)}")
    errors = check_secondment(fields)
    person, start, end = fields.get("person"), fields.get("start"), fields.get("end")
    if not errors and person is not None and start and end and Secondment.objects.filter(
            person=person, start__lt=end, end__gt=start).exclude(state=Secondment.State.WITHDRAWN).exists():
        errors["person"] = f"{person}在这段时间已有双向交流安排。"
    if errors:
        raise ValidationError(errors)
    return create_object(actor, Secondment, "visits.secondment.create", **fields)


EDITABLE_SECONDMENT_FIELDS = ["person", "home_unit", "host_unit", "host_post", "kind", "start", "end"]


@transaction.atomic
def update_secondment(actor, secondment: Secondment, **fields) -> dict:
    """Correct a secondment that is still planned or running (who, where, which post, the period).
    A completed or withdrawn one is a closed record: its evaluation stands as written."""
    unknown = set(fields) - set(EDITABLE_SECONDMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown secondment fields: {sorted(unknown)}")
    secondment = Secondment.objects.select_for_update().get(pk=secondment.pk)
    if secondment.state not in (Secondment.State.PLANNED, Secondment.State.ACTIVE):
        raise ValidationError({"state": f"该双向交流已{_label(Secondment.State, secondment.state)}，不能再修改。"})
    merged = {name: fields.get(name, getattr(secondment, name)) for name in EDITABLE_SECONDMENT_FIELDS}
    errors = check_secondment(merged)
    person, start, end = merged["person"], merged["start"], merged["end"]
    if not errors and Secondment.objects.filter(person=person, start__lt=end, end__gt=start).exclude(
            pk=secondment.pk).exclude(state=Secondment.State.WITHDRAWN).exists():
        errors["person"] = f"{person}在这段时间已有双向交流安排。"
    if errors:
        raise ValidationError(errors)
    return update_object(actor, secondment, "visits.secondment.update", **fields)


@transaction.atomic
def start_secondment(actor, secondment: Secondment) -> dict:
    return _move(actor, secondment, Secondment.State.ACTIVE, "visits.secondment.start")


@transaction.atomic
def withdraw_secondment(actor, secondment: Secondment) -> dict:
    return _move(actor, secondment, Secondment.State.WITHDRAWN, "visits.secondment.withdraw")


@transaction.atomic
def complete_secondment(actor, secondment: Secondment, *, grade: str, evaluation: str = "") -> dict:
    """The period ended: the evaluation (考核等次 and 评价) is recorded with it."""
    if grade not in Secondment.Grade.values:
        raise ValidationError({"grade": "请选择考核等次。"})
    return _move(actor, secondment, Secondment.State.COMPLETED, "visits.secondment.complete", grade=grade,
                 evaluation=evaluation)


# --------------------------------------------------------------------------------------------
# Rotation rule
# --------------------------------------------------------------------------------------------


@transaction.atomic
def set_rotation_rule(actor, conference: Conference, *, order: list[Unit], term_months: int, seats: int,
                      note: str = "") -> RotationRule:
    """Write the rule: eligible units in turn order, term length, rotating conveners at once."""
    ids = [u.pk for u in order]
    if len(set(ids)) != len(ids):
        raise ValidationError({"order": "轮值顺序中有重复的单位。"})
    if seats < 1:
        raise ValidationError({"seats": "同时在任人数至少为 1。"})
    if term_months < 1:
        raise ValidationError({"term_months": "任期至少 1 个月。"})
    if len(ids) < seats:
        raise ValidationError({"order": f"轮值单位少于同时在任人数（{seats}），一个单位将同时担任两个轮值职务。"})
    members = set(Membership.objects.current().filter(conference=conference).values_list("unit_id", flat=True))
    outsiders = [u.name for u in order if u.pk not in members]
    if outsiders:
        raise ValidationError({"order": f"不是本联席会议现任成员单位：{'、'.join(outsiders)}。"})
    rule = RotationRule.objects.filter(conference=conference).first()
    if rule is None:
        return create_object(actor, RotationRule, "visits.rotation_rule.create", conference=conference, order=ids,
                             term_months=term_months, seats=seats, note=note)
    update_object(actor, rule, "visits.rotation_rule.update", order=ids, term_months=term_months, seats=seats, note=note)
    return rule
