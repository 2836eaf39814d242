"""Access to projects. Anonymous visitors and users without grants see published projects of public
conferences; insiders see all; changing one needs the right to manage its conference.
404 for what a user may not see, 403 for what they may see but not change (docs/architecture.md, "The access path")."""

from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.projects.models import Project


def projects_visible_to(user):
    if access_for(user).is_insider:
        return Project.objects.all()
    return Project.objects.published()


def get_project_for(user, pk, write: bool = False) -> Project:
    project = get_object_or_404(projects_visible_to(user), pk=pk)
    if write:
        access = access_for(user)
        access.require(access.can_manage_conference(project.conference_id))
    return project
