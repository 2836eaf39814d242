"""Access to meetings. Anonymous visitors and users without grants see published meetings of public
conferences; insiders see every meeting; changing one needs the right to manage its conference.
404 for what a user may not see, 403 for what they may see but not change (docs/architecture.md, "The access path")."""

from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.meetings.models import AgendaItem, Meeting


def meetings_visible_to(user):
    if access_for(user).is_insider:
        return Meeting.objects.all()
    return Meeting.objects.published()


def get_meeting_for(user, pk, write: bool = False) -> Meeting:
    meeting = get_object_or_404(meetings_visible_to(user).select_related("conference"), pk=pk)
    if write:
        access = access_for(user)
        access.require(access.can_manage_conference(meeting.conference_id))
    return meeting


def get_agenda_item_for(user, pk, write: bool = False) -> AgendaItem:
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__conference", "concerns_conference").filter(
            meeting__in=meetings_visible_to(user)
        ),
        pk=pk,
    )
    if write:
        access = access_for(user)
        access.require(access.can_manage_conference(item.meeting.conference_id))
    return item
