"""Who may set lianxi up and bring a conference onto it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.registry.models import Conference


def require_first_run(user):
    """The first-run setup: a superuser, and only while no conference exists."""
    from lianxi.onboarding.services import needs_setup

    if not access_for(user).is_superuser:
        raise PermissionDenied
    if not needs_setup():
        raise Http404


def first_run_pending(user) -> bool:
    """A superuser on an empty database: the landing page sends them to the setup."""
    from lianxi.onboarding.services import needs_setup

    return access_for(user).is_superuser and needs_setup()


def managed_conferences(user):
    access = access_for(user)
    managed = access.managed_conferences
    qs = Conference.objects.order_by("id")
    if managed is None:
        return qs
    if not managed:
        raise PermissionDenied
    return qs.filter(pk__in=managed)


def get_conference_to_onboard(user, pk=None) -> Conference:
    """A conference the user runs (the first one when none is named); 403 for those who run none."""
    conferences = managed_conferences(user)
    if pk not in (None, "") and str(pk).isdigit() and len(str(pk)) < 12:
        return get_object_or_404(conferences, pk=int(pk))
    conference = conferences.filter(parent__isnull=True).first() or conferences.first()
    if conference is None:
        raise Http404
    return conference


def may_see_job_result(user, job) -> bool:
    return job.owner_id == getattr(user, "pk", None) or access_for(user).is_superuser


def still_runs(user, conference_ids) -> bool:
    """Whether ``user`` still runs every one of these conferences (those a registry sheet was
    checked against when it was uploaded)."""
    managed = access_for(user).managed_conferences
    return managed is None or set(conference_ids or []) <= set(managed)


def require_still_runs(user, job):
    """Applying a checked sheet asks again: 403 when the user no longer runs every conference the
    sheet was checked against (a grant taken back between the preview and 确认导入)."""
    access_for(user).require(still_runs(user, job.params.get("conferences")))
