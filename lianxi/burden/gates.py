"""Access to the burden gate's pages. Deny by default: 404 for what a user may not see, 403 for
what they may see but not change (see docs/architecture.md, "The access path").

- a unit's own accounts and whoever manages a conference the unit belongs to see its requests;
- deciding a request past the cap, sending a digest and setting a unit's cap are for a district
  administrator whose conferences the unit belongs to."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.burden.models import BurdenRequest
from lianxi.registry.gates import require_manager  # noqa: F401  (the overview page asks it)
from lianxi.registry.models import Membership, Unit


def can_see_burden(user, unit: Unit) -> bool:
    """A unit's own accounts and whoever manages a conference it belongs to."""
    access = access_for(user)
    if access.can_act_for_unit(unit.pk):
        return True
    managed = access.managed_conferences
    if managed is None:
        return True
    return bool(managed) and Membership.objects.filter(unit=unit, conference_id__in=managed).exists()


def get_burden_unit_for(user, pk) -> Unit:
    access = access_for(user)
    if not access.is_insider:
        raise Http404
    unit = get_object_or_404(Unit, pk=pk)
    access.require(can_see_burden(user, unit))
    return unit


def can_decide_burden(user, req: BurdenRequest) -> bool:
    """Approving a request past the cap is for a district administrator whose conferences (or
    their sub-conferences) the unit belongs to."""
    access = access_for(user)
    if access.is_superuser:
        return True
    if not access.admin_conferences:
        return False
    return Membership.objects.filter(unit_id=req.unit_id, conference_id__in=access.managed_conferences).exists()


def burden_requests_visible_to(user):
    access = access_for(user)
    if access.managed_conferences is None:
        return BurdenRequest.objects.all()
    q = Q(unit_id__in=access.own_units)
    if access.managed_conferences:
        q |= Q(Exists(Membership.objects.filter(unit=OuterRef("unit"), conference_id__in=access.managed_conferences)))
    return BurdenRequest.objects.filter(q)


def can_set_cap(user, unit: Unit) -> bool:
    """Setting a unit's cap: a superuser, or a district administrator of a conference it belongs to."""
    access = access_for(user)
    return access.is_superuser or bool(access.admin_conferences) and Membership.objects.filter(
        unit=unit, conference_id__in=access.managed_conferences or []).exists()
