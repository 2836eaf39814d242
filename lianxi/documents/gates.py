"""Documents are drafted by those who run the meeting's conference (its secretariat, the district
administrator): 404 for a meeting a user may not see, 403 for one they may see but not run."""

from lianxi.accounts.access import access_for
from lianxi.meetings.gates import get_meeting_for


def get_meeting_for_documents(user, pk):
    meeting = get_meeting_for(user, pk)
    access = access_for(user)
    access.require(access.can_manage_conference(meeting.conference_id))
    return meeting
