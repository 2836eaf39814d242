"""Access to registry objects. Deny by default: 404 for what a user may not see, 403 for what they
may see but not change (docs/architecture.md, "The access path").

The predicates here (``is_insider``, ``can_manage_conference`` …) are the questions the other apps'
gates, views and forms ask about conferences and units; they are answered from the user's grants
only here and in ``lianxi.accounts.access``."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.accounts.models import Grant
from lianxi.registry.models import Appointment, Committee, Conference, Membership, Person, Unit

# ---------------------------------------------------------------------------------------------
# Questions about the user, asked by every app


def is_insider(user) -> bool:
    """Holds any grant: may read the internal records (people, posts, contacts, history)."""
    return access_for(user).is_insider


def is_district_admin(user) -> bool:
    return access_for(user).is_district_admin


def can_manage_conference(user, conference_id: int | None) -> bool:
    return access_for(user).can_manage_conference(conference_id)


def can_manage_any_conference(user) -> bool:
    return access_for(user).can_manage_any_conference()


def manageable_conference_ids(user, conference_ids) -> set[int]:
    """Of ``conference_ids``, those the user manages: one call for a page of rows."""
    managed = access_for(user).managed_conferences
    ids = {i for i in conference_ids if i is not None}
    return ids if managed is None else ids & managed


def managed_conference_ids(user) -> set[int] | None:
    """Ids of the conferences the user runs; ``None`` means every conference (a superuser)."""
    return access_for(user).managed_conferences


def filter_managed(user, qs, field: str = "conference_id"):
    """``qs`` narrowed to rows whose ``field`` is a conference the user runs."""
    managed = access_for(user).managed_conferences
    return qs if managed is None else qs.filter(**{f"{field}__in": managed})


def acts_for_units(user) -> set[int]:
    """Ids of the units the user acts for as their liaison or grassroots account."""
    return set(access_for(user).own_units)


def acts_for_a_unit(user) -> bool:
    return bool(access_for(user).own_units)


def can_act_for_unit(user, unit_id: int) -> bool:
    return access_for(user).can_act_for_unit(unit_id)


def can_edit_unit(user, unit) -> bool:
    return access_for(user).can_edit_unit(unit) if access_for(user).is_authenticated else False


def require_insider(user):
    """Outsiders are not told the page exists."""
    if not access_for(user).is_insider:
        raise Http404


def require(user, allowed: bool, visible: bool = True):
    access_for(user).require(allowed, visible=visible)


def require_manage_any_conference(user):
    access_for(user).require(access_for(user).can_manage_any_conference())


def require_manager(user, conference_id: int | None = None):
    """Pages for those who run a conference: outsiders 404; insiders who run no conference (or not
    this one) 403."""
    access = access_for(user)
    if not access.is_insider:
        raise Http404
    allowed = access.can_manage_conference(conference_id) if conference_id else access.can_manage_any_conference()
    access.require(allowed)


def require_unit_account(user):
    """Pages of a unit's own accounts: outsiders 404, insiders who act for no unit 403."""
    access = access_for(user)
    if not access.is_insider:
        raise Http404
    access.require(bool(access.own_units) or access.is_superuser)


def insiders_only(view):
    """People and posts are internal records: anonymous visitors are sent to log in, logged-in
    users without any grant get 404 (they are not told the page exists)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_insider(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def can_place_conference_under(user, parent) -> str:
    """Empty when the user may set up (or move) a conference under ``parent`` (``None`` = top
    level); otherwise the reason, for the form field."""
    access = access_for(user)
    if parent is None and not access.is_district_admin:
        return "只有区级管理员可以设立顶层联席会议，请选择上级联席会议。"
    if parent is not None and not access.can_manage_conference(parent.pk):
        return "您不管理该联席会议，不能在其下设立或移入联席会议。"
    return ""


def can_create_person(user) -> bool:
    access = access_for(user)
    return access.can_manage_any_conference() or bool(access.own_units)


def can_register_person_in(user, unit) -> bool:
    """May record a person as working in ``unit``: the unit's own accounts or a manager of a
    conference it belongs to; a person of no unit only by a district administrator. The page and
    the API ask this same question."""
    access = access_for(user)
    if unit is None:
        return access.is_district_admin
    return access.can_edit_unit(unit)


def person_unit_refusal(user, unit) -> str:
    """Why the user may not record a person in ``unit`` (empty when they may): the page's form
    and the API report the same words on the same field."""
    if can_register_person_in(user, unit):
        return ""
    if unit is None:
        return "请选择所在单位。"
    return "只能登记本单位或所管理联席会议成员单位的人员。"


def unit_required_for_person(user) -> bool:
    return not access_for(user).is_district_admin


def unit_required_on_create(user) -> bool:
    """A new unit must join a conference unless a district administrator creates it."""
    return not access_for(user).is_district_admin


def all_or_published(user, model):
    """Insiders see every row of ``model``; everyone else the rows its manager's ``published()`` lets out."""
    return model.objects.all() if is_insider(user) else model.objects.published()


def insiders_only_rows(user, model):
    """Internal records: every row for insiders, none for anyone else."""
    return model.objects.all() if is_insider(user) else model.objects.none()


def get_visible(user, visible, pk, write: bool = False, conference_id=lambda obj: obj.conference_id):
    """The object ``pk`` among ``visible`` (the rows the user may see), else 404. With ``write``, 403
    unless the user manages the conference the object belongs to (``conference_id(obj)``)."""
    obj = get_object_or_404(visible, pk=pk)
    if write:
        access_for(user).require(access_for(user).can_manage_conference(conference_id(obj)))
    return obj


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
    return insiders_only_rows(user, Person)


def appointments_visible_to(user):
    return insiders_only_rows(user, Appointment)


def get_conference_for(user, pk, write: bool = False) -> Conference:
    return get_visible(user, conferences_visible_to(user), pk, write, conference_id=lambda conference: conference.pk)


def get_committee_for(user, pk, write: bool = False) -> Committee:
    """A committee of a visible conference; changed by whoever manages that conference."""
    visible = Committee.objects.select_related("conference").filter(conference__in=conferences_visible_to(user))
    return get_visible(user, visible, pk, write)


def get_membership_for(user, pk, write: bool = False) -> Membership:
    """A membership of a visible unit in a visible conference; changed by the conference's managers."""
    visible = Membership.objects.select_related("unit", "conference").filter(
        conference__in=conferences_visible_to(user), unit__in=units_visible_to(user))
    return get_visible(user, visible, pk, write)


def get_unit_for(user, pk, write: bool = False) -> Unit:
    unit = get_object_or_404(units_visible_to(user), pk=pk)
    if write:
        access_for(user).require(access_for(user).can_edit_unit(unit))
    return unit


def can_write_person(user, person) -> bool:
    access = access_for(user)
    if not access.is_insider:
        return False
    allowed = access.is_district_admin or (person.unit_id is not None and access.can_edit_unit(person.unit))
    if not allowed:
        allowed = access.can_manage_any_conference() and Appointment.objects.filter(
            person=person, conference_id__in=access.managed_conferences or []
        ).exists()
    return allowed


def get_person_for(user, pk, write: bool = False) -> Person:
    person = get_object_or_404(people_visible_to(user), pk=pk)
    if write:
        access_for(user).require(can_write_person(user, person))
    return person


def get_appointment_for(user, pk, write: bool = False) -> Appointment:
    """A post in a visible conference; changed by the conference's managers."""
    visible = appointments_visible_to(user).select_related("conference", "person", "unit").filter(
        conference__in=conferences_visible_to(user))
    return get_visible(user, visible, pk, write)


def may_see_person_contact(user, person: Person) -> bool:
    """A person's phone and e-mail in full (PIPL: only whose work needs them): those who keep the
    person's record (:func:`can_write_person`). Every other insider sees them masked."""
    return access_for(user).is_insider and can_write_person(user, person)


def require_manage_conference(user, conference: Conference):
    access_for(user).require(access_for(user).can_manage_conference(conference.pk))


def managed_conferences(user):
    """The conferences this user runs (all of them for a superuser), as a queryset: the choices of
    every "for which conference" field and filter on the managers' pages."""
    managed = access_for(user).managed_conferences
    return Conference.objects.all() if managed is None else Conference.objects.filter(pk__in=managed)


# ---------------------------------------------------------------------------------------------
# Role grants (the roles page of district administrators)


def can_manage_grants(user) -> bool:
    return access_for(user).can_manage_grants()


def require_grant_admin(user):
    """The roles page: outsiders 404, insiders who are no district administrator 403."""
    access = access_for(user)
    access.require(access.can_manage_grants(), visible=access.is_insider)


def can_grant(user, role: str, conference=None, unit=None) -> bool:
    """May give (or take back) ``role`` over this conference or unit: a district administrator
    within their conferences, and for units that currently belong to one of them."""
    scope = access_for(user).granting_conferences
    if scope is None:
        return True
    if not scope:
        return False
    if role in Grant.CONFERENCE_ROLES:
        return conference is not None and conference.pk in scope
    if unit is None:
        return False
    return Membership.objects.current().filter(unit_id=unit.pk, conference_id__in=scope).exists()


def conferences_granted_by(user):
    """The conferences within which the user gives roles (the roles form's choices)."""
    scope = access_for(user).granting_conferences
    qs = Conference.objects.order_by("id")
    return qs if scope is None else qs.filter(pk__in=scope)


def require_grant(user, role: str, conference=None, unit=None):
    """403 when the user may not give ``role`` over the chosen scope. A grant without the scope its
    role needs is left to the service, which names the missing field."""
    scope = conference if role in Grant.CONFERENCE_ROLES else unit
    if scope is not None:
        access_for(user).require(can_grant(user, role, conference, unit))


def grants_visible_to(user):
    """The grants a district administrator keeps: roles over their conferences, and roles over the
    units currently in them. Everyone else sees none."""
    access = access_for(user)
    scope = access.granting_conferences
    if scope is None:
        return Grant.objects.all()
    if not scope:
        return Grant.objects.none()
    member = Membership.objects.current().filter(unit_id=OuterRef("unit_id"), conference_id__in=scope)
    return Grant.objects.filter(Q(conference_id__in=scope) | Q(unit__isnull=False) & Exists(member))


def get_grant_for(user, pk, write: bool = False) -> Grant:
    grant = get_object_or_404(grants_visible_to(user).select_related("user", "conference", "unit"), pk=pk)
    if write:
        access_for(user).require(can_grant(user, grant.role, grant.conference, grant.unit))
    return grant


def grant_history(user, limit: int = 50):
    """The audit rows of role grants this user may read: all for a superuser; for a district
    administrator those of the grants they keep now and those they wrote themselves (a revoked
    grant another administrator kept is no longer theirs to read)."""
    from lianxi.audit.services import entries_for_model

    scope = access_for(user).granting_conferences
    if scope is None:
        return entries_for_model(Grant, limit=limit)
    if not scope:
        return entries_for_model(Grant, limit=0)
    ids = grants_visible_to(user).values_list("pk", flat=True)
    return entries_for_model(Grant, target_ids=ids, or_actor=user, limit=limit)


# ---------------------------------------------------------------------------------------------
# Who reads a registry object's 变更记录 (registered with ``accounts.gates`` in RegistryConfig.ready)


def may_read_conference_history(user, conference: Conference) -> bool:
    """Those who run the conference (its secretariat, the district administrators above it) and
    its reviewers."""
    return access_for(user).can_oversee_conference(conference.pk)


def may_read_unit_history(user, unit: Unit) -> bool:
    """The unit's own accounts (liaison, grassroots), and those who run or review a conference the
    unit belongs or belonged to."""
    access = access_for(user)
    if access.can_act_for_unit(unit.pk):
        return True
    overseen = access.overseen_conferences
    if overseen is None:
        return True
    return bool(overseen) and Membership.objects.filter(unit_id=unit.pk, conference_id__in=overseen).exists()


def may_read_person_history(user, person: Person) -> bool:
    """Those who keep the person's record (``can_write_person``), and the reviewers of a
    conference the person holds a post in."""
    if can_write_person(user, person):
        return True
    access = access_for(user)
    return bool(access.reviewer_conferences) and Appointment.objects.filter(
        person_id=person.pk, conference_id__in=access.reviewer_conferences).exists()
