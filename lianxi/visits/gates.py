"""Access to the visits room. Deny by default: 404 for what a user may not see, 403 for what they may
see but not change.

- plans, visits and secondments are internal records: insiders only;
- a plan is managed (visitors, computing, proposing, cancelling) by whoever manages its conference;
- a visit is recorded by its visitor's account or by the conference's managers;
- a proposed visit is confirmed by the visited unit's own accounts (or the managers);
- a venue is seen by insiders (and by anyone when open to the public), changed by its owner's
  accounts or by the managers of a conference its owner belongs to."""

from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.registry.models import Venue
from lianxi.visits.models import FollowUp, Secondment, SecondmentBatch, Visit, Visitor, VisitPlan


def can_manage_conference(user, conference_id: int) -> bool:
    return access_for(user).can_manage_conference(conference_id)


def plans_visible_to(user):
    """Insiders see every plan; a visitor without a grant sees the plans they visit for."""
    if access_for(user).is_insider:
        return VisitPlan.objects.all()
    if not getattr(user, "is_authenticated", False):
        return VisitPlan.objects.none()
    return VisitPlan.objects.filter(pk__in=Visitor.objects.filter(user=user).values("plan_id"))


def get_plan_for(user, pk, write: bool = False) -> VisitPlan:
    plan = get_object_or_404(plans_visible_to(user).select_related("conference"), pk=pk)
    if write:
        access_for(user).require(can_manage_conference(user, plan.conference_id))
    return plan


def visits_visible_to(user):
    if access_for(user).is_insider:
        return Visit.objects.all()
    return Visit.objects.filter(plan__in=plans_visible_to(user))


def can_record_visit(user, visit: Visit) -> bool:
    if can_manage_conference(user, visit.conference_id):
        return True
    return visit.visitor_id is not None and visit.visitor.user_id is not None and visit.visitor.user_id == user.pk


def can_confirm_visit(user, visit: Visit) -> bool:
    access = access_for(user)
    return access.can_act_for_unit(visit.unit_id) or can_manage_conference(user, visit.conference_id)


def get_visit_for(user, pk, write: bool = False) -> Visit:
    visit = get_object_or_404(
        visits_visible_to(user).select_related("unit", "conference", "plan", "visitor__person"), pk=pk)
    if write:
        access_for(user).require(can_record_visit(user, visit))
    return visit


def get_visit_to_confirm(user, pk) -> Visit:
    visit = get_visit_for(user, pk)
    access_for(user).require(can_confirm_visit(user, visit))
    return visit


def get_follow_up_for(user, pk, write: bool = False) -> FollowUp:
    follow_up = get_object_or_404(FollowUp.objects.select_related("visit", "visit__visitor"), pk=pk,
                                  visit__in=visits_visible_to(user))
    if write:
        access_for(user).require(can_record_visit(user, follow_up.visit))
    return follow_up


def my_visitor_ids(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Visitor.objects.filter(user=user).values_list("id", flat=True))


# -- secondments ------------------------------------------------------------------------------


def batches_visible_to(user):
    if access_for(user).is_insider:
        return SecondmentBatch.objects.all()
    return SecondmentBatch.objects.none()


def get_batch_for(user, pk, write: bool = False) -> SecondmentBatch:
    batch = get_object_or_404(batches_visible_to(user).select_related("conference", "project"), pk=pk)
    if write:
        access_for(user).require(can_manage_conference(user, batch.conference_id))
    return batch


def secondments_visible_to(user):
    return Secondment.objects.filter(batch__in=batches_visible_to(user))


def get_secondment_for(user, pk, write: bool = False) -> Secondment:
    secondment = get_object_or_404(secondments_visible_to(user).select_related("batch"), pk=pk)
    if write:
        access_for(user).require(can_manage_conference(user, secondment.batch.conference_id))
    return secondment


# -- venues -----------------------------------------------------------------------------------


def venues_visible_to(user):
    if access_for(user).is_insider:
        return Venue.objects.all()
    return Venue.objects.filter(access=Venue.Access.PUBLIC, is_active=True)


def can_edit_venue(user, venue: Venue) -> bool:
    return access_for(user).can_edit_unit(venue.owner)


def get_venue_for(user, pk, write: bool = False) -> Venue:
    venue = get_object_or_404(venues_visible_to(user).select_related("owner", "area"), pk=pk)
    if write:
        access_for(user).require(can_edit_venue(user, venue))
    return venue


def can_add_venue_for(user, unit) -> bool:
    return access_for(user).can_edit_unit(unit)


def require_manage(user, conference):
    access_for(user).require(can_manage_conference(user, conference.pk))


def is_insider(user) -> bool:
    return access_for(user).is_insider


def managed_conference_ids(user):
    """Conference ids the user manages, ``None`` meaning all."""
    return access_for(user).managed_conferences


def own_unit_ids(user) -> set[int]:
    """Units the user acts for (liaison or grassroots account)."""
    return access_for(user).own_units


def require(user, allowed: bool):
    """403 unless ``allowed`` (the object is already known to be visible)."""
    access_for(user).require(allowed)
