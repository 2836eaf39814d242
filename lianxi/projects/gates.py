"""Access to projects. Anonymous visitors and users without grants see published projects of public
conferences; insiders see all; changing one needs the right to manage its conference.
404 for what a user may not see, 403 for what they may see but not change (docs/architecture.md, "The access path")."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.projects.models import Project
from lianxi.registry.gates import all_or_published, get_visible


def projects_visible_to(user):
    return all_or_published(user, Project)


def get_project_for(user, pk, write: bool = False) -> Project:
    return get_visible(user, projects_visible_to(user), pk, write)


# --- tracking (常抓项目) -----------------------------------------------------------------------------

def can_manage_project(user, project: Project) -> bool:
    return access_for(user).can_manage_conference(project.conference_id)


def can_read_reports(user) -> bool:
    """Progress reports (and their documents) are for insiders."""
    return access_for(user).is_insider


def can_report(user, project: Project) -> bool:
    """The lead unit's accounts (or the conference's managers) file the project's progress."""
    access = access_for(user)
    return bool(project.lead_unit_id) and (access.can_act_for_unit(project.lead_unit_id)
                                           or access.can_manage_conference(project.conference_id))


def get_report_project_for(user, pk) -> Project:
    """The project whose lead unit the user acts for (or manages): who may file its progress."""
    project = get_project_for(user, pk)
    access = access_for(user)
    access.require(bool(project.lead_unit_id) and (access.can_act_for_unit(project.lead_unit_id)
                                                   or access.can_manage_conference(project.conference_id)))
    return project


def claimable_units(user, project: Project) -> list[int]:
    """Units the user may claim the project for: their own, not already lead or partner."""
    access = access_for(user)
    if project.kind != Project.Kind.KEY or project.released_at_id is None:
        return []
    taken = set(project.partner_units.values_list("pk", flat=True)) | {project.lead_unit_id}
    return sorted(access.own_units - taken)


def get_attachment_for(user, pk):
    """An attachment is served only when its project is visible to the user; documents only to
    insiders, photos of published projects to anyone."""
    from lianxi.projects.models import Attachment

    attachment = get_object_or_404(Attachment.objects.select_related("report__project"), pk=pk)
    project = attachment.report.project
    if not projects_visible_to(user).filter(pk=project.pk).exists():
        raise Http404
    if attachment.kind != Attachment.Kind.PHOTO and not access_for(user).is_insider:
        raise Http404
    return attachment


def showcase_projects():
    """The public showcase: published key and brand projects of public conferences."""
    return Project.objects.published().filter(kind__in=[Project.Kind.KEY, Project.Kind.BRAND])


def may_read_project_history(user, project: Project) -> bool:
    """Those who run or review the project's conference, and the accounts of its lead and partner
    units."""
    access = access_for(user)
    if access.can_oversee_conference(project.conference_id):
        return True
    if project.lead_unit_id is not None and access.can_act_for_unit(project.lead_unit_id):
        return True
    own = access.own_units
    return bool(own) and project.partner_units.filter(pk__in=own).exists()
