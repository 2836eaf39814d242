"""Access to registry objects. Deny by default: 404 for what a user may not see, 403 for what they
may see but not change (docs/architecture.md, "The access path")."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.registry.models import Appointment, Committee, Conference, Membership, Person, Unit


def conferences_visible_to(user):
    if access_for(user).is_insider:
        return Conference.objects.all()
    return Conference.objects.filter(is_public=True)


def units_visible_to(user):
    """Insiders see every unit; others see units that belong (or belonged) to a public conference."""
    if access_for(user).is_insider:
        return Unit.objects.all()
    public_membership = Membership.objects.filter(unit=OuterRef("pk"), conference__is_public=True)
    return Unit.objects.filter(Exists(public_membership))


def people_visible_to(user):
    """People and their posts are internal records: insiders only."""
    if access_for(user).is_insider:
        return Person.objects.all()
    return Person.objects.none()


def appointments_visible_to(user):
    if access_for(user).is_insider:
        return Appointment.objects.all()
    return Appointment.objects.none()


def get_conference_for(user, pk, write: bool = False) -> Conference:
    conference = get_object_or_404(conferences_visible_to(user), pk=pk)
    if write:
        access_for(user).require(access_for(user).can_manage_conference(conference.pk))
    return conference


def get_committee_for(user, pk, write: bool = False) -> Committee:
    """A committee of a visible conference; changed by whoever manages that conference."""
    committee = get_object_or_404(
        Committee.objects.select_related("conference").filter(conference__in=conferences_visible_to(user)), pk=pk)
    if write:
        access_for(user).require(access_for(user).can_manage_conference(committee.conference_id))
    return committee


def get_membership_for(user, pk, write: bool = False) -> Membership:
    """A membership of a visible unit in a visible conference; changed by the conference's managers."""
    membership = get_object_or_404(
        Membership.objects.select_related("unit", "conference")
        .filter(conference__in=conferences_visible_to(user), unit__in=units_visible_to(user)),
        pk=pk,
    )
    if write:
        access_for(user).require(access_for(user).can_manage_conference(membership.conference_id))
    return membership


def get_unit_for(user, pk, write: bool = False) -> Unit:
    unit = get_object_or_404(units_visible_to(user), pk=pk)
    if write:
        access_for(user).require(access_for(user).can_edit_unit(unit))
    return unit


def get_person_for(user, pk, write: bool = False) -> Person:
    person = get_object_or_404(people_visible_to(user), pk=pk)
    if write:
        access = access_for(user)
        allowed = access.is_district_admin or (person.unit_id is not None and access.can_edit_unit(person.unit))
        if not allowed:
            allowed = access.can_manage_any_conference() and Appointment.objects.filter(
                person=person, conference_id__in=access.managed_conferences or []
            ).exists()
        access.require(allowed)
    return person


def require_manage_conference(user, conference: Conference):
    access_for(user).require(access_for(user).can_manage_conference(conference.pk))


def require_manager(user, conference_id: int | None = None):
    """Overview pages: outsiders 404, insiders who run no conference (or not this one) 403."""
    access = access_for(user)
    if not access.is_insider:
        raise Http404
    allowed = access.can_manage_conference(conference_id) if conference_id else access.can_manage_any_conference()
    if not allowed:
        raise PermissionDenied


def managed_conferences(user):
    """The conferences this user runs (all of them for a superuser), as a queryset: the choices of
    every "for which conference" field and filter on the managers' pages."""
    managed = access_for(user).managed_conferences
    return Conference.objects.all() if managed is None else Conference.objects.filter(pk__in=managed)
