"""Access to the lists. Deny by default: 404 for what a user may not see, 403 for what they may
see but not change (docs/architecture.md, "The access path").

Who may do what:
- anyone sees released needs (and offered resources) of public conferences, without contacts;
- insiders (any grant) see every need except other people's drafts, and contacts;
- a need is edited by its owner unit's accounts or by whoever manages its conference;
- a claim is made for a unit the user acts for (or by the conference's managers on its behalf);
- a delivery is recorded by the claimant (lead or co-claimant) and confirmed/rated by the owner."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.lists.models import Claim, ClaimShare, Delivery, Need, Resource
from lianxi.registry.gates import require_manager  # noqa: F401  (re-exported: the lists' views use it)
from lianxi.registry.models import Conference, Membership, Unit

# What the public never sees: every state but Need.PUBLIC_STATES.
HIDDEN_STATES = [state for state in Need.State.values if state not in Need.PUBLIC_STATES]


def needs_visible_to(user):
    """Anyone: released needs of public conferences. Insiders: every need but other people's drafts."""
    access = access_for(user)
    if access.is_superuser or access.managed_conferences is None:
        return Need.objects.all()
    if access.is_insider:
        mine = Q(owner_id__in=access.own_units)
        if access.managed_conferences:
            mine |= Q(conference_id__in=access.managed_conferences)
        return Need.objects.filter(~Q(state=Need.State.DRAFT) | mine)
    # As exclusions (a few hidden states, the few non-public conferences) rather than "state in
    # seven public states and conference in ~300 public ones": the planner then walks the ordering
    # index of the page (need_created, need_open_order) and filters as it goes, whatever the
    # statistics say, instead of gathering every visible need to sort it.
    return Need.objects.exclude(state__in=HIDDEN_STATES).exclude(conference_id__in=_private_conference_ids())


def _private_conference_ids() -> list[int]:
    """The conferences whose lists are not public (few: most conferences are public)."""
    from lianxi.registry.models import Conference

    return list(Conference.objects.filter(is_public=False).values_list("id", flat=True))


def open_needs_visible_to(user):
    """``needs_visible_to(user).open()``, in the shape the hall index serves: open needs are never
    drafts and always in a public state, so only the conference's visibility is left to check."""
    qs = Need.objects.open()
    if access_for(user).is_insider:
        return qs
    return qs.exclude(conference_id__in=_private_conference_ids())


def can_edit_need(user, need: Need) -> bool:
    access = access_for(user)
    return access.can_manage_conference(need.conference_id) or access.can_act_for_unit(need.owner_id)


def get_need_for(user, pk, write: bool = False) -> Need:
    need = get_object_or_404(needs_visible_to(user).select_related("conference", "owner", "category", "area"), pk=pk)
    if write:
        access_for(user).require(can_edit_need(user, need))
    return need


def resources_visible_to(user):
    access = access_for(user)
    if access.is_insider:
        return Resource.objects.all()
    return Resource.objects.filter(state=Resource.State.OFFERED, conference__is_public=True)


def can_edit_resource(user, resource: Resource) -> bool:
    access = access_for(user)
    return access.can_act_for_unit(resource.unit_id) or access.can_manage_conference(resource.conference_id)


def get_resource_for(user, pk, write: bool = False) -> Resource:
    resource = get_object_or_404(resources_visible_to(user).select_related("conference", "unit", "category"), pk=pk)
    if write:
        access_for(user).require(can_edit_resource(user, resource))
    return resource


def may_see_need_contact(user, need: Need) -> bool:
    """A need's contact phone in full (PIPL: only whose work needs it): the owner unit's accounts,
    whoever manages its conference, and the units of a live claim on it (lead or co-claimant).
    Other insiders see it masked; the public not at all."""
    access = access_for(user)
    if not access.is_insider:
        return False
    if access.can_manage_conference(need.conference_id) or access.can_act_for_unit(need.owner_id):
        return True
    own = access.own_units
    if not own:
        return False
    live = Claim.objects.filter(need_id=need.pk).exclude(state=Claim.State.CANCELLED)
    return live.filter(Q(unit_id__in=own) | Q(shares__unit_id__in=own)).exists()


def resources_with_full_contact(user, resources) -> set[int]:
    """Of ``resources``, those whose contact phone this user may see in full, in at most one query:
    the offering unit's accounts, the conference's managers, and the need owners whose needs
    a live claim fills with the resource."""
    access = access_for(user)
    if not access.is_insider:
        return set()
    full = {r.pk for r in resources
            if access.can_manage_conference(r.conference_id) or access.can_act_for_unit(r.unit_id)}
    rest = [r.pk for r in resources if r.pk not in full]
    if rest and access.own_units:
        full |= set(Claim.objects.filter(resource_id__in=rest, need__owner_id__in=access.own_units)
                    .exclude(state=Claim.State.CANCELLED).values_list("resource_id", flat=True))
    return full


def may_see_snapshot_contacts(user, snapshot) -> bool:
    """The contact phones in a released list's frozen tables: in full for whoever manages its
    conference; masked for every other insider."""
    return access_for(user).can_manage_conference(snapshot.conference_id)


def claims_visible_to(user):
    """Claims of the needs the user can see."""
    return Claim.objects.filter(need__in=needs_visible_to(user))


def claim_units(claim: Claim) -> set[int]:
    """The lead unit and every co-claimant."""
    return {claim.unit_id, *ClaimShare.objects.filter(claim=claim).values_list("unit_id", flat=True)}


def can_act_for_claim(user, claim: Claim) -> bool:
    access = access_for(user)
    if access.can_manage_conference(claim.conference_id):
        return True
    return bool(claim_units(claim) & access.own_units) or access.is_superuser


def get_claim_for(user, pk, write: bool = False) -> Claim:
    claim = get_object_or_404(claims_visible_to(user).select_related("need", "unit", "conference"), pk=pk)
    if write:
        access_for(user).require(can_act_for_claim(user, claim))
    return claim


def deliveries_visible_to(user):
    return Delivery.objects.filter(claim__need__in=needs_visible_to(user))


def can_confirm_delivery(user, delivery: Delivery) -> bool:
    access = access_for(user)
    need = delivery.claim.need
    return access.can_act_for_unit(need.owner_id) or access.can_manage_conference(need.conference_id)


def get_delivery_for(user, pk, action: str = "view") -> Delivery:
    """``action``: ``view``, ``record`` (the claimant) or ``confirm`` (the owner, also for rating)."""
    delivery = get_object_or_404(
        deliveries_visible_to(user).select_related("claim", "claim__need", "claim__unit", "claim__need__owner"), pk=pk
    )
    access = access_for(user)
    if action == "record":
        access.require(can_act_for_claim(user, delivery.claim))
    elif action == "confirm":
        access.require(can_confirm_delivery(user, delivery))
    return delivery


def claimant_units_for(user, conference_id: int | None = None):
    """Units the user may claim for: the units they act for that are current members (of
    ``conference_id`` when given). The conference's managers may claim on behalf of any member."""
    access = access_for(user)
    members = Membership.objects.current()
    if conference_id is not None:
        members = members.filter(conference_id=conference_id)
    units = Unit.objects.filter(Exists(members.filter(unit=OuterRef("pk"))))
    if conference_id is not None and access.can_manage_conference(conference_id):
        return units.order_by("name")
    if access.is_superuser:
        return units.order_by("name")
    return units.filter(pk__in=access.own_units).order_by("name")


def offering_units_for(user):
    """Units the user may offer a resource for: the current member units they act for, and the
    current members of the conferences they manage (every current member for a superuser) — the
    units ``ResourceForm`` offers that can pass its membership check."""
    access = access_for(user)
    members = Membership.objects.current()
    managed = access.managed_conferences
    if managed is not None:
        members = members.filter(Q(unit_id__in=access.own_units) | Q(conference_id__in=managed))
    return Unit.objects.filter(Exists(members.filter(unit=OuterRef("pk"))))


def can_offer_resources(user) -> bool:
    """Whether the "offer a resource" form leads anywhere for this user (one query for insiders)."""
    access = access_for(user)
    if not access.is_insider or not (access.own_units or access.can_manage_any_conference()):
        return False
    return offering_units_for(user).exists()


def require_unit_account(user):
    """The inbox and the burden page are for unit accounts: outsiders 404, other insiders 403."""
    access = access_for(user)
    if not access.is_insider:
        raise Http404
    if not access.own_units and not access.is_superuser:
        raise PermissionDenied


def units_acted_for(user) -> set[int]:
    """The units whose own accounts this user holds (liaison or grassroots)."""
    return set(access_for(user).own_units)


# --------------------------------------------------------------------------------------------
# Posting and offering


def can_post(user) -> bool:
    """Whether "post a need" / "offer a resource" leads anywhere: insiders acting for a unit or
    running a conference."""
    access = access_for(user)
    return access.is_insider and bool(access.own_units or access.can_manage_any_conference())


def require_posting_rights(user):
    access = access_for(user)
    if not access.is_insider:
        raise Http404
    if not (access.own_units or access.can_manage_any_conference()):
        raise PermissionDenied


def require_post_need_for(user, conference, owner):
    """403 unless the user may post a need owned by ``owner`` to ``conference``."""
    access = access_for(user)
    access.require(access.may_post_need_for(owner.pk, conference.pk))


def require_offer_for(user, unit, conference):
    access = access_for(user)
    access.require(access.may_offer_for(unit.pk, conference.pk))


def posting_conferences(user, need_rules):
    """Conferences a user may post needs to: those they manage, those their units belong to, and
    those whose area contains one of their units (``need_rules`` answers area ancestry)."""
    access = access_for(user)
    managed = access.managed_conferences
    if managed is None:
        return Conference.objects.all()
    q = Q(pk__in=managed)
    if access.own_units:
        q |= Q(Exists(Membership.objects.current().filter(conference=OuterRef("pk"), unit_id__in=access.own_units)))
        areas = set()
        for area_id in Unit.objects.filter(pk__in=access.own_units).values_list("area_id", flat=True):
            areas.update(need_rules.area_ancestors(area_id))
        q |= Q(area_id__in=areas)
    return Conference.objects.filter(q)


def posting_units(user):
    """Units in whose name the user may post: any unit for those who run a conference."""
    access = access_for(user)
    if access.can_post_for_any_unit:
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=access.own_units)


def offering_conferences(user):
    """Conferences a user may offer resources to: those they manage and those their units belong to."""
    access = access_for(user)
    managed = access.managed_conferences
    if managed is None:
        return Conference.objects.all()
    members = Membership.objects.current()
    return Conference.objects.filter(
        Q(pk__in=managed) | Q(Exists(members.filter(conference=OuterRef("pk"), unit_id__in=access.own_units))))


def offering_unit_choices(user):
    """The resource form's units: those the user acts for, and the current members of the
    conferences they manage (every current member for a superuser)."""
    access = access_for(user)
    managed = access.managed_conferences
    members = Membership.objects.current()
    if managed is None:
        return Unit.objects.filter(Exists(members.filter(unit=OuterRef("pk"))))
    return Unit.objects.filter(
        Q(pk__in=access.own_units) | Q(Exists(members.filter(unit=OuterRef("pk"), conference_id__in=managed))))


def records_only_posted_needs(user) -> bool:
    """A unit posts its own needs; recording needs raised at meetings and visits is for those who
    run a conference."""
    return not access_for(user).can_manage_any_conference()


def is_liaison(user) -> bool:
    access = access_for(user)
    return bool(access.liaison_units) or access.is_superuser


def may_claim_on_behalf(user, need: Need) -> bool:
    """The conference's managers may claim for any of its members."""
    return access_for(user).can_manage_conference(need.conference_id)


# --------------------------------------------------------------------------------------------
# Per-row rights, one call per page


def attach_claim_rights(user, need: Need, claims) -> None:
    """``claim.can_act`` and, on each prefetched delivery, ``can_record`` (the claimant) and
    ``can_confirm`` (the owner), for every claim of ``need`` from the shares already loaded."""
    access = access_for(user)
    manages = access.can_manage_conference(need.conference_id)
    owner = access.can_act_for_unit(need.owner_id) or manages
    for claim in claims:
        units = {claim.unit_id, *(s.unit_id for s in claim.shares.all())}
        claim.can_act = manages or bool(units & access.own_units) or access.is_superuser
        for delivery in claim.deliveries.all():
            delivery.can_record = claim.can_act
            delivery.can_confirm = owner


def attach_delivery_rights(user, delivery: Delivery) -> None:
    delivery.can_record = can_act_for_claim(user, delivery.claim)
    delivery.can_confirm = can_confirm_delivery(user, delivery)


def may_read_need_history(user, need: Need) -> bool:
    """A need's 变更记录: those who run or review its conference, the owner unit's accounts, and
    the units that claimed it (lead or co-claimant, the claim live or cancelled): the parties to it."""
    access = access_for(user)
    if access.can_oversee_conference(need.conference_id) or access.can_act_for_unit(need.owner_id):
        return True
    own = access.own_units
    return bool(own) and Claim.objects.filter(need_id=need.pk).filter(
        Q(unit_id__in=own) | Q(shares__unit_id__in=own)).exists()


def may_read_resource_history(user, resource: Resource) -> bool:
    """A resource's 变更记录: those who run or review its conference and the offering unit's accounts."""
    access = access_for(user)
    return access.can_oversee_conference(resource.conference_id) or access.can_act_for_unit(resource.unit_id)
