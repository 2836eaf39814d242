"""What one user may see and do, computed once per request from their grants.

Deny by default: an anonymous user or a user without grants sees only what is published. Gate
functions in each app (``get_unit_for`` …) ask this object and raise 404 for outsiders, 403 for
read-only users."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from django.core.exceptions import PermissionDenied
from django.http import Http404

from lianxi.accounts.models import Grant


@dataclass
class Access:
    user: object
    is_superuser: bool = False
    admin_conferences: set[int] = field(default_factory=set)
    secretariat_conferences: set[int] = field(default_factory=set)
    reviewer_conferences: set[int] = field(default_factory=set)
    liaison_units: set[int] = field(default_factory=set)
    street_units: set[int] = field(default_factory=set)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def is_insider(self) -> bool:
        """Holds any grant: may read the conference's internal records (people, posts, history)."""
        return self.is_superuser or bool(
            self.admin_conferences
            or self.secretariat_conferences
            or self.reviewer_conferences
            or self.liaison_units
            or self.street_units
        )

    @property
    def is_district_admin(self) -> bool:
        return self.is_superuser or bool(self.admin_conferences)

    @cached_property
    def managed_conferences(self) -> set[int] | None:
        """Conference ids this user runs (admin scope includes sub-conferences); ``None`` = all."""
        if self.is_superuser:
            return None
        ids = set(self.secretariat_conferences)
        if self.admin_conferences:
            ids |= _with_descendants(self.admin_conferences)
        return ids

    def can_manage_conference(self, conference_id: int | None) -> bool:
        if conference_id is None:
            return self.is_district_admin
        managed = self.managed_conferences
        return managed is None or conference_id in managed

    def can_manage_any_conference(self) -> bool:
        return self.managed_conferences is None or bool(self.managed_conferences)

    @cached_property
    def overseen_conferences(self) -> set[int] | None:
        """Conference ids whose records this user follows as a whole: those they run (above) and
        those they review for; ``None`` = all (a superuser). Who reads a conference's change log."""
        managed = self.managed_conferences
        if managed is None:
            return None
        return managed | self.reviewer_conferences

    def can_oversee_conference(self, conference_id: int | None) -> bool:
        overseen = self.overseen_conferences
        return overseen is None or (conference_id is not None and conference_id in overseen)

    def can_act_for_unit(self, unit_id: int) -> bool:
        """A liaison or grassroots account of this unit (acting as the unit itself)."""
        return self.is_superuser or unit_id in self.liaison_units or unit_id in self.street_units

    @property
    def own_units(self) -> set[int]:
        return self.liaison_units | self.street_units

    def can_edit_unit(self, unit) -> bool:
        """The unit's own liaison, or someone who manages a conference the unit currently belongs to."""
        if self.can_act_for_unit(unit.pk):
            return True
        managed = self.managed_conferences
        if managed is None:
            return True
        if not managed:
            return False
        return _registry().is_current_member(unit.pk, managed)

    # -- rules that cross apps, named once here and asked by the apps' gates -----------------

    @property
    def can_post_for_any_unit(self) -> bool:
        """Those who run a conference may post needs (and offer resources) for any unit."""
        return self.can_manage_any_conference()

    def may_post_for(self, unit_id: int) -> bool:
        """May post a need (or offer a resource) in this unit's name: its own accounts, or someone
        who runs a conference."""
        return self.can_post_for_any_unit or unit_id in self.own_units

    def may_post_need_for(self, owner_id: int, conference_id: int) -> bool:
        """May post a need owned by this unit to this conference: the unit's own accounts, or
        those who run the conference (recording needs raised at meetings and visits)."""
        return self.can_manage_conference(conference_id) or self.can_act_for_unit(owner_id)

    def may_offer_for(self, unit_id: int, conference_id: int) -> bool:
        """May offer a resource in this unit's name to this conference (same people as above)."""
        return self.can_act_for_unit(unit_id) or self.can_manage_conference(conference_id)

    def may_decide_burden_cap(self, unit_id: int) -> bool:
        """May set a grassroots unit's burden cap (减负上限) and let a request past it through: a
        district administrator of a conference the unit belongs (or belonged) to."""
        if self.is_superuser:
            return True
        if not self.admin_conferences:
            return False
        return _registry().has_membership(unit_id, self.managed_conferences or set())

    @cached_property
    def granting_conferences(self) -> set[int] | None:
        """Conferences within which this user gives and takes back roles: a district administrator's
        conferences and everything under them; ``None`` = all (a superuser)."""
        if self.is_superuser:
            return None
        return _with_descendants(self.admin_conferences) if self.admin_conferences else set()

    def can_manage_grants(self) -> bool:
        return self.is_superuser or bool(self.admin_conferences)

    def require(self, allowed: bool, visible: bool = True):
        """Raise 404 when the object is not visible to this user at all, 403 when read-only."""
        if not visible:
            raise Http404
        if not allowed:
            raise PermissionDenied


class ConferenceTree(Protocol):
    """What access needs to know about the registry: how conferences nest and who belongs to them."""

    def with_descendants(self, root_ids: set[int]) -> set[int]: ...

    def is_current_member(self, unit_id: int, conference_ids: set[int]) -> bool: ...

    def has_membership(self, unit_id: int, conference_ids: set[int]) -> bool: ...

    def units_of(self, conference_ids: set[int]): ...

    def people_of(self, conference_ids: set[int]): ...


_tree: ConferenceTree | None = None


def register_conference_tree(tree: ConferenceTree) -> None:
    """Called once by the registry app (``RegistryConfig.ready``): accounts sits below the registry
    and imports no domain app, so the registry hands it the lookups it needs."""
    global _tree
    _tree = tree


def _registry() -> ConferenceTree:
    if _tree is None:
        raise RuntimeError("lianxi.registry is not installed: access needs its conference tree.")
    return _tree


def units_of(conference_ids: set[int]):
    """The units that belong or belonged to these conferences, as a queryset of the registry's Unit."""
    return _registry().units_of(conference_ids)


def people_of(conference_ids: set[int]):
    """The people of the units of these conferences, as a queryset of the registry's Person."""
    return _registry().people_of(conference_ids)


def _with_descendants(root_ids: set[int]) -> set[int]:
    return _registry().with_descendants(root_ids)


def access_for(user) -> Access:
    """The user's access, cached on the user object for the rest of the request."""
    cached = getattr(user, "_lianxi_access", None)
    if cached is not None:
        return cached
    access = Access(user=user)
    if getattr(user, "is_authenticated", False) and user.is_active:
        access.is_superuser = user.is_superuser
        buckets = {
            Grant.Role.ADMIN: access.admin_conferences,
            Grant.Role.SECRETARIAT: access.secretariat_conferences,
            Grant.Role.REVIEWER: access.reviewer_conferences,
            Grant.Role.LIAISON: access.liaison_units,
            Grant.Role.STREET: access.street_units,
        }
        for role, conference_id, unit_id in Grant.objects.filter(user=user).values_list("role", "conference_id", "unit_id"):
            buckets[role].add(conference_id or unit_id)
    try:
        user._lianxi_access = access
    except AttributeError:
        pass
    return access
