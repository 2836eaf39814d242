"""Every write to projects. Each function runs in one transaction and appends one audit row."""

from django.core.exceptions import ValidationError
from django.db import transaction

from lianxi.lib.services import create_object, update_object
from lianxi.meetings.models import AgendaItem
from lianxi.meetings.services import lock_unapplied, mark_applied
from lianxi.projects.models import Link, Project


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
