"""JSON API for campaigns: campaigns, nominations (read, create, submit), recommendations (推荐),
a reviewer's own reviews (read, submit scores), the decision (评选), objections (公示: filed by
anyone, handled by the secretariat) and moving to the next phase. The same gates and services as
the pages, with typed values (objects resolved from the payload's ids).

Refusals: 403 when the user's role may not take the action at all; 409 when it may, but not in the
campaign's current phase or date window (the phase conflict, whether the gate or the service finds
it); 422 naming the field for anything else the rules refuse."""

import datetime
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import Field, StrictBool, StrictInt

from lianxi.campaigns import services
from lianxi.campaigns.gates import (
    actions_for,
    campaigns_visible_to,
    can_manage,
    get_assignment_for,
    get_campaign_for,
    get_nomination_for,
    nominating_units,
    nominations_visible_to,
    phase_conflict,
)
from lianxi.campaigns.models import Assignment, Objection
from lianxi.lib.net import client_ip
from lianxi.lib.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Choice,
    Id,
    IsoDate,
    Message,
    Out,
    Pages,
    Ref,
    RefId,
    choice,
    lookup,
    ref,
    text,
)

router = Router(tags=["campaigns"])


def require_action(user, campaign, action: str):
    """403 when the role may not take ``action``, 409 when only the phase stands in the way."""
    if action in actions_for(user, campaign):
        return
    if phase_conflict(user, campaign, action):
        raise HttpError(409, f"本活动现处于{campaign.get_phase_display()}阶段，不能进行此操作。")
    raise PermissionDenied


@contextmanager
def phase_conflicts():
    """A service's refusal naming only ``phase`` (outside the phase or its date window) is a 409."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and set(exc.error_dict) == {"phase"}:
            raise HttpError(409, "；".join(exc.messages)) from exc
        raise


class CampaignOut(Out):
    id: int
    title: str
    kind: Choice
    phase: Choice
    year: int
    places: int
    conference: Ref
    details_stated: bool
    call_start: IsoDate | None
    call_end: IsoDate | None
    notice_start: IsoDate | None
    notice_end: IsoDate | None


class NominationOut(Out):
    id: int
    title: str
    unit: Ref
    body: Ref
    state: Choice
    links: list[str]
    values: dict
    rank: int | None
    tied: bool
    selected: bool


class NominationIn(Schema):
    unit: RefId
    body: RefId
    title: text(200, 1)
    party_org_name: text(200) = ""
    summary: text(4000) = ""
    links: list[str] = Field(default_factory=list, max_length=5)
    values: dict[str, str] = Field(default_factory=dict)
    submit: StrictBool = False


class ReviewOut(Schema):
    id: int
    campaign: int
    nomination: Ref
    reason: str
    submitted: bool
    scores: dict[str, int]

    @staticmethod
    def resolve_campaign(obj):
        return obj.reviewer.campaign_id

    @staticmethod
    def resolve_nomination(obj):
        return ref(obj.nomination, "title")

    @staticmethod
    def resolve_submitted(obj):
        return obj.submitted_at is not None

    @staticmethod
    def resolve_scores(obj):
        return {str(s.criterion_id): s.value for s in obj.scores.all()}


class ScoresIn(Schema):
    scores: dict[int, StrictInt] = Field(description="{评分项 id: 得分}")


@router.get("/campaigns", response={200: list[CampaignOut], **READ_ERRORS}, summary="评选活动列表")
@paginate(Pages)
def list_campaigns(request):
    return campaigns_visible_to(request.user).select_related("conference").order_by("-year", "pk")


@router.get("/campaigns/{id}", response={200: CampaignOut, **READ_ERRORS}, summary="评选活动详情")
def get_campaign(request, id: Id):
    return get_campaign_for(request.user, id)


@router.get("/campaigns/{id}/nominations", response={200: list[NominationOut], **READ_ERRORS}, summary="申报列表")
@paginate(Pages)
def list_nominations(request, id: Id):
    campaign = get_campaign_for(request.user, id)
    return nominations_visible_to(request.user, campaign).select_related("unit", "body").order_by("rank", "pk")


@router.post("/campaigns/{id}/nominations", response={201: NominationOut, **WRITE_ERRORS}, auth=django_auth,
             summary="申报")
def create_nomination(request, id: Id, payload: NominationIn):
    campaign = get_campaign_for(request.user, id)
    require_action(request.user, campaign, "nominate")
    units = nominating_units(request.user, campaign)
    unit = lookup(units, payload.unit, "unit", "不能以该单位申报。")
    body = lookup(campaign.bodies.all(), payload.body, "body", "推荐主体不属于本活动。")
    with phase_conflicts():
        nomination = services.create_nomination(request.user, campaign, unit=unit, body=body, submit=payload.submit,
                                                title=payload.title, party_org_name=payload.party_org_name,
                                                summary=payload.summary, links=payload.links, values=payload.values)
    return Status(201, nomination)


@router.post("/nominations/{id}/submit", response={200: NominationOut, **WRITE_ERRORS}, auth=django_auth,
             summary="提交申报")
def submit_nomination(request, id: Id):
    nomination = get_nomination_for(request.user, id, write=True)
    require_action(request.user, nomination.campaign, "nominate")
    with phase_conflicts():
        services.submit_nomination(request.user, nomination)
    nomination.refresh_from_db()
    return nomination


@router.get("/reviews", response={200: list[ReviewOut], **WRITE_ERRORS}, auth=django_auth, summary="我的评审任务")
@paginate(Pages)
def list_reviews(request):
    return (Assignment.objects.filter(reviewer__user=request.user).select_related("reviewer", "nomination")
            .prefetch_related("scores").order_by("pk"))


@router.post("/reviews/{id}", response={200: ReviewOut, **WRITE_ERRORS}, auth=django_auth, summary="提交评分")
def submit_review(request, id: Id, payload: ScoresIn):
    assignment = get_assignment_for(request.user, id)
    require_action(request.user, assignment.reviewer.campaign, "score")
    with phase_conflicts():
        services.submit_scores(request.user, assignment, payload.scores)
    return Assignment.objects.select_related("reviewer", "nomination").prefetch_related("scores").get(pk=assignment.pk)


# --- 推荐 ------------------------------------------------------------------------------------------

@router.post("/nominations/{id}/recommend", response={200: NominationOut, **WRITE_ERRORS}, auth=django_auth,
             summary="推荐申报（占用推荐主体名额）")
def recommend_nomination(request, id: Id):
    return _recommendation(request, id, services.recommend)


@router.delete("/nominations/{id}/recommend", response={200: NominationOut, **WRITE_ERRORS}, auth=django_auth,
               summary="撤回推荐")
def unrecommend_nomination(request, id: Id):
    return _recommendation(request, id, services.unrecommend)


def _recommendation(request, id: int, act):
    """Recommending and withdrawing it: one right (``recommend``), one service call, the nomination as it now is."""
    nomination = get_nomination_for(request.user, id)
    require_action(request.user, nomination.campaign, "recommend")
    with phase_conflicts():
        act(request.user, nomination)
    nomination.refresh_from_db()
    return nomination


# --- phases ----------------------------------------------------------------------------------------

@router.post("/campaigns/{id}/advance", response={200: CampaignOut, **WRITE_ERRORS}, auth=django_auth,
             summary="进入下一阶段")
def advance_campaign(request, id: Id):
    campaign = get_campaign_for(request.user, id)
    require_action(request.user, campaign, "advance")
    with phase_conflicts():
        services.advance(request.user, campaign)
    return get_campaign_for(request.user, id)


# --- 评选 ------------------------------------------------------------------------------------------

class DecisionIn(Schema):
    selected: list[RefId] = Field(min_length=1, max_length=1000, description="入选申报的 id")
    note: text(300) = ""


class DecisionOut(Schema):
    campaign: int
    selected: list[Ref]
    decided_at: datetime.datetime | None
    note: str


def _decision(campaign) -> dict:
    selected = campaign.nominations.filter(selected=True).order_by("rank", "pk").only("pk", "title")
    return {"campaign": campaign.pk, "selected": [ref(n, "title") for n in selected],
            "decided_at": campaign.decided_at, "note": campaign.decision_note}


@router.post("/campaigns/{id}/decision", response={200: DecisionOut, **WRITE_ERRORS}, auth=django_auth,
             summary="记录评选决定")
def decide(request, id: Id, payload: DecisionIn):
    campaign = get_campaign_for(request.user, id)
    require_action(request.user, campaign, "decide")
    ids = set(payload.selected)
    selected = list(campaign.nominations.filter(pk__in=ids))
    if len(selected) != len(ids):
        raise ValidationError({"selected": "入选申报须属于本活动。"})
    with phase_conflicts():
        services.decide(request.user, campaign, selected=selected, note=payload.note)
    return _decision(get_campaign_for(request.user, id))


@router.get("/campaigns/{id}/decision", response={200: DecisionOut, **READ_ERRORS}, summary="评选决定")
def get_decision(request, id: Id):
    campaign = get_campaign_for(request.user, id)
    if campaign.decided_at is None:
        raise Http404
    return _decision(campaign)


# --- 公示: objections -----------------------------------------------------------------------------

class ObjectionIn(Schema):
    filer_name: text(100, 1)
    contact: text(100, 1)
    text: text(4000, 1)
    nomination: RefId | None = Field(None, description="针对的公示申报（可不填）")


class ObjectionFiled(Schema):
    id: int
    campaign: int
    nomination: Ref | None
    state: Choice
    filed_at: datetime.datetime

    @staticmethod
    def resolve_campaign(obj):
        return obj.campaign_id

    @staticmethod
    def resolve_nomination(obj):
        return ref(obj.nomination, "title")

    @staticmethod
    def resolve_state(obj):
        return choice(obj, "state")


class ObjectionOut(ObjectionFiled):
    filer_name: str
    contact: str
    text: str
    handling: str


class HandlingIn(Schema):
    upheld: StrictBool = Field(description="true 异议成立（该申报不再入选），false 不成立")
    handling: text(4000, 1)


def _check_csrf_for_session(request):
    """The objection operation takes anonymous visitors, so ninja's session auth (which checks
    CSRF) is not on it; a logged-in browser session is held to the CSRF check all the same (a
    bearer token has no cross-site request to forge)."""
    from ninja.utils import check_csrf

    if getattr(request.user, "is_authenticated", False) and not getattr(request, "api_token", None):
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF")


@router.post("/campaigns/{id}/objections", response={201: ObjectionFiled, 429: Message, **WRITE_ERRORS},
             summary="对公示结果提出异议（无需登录）",
             description="同一客户端地址在一段时间内可提出的异议有上限（默认 60 分钟内 5 条），超过时返回 429。")
def file_objection(request, id: Id, payload: ObjectionIn):
    _check_csrf_for_session(request)
    campaign = get_campaign_for(request.user, id)
    require_action(request.user, campaign, "object")
    nomination = lookup(campaign.nominations.filter(selected=True), payload.nomination, "nomination",
                        "只能对公示名单中的申报提出异议。")
    try:
        with phase_conflicts():
            objection = services.file_objection(request.user, campaign, nomination=nomination,
                                                filer_name=payload.filer_name, contact=payload.contact,
                                                text=payload.text, address=client_ip(request))
    except ValidationError as exc:
        throttled = exc.error_dict.get("address", []) if hasattr(exc, "error_dict") else []
        if any(e.code == services.OBJECTION_THROTTLED for e in throttled):
            raise HttpError(429, "；".join(e.message for e in throttled)) from exc
        raise
    return Status(201, objection)


@router.get("/campaigns/{id}/objections", response={200: list[ObjectionOut], **WRITE_ERRORS}, auth=django_auth,
            summary="异议列表（秘书处）")
@paginate(Pages)
def list_objections(request, id: Id):
    campaign = get_campaign_for(request.user, id, manage=True)
    return campaign.objections.select_related("nomination").order_by("pk")


@router.post("/objections/{id}/handle", response={200: ObjectionOut, **WRITE_ERRORS}, auth=django_auth,
             summary="处理异议")
def handle_objection(request, id: Id, payload: HandlingIn):
    objection = get_object_or_404(Objection.objects.select_related("campaign"), pk=id)
    campaign = get_campaign_for(request.user, objection.campaign_id)
    if not can_manage(request.user, campaign):
        raise Http404
    require_action(request.user, campaign, "handle_objection")
    with phase_conflicts():
        services.handle_objection(request.user, objection, upheld=payload.upheld, handling=payload.handling)
    return Objection.objects.select_related("nomination").get(pk=objection.pk)
