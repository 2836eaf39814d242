"""JSON API for campaigns: campaigns, nominations (read, create, submit), a reviewer's own reviews
(read, submit scores). The same gates and services as the pages; an action outside its phase is a
403 from the gate or a 422 naming ``phase`` from the service."""


from ninja import Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import Field, StrictBool, StrictInt

from lianxi.campaigns import services
from lianxi.campaigns.gates import (
    campaigns_visible_to,
    get_assignment_for,
    get_campaign_for,
    get_nomination_for,
    nominating_units,
    nominations_visible_to,
    require_action,
)
from lianxi.campaigns.models import Assignment
from lianxi.lib.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Choice,
    Id,
    IsoDate,
    Out,
    Pages,
    Ref,
    RefId,
    lookup,
    ref,
    text,
)

router = Router(tags=["campaigns"])


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
    nomination = services.create_nomination(request.user, campaign, unit=unit, body=body, submit=payload.submit,
                                            title=payload.title, party_org_name=payload.party_org_name,
                                            summary=payload.summary, links=payload.links, values=payload.values)
    return Status(201, nomination)


@router.post("/nominations/{id}/submit", response={200: NominationOut, **WRITE_ERRORS}, auth=django_auth,
             summary="提交申报")
def submit_nomination(request, id: Id):
    nomination = get_nomination_for(request.user, id, write=True)
    require_action(request.user, nomination.campaign, "nominate")
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
    services.submit_scores(request.user, assignment, payload.scores)
    return Assignment.objects.select_related("reviewer", "nomination").prefetch_related("scores").get(pk=assignment.pk)
