"""Access to matching. Deny by default: 404 for what a user may not see, 403 for what they may see
but not do (docs/architecture.md, "The access path").

- the secretariat (and administrators) of a conference see its runs and every suggestion, start
  runs and send suggestions as invitations;
- a unit's liaison sees the suggestions sent to their unit, and accepts or declines them;
- the same managers keep the neighbour map of their conference's streets;
- everyone else sees nothing of matching."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.matching.models import MatchRun, Suggestion
from lianxi.registry.gates import require_manager, require_unit_account
from lianxi.registry.models import Area, Conference

__all__ = ["require_manager", "require_unit_account"]  # the one copy lives in registry.gates

# What a unit sees of the suggestions made for it: once they were sent, never the proposals.
UNIT_VISIBLE_STATES = [Suggestion.State.SENT, Suggestion.State.ACCEPTED, Suggestion.State.DECLINED,
                       Suggestion.State.EXPIRED]


def runs_visible_to(user):
    managed = access_for(user).managed_conferences
    if managed is None:
        return MatchRun.objects.all()
    return MatchRun.objects.filter(conference_id__in=managed)


def suggestions_visible_to(user):
    access = access_for(user)
    managed = access.managed_conferences
    if managed is None:
        return Suggestion.objects.all()
    q = Q(conference_id__in=managed) if managed else Q(pk__in=[])
    if access.own_units:
        q |= Q(unit_id__in=access.own_units, state__in=UNIT_VISIBLE_STATES, invitation__asked_at__isnull=False)
    return Suggestion.objects.filter(q)


def get_suggestion_for(user, pk, action: str = "view") -> Suggestion:
    """``action``: ``view``; ``send`` (the conference's managers); ``decide`` (the unit's accounts)."""
    suggestion = get_object_or_404(suggestions_visible_to(user).for_page(), pk=pk)
    access = access_for(user)
    if action == "send":
        access.require(access.can_manage_conference(suggestion.conference_id))
    elif action == "decide":
        access.require(access.can_act_for_unit(suggestion.unit_id))
    return suggestion


def can_decide(user, suggestion: Suggestion) -> bool:
    return access_for(user).can_act_for_unit(suggestion.unit_id)


def invitations_of(user):
    """The suggestions sent to the units the user acts for (their 认领邀请)."""
    return suggestions_visible_to(user).filter(unit_id__in=access_for(user).own_units, state__in=UNIT_VISIBLE_STATES)


def require_send(user):
    """Sending invitations: outsiders 404, insiders who run no conference 403."""
    access = access_for(user)
    access.require(access.can_manage_any_conference(), visible=access.is_insider)


def get_run_for(user, pk) -> MatchRun:
    if not access_for(user).is_insider:
        raise Http404
    run = get_object_or_404(MatchRun.objects.select_related("conference"), pk=pk)
    require_manager(user, run.conference_id)
    return run


def conference_streets(conference: Conference):
    """The streets whose neighbours a conference's managers keep: every street of its area when
    that is a district, its own street when it is a street (or a residents' area in one). A
    conference that records no area has none; nothing is inferred from its members' addresses."""
    area = conference.area
    if area is None:
        return Area.objects.none()
    if area.kind == Area.Kind.DISTRICT:
        return Area.objects.filter(kind=Area.Kind.STREET, parent_id=area.pk)
    street_id = area.parent_id if area.kind == Area.Kind.NEIGHBOURHOOD else area.pk
    return Area.objects.filter(kind=Area.Kind.STREET, pk=street_id)


def get_conference_to_map(user, pk) -> Conference:
    """A conference whose neighbour map the user keeps: outsiders 404, other insiders 403."""
    require_manager(user)
    conference = get_object_or_404(Conference.objects.select_related("area"), pk=pk)
    require_manager(user, conference.pk)
    return conference


def get_street_to_map(user, conference_pk, pk) -> tuple[Conference, Area]:
    """One of the conference's streets, to set its neighbours; 404 for a street it does not cover."""
    conference = get_conference_to_map(user, conference_pk)
    return conference, get_object_or_404(conference_streets(conference), pk=pk)
