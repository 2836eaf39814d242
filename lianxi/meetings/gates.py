"""Access to meetings. Anonymous visitors and users without grants see published meetings of public
conferences; insiders see every meeting; changing one needs the right to manage its conference.
404 for what a user may not see, 403 for what they may see but not change (docs/architecture.md, "The access path")."""

from lianxi.accounts.access import access_for
from lianxi.meetings.models import AgendaItem, Meeting
from lianxi.registry.gates import all_or_published, get_visible


def meetings_visible_to(user):
    return all_or_published(user, Meeting)


def get_meeting_for(user, pk, write: bool = False) -> Meeting:
    return get_visible(user, meetings_visible_to(user).select_related("conference"), pk, write)


def get_agenda_item_for(user, pk, write: bool = False) -> AgendaItem:
    visible = AgendaItem.objects.select_related("meeting__conference", "concerns_conference").filter(
        meeting__in=meetings_visible_to(user))
    return get_visible(user, visible, pk, write, conference_id=lambda item: item.meeting.conference_id)


def may_read_meeting_history(user, meeting: Meeting) -> bool:
    """A meeting's 变更记录 (with its agenda items'): those who run or review its conference, and
    the host unit's accounts."""
    access = access_for(user)
    return access.can_oversee_conference(meeting.conference_id) or (
        meeting.host_unit_id is not None and access.can_act_for_unit(meeting.host_unit_id))
