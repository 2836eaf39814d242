"""JSON API of the visits room: visit plans (compute, coverage), visits (propose, confirm, record
with needs raised), organisation coverage, venues, secondments, the rotation proposal. Reads go
through ``lianxi.visits.gates``; writes through the same services as the pages."""

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import StrictInt, StringConstraints

from lianxi.lib.schemas import (
    INSIDER_READ_ERRORS,
    WRITE_ERRORS,
    Choice,
    Id,
    Out,
    Pages,
    Ref,
    RefId,
    choices,
    lookup,
    ref,
    text,
)
from lianxi.lib.schemas import IsoDate as PayloadDate
from lianxi.lists.models import NeedCategory, Urgency
from lianxi.registry import services as registry_services
from lianxi.registry.gates import get_conference_for
from lianxi.registry.models import Area, Person, Unit, Venue
from lianxi.visits import coverage, gates, rotation, services
from lianxi.visits.models import Secondment, Visit, Visitor

router = Router(tags=["visits"])
Quantity = Annotated[int, Field(ge=1, le=1_000_000)]
Capacity = Annotated[int, Field(ge=0, le=50)]
# A day in a query string, as written (a bare number would otherwise be read as a timestamp).
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]


def _require_insider(user):
    """Coverage and the rotation plan are internal records (404 for everyone else)."""
    if not gates.is_insider(user):
        raise Http404


# ---------------------------------------------------------------- plans


class CoverageRow(Schema):
    street_id: int | None
    street: str
    units: int
    visited: int
    planned: int
    overdue: int
    unplanned: int
    rate: float | None


class CoverageTotal(Schema):
    units: int
    visited: int
    planned: int
    overdue: int
    unplanned: int
    rate: float | None


class PlanCoverageOut(Schema):
    on: datetime.date
    total: CoverageTotal
    streets: list[CoverageRow]


class PlanOut(Schema):
    id: int
    title: str
    conference: Ref
    start: datetime.date
    end: datetime.date
    computed_at: datetime.datetime | None


class PlanDetailOut(PlanOut):
    stats: dict = Field(description="上次计算的结果：covered/coverable/trips/max_load/objective/bound、greedy 基线、"
                                    "unplanned_units（单位编号 → 原因 no_date/no_visitor/no_capacity）")
    coverage: PlanCoverageOut

    @staticmethod
    def resolve_coverage(obj):
        return coverage.plan_coverage(obj)


@router.get("/visit-plans", response={200: list[PlanOut], **INSIDER_READ_ERRORS}, summary="走访计划")
@paginate(Pages)
def list_plans(request, conference: Id | None = None):
    qs = gates.plans_visible_to(request.user).select_related("conference").order_by("-start", "-id")
    if conference is not None:
        qs = qs.filter(conference_id=conference)
    return qs


@router.get("/visit-plans/{id}", response={200: PlanDetailOut, **INSIDER_READ_ERRORS}, summary="走访计划详情与覆盖")
def get_plan(request, id: Id):
    return gates.get_plan_for(request.user, id)


class PlanIn(Schema):
    model_config = {"extra": "forbid"}

    conference: RefId
    start: PayloadDate | None = Field(None, description="留空为本季度")
    end: PayloadDate | None = None


@router.post("/visit-plans", response={201: PlanDetailOut, **WRITE_ERRORS}, auth=django_auth, summary="新建走访计划")
def create_plan(request, payload: PlanIn):
    conference = get_conference_for(request.user, payload.conference, write=True)
    plan = services.create_plan(request.user, conference=conference, start=payload.start, end=payload.end)
    return Status(201, plan)


@router.post("/visit-plans/{id}/compute", response={200: PlanDetailOut, **WRITE_ERRORS}, auth=django_auth,
             summary="计算（重新计算）走访安排")
def compute_plan(request, id: Id):
    plan = gates.get_plan_for(request.user, id, write=True)
    services.compute_plan(request.user, plan)
    plan.refresh_from_db()
    return plan


class VisitorIn(Schema):
    model_config = {"extra": "forbid"}

    person: RefId
    role: choices(Visitor.Role)
    capacity: Capacity = 3
    unavailable: list[PayloadDate] = []


class VisitorOut(Out):
    id: int
    person: Ref
    role: Choice
    capacity: int
    unavailable: list[str]


@router.post("/visit-plans/{id}/visitors", response={201: VisitorOut, **WRITE_ERRORS}, auth=django_auth,
             summary="添加走访人")
def add_visitor(request, id: Id, payload: VisitorIn):
    plan = gates.get_plan_for(request.user, id, write=True)
    person = lookup(Person.objects.all(), payload.person, "person", "人员不存在。")
    visitor = services.add_visitor(request.user, plan, person=person, role=payload.role, capacity=payload.capacity,
                                   unavailable=payload.unavailable, user=person.user)
    return Status(201, visitor)


# ---------------------------------------------------------------- visits


class VisitOut(Out):
    id: int
    plan: int | None = Field(None, alias="plan_id")
    unit: Ref
    visitor: Ref | None
    planned_on: datetime.date
    state: Choice
    done_on: datetime.date | None
    participants: str
    met_with: str
    notes: str
    needs: list[int]

    @staticmethod
    def resolve_visitor(obj):
        return {"id": obj.visitor_id, "name": obj.visitor.person.name} if obj.visitor_id else None

    @staticmethod
    def resolve_needs(obj):
        return [link.need_id for link in obj.raised.all()]


def _visits(user):
    return gates.visits_visible_to(user).select_related("unit", "visitor__person").prefetch_related("raised")


@router.get("/visit-plans/{id}/visits", response={200: list[VisitOut], **INSIDER_READ_ERRORS}, summary="计划的走访安排")
@paginate(Pages)
def list_visits(request, id: Id, state: choices(Visit.State) | None = None):
    plan = gates.get_plan_for(request.user, id)
    qs = _visits(request.user).filter(plan=plan)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("planned_on", "id")


@router.get("/visits/{id}", response={200: VisitOut, **INSIDER_READ_ERRORS}, summary="走访详情")
def get_visit(request, id: Id):
    visit = gates.get_visit_for(request.user, id)
    return _visits(request.user).get(pk=visit.pk)


@router.post("/visits/{id}/propose", response={200: VisitOut, **WRITE_ERRORS}, auth=django_auth,
             summary="向单位预约走访（经减负闸门）")
def propose_visit(request, id: Id):
    visit = gates.get_visit_for(request.user, id)
    gates.require_manage(request.user, visit.conference)
    services.propose_visit(request.user, visit)
    return _visits(request.user).get(pk=visit.pk)


@router.post("/visits/{id}/confirm", response={200: VisitOut, **WRITE_ERRORS}, auth=django_auth, summary="单位确认走访日期")
def confirm_visit(request, id: Id):
    visit = gates.get_visit_to_confirm(request.user, id)
    services.confirm_visit(request.user, visit)
    return _visits(request.user).get(pk=visit.pk)


class RaisedNeedIn(Schema):
    model_config = {"extra": "forbid"}

    title: text(120, 1)
    category: RefId
    quantity: Quantity
    quantity_unit: text(20) = ""
    description: text(2000) = ""
    urgency: choices(Urgency) = Urgency.NORMAL
    area: RefId | None = Field(None, description="留空为被走访单位所在街道/居民区")


class RecordIn(Schema):
    model_config = {"extra": "forbid"}

    done_on: PayloadDate
    participants: text(200) = ""
    met_with: text(200) = ""
    notes: text(5000) = ""
    needs: list[RaisedNeedIn] = Field([], max_length=20)


@router.post("/visits/{id}/record", response={200: VisitOut, **WRITE_ERRORS}, auth=django_auth,
             summary="登记走访（收集的需求进入需求清单，来源“走访收集”）")
def record_visit(request, id: Id, payload: RecordIn):
    visit = gates.get_visit_for(request.user, id, write=True)
    needs = []
    for index, item in enumerate(payload.needs, start=1):
        data = item.model_dump()
        data["category"] = lookup(NeedCategory.objects.filter(is_active=True), data["category"], "needs",
                                  f"第 {index} 条需求的类别不存在或已停用。")
        area = data.pop("area")
        if area is not None:
            data["area"] = lookup(Area.objects.all(), area, "needs", f"第 {index} 条需求的街道/居民区不存在。")
        needs.append(data)
    services.record_visit(request.user, visit, done_on=payload.done_on, participants=payload.participants,
                          met_with=payload.met_with, notes=payload.notes, needs=needs)
    return _visits(request.user).get(pk=visit.pk)


# ---------------------------------------------------------------- organisation coverage


class OrgStreetOut(Schema):
    street_id: int | None
    street: str
    units: int
    built: int
    not_built: int
    unknown: int
    two_new: int
    two_new_built: int
    two_new_rate: float | None
    venues: int


class OrgCategoryOut(Schema):
    category: str
    label: str
    units: int
    built: int
    not_built: int
    unknown: int


class TrendPoint(Schema):
    on: datetime.date
    two_new: int
    built: int
    built_undated: int
    rate: float | None


class OrgCoverageOut(Schema):
    conference: Ref
    on: datetime.date
    total: dict
    streets: list[OrgStreetOut]
    categories: list[OrgCategoryOut]
    trend: list[TrendPoint]
    without_party_org: list[Ref]

    @staticmethod
    def resolve_conference(obj):
        return ref(obj["conference"])


@router.get("/conferences/{id}/org-coverage", response={200: OrgCoverageOut, **INSIDER_READ_ERRORS},
            summary="组织体系全覆盖：按街道、类别，两新覆盖率与趋势，未建党组织单位（前 200 家）")
def org_coverage(request, id: Id, on: IsoDate | None = None):
    conference = get_conference_for(request.user, id)
    _require_insider(request.user)
    day = None
    if on:
        try:
            day = datetime.date.fromisoformat(on)
        except ValueError as error:
            raise ValidationError({"on": "日期无效，应为 2025-06-30。"}) from error
    data = coverage.org_coverage(conference, day)
    data["without_party_org"] = [ref(u) for u in coverage.units_without_party_org(conference, data["on"])[:200]]
    return data


# ---------------------------------------------------------------- venues


class VenueOut(Out):
    id: int
    name: str
    kind: Choice
    owner: Ref
    area: Ref | None
    address: str
    capacity: int | None
    opening_hours: str
    access: Choice
    access_note: str
    is_active: bool


@router.get("/venues", response={200: list[VenueOut], **INSIDER_READ_ERRORS}, summary="阵地")
@paginate(Pages)
def list_venues(request, area: Id | None = None, owner: Id | None = None):
    qs = gates.venues_visible_to(request.user).select_related("owner", "area")
    if area is not None:
        qs = qs.filter(Q(area_id=area) | Q(area__parent_id=area))
    if owner is not None:
        qs = qs.filter(owner_id=owner)
    return qs.order_by("name", "id")


@router.get("/venues/{id}", response={200: VenueOut, **INSIDER_READ_ERRORS}, summary="阵地详情")
def get_venue(request, id: Id):
    return gates.get_venue_for(request.user, id)


class VenueIn(Schema):
    model_config = {"extra": "forbid"}

    name: text(150, 1)
    kind: choices(Venue.Kind)
    owner: RefId
    area: RefId | None = None
    address: text(200) = ""
    capacity: Annotated[StrictInt, Field(ge=0, le=1_000_000)] | None = None
    opening_hours: text(120) = ""
    access: choices(Venue.Access) = Venue.Access.MEMBERS
    access_note: text(200) = ""


@router.post("/venues", response={201: VenueOut, **WRITE_ERRORS}, auth=django_auth, summary="登记阵地")
def create_venue(request, payload: VenueIn):
    data = payload.model_dump()
    owner = lookup(Unit.objects.all(), data.pop("owner"), "owner", "所属单位不存在。")
    gates.require(request.user, gates.can_add_venue_for(request.user, owner))
    data["area"] = lookup(Area.objects.all(), data["area"], "area", "街道/区域不存在。")
    venue = registry_services.create_venue(request.user, owner=owner, **data)
    return Status(201, venue)


# ---------------------------------------------------------------- secondments


class BatchOut(Schema):
    id: int
    name: str
    year: int
    conference: Ref
    project: Ref | None

    @staticmethod
    def resolve_project(obj):
        return ref(obj.project, "title")


class SecondmentOut(Out):
    id: int
    person: Ref
    home_unit: Ref
    host_unit: Ref
    host_post: str
    kind: Choice
    start: datetime.date
    end: datetime.date
    state: Choice
    grade: str
    evaluation: str


@router.get("/secondment-batches", response={200: list[BatchOut], **INSIDER_READ_ERRORS}, summary="双向交流批次")
@paginate(Pages)
def list_batches(request):
    return gates.batches_visible_to(request.user).select_related("conference", "project").order_by("-year", "name")


@router.get("/secondment-batches/{id}/secondments", response={200: list[SecondmentOut], **INSIDER_READ_ERRORS},
            summary="批次人员")
@paginate(Pages)
def list_secondments(request, id: Id):
    batch = gates.get_batch_for(request.user, id)
    return batch.secondments.select_related("person", "home_unit", "host_unit").order_by("start", "id")


class SecondmentIn(Schema):
    model_config = {"extra": "forbid"}

    person: RefId
    home_unit: RefId
    host_unit: RefId
    host_post: text(120, 1)
    kind: choices(Secondment.Kind)
    start: PayloadDate
    end: PayloadDate


@router.post("/secondment-batches/{id}/secondments", response={201: SecondmentOut, **WRITE_ERRORS},
             auth=django_auth, summary="登记双向交流人员")
def add_secondment(request, id: Id, payload: SecondmentIn):
    batch = gates.get_batch_for(request.user, id, write=True)
    data = payload.model_dump()
    data["person"] = lookup(Person.objects.all(), data["person"], "person", "人员不存在。")
    for key in ("home_unit", "host_unit"):
        data[key] = lookup(Unit.objects.all(), data[key], key, "单位不存在。")
    secondment = services.add_secondment(request.user, batch=batch, **data)
    return Status(201, secondment)


# ---------------------------------------------------------------- rotation


class TermOut(Schema):
    start: datetime.date
    end: datetime.date
    units: list[Ref]


class RotationPlanOut(Schema):
    conference: Ref
    current: list[Ref] = Field(description="现任轮值召集人（任职记录编号与任职人）")
    adjusted_away: list[Ref] = Field(description="已在全体会议上调整、新任人选未载明的原任职")
    handover_on: datetime.date | None
    terms: list[TermOut]
    conflicts: list[str]


@router.get("/conferences/{id}/rotation-plan", response={200: RotationPlanOut, **INSIDER_READ_ERRORS},
            summary="常任轮值：按规则推算下几任及冲突")
def rotation_plan(request, id: Id):
    conference = get_conference_for(request.user, id)
    _require_insider(request.user)
    state = rotation.roster(conference)
    proposal = rotation.propose(conference)
    return {
        "conference": ref(conference),
        "current": [{"id": a.pk, "name": a.holder_label} for a in state.current],
        "adjusted_away": [{"id": a.pk, "name": a.holder_label} for a, _item in state.adjusted_away],
        "handover_on": proposal.handover_on,
        "terms": [{"start": t.start, "end": t.end, "units": [ref(u) for u in t.units]} for t in proposal.terms],
        "conflicts": proposal.conflicts,
    }

