"""Access to the burden gate's pages. Deny by default: 404 for what a user may not see, 403 for
what they may see but not change (see docs/architecture.md, "The access path").

- a unit's own accounts and whoever manages a conference the unit belongs to see its requests;
- deciding a request past the cap, sending a digest and setting a unit's cap are for a district
  administrator whose conferences the unit belongs to."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.burden.models import BurdenDigest, BurdenRequest
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
    their sub-conferences) the unit belongs to: the same question as setting its cap."""
    return access_for(user).may_decide_burden_cap(req.unit_id)


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
    return access_for(user).may_decide_burden_cap(unit.pk)


def require_set_cap(user, unit: Unit):
    access_for(user).require(can_set_cap(user, unit))


def can_answer_for(user, unit: Unit) -> bool:
    """The unit's own accounts answer what was asked of it."""
    return access_for(user).can_act_for_unit(unit.pk)


def only_unit_of(user) -> int | None:
    """The one unit a unit account acts for, when it runs no conference (its burden page is that
    unit's); ``None`` otherwise."""
    access = access_for(user)
    if not access.can_manage_any_conference() and len(access.own_units) == 1:
        return next(iter(access.own_units))
    return None


def requests_overseen_by(user, qs):
    """``qs`` narrowed to the requests of units in the conferences the user manages (all for a
    superuser): the burden overview's scope."""
    managed = access_for(user).managed_conferences
    if managed is None:
        return qs
    return qs.filter(unit__memberships__conference_id__in=managed).distinct()


def get_request_to_decide(user, pk) -> BurdenRequest:
    """A request past the cap, for the administrator who may let it through: outsiders 404."""
    access = access_for(user)
    if not access.is_insider:
        raise Http404
    req = get_object_or_404(BurdenRequest.objects.select_related("unit"), pk=pk)
    access.require(can_decide_burden(user, req))
    return req


def get_request_to_answer(user, pk) -> BurdenRequest:
    """A request to the unit, for the unit's own accounts to answer: outsiders 404."""
    access = access_for(user)
    if not access.is_insider:
        raise Http404
    req = get_object_or_404(BurdenRequest, pk=pk)
    access.require(access.can_act_for_unit(req.unit_id))
    return req


def get_digest_to_send(user, pk) -> BurdenDigest:
    access = access_for(user)
    if not access.is_insider:
        raise Http404
    digest = get_object_or_404(BurdenDigest.objects.select_related("unit"), pk=pk)
    access.require(access.may_decide_burden_cap(digest.unit_id))
    return digest
