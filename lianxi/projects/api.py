"""JSON API for projects: key and brand projects with their lead and partner units and five-link
tags (五联). Callers who are not insiders see published projects of public conferences."""


from django.db.models import Prefetch
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import StrictFloat, StrictInt

from lianxi.lib.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Choice,
    Id,
    IsoDate,
    Out,
    Pages,
    Ref,
    SearchText,
    Stated,
    Year,
    choices,
    ref,
    text,
)
from lianxi.projects import services
from lianxi.projects.filters import ProjectFilterSet
from lianxi.projects.gates import get_project_for, get_report_project_for, projects_visible_to
from lianxi.projects.models import Link, Project
from lianxi.registry.gates import is_insider
from lianxi.registry.models import Unit

router = Router(tags=["projects"])

ProjectKind = choices(Project.Kind)
LinkCode = choices(Link)


def _meeting_published(meeting) -> bool:
    return meeting.is_published and meeting.conference.is_public


class AgendaRef(Schema):
    """The agenda item where a project was released or awarded, and its meeting."""

    id: int
    meeting: int
    title: str

    @staticmethod
    def resolve_meeting(obj):
        return obj.meeting_id


class ProjectOut(Out):
    id: int
    title: str
    kind: Choice
    year: int
    conference: Ref
    status: Choice
    lead_unit: Ref | None
    partner_units: list[Ref]
    links: list[Choice]

    @staticmethod
    def resolve_partner_units(obj):
        return [ref(u) for u in obj.partner_units.all()]

    @staticmethod
    def resolve_links(obj):
        return [{"code": code, "label": label} for code, label in zip(obj.links, obj.links_display(), strict=True)]


class ProjectDetailOut(ProjectOut):
    description: Stated
    released_at: AgendaRef | None
    awarded_at: AgendaRef | None

    @staticmethod
    def resolve_released_at(obj, context):
        return _agenda_ref(obj.released_at, context)

    @staticmethod
    def resolve_awarded_at(obj, context):
        return _agenda_ref(obj.awarded_at, context)


def _agenda_ref(item, context):
    if item is None:
        return None
    if not (is_insider(context["request"].user) or _meeting_published(item.meeting)):
        return None
    return item


class ProjectFilters(Schema):
    q: SearchText | None = None
    conference: Id | None = None
    kind: ProjectKind | None = None
    year: Year | None = None
    link: LinkCode | None = None


def _projects(user):
    return (
        projects_visible_to(user)
        .select_related("conference", "lead_unit")
        .prefetch_related(Prefetch("partner_units", queryset=Unit.objects.order_by("name")))
    )


@router.get("/projects", response={200: list[ProjectOut], **READ_ERRORS}, summary="项目列表")
@paginate(Pages)
def list_projects(request, filters: Query[ProjectFilters]):
    qs = ProjectFilterSet(filters.model_dump(exclude_none=True), queryset=_projects(request.user)).qs
    return qs.order_by("-year", "kind", "order", "id")


@router.get("/projects/{id}", response={200: ProjectDetailOut, **READ_ERRORS}, summary="项目详情")
def get_project(request, id: Id):
    project = get_project_for(request.user, id)
    return (
        _projects(request.user)
        .select_related("released_at__meeting__conference", "awarded_at__meeting__conference")
        .get(pk=project.pk)
    )


# --- tracking (常抓项目): milestones and progress reports ------------------------------------------

class MilestoneOut(Schema):
    id: int
    title: str
    due: IsoDate
    done_on: IsoDate | None


class MilestoneIn(Schema):
    title: text(200, 1)
    due: IsoDate


class ReportOut(Schema):
    id: int
    unit: Ref
    reported_on: IsoDate
    text: str
    figures: dict
    attachments: list[str]

    @staticmethod
    def resolve_attachments(obj):
        from django.urls import reverse

        return [reverse("projects:attachment", args=[a.pk]) for a in obj.attachments.all()]


class ReportIn(Schema):
    text: text(10000, 1)
    figures: dict[str, StrictFloat | StrictInt] = {}
    milestones_done: list[StrictInt] = []
    figures: dict[str, StrictInt | StrictFloat] = {}
    milestones_done: list[int] = []


@router.get("/projects/{id}/milestones", response={200: list[MilestoneOut], **READ_ERRORS}, summary="项目节点")
def list_milestones(request, id: Id):
    return list(get_project_for(request.user, id).milestones.all())


@router.post("/projects/{id}/milestones", response={201: MilestoneOut, **WRITE_ERRORS}, auth=django_auth,
             summary="添加项目节点")
def add_milestone(request, id: Id, payload: MilestoneIn):
    project = get_project_for(request.user, id, write=True)
    return Status(201, services.add_milestone(request.user, project, title=payload.title, due=payload.due))


@router.get("/projects/{id}/reports", response={200: list[ReportOut], **WRITE_ERRORS}, auth=django_auth,
            summary="进展填报")
def list_reports(request, id: Id):
    project = get_project_for(request.user, id)
    if not is_insider(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return list(project.reports.select_related("unit").prefetch_related("attachments"))


@router.post("/projects/{id}/reports", response={201: ReportOut, **WRITE_ERRORS}, auth=django_auth,
             summary="填报进展（附件经网页上传）")
def file_report(request, id: Id, payload: ReportIn):
    project = get_report_project_for(request.user, id)
    done = list(project.milestones.filter(pk__in=payload.milestones_done))
    if len(done) != len(set(payload.milestones_done)):
        from django.core.exceptions import ValidationError

        raise ValidationError({"milestones_done": "节点不属于此项目。"})
    figures = {k: int(v) if float(v).is_integer() else v for k, v in payload.figures.items()}
    report = services.file_report(request.user, project, unit=project.lead_unit, text=payload.text, figures=figures,
                                  milestones_done=done)
    return Status(201, report)
