"""JSON API for matching: runs and their suggestions for the secretariat (list, start a run, send
as invitations), and the invitations a liaison accepts or declines. Internal only: every route
needs a logged-in session; what a user sees is decided by ``lianxi.matching.gates``."""

import datetime
from typing import Any

from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from lianxi.jobs.api import JobOut
from lianxi.jobs.gates import get_job_for
from lianxi.lib.schemas import (
    INSIDER_READ_ERRORS,
    WRITE_ERRORS,
    Choice,
    Id,
    Out,
    Pages,
    Ref,
    RefId,
    choice,
    choices,
)
from lianxi.matching import gates, services
from lianxi.matching import jobs as matching_jobs
from lianxi.matching.models import Suggestion
from lianxi.registry.gates import get_conference_for

router = Router(tags=["matching"])

SuggestionState = choices(Suggestion.State)


class RunOut(Out):
    id: int
    conference: Ref
    status: Choice
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    needs_count: int
    resources_count: int
    candidates_count: int
    suggestions_count: int
    total_score: int
    total_quantity: int
    timings: dict[str, Any]


class TitleRef(Schema):
    id: int
    title: str


class SuggestionOut(Out):
    id: int
    run: int
    conference: Ref
    need: TitleRef
    resource: TitleRef
    unit: Ref
    quantity: int
    score: int = Field(description="积分 × 100")
    reasons: dict[str, Any]
    reason_text: str
    state: Choice
    invitation_state: Choice | None
    claim: int | None

    @staticmethod
    def resolve_run(obj):
        return obj.run_id

    @staticmethod
    def resolve_need(obj):
        return {"id": obj.need_id, "title": obj.need.title}

    @staticmethod
    def resolve_resource(obj):
        return {"id": obj.resource_id, "title": obj.resource.title}

    @staticmethod
    def resolve_invitation_state(obj):
        return choice(obj.invitation, "state") if obj.invitation_id else None

    @staticmethod
    def resolve_claim(obj):
        return obj.claim_id


class RunFilters(Schema):
    conference: Id | None = None


class SuggestionFilters(Schema):
    run: Id | None = None
    conference: Id | None = None
    state: SuggestionState | None = None


class RunIn(Schema):
    conference: RefId


class SendIn(Schema):
    ids: list[RefId] = Field(min_length=1, max_length=500)


def _suggestion(user, pk) -> Suggestion:
    return gates.get_suggestion_for(user, pk)


@router.get("/matching/runs", response={200: list[RunOut], **INSIDER_READ_ERRORS}, auth=django_auth,
            summary="匹配计算列表（秘书处）")
@paginate(Pages)
def list_runs(request, filters: Query[RunFilters]):
    qs = gates.runs_visible_to(request.user).select_related("conference")
    if filters.conference is not None:
        qs = qs.filter(conference_id=filters.conference)
    return qs.order_by("-started_at", "-id")


@router.get("/matching/runs/{id}", response={200: RunOut, **INSIDER_READ_ERRORS}, auth=django_auth,
            summary="一次匹配计算")
def get_run(request, id: Id):
    return gates.get_run_for(request.user, id)


@router.post("/matching/runs", response={202: JobOut, **WRITE_ERRORS}, auth=django_auth, summary="开始匹配计算")
def start_run(request, payload: RunIn):
    """For the conference's secretariat and administrators. The run is queued as a background job
    (a city conference's run takes seconds) and the answer is that job at once: ``202`` with its
    ``id``, its page ``url`` and ``api_url`` (``GET /api/v1/jobs/{id}``) to follow it; once it has
    succeeded, its ``result.run`` is the new run (``GET /api/v1/matching/runs/{id}``). While a run
    you started for the conference is queued or running, the answer is that job instead of a
    second one; while someone else's is, ``409``."""
    conference = get_conference_for(request.user, payload.conference, write=True)
    job = matching_jobs.start(request.user, conference)
    if not job.created_now and job.owner_id != request.user.pk:
        raise HttpError(409, "该联席会议的匹配计算已由他人发起，正在进行中；完成后可在匹配计算列表中查看。")
    return Status(202, get_job_for(request.user, job.pk))


@router.get("/matching/suggestions", response={200: list[SuggestionOut], **INSIDER_READ_ERRORS}, auth=django_auth,
            summary="推荐列表")
@paginate(Pages)
def list_suggestions(request, filters: Query[SuggestionFilters]):
    """The secretariat sees every suggestion of its conferences; a liaison the invitations sent to
    their unit. Newest run first, then best score first."""
    qs = gates.suggestions_visible_to(request.user)
    if filters.run is not None:
        qs = qs.filter(run_id=filters.run)
    if filters.conference is not None:
        qs = qs.filter(conference_id=filters.conference)
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    return qs.order_by("-run_id", "-score", "id").paged()


@router.get("/matching/suggestions/{id}", response={200: SuggestionOut, **INSIDER_READ_ERRORS}, auth=django_auth,
            summary="一条推荐")
def get_suggestion(request, id: Id):
    return _suggestion(request.user, id)


@router.post("/matching/invitations", response={200: list[SuggestionOut], **WRITE_ERRORS}, auth=django_auth,
             summary="将推荐作为认领邀请发出（秘书处）")
def send_suggestions(request, payload: SendIn):
    gates.require_send(request.user)
    chosen = [gates.get_suggestion_for(request.user, pk, action="send") for pk in sorted(set(payload.ids))]
    services.send_invitations(request.user, chosen)
    return [_suggestion(request.user, s.pk) for s in chosen]


@router.post("/matching/suggestions/{id}/accept", response={200: SuggestionOut, **WRITE_ERRORS}, auth=django_auth,
             summary="接受邀请并认领（联络员）")
def accept_suggestion(request, id: Id):
    return _decide(request, id, services.accept_suggestion)


@router.post("/matching/suggestions/{id}/decline", response={200: SuggestionOut, **WRITE_ERRORS}, auth=django_auth,
             summary="婉拒邀请（联络员）")
def decline_suggestion(request, id: Id):
    return _decide(request, id, services.decline_suggestion)


def _decide(request, id, service):
    """The unit's liaison accepts or declines (``service``) a suggestion sent to them."""
    service(request.user, gates.get_suggestion_for(request.user, id, action="decide"))
    return _suggestion(request.user, id)
