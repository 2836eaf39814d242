"""Documents are drafted by those who run the meeting's (or the honour's) conference (its
secretariat, the district administrator): 404 for a record a user may not see, 403 for one they may
see but not run."""

from django.shortcuts import get_object_or_404

from lianxi.accounts.access import access_for
from lianxi.campaigns.gates import can_manage_honour, honours_visible_to
from lianxi.meetings.gates import get_meeting_for


def get_meeting_for_documents(user, pk):
    meeting = get_meeting_for(user, pk)
    access = access_for(user)
    access.require(access.can_manage_conference(meeting.conference_id))
    return meeting


def get_honour_for_certificates(user, pk):
    """A campaign honour's certificates, gated like its page: 404 for an honour the user may not
    see; printed by those who run its conference (403 for other readers, published or not)."""
    honour = get_object_or_404(honours_visible_to(user).select_related("conference", "named_at__meeting"), pk=pk)
    access_for(user).require(can_manage_honour(user, honour))
    return honour
