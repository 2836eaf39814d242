"""Access to campaigns. Deny by default: 404 for what a user may not see, 403 for what they may see
but not do. Phase-aware: ``actions_for`` says what a user may do in the campaign's current phase,
and each ``require_*`` refuses an action outside its phase with 403 before any service runs (the
services check the phase again and say why).

- managers of the campaign's conference (secretariat, district admin): everything;
- a unit's liaison: their own unit's nominations (create and edit during 征集);
- a reviewer: only the nominations assigned to them, and their own scores (遴选);
- anyone: a published campaign once it is in 公示 or later, with the selected nominations only."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.campaigns.models import Assignment, Campaign, Honour, Nomination, Phase, Reviewer

PUBLIC_PHASES = (Phase.NOTICE, Phase.FINAL, Phase.AWARDED)

# action → the phases it belongs to
PHASE_ACTIONS = {
    "nominate": {Phase.CALL},
    "recommend": {Phase.RECOMMEND},
    "assign": {Phase.REVIEW},
    "score": {Phase.REVIEW},
    "decide": {Phase.DECIDE},
    "object": {Phase.NOTICE},
    "handle_objection": {Phase.NOTICE},
    "advance": set(Phase.values) - {Phase.FINAL, Phase.AWARDED},
}


def can_manage(user, campaign: Campaign) -> bool:
    return access_for(user).can_manage_conference(campaign.conference_id)


def campaigns_visible_to(user):
    """Insiders: all; a reviewer: the campaigns they review; anyone: published ones in 公示 or later."""
    access = access_for(user)
    if access.is_insider:
        return Campaign.objects.all()
    public = Q(is_published=True, conference__is_public=True, phase__in=PUBLIC_PHASES)
    if getattr(user, "is_authenticated", False):
        return Campaign.objects.filter(public | Q(pk__in=Reviewer.objects.filter(user=user).values("campaign_id")))
    return Campaign.objects.filter(public)


def get_campaign_for(user, pk, *, manage: bool = False) -> Campaign:
    campaign = get_object_or_404(campaigns_visible_to(user).select_related("conference"), pk=pk)
    if manage:
        access_for(user).require(can_manage(user, campaign))
    return campaign


def reviewer_for(user, campaign: Campaign) -> Reviewer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Reviewer.objects.filter(campaign=campaign, user=user).first()


def _role_allows(user, campaign: Campaign, action: str, access, manage: bool) -> bool:
    """Whether the user's role may take ``action`` at all (in its phase)."""
    if action == "nominate":
        return bool(access.own_units or manage)
    if action == "score":
        return reviewer_for(user, campaign) is not None
    if action == "object":
        return True
    return manage


def actions_for(user, campaign: Campaign) -> set[str]:
    """What the user may do now (phase-aware)."""
    access = access_for(user)
    manage = can_manage(user, campaign)
    return {action for action, phases in PHASE_ACTIONS.items()
            if campaign.phase in phases and _role_allows(user, campaign, action, access, manage)}


def require_action(user, campaign: Campaign, action: str):
    access_for(user).require(action in actions_for(user, campaign))


def phase_conflict(user, campaign: Campaign, action: str) -> bool:
    """True when the user's role may take ``action`` but not in the campaign's current phase (the
    API answers 409 then, 403 when the role may not take it at all)."""
    access = access_for(user)
    return (campaign.phase not in PHASE_ACTIONS[action]
            and _role_allows(user, campaign, action, access, can_manage(user, campaign)))


def nominations_visible_to(user, campaign: Campaign):
    """Managers: every nomination but other units' drafts; liaisons: their units' own; reviewers:
    only what they are assigned; anyone during/after 公示: the selected ones."""
    access = access_for(user)
    qs = campaign.nominations.all()
    if can_manage(user, campaign):
        return qs.filter(~Q(state=Nomination.State.DRAFT) | Q(unit_id__in=access.own_units))
    visible = Q(unit_id__in=access.own_units)
    reviewer = reviewer_for(user, campaign)
    if reviewer is not None:
        visible |= Q(assignments__reviewer=reviewer)
    if campaign.phase in PUBLIC_PHASES and campaign.is_published:
        visible |= Q(selected=True)
    return qs.filter(visible).distinct()


def get_nomination_for(user, pk, *, write: bool = False) -> Nomination:
    nomination = get_object_or_404(Nomination.objects.select_related("campaign", "unit", "body"), pk=pk)
    campaign = nomination.campaign
    if not campaigns_visible_to(user).filter(pk=campaign.pk).exists() and not access_for(user).own_units:
        raise Http404
    if not nominations_visible_to(user, campaign).filter(pk=nomination.pk).exists():
        raise Http404
    if write:
        access = access_for(user)
        access.require(access.can_act_for_unit(nomination.unit_id) or can_manage(user, campaign))
    return nomination


def get_assignment_for(user, pk) -> Assignment:
    """A reviewer's own assignment; anyone else gets 404."""
    assignment = get_object_or_404(Assignment.objects.select_related("reviewer__campaign", "nomination"), pk=pk)
    if assignment.reviewer.user_id != getattr(user, "pk", None):
        raise Http404
    return assignment


def honours_visible_to(user):
    if access_for(user).is_insider:
        return Honour.objects.all()
    return Honour.objects.filter(is_published=True, conference__is_public=True)


def nominating_units(user, campaign: Campaign):
    """The units the user may nominate for: any (managers) or their own."""
    from lianxi.registry.models import Unit

    if can_manage(user, campaign):
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=access_for(user).own_units)


def can_edit_nomination(user, nomination: Nomination) -> bool:
    return access_for(user).can_act_for_unit(nomination.unit_id) or can_manage(user, nomination.campaign)


def can_manage_honour(user, honour: Honour) -> bool:
    return access_for(user).can_manage_conference(honour.conference_id)


def require(allowed: bool):
    """403 unless ``allowed`` (the object is visible)."""
    access_for(None).require(allowed)
