"""JSON API for the registry: conferences, units and their memberships, people and their posts, the
rotation roster, and the few writes (units, people, admissions) that go through the services.

Reads are filtered by the gates in :mod:`lianxi.registry.gates`; people and posts are insiders only."""

import datetime
from typing import Literal

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from lianxi.audit.services import record_personal_data_view
from lianxi.lib.privacy import mask_email, mask_phone
from lianxi.lib.schemas import (
    INSIDER_READ_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    Choice,
    Id,
    IsoDate,
    Out,
    Pages,
    Ref,
    RefId,
    SearchText,
    Stated,
    choices,
    lookup,
    ref,
    text,
    unique_errors_named,
)
from lianxi.registry import gates, services
from lianxi.registry.adjustments import adjustments_of, split_current
from lianxi.registry.filters import UnitFilterSet
from lianxi.registry.models import Appointment, Area, Conference, Membership, Person, Unit, meeting_model

router = Router(tags=["registry"])

ConferenceKind = choices(Conference.Kind)
UnitCategory = choices(Unit.Category)
PartyOrgLevel = choices(Unit.PartyOrgLevel)
AppointmentRole = choices(Appointment.Role)


def _is_insider(context) -> bool:
    return gates.is_insider(context["request"].user)


def _visible_conference(conference, context) -> dict | None:
    """A reference to another conference, hidden from outsiders when it is not public."""
    if conference is None or not (conference.is_public or _is_insider(context)):
        return None
    return ref(conference)


# ---------------------------------------------------------------- conferences


class ConferenceOut(Out):
    id: int
    name: str
    short_name: Stated
    kind: Choice
    status: Choice
    parent: Ref | None
    parent_note: Stated  # "推断：…" when the parent is inferred, not stated by the source
    area: Ref | None
    founded_on: datetime.date | None
    founded_at: int | None  # the meeting at which it was unveiled
    upgraded_from: Ref | None
    is_public: bool

    @staticmethod
    def resolve_parent(obj, context):
        return _visible_conference(obj.parent, context)

    @staticmethod
    def resolve_founded_at(obj):
        return obj.founded_at_id

    @staticmethod
    def resolve_upgraded_from(obj, context):
        return _visible_conference(obj.upgraded_from, context)


class ConferenceDetailOut(ConferenceOut):
    description: Stated
    member_count: int  # current memberships
    children: list[Ref]
    committees: list[Ref]

    @staticmethod
    def resolve_children(obj):
        return [ref(c) for c in obj.visible_children]

    @staticmethod
    def resolve_committees(obj):
        return [ref(c) for c in obj.committees.all()]


class ConferenceFilters(Schema):
    kind: ConferenceKind | None = None
    parent: Id | None = None


def _conferences(user):
    return gates.conferences_visible_to(user).select_related("parent", "area", "upgraded_from")


@router.get("/conferences", response={200: list[ConferenceOut], **READ_ERRORS}, summary="联席会议列表")
@paginate(Pages)
def list_conferences(request, filters: Query[ConferenceFilters]):
    qs = _conferences(request.user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    return qs.order_by("id")


@router.get("/conferences/{id}", response={200: ConferenceDetailOut, **READ_ERRORS}, summary="联席会议详情")
def get_conference(request, id: Id):
    gates.get_conference_for(request.user, id)
    return (
        _conferences(request.user)
        .annotate(member_count=Coalesce(
            Subquery(
                Membership.objects.current(timezone.localdate()).filter(conference=OuterRef("pk")).order_by()
                .values("conference").annotate(c=Count("*")).values("c")
            ),
            0,
        ))
        .prefetch_related(
            Prefetch("children", queryset=gates.conferences_visible_to(request.user).order_by("id"),
                     to_attr="visible_children"),
            "committees",
        )
        .get(pk=id)
    )


# ---------------------------------------------------------------- posts (insiders)


class AppointmentOut(Out):
    id: int
    conference: Ref
    role: Choice
    person: Ref | None
    unit: Ref | None
    start: datetime.date | None
    end: datetime.date | None
    attested_on: datetime.date | None
    appointed_at: int | None  # meeting id
    ended_at: int | None  # meeting id
    note: Stated

    @staticmethod
    def resolve_appointed_at(obj):
        return obj.appointed_at_id

    @staticmethod
    def resolve_ended_at(obj):
        return obj.ended_at_id


def _appointments(user):
    return gates.appointments_visible_to(user).select_related("conference", "person", "unit")


class AppointmentFilters(Schema):
    role: AppointmentRole | None = None
    current: bool | None = None


@router.get(
    "/conferences/{id}/appointments",
    response={200: list[AppointmentOut], **INSIDER_READ_ERRORS},
    auth=django_auth,
    summary="联席会议的任职（仅内部）",
)
@paginate(Pages)
def list_conference_appointments(request, id: Id, filters: Query[AppointmentFilters]):
    conference = gates.get_conference_for(request.user, id)
    qs = _appointments(request.user).filter(conference=conference)
    if filters.role:
        qs = qs.filter(role=filters.role)
    if filters.current is True:
        qs = qs.current(timezone.localdate())
    elif filters.current is False:
        qs = qs.exclude(pk__in=Appointment.objects.current(timezone.localdate()).values("pk"))
    return qs.order_by("role", "start", "id")


class RotationOut(Schema):
    conference: Ref
    on: datetime.date
    past: list[AppointmentOut]
    current: list[AppointmentOut]
    next: list[AppointmentOut]
    adjusted: list[AppointmentOut] = Field(
        [], description="按日期仍在任、但已在全体会议“调整”议程中调整且新任人选未载明的任职（不再列为现任）")


@router.get("/conferences/{id}/rotation", response={200: RotationOut, **READ_ERRORS}, summary="常任轮值：往届、本届、下届")
def get_rotation(request, id: Id):
    """The rotating conveners (轮值召集人) by term. Posts are internal records, so callers who are
    not insiders get the conference with empty terms."""
    conference = gates.get_conference_for(request.user, id)
    today = timezone.localdate()
    terms = list(
        _appointments(request.user)
        .filter(conference=conference, role=Appointment.Role.ROTATING_CONVENER)
        .order_by("start", "id")
    )
    past, current, upcoming = [], [], []
    for term in terms:
        if term.end is not None and term.end <= today:
            past.append(term)
        elif term.start is not None and term.start > today:
            upcoming.append(term)
        else:
            current.append(term)
    # Holders a plenary adjusted without naming successors are not current (lianxi.registry.adjustments).
    current, adjusted = split_current(current, adjustments_of(conference, today), today)
    return {"conference": ref(conference), "on": today, "past": past, "current": current, "next": upcoming,
            "adjusted": [appointment for appointment, _adj in adjusted]}


# ---------------------------------------------------------------- units


class MembershipOut(Schema):
    id: int
    conference: Ref
    unit: Ref
    start: datetime.date | None
    end: datetime.date | None
    admitted_at: int | None  # meeting id
    plaque_awarded_on: datetime.date | None
    note: Stated

    @staticmethod
    def resolve_admitted_at(obj):
        return obj.admitted_at_id


class UnitOut(Out):
    id: int
    name: str
    party_org_name: Stated
    party_org_level: Choice
    category: Choice
    area: Ref | None


class UnitDetailOut(UnitOut):
    address: Stated
    phone: str | None  # insiders only
    description: Stated
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_phone(obj, context):
        return obj.phone if _is_insider(context) else None

    @staticmethod
    def resolve_memberships(obj):
        return obj.visible_memberships


class UnitFilters(Schema):
    q: SearchText | None = None
    category: UnitCategory | None = None
    conference: Id | None = None
    area: Id | None = None  # the area or a street/area inside it
    party: Literal["yes", "no"] | None = None  # with or without a party organisation of its own


@router.get("/units", response={200: list[UnitOut], **READ_ERRORS}, summary="单位列表")
@paginate(Pages)
def list_units(request, filters: Query[UnitFilters]):
    """``q`` matches the unit or party-organisation name in 简体 or 繁體, or its pinyin initials;
    ``conference`` keeps the current members of that conference."""
    qs = UnitFilterSet(filters.model_dump(exclude_none=True),
                       queryset=gates.units_visible_to(request.user).select_related("area"), request=request).qs
    return qs.order_by("name", "id")


def _unit_detail(user, pk) -> Unit:
    memberships = (
        Membership.objects.filter(conference__in=gates.conferences_visible_to(user))
        .select_related("conference", "unit")
        .order_by("conference_id", "start", "id")
    )
    return (
        Unit.objects.select_related("area")
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="visible_memberships"))
        .get(pk=pk)
    )


@router.get("/units/{id}", response={200: UnitDetailOut, **READ_ERRORS}, summary="单位详情及成员资格")
def get_unit(request, id: Id):
    unit = gates.get_unit_for(request.user, id)
    return _unit_detail(request.user, unit.pk)


class UnitIn(Schema):
    model_config = {"extra": "forbid"}

    name: text(150, min_length=1)
    party_org_name: text(180) = ""
    party_org_level: PartyOrgLevel = Unit.PartyOrgLevel.UNKNOWN.value
    category: UnitCategory
    area: RefId | None = None
    address: text(200) = ""
    phone: text(40) = ""
    description: text(5000) = ""


class UnitPatch(Schema):
    """Only the fields sent are changed."""

    model_config = {"extra": "forbid"}

    # A column that cannot be empty in the database cannot be null here: leave the field out to
    # keep it, send "" to clear it. Only ``area`` may be null (the unit has no area).
    name: text(150, min_length=1) = None
    party_org_name: text(180) = None
    party_org_level: PartyOrgLevel = None
    category: UnitCategory = None
    area: RefId | None = None
    address: text(200) = None
    phone: text(40) = None
    description: text(5000) = None


def _unit_fields(data: dict) -> dict:
    if "area" in data:
        data["area"] = lookup(Area.objects.all(), data["area"], "area", "所选区域不存在。")
    return data


@router.post("/units", response={201: UnitDetailOut, **WRITE_ERRORS}, auth=django_auth, summary="新建单位")
def create_unit(request, payload: UnitIn):
    """For district administrators and the secretariat of any conference."""
    gates.require_manage_any_conference(request.user)
    with unique_errors_named(Unit):
        unit = services.create_unit(request.user, **_unit_fields(payload.model_dump()))
    return Status(201, _unit_detail(request.user, unit.pk))


@router.patch("/units/{id}", response={200: UnitDetailOut, **WRITE_ERRORS}, auth=django_auth, summary="修改单位")
def update_unit(request, id: Id, payload: UnitPatch):
    """The unit's own liaison, or whoever manages a conference the unit belongs to."""
    unit = gates.get_unit_for(request.user, id, write=True)
    with unique_errors_named(Unit):
        services.update_unit(request.user, unit, **_unit_fields(payload.model_dump(exclude_unset=True)))
    return _unit_detail(request.user, unit.pk)


# ---------------------------------------------------------------- people (insiders)


class PersonOut(Schema):
    id: int
    name: str
    unit: Ref | None
    title: Stated


class PersonDetailOut(PersonOut):
    phone: Stated
    email: Stated
    appointments: list[AppointmentOut]

    @staticmethod
    def resolve_phone(obj, context):
        if not obj.phone or gates.may_see_person_contact(context["request"].user, obj):
            return obj.phone
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_email(obj, context):
        if not obj.email or gates.may_see_person_contact(context["request"].user, obj):
            return obj.email
        return mask_email(obj.email)

    @staticmethod
    def resolve_appointments(obj):
        return obj.visible_appointments


class PersonFilters(Schema):
    q: SearchText | None = None
    unit: Id | None = None
    conference: Id | None = None


@router.get("/people", response={200: list[PersonOut], **INSIDER_READ_ERRORS}, auth=django_auth, summary="人员列表（仅内部）")
@paginate(Pages)
def list_people(request, filters: Query[PersonFilters]):
    """``q`` matches the name in 简体 or 繁體, or its pinyin initials; ``conference`` keeps people
    who hold or held a post in it."""
    qs = gates.people_visible_to(request.user).select_related("unit")
    if filters.q:
        qs = qs.search(filters.q)
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    if filters.conference is not None:
        posts = gates.appointments_visible_to(request.user).filter(person=OuterRef("pk"), conference_id=filters.conference)
        qs = qs.filter(Exists(posts))
    return qs.order_by("name", "id")


def _person_detail(user, pk) -> Person:
    posts = _appointments(user).order_by("conference_id", "role", "start", "id")
    return (
        Person.objects.select_related("unit")
        .prefetch_related(Prefetch("appointments", queryset=posts, to_attr="visible_appointments"))
        .get(pk=pk)
    )


@router.get("/people/{id}", response={200: PersonDetailOut, **INSIDER_READ_ERRORS}, auth=django_auth,
            summary="人员详情及任职（仅内部）")
def get_person(request, id: Id):
    person = gates.get_person_for(request.user, id)
    if (person.phone or person.email) and gates.may_see_person_contact(request.user, person):
        record_personal_data_view(request.user, [person], [f for f in ("phone", "email") if getattr(person, f)])
    return _person_detail(request.user, person.pk)


class PersonIn(Schema):
    model_config = {"extra": "forbid"}

    name: text(50, min_length=1)
    unit: RefId | None = None
    title: text(200) = ""
    phone: text(40) = ""
    email: text(254) = ""


@router.post("/people", response={201: PersonDetailOut, **WRITE_ERRORS}, auth=django_auth, summary="新建人员")
def create_person(request, payload: PersonIn):
    """For those who run a conference, or a unit's own liaison for a person of that unit."""
    gates.require(request.user, gates.can_create_person(request.user))
    data = payload.model_dump()
    data["unit"] = lookup(gates.units_visible_to(request.user), data["unit"], "unit", "所选单位不存在。")
    # The page's form asks the same gate (and shows its reason on the unit field).
    gates.require(request.user, gates.can_register_person_in(request.user, data["unit"]))
    person = services.create_person(request.user, **data)
    return Status(201, _person_detail(request.user, person.pk))


# ---------------------------------------------------------------- admissions


class MembershipIn(Schema):
    model_config = {"extra": "forbid"}

    unit: RefId
    start: IsoDate | None = None  # defaults to the date of ``admitted_at``
    admitted_at: RefId | None = None  # meeting id
    plaque_awarded_on: IsoDate | None = None
    note: text(200) = ""


@router.post("/conferences/{id}/memberships", response={201: MembershipOut, **WRITE_ERRORS}, auth=django_auth,
             summary="接纳成员单位")
def admit_unit(request, id: Id, payload: MembershipIn):
    """Make a unit a member of the conference; for those who run the conference."""
    conference = gates.get_conference_for(request.user, id, write=True)
    unit = lookup(Unit.objects.all(), payload.unit, "unit", "所选单位不存在。")
    meeting = lookup(meeting_model().objects.all(), payload.admitted_at, "admitted_at", "所选会议不存在。")
    start = payload.start if payload.start is not None else (meeting.date if meeting else None)
    membership = services.admit_unit(
        request.user, unit=unit, conference=conference, start=start, admitted_at=meeting,
        plaque_awarded_on=payload.plaque_awarded_on, note=payload.note,
    )
    return Status(201, membership)
