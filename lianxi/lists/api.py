"""JSON API for the three lists: needs, resources, claims and deliveries. Reads are filtered by
the gates in :mod:`lianxi.lists.gates`; writes go through the same forms and services as the web
pages, so a refused payload is a 422 naming the field, exactly as the page would show it."""

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import StrictBool, StrictInt

from lianxi.audit.services import record_personal_data_view
from lianxi.lib.privacy import mask_phone
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
    choices,
    lookup,
    ref,
    text,
)
from lianxi.lists import gates, services
from lianxi.lists.filters import NeedFilterSet, ResourceFilterSet
from lianxi.lists.models import Cadence, Claim, Delivery, Need, NeedCategory, Resource, Urgency
from lianxi.registry.gates import is_insider, require, require_insider
from lianxi.registry.models import Area, Unit

router = Router(tags=["lists"])

NeedState = choices(Need.State)
UrgencyCode = choices(Urgency)
SourceCode = choices(Need.Source)
ResourceKind = choices(Resource.Kind)
PeriodCode = choices(Resource.Period)
CadenceCode = choices(Cadence)
ClaimState = choices(Claim.State)
DeliveryState = choices(Delivery.State)
Quantity = Annotated[StrictInt, Field(ge=1, le=1_000_000)]
Rating = Annotated[StrictInt, Field(ge=1, le=5)]


def _insider(context) -> bool:
    return is_insider(context["request"].user)


class _Resolver:
    """Ids of a payload resolved to objects among the given choices, every unknown id reported
    together (a 422 naming each field), before the service sees typed values."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def one(self, queryset, pk, field: str, message: str):
        if pk is None:
            return None
        obj = queryset.filter(pk=pk).first()
        if obj is None:
            self.errors[field] = [message.format(pk)]
        return obj

    def many(self, queryset, pks, field: str, message: str) -> list:
        found = queryset.in_bulk(pks)
        missing = [pk for pk in pks if pk not in found]
        if missing:
            self.errors[field] = [message.format(missing[0])]
        return [found[pk] for pk in pks if pk in found]

    def raise_errors(self):
        if self.errors:
            raise ValidationError(self.errors)


# ---------------------------------------------------------------- categories


class CategoryOut(Schema):
    id: int
    code: str
    name: str


@router.get("/need-categories", response={200: list[CategoryOut], **READ_ERRORS}, summary="需求/资源类别")
def list_categories(request):
    return NeedCategory.objects.filter(is_active=True).order_by("order", "id")


# ---------------------------------------------------------------- needs


class NeedOut(Out):
    id: int
    title: str
    state: Choice
    conference: Ref
    owner: Ref
    category: Ref
    area: Ref
    quantity: int
    quantity_unit: str
    claimed_quantity: int
    remaining: int
    urgency: Choice
    deadline: datetime.date | None
    published_at: datetime.datetime | None
    first_right_until: datetime.datetime | None

    @staticmethod
    def resolve_conference(obj):
        return {"id": obj.conference_id, "name": obj.conference.display_name}


class NeedDetailOut(NeedOut):
    description: str
    beneficiaries: str
    source: Choice
    source_note: str
    contact_name: str | None
    contact_phone: str | None
    paired_units: list[Ref]

    @staticmethod
    def resolve_contact_name(obj, context):
        return obj.contact_name if _insider(context) else None

    @staticmethod
    def resolve_contact_phone(obj, context):
        if not _insider(context):
            return None
        full = gates.may_see_need_contact(context["request"].user, obj)
        return obj.contact_phone if full else mask_phone(obj.contact_phone)

    @staticmethod
    def resolve_paired_units(obj):
        return [ref(p.unit) for p in obj.pairings.all()]


class NeedFilters(Schema):
    q: SearchText | None = None
    conference: Id | None = None
    owner: Id | None = None
    category: Id | None = None
    area: Id | None = None
    state: NeedState | None = None
    urgency: UrgencyCode | None = None
    open: bool | None = Field(None, description="只看仍可认领的需求")
    in_hall: bool | None = Field(None, description="只看已进入认领大厅（结对优先期已过）的需求")


def _needs(user):
    return gates.needs_visible_to(user).select_related("conference", "owner", "category", "area")


@router.get("/needs", response={200: list[NeedOut], **READ_ERRORS}, summary="需求清单")
@paginate(Pages)
def list_needs(request, filters: Query[NeedFilters]):
    """``open``/``in_hall`` list in the hall's order (most urgent, newest first); otherwise newest first."""
    hall = bool(filters.open or filters.in_hall)
    # Related rows by prefetch, not join: the page query then stays on the needs table and its
    # indexes (a joined, sorted query is planned from the small tables outward on SQLite).
    qs = (gates.open_needs_visible_to(request.user) if hall else gates.needs_visible_to(request.user)).prefetch_related(
        "conference", "owner", "category", "area")
    qs = NeedFilterSet(filters.model_dump(exclude_none=True, exclude={"open"}), queryset=qs).qs
    if hall:
        return qs.order_by("-urgency", "-published_at", "-id")
    return qs.order_by("-created_at", "-id")


def _need_detail(user, pk) -> Need:
    return _needs(user).prefetch_related("pairings__unit").get(pk=pk)


@router.get("/needs/{id}", response={200: NeedDetailOut, **READ_ERRORS}, summary="需求详情")
def get_need(request, id: Id):
    need = gates.get_need_for(request.user, id)
    if need.contact_phone and gates.may_see_need_contact(request.user, need):
        record_personal_data_view(request.user, [need], ["contact_phone"])
    return _need_detail(request.user, need.pk)


class NeedIn(Schema):
    model_config = {"extra": "forbid"}

    conference: RefId
    owner: RefId
    title: text(120, min_length=1)
    description: text(5000) = ""
    category: RefId
    area: RefId
    quantity: Quantity
    quantity_unit: text(20) = ""
    beneficiaries: text(120) = ""
    deadline: IsoDate | None = None
    urgency: UrgencyCode = Urgency.NORMAL
    contact_name: text(50) = ""
    contact_phone: text(40) = ""
    source: SourceCode = Need.Source.POSTED
    source_note: text(200) = ""
    publish: StrictBool = Field(True, description="false 则保存为草稿")


@router.post("/needs", response={201: NeedDetailOut, **WRITE_ERRORS}, auth=django_auth, summary="发布需求")
def create_need(request, payload: NeedIn):
    """The owner unit's accounts or the conference's managers. The ids are resolved to objects
    among those the user may choose (as the page's form offers them); every rule is the service's."""
    user = request.user
    require(user, gates.can_post(user))
    fields = payload.model_dump()
    publish = fields.pop("publish")
    rules = services.NeedRules()
    ids = _Resolver()
    fields["conference"] = ids.one(gates.posting_conferences(user, rules), fields["conference"], "conference",
                                   "“{}”不是可发布需求的联席会议。")
    fields["owner"] = ids.one(gates.posting_units(user), fields["owner"], "owner", "“{}”不是可代为发布需求的单位。")
    fields["category"] = ids.one(NeedCategory.objects.filter(is_active=True), fields["category"], "category",
                                 "“{}”不是有效的类别。")
    fields["area"] = ids.one(Area.objects.exclude(kind=Area.Kind.DISTRICT), fields["area"], "area",
                             "“{}”不是有效的街道或居民区。")
    if fields["source"] != Need.Source.POSTED and gates.records_only_posted_needs(user):
        ids.errors["source"] = [f"“{fields['source']}”不是有效的来源。"]
    ids.raise_errors()
    gates.require_post_need_for(user, fields["conference"], fields["owner"])
    need = services.post_need(user, publish=publish, rules=rules, **fields)
    return Status(201, _need_detail(request.user, need.pk))


class ReasonIn(Schema):
    model_config = {"extra": "forbid"}

    reason: text(150) = ""


@router.post("/needs/{id}/publish", response={200: NeedDetailOut, **WRITE_ERRORS}, auth=django_auth, summary="发布草稿")
def publish_need(request, id: Id):
    need = gates.get_need_for(request.user, id, write=True)
    services.publish_need(request.user, need)
    return _need_detail(request.user, need.pk)


@router.post("/needs/{id}/withdraw", response={200: NeedDetailOut, **WRITE_ERRORS}, auth=django_auth, summary="撤回需求")
def withdraw_need(request, id: Id, payload: ReasonIn | None = None):
    need = gates.get_need_for(request.user, id, write=True)
    services.withdraw_need(request.user, need, reason=payload.reason if payload else "")
    return _need_detail(request.user, need.pk)


@router.post("/needs/{id}/close", response={200: NeedDetailOut, **WRITE_ERRORS}, auth=django_auth, summary="关闭需求")
def close_need(request, id: Id):
    need = gates.get_need_for(request.user, id, write=True)
    services.close_need(request.user, need)
    return _need_detail(request.user, need.pk)


# ---------------------------------------------------------------- claims


class ShareOut(Schema):
    unit: Ref
    quantity: int


class ClaimOut(Out):
    id: int
    need: Ref
    unit: Ref
    quantity: int
    state: Choice
    cadence: Choice
    start_on: datetime.date
    end_on: datetime.date | None
    resource: Ref | None
    shares: list[ShareOut]
    created_at: datetime.datetime

    @staticmethod
    def resolve_need(obj):
        return ref(obj.need, "title")

    @staticmethod
    def resolve_resource(obj):
        return ref(obj.resource, "title")

    @staticmethod
    def resolve_shares(obj):
        return list(obj.shares.all())


class ShareIn(Schema):
    model_config = {"extra": "forbid"}

    unit: RefId
    quantity: Quantity


class ClaimIn(Schema):
    model_config = {"extra": "forbid"}

    unit: RefId
    quantity: Quantity
    resource: RefId | None = None
    cadence: CadenceCode = Cadence.ONCE
    start_on: IsoDate | None = None
    end_on: IsoDate | None = None
    note: text(200) = ""
    co_claimants: list[ShareIn] = Field(default_factory=list, max_length=50)


def _claims(user):
    return (gates.claims_visible_to(user).select_related("need", "unit", "resource")
            .prefetch_related("shares__unit"))


@router.post("/needs/{id}/claims", response={201: ClaimOut, **WRITE_ERRORS}, auth=django_auth, summary="认领需求")
def claim_need(request, id: Id, payload: ClaimIn):
    """Single, joint (``co_claimants``) or long-term (``cadence``); the first-right window and the
    remaining quantity are enforced by the service."""
    need = gates.get_need_for(request.user, id)
    units = gates.claimant_units_for(request.user, need.conference_id).exclude(pk=need.owner_id)
    unit = lookup(Unit.objects.all(), payload.unit, "unit", "所选单位不存在。")
    require(request.user, units.filter(pk=unit.pk).exists())
    # Ids resolved to objects here; every rule about them (membership, shares, the resource's
    # owner, the window) is the service's, as for the page.
    co = [(lookup(Unit.objects.all(), share.unit, "co_claimants", f"单位 {share.unit} 不存在。"), share.quantity)
          for share in payload.co_claimants]
    resource = lookup(Resource.objects.all(), payload.resource, "resource", "所选资源不存在。")
    claim = services.claim_need(
        request.user, need, unit=unit, quantity=payload.quantity, resource=resource, co_claimants=co,
        cadence=payload.cadence, start_on=payload.start_on, end_on=payload.end_on, note=payload.note,
    )
    return Status(201, _claims(request.user).get(pk=claim.pk))


class ClaimFilters(Schema):
    need: Id | None = None
    unit: Id | None = None
    state: ClaimState | None = None
    mine: bool | None = Field(None, description="只看本人所属单位（含联合认领）的认领")


@router.get("/claims", response={200: list[ClaimOut], **READ_ERRORS}, summary="认领列表")
@paginate(Pages)
def list_claims(request, filters: Query[ClaimFilters]):
    qs = _claims(request.user)
    if filters.need is not None:
        qs = qs.filter(need_id=filters.need)
    if filters.unit is not None:
        qs = qs.filter(Q(unit_id=filters.unit) | Q(shares__unit_id=filters.unit)).distinct()
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.mine:
        own = gates.units_acted_for(request.user)
        qs = qs.filter(Q(unit_id__in=own) | Q(shares__unit_id__in=own)).distinct()
    return qs.order_by("-created_at", "-id")


@router.get("/claims/{id}", response={200: ClaimOut, **READ_ERRORS}, summary="认领详情")
def get_claim(request, id: Id):
    claim = gates.get_claim_for(request.user, id)
    return _claims(request.user).get(pk=claim.pk)


@router.post("/claims/{id}/cancel", response={200: ClaimOut, **WRITE_ERRORS}, auth=django_auth, summary="撤回认领")
def cancel_claim(request, id: Id, payload: ReasonIn | None = None):
    claim = gates.get_claim_for(request.user, id, write=True)
    services.cancel_claim(request.user, claim, reason=payload.reason if payload else "")
    return _claims(request.user).get(pk=claim.pk)


class EndIn(Schema):
    model_config = {"extra": "forbid"}

    end_on: IsoDate | None = None


@router.post("/claims/{id}/end", response={200: ClaimOut, **WRITE_ERRORS}, auth=django_auth, summary="结束长效认领")
def end_claim(request, id: Id, payload: EndIn | None = None):
    claim = gates.get_claim_for(request.user, id, write=True)
    services.end_claim(request.user, claim, end_on=payload.end_on if payload else None)
    return _claims(request.user).get(pk=claim.pk)


# ---------------------------------------------------------------- deliveries (insiders)


class DeliveryOut(Out):
    id: int
    claim: int
    need: Ref
    unit: Ref
    sequence: int
    due_on: datetime.date
    state: Choice
    overdue: bool
    delivered_on: datetime.date | None
    quantity: int | None
    note: str
    confirmed_on: datetime.datetime | None
    rating: int | None
    rating_comment: str

    @staticmethod
    def resolve_claim(obj):
        return obj.claim_id

    @staticmethod
    def resolve_need(obj):
        return ref(obj.claim.need, "title")

    @staticmethod
    def resolve_unit(obj):
        return ref(obj.claim.unit)

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue()


class DeliveryFilters(Schema):
    claim: Id | None = None
    need: Id | None = None
    state: DeliveryState | None = None
    overdue: bool | None = None
    mine: bool | None = Field(None, description="本人所属单位要交付或要确认的")


def _deliveries(user):
    return gates.deliveries_visible_to(user).select_related("claim__need", "claim__unit")


@router.get("/deliveries", response={200: list[DeliveryOut], **INSIDER_READ_ERRORS}, auth=django_auth,
            summary="交付列表（仅内部）")
@paginate(Pages)
def list_deliveries(request, filters: Query[DeliveryFilters]):
    qs = _deliveries(request.user) if is_insider(request.user) else Delivery.objects.none()
    if filters.claim is not None:
        qs = qs.filter(claim_id=filters.claim)
    if filters.need is not None:
        qs = qs.filter(claim__need_id=filters.need)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.overdue:
        qs = qs.overdue()
    if filters.mine:
        own = gates.units_acted_for(request.user)
        qs = qs.filter(Q(claim__unit_id__in=own) | Q(claim__shares__unit_id__in=own)
                       | Q(claim__need__owner_id__in=own)).distinct()
    return qs.order_by("due_on", "id")


def _insider_delivery(user, pk, action="view") -> Delivery:
    require_insider(user)
    return gates.get_delivery_for(user, pk, action=action)


@router.get("/deliveries/{id}", response={200: DeliveryOut, **INSIDER_READ_ERRORS}, auth=django_auth,
            summary="交付详情（仅内部）")
def get_delivery(request, id: Id):
    delivery = _insider_delivery(request.user, id)
    return _deliveries(request.user).get(pk=delivery.pk)


class RecordIn(Schema):
    model_config = {"extra": "forbid"}

    delivered_on: IsoDate | None = None
    quantity: Quantity | None = None
    note: text(300) = ""


@router.post("/deliveries/{id}/record", response={200: DeliveryOut, **WRITE_ERRORS}, auth=django_auth,
             summary="登记交付（认领方）")
def record_delivery(request, id: Id, payload: RecordIn):
    delivery = _insider_delivery(request.user, id, action="record")
    if payload.delivered_on and payload.delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": "交付日期不能晚于今天。"})
    services.record_delivery(request.user, delivery, delivered_on=payload.delivered_on, quantity=payload.quantity,
                             note=payload.note)
    return _deliveries(request.user).get(pk=delivery.pk)


class ConfirmIn(Schema):
    model_config = {"extra": "forbid"}

    rating: Rating | None = None
    comment: text(300) = ""


@router.post("/deliveries/{id}/confirm", response={200: DeliveryOut, **WRITE_ERRORS}, auth=django_auth,
             summary="确认交付（需求方，可同时评价）")
def confirm_delivery(request, id: Id, payload: ConfirmIn):
    delivery = _insider_delivery(request.user, id, action="confirm")
    services.confirm_delivery(request.user, delivery, rating=payload.rating, comment=payload.comment)
    return _deliveries(request.user).get(pk=delivery.pk)


class RateIn(Schema):
    model_config = {"extra": "forbid"}

    rating: Rating
    comment: text(300) = ""


@router.post("/deliveries/{id}/rate", response={200: DeliveryOut, **WRITE_ERRORS}, auth=django_auth,
             summary="评价交付（需求方）")
def rate_delivery(request, id: Id, payload: RateIn):
    delivery = _insider_delivery(request.user, id, action="confirm")
    services.rate_delivery(request.user, delivery, rating=payload.rating, comment=payload.comment)
    return _deliveries(request.user).get(pk=delivery.pk)


# ---------------------------------------------------------------- resources


class ResourceOut(Out):
    id: int
    title: str
    state: Choice
    conference: Ref
    unit: Ref
    category: Ref
    kind: Choice
    capacity: int
    capacity_unit: str
    period: Choice
    available_from: datetime.date | None
    available_until: datetime.date | None
    areas: list[Ref]

    @staticmethod
    def resolve_conference(obj):
        return {"id": obj.conference_id, "name": obj.conference.display_name}

    @staticmethod
    def resolve_areas(obj):
        return [ref(a) for a in obj.areas.all()]


class ResourceDetailOut(ResourceOut):
    description: str
    conditions: str
    contact_name: str | None
    contact_phone: str | None

    @staticmethod
    def resolve_contact_name(obj, context):
        return obj.contact_name if _insider(context) else None

    @staticmethod
    def resolve_contact_phone(obj, context):
        if not _insider(context):
            return None
        full = bool(gates.resources_with_full_contact(context["request"].user, [obj]))
        return obj.contact_phone if full else mask_phone(obj.contact_phone)


class ResourceFilters(Schema):
    q: SearchText | None = None
    conference: Id | None = None
    unit: Id | None = None
    category: Id | None = None
    kind: ResourceKind | None = None
    area: Id | None = None
    state: choices(Resource.State) | None = None


def _resources(user):
    return gates.resources_visible_to(user).select_related("conference", "unit", "category").prefetch_related("areas")


@router.get("/resources", response={200: list[ResourceOut], **READ_ERRORS}, summary="资源清单")
@paginate(Pages)
def list_resources(request, filters: Query[ResourceFilters]):
    qs = ResourceFilterSet(filters.model_dump(exclude_none=True), queryset=_resources(request.user)).qs
    return qs.order_by("-created_at", "-id")


@router.get("/resources/{id}", response={200: ResourceDetailOut, **READ_ERRORS}, summary="资源详情")
def get_resource(request, id: Id):
    resource = gates.get_resource_for(request.user, id)
    if resource.contact_phone and gates.resources_with_full_contact(request.user, [resource]):
        record_personal_data_view(request.user, [resource], ["contact_phone"])
    return _resources(request.user).get(pk=resource.pk)


class ResourceIn(Schema):
    model_config = {"extra": "forbid"}

    conference: RefId
    unit: RefId
    title: text(120, min_length=1)
    description: text(5000) = ""
    category: RefId
    kind: ResourceKind
    capacity: Quantity
    capacity_unit: text(20) = ""
    period: PeriodCode = Resource.Period.MONTHLY
    available_from: IsoDate | None = None
    available_until: IsoDate | None = None
    areas: list[RefId] = Field(default_factory=list, max_length=500)
    conditions: text(5000) = ""
    contact_name: text(50) = ""
    contact_phone: text(40) = ""


@router.post("/resources", response={201: ResourceDetailOut, **WRITE_ERRORS}, auth=django_auth, summary="提供资源")
def create_resource(request, payload: ResourceIn):
    user = request.user
    require(user, gates.can_post(user))
    fields = payload.model_dump()
    area_ids = fields.pop("areas")
    ids = _Resolver()
    fields["conference"] = ids.one(gates.offering_conferences(user), fields["conference"], "conference",
                                   "“{}”不是可提供资源的联席会议。")
    fields["unit"] = ids.one(gates.offering_unit_choices(user), fields["unit"], "unit", "“{}”不是可代为提供资源的单位。")
    fields["category"] = ids.one(NeedCategory.objects.filter(is_active=True), fields["category"], "category",
                                 "“{}”不是有效的类别。")
    areas = ids.many(Area.objects.all(), area_ids, "areas", "“{}”不是有效的街道或区域。")
    ids.raise_errors()
    gates.require_offer_for(user, fields["unit"], fields["conference"])
    resource = services.offer_resource(user, areas=areas, **fields)
    return Status(201, _resources(request.user).get(pk=resource.pk))


@router.post("/resources/{id}/withdraw", response={200: ResourceDetailOut, **WRITE_ERRORS}, auth=django_auth,
             summary="撤回资源")
def withdraw_resource(request, id: Id):
    resource = gates.get_resource_for(request.user, id, write=True)
    services.withdraw_resource(request.user, resource)
    return _resources(request.user).get(pk=resource.pk)
