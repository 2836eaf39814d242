"""Who may see a job: the person who submitted it, and superusers."""

from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.jobs.models import Job


def jobs_visible_to(user):
    access = access_for(user)
    if not access.is_authenticated:
        return Job.objects.none()
    if access.is_superuser:
        return Job.objects.all()
    return Job.objects.filter(owner=user)


def get_job_for(user, pk: int, *, write: bool = False) -> Job:
    """The job, or 404 for anyone who did not submit it."""
    return get_object_or_404(jobs_visible_to(user).defer("payload", "output"), pk=pk)
