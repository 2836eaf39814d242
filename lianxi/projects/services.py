"""Every write to projects. Each function runs in one transaction and appends one audit row."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lianxi.audit.services import record
from lianxi.burden import services as burden
from lianxi.lib.files import save_file
from lianxi.lib.services import create_object, update_object
from lianxi.meetings.models import AgendaItem
from lianxi.meetings.services import lock_unapplied, mark_applied
from lianxi.projects.models import (
    Attachment,
    Link,
    Milestone,
    PartnerClaim,
    ProgressReport,
    Project,
    period_start,
)
from lianxi.registry.models import Unit


def _check(project: Project | None, fields: dict):
    """Rules the model cannot state: five-link codes are known ones, and a project is released or
    awarded at a meeting of its own conference or of the parent conference (a sub-conference's key
    projects are released at the district plenary)."""
    if "links" in fields:
        links = fields["links"] or []
        unknown = [code for code in links if code not in Link.values]
        if unknown:
            raise ValidationError({"links": f"未知的五联类别：{'、'.join(map(str, unknown))}。"})
        if len(set(links)) != len(links):
            raise ValidationError({"links": "五联类别不能重复。"})
    conference = fields.get("conference") or (project.conference if project is not None else None)
    if conference is None:
        return
    allowed = {conference.pk, conference.parent_id}
    for name, label in (("released_at", "发布"), ("awarded_at", "颁授")):
        item = fields.get(name)
        if item is not None and item.meeting.conference_id not in allowed:
            raise ValidationError({name: f"{label}议程须属于{conference.display_name}或其上级联席会议的会议。"})


@transaction.atomic
def create_project(actor, *, partner_units=(), **fields) -> Project:
    """Create a key, brand or ordinary project; ``partner_units`` is an iterable of units."""
    _check(None, fields)
    partners = list(partner_units)
    m2m = {"partner_units": partners} if partners else None
    return create_object(actor, Project, "projects.project.create", m2m=m2m, **fields)


@transaction.atomic
def update_project(actor, project: Project, **fields) -> dict:
    """Change ``fields`` (``partner_units`` replaces the set); returns ``{field: [old, new]}``."""
    _check(project, fields)
    m2m = {}
    if "partner_units" in fields:
        m2m["partner_units"] = list(fields.pop("partner_units"))
    return update_object(actor, project, "projects.project.update", m2m=m2m, **fields)


# --- the release (发布) and award (颁授) agenda items -------------------------------------------------
# Registered as those items' resolutions in ProjectsConfig.ready (see lianxi.meetings.resolutions):
# meetings sits below projects and never imports them.

def _link_projects(actor, item: AgendaItem, projects, field: str, kind_label: str) -> list[Project]:
    projects = list(projects)
    if not projects:
        raise ValidationError({"projects": f"请选择{kind_label}的项目。"})
    conference_ids = {item.meeting.conference_id, *item.meeting.conference.children.values_list("pk", flat=True)}
    for project in projects:
        if project.conference_id not in conference_ids:
            raise ValidationError({"projects": f"项目“{project}”不属于{item.meeting.conference.display_name}。"})
        if getattr(project, f"{field}_id") not in (None, item.pk):
            raise ValidationError({"projects": f"项目“{project}”已在其他议程中{kind_label}。"})
    for project in projects:
        update_project(actor, project, **{field: item})
    mark_applied(actor, item, {"projects": [None, [p.title for p in projects]]})
    return projects


@transaction.atomic
def apply_release(actor, item: AgendaItem, *, projects) -> list[Project]:
    """发布: the projects (usually the year's key projects) are released at this item."""
    lock_unapplied(item, AgendaItem.Kind.RELEASE)
    return _link_projects(actor, item, projects, "released_at", "发布")


@transaction.atomic
def apply_award(actor, item: AgendaItem, *, projects) -> list[Project]:
    """颁授: the (brand) projects are awarded at this item."""
    lock_unapplied(item, AgendaItem.Kind.AWARD)
    return _link_projects(actor, item, projects, "awarded_at", "颁授")


# --- tracking (常抓项目) ----------------------------------------------------------------------------

TRACKING_FIELDS = ("goals", "report_cadence")

# Accepted attachments: extension → (kind, content type, leading bytes the file must start with).
ATTACHMENT_TYPES = {
    ".jpg": (Attachment.Kind.PHOTO, "image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": (Attachment.Kind.PHOTO, "image/jpeg", (b"\xff\xd8\xff",)),
    ".png": (Attachment.Kind.PHOTO, "image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".pdf": (Attachment.Kind.DOCUMENT, "application/pdf", (b"%PDF-",)),
    ".docx": (Attachment.Kind.DOCUMENT,
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": (Attachment.Kind.DOCUMENT,
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
MAX_ATTACHMENTS = 10


def check_upload(upload) -> tuple[str, str]:
    """The kind and content type of an uploaded file, or a ValidationError naming it: the type is
    decided by its extension *and* its first bytes; photos and documents have their own size limit."""
    name = getattr(upload, "name", "") or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError({"attachments": f"附件“{name}”的类型不受支持（可上传 jpg、png、pdf、docx、xlsx）。"})
    kind, content_type, magics = ATTACHMENT_TYPES[ext]
    limit = settings.UPLOAD_PHOTO_MAX if kind == Attachment.Kind.PHOTO else settings.UPLOAD_DOCUMENT_MAX
    if upload.size > limit:
        raise ValidationError({"attachments": f"附件“{name}”超过大小上限（{limit // (1024 * 1024)} MB）。"})
    if upload.size == 0:
        raise ValidationError({"attachments": f"附件“{name}”是空文件。"})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise ValidationError({"attachments": f"附件“{name}”的内容与扩展名不符。"})
    return kind, content_type


@transaction.atomic
def update_tracking(actor, project: Project, **fields) -> dict:
    """Goals and reporting cadence of a tracked project."""
    unknown = set(fields) - set(TRACKING_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"不能在此修改：{'、'.join(sorted(unknown))}。"})
    return update_object(actor, project, "projects.tracking.update", **fields)


@transaction.atomic
def add_milestone(actor, project: Project, *, title: str, due: datetime.date, order: int = 0) -> Milestone:
    if not (title or "").strip():
        raise ValidationError({"title": "请填写节点名称。"})
    return create_object(actor, Milestone, "projects.milestone.create", project=project, title=title.strip(),
                         due=due, order=order)


@transaction.atomic
def update_milestone(actor, milestone: Milestone, **fields) -> dict:
    done_on = fields.get("done_on")
    if done_on is not None and done_on > timezone.localdate():
        raise ValidationError({"done_on": "完成日期不能晚于今天。"})
    return update_object(actor, milestone, "projects.milestone.update", **fields)


def _clean_figures(figures) -> dict:
    if figures in (None, ""):
        return {}
    if not isinstance(figures, dict):
        raise ValidationError({"figures": "数据须为“名称: 数值”的列表。"})
    out = {}
    for key, value in figures.items():
        key = str(key).strip()
        if not key or len(key) > 50:
            raise ValidationError({"figures": "数据名称不能为空，且不超过 50 字。"})
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError({"figures": f"“{key}”的数值无效。"})
        out[key] = value
    return out


@transaction.atomic
def file_report(actor, project: Project, *, unit: Unit, text: str, figures=None, attachments=(),
                milestones_done=(), reported_on: datetime.date | None = None) -> ProgressReport:
    """The lead unit files a progress report: text, figures (``{name: number}``), attachments
    (uploaded files), and milestones it marks done. Open report requests and reminders about the
    project are answered. Checked whole before anything is written."""
    if project.lead_unit_id is None or unit.pk != project.lead_unit_id:
        raise ValidationError({"unit": "只有项目的牵头单位可以填报进展。"})
    if not (text or "").strip():
        raise ValidationError({"text": "请填写进展情况。"})
    figures = _clean_figures(figures)
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": f"每次最多上传 {MAX_ATTACHMENTS} 个附件。"})
    checked = [(upload, *check_upload(upload)) for upload in attachments]
    reported_on = reported_on or timezone.localdate()
    milestones = list(milestones_done)
    for m in milestones:
        if m.project_id != project.pk:
            raise ValidationError({"milestones_done": f"节点“{m.title}”不属于此项目。"})
    report = create_object(actor, ProgressReport, "projects.report.create", project=project, unit=unit,
                           reported_on=reported_on, period_start=period_start(project.report_cadence, reported_on),
                           text=text.strip(), figures=figures,
                           created_by=actor if getattr(actor, "is_authenticated", False) else None)
    for upload, kind, content_type in checked:
        att = Attachment(report=report, kind=kind, name=upload.name[:200], content_type=content_type, size=upload.size)
        save_file(att.file, upload.name, upload)  # deleted again if this transaction rolls back
        att.save()
        record(actor, "projects.attachment.create", att, {"name": [None, att.name], "size": [None, att.size]})
    for m in milestones:
        if m.done_on is None:
            update_milestone(actor, m, done_on=reported_on)
    burden.answer_for(actor, subject=project, kinds=[burden.Kind.REPORT, burden.Kind.REMINDER])
    return report


def reported_this_period(project: Project, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return project.reports.filter(period_start=period_start(project.report_cadence, today)).exists()


@transaction.atomic
def request_report(actor, project: Project, *, kind: str = "report", today: datetime.date | None = None):
    """Ask the lead unit for this period's report (``kind`` "report") or remind it ("reminder"),
    through the burden gate. Returns the request, or ``None`` when the period's report is already
    filed: a fact already reported is never asked for again."""
    if kind not in (burden.Kind.REPORT, burden.Kind.REMINDER):
        raise ValidationError({"kind": "只能请求填报或提醒。"})
    if project.lead_unit_id is None:
        raise ValidationError({"lead_unit": "项目没有牵头单位，无人可填报。"})
    today = today or timezone.localdate()
    if reported_this_period(project, today):
        return None
    start = period_start(project.report_cadence, today)
    label = "请填报" if kind == burden.Kind.REPORT else "提醒：尚未填报"
    return burden.request(actor, unit=project.lead_unit, kind=kind, subject=project,
                          summary=f"{label}“{project.title}”{start:%Y年%m月}起本周期的进展")


@transaction.atomic
def claim_partnership(actor, project: Project, *, unit: Unit, note: str = "") -> PartnerClaim:
    """认领重点项目: a unit asks to join a released key project."""
    if project.kind != Project.Kind.KEY or project.released_at_id is None:
        raise ValidationError({"project": "只能认领已发布的重点项目。"})
    if unit.pk == project.lead_unit_id or project.partner_units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": "该单位已是此项目的牵头或参与单位。"})
    return create_object(actor, PartnerClaim, "projects.claim.create", project=project, unit=unit, note=note[:300])


@transaction.atomic
def decide_claim(actor, claim: PartnerClaim, *, accept: bool) -> dict:
    """The project's owners confirm (the unit becomes a partner) or decline a claim."""
    claim = PartnerClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.state != PartnerClaim.State.PENDING:
        raise ValidationError({"state": "该认领已处理。"})
    if accept:
        claim.project.partner_units.add(claim.unit)
        record(actor, "projects.project.partner.add", claim.project, {"partner_units": [None, str(claim.unit)]})
    return update_object(actor, claim, "projects.claim.decide",
                         state=PartnerClaim.State.CONFIRMED if accept else PartnerClaim.State.DECLINED)
