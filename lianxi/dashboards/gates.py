"""Which 工作台 a user sees and over what: the conferences they run, or the units they act for."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.registry.models import Conference


@dataclass
class Scope:
    kind: str  # "manager" | "unit"
    conferences: object = None  # queryset of conferences the user runs (manager)
    conference: Conference | None = None
    unit_ids: tuple = ()
    is_street: bool = False


def dashboard_scope(user, conference_id: str | None = None) -> Scope:
    """The manager's 工作台 for one conference they run (the first by default), else the unit's own.
    Raises 403 for an account with neither (the page says whom to ask)."""
    access = access_for(user)
    if access.can_manage_any_conference():
        managed = access.managed_conferences
        conferences = Conference.objects.order_by("id")
        if managed is not None:
            conferences = conferences.filter(pk__in=managed)
        if conference_id and str(conference_id).isdigit() and len(str(conference_id)) < 12:
            conference = get_object_or_404(conferences, pk=int(conference_id))
        else:
            conference = conferences.first()
        return Scope("manager", conferences=conferences, conference=conference)
    if access.own_units:
        return Scope("unit", unit_ids=tuple(sorted(access.own_units)),
                     is_street=bool(access.street_units) and not access.liaison_units)
    raise PermissionDenied
