"""The demo's recommended match: the secretariat of 演示联席会议（虚构） runs the matching once and
sends the sample unit one invitation, so the demo liaison finds a claim invitation to accept. A
step of ``lianxi demo`` (``lianxi.demo.DEMO_STEPS``); running it again changes nothing."""

from django.db import transaction

from lianxi.lists.demo import CONFERENCE, LECTURERS, SAMPLE_UNIT
from lianxi.matching import services
from lianxi.matching.models import Suggestion
from lianxi.registry.models import Conference


@transaction.atomic
def send_sample_invitation(actor=None) -> Suggestion | None:
    conference = Conference.objects.filter(name=CONFERENCE).first()
    if conference is None:
        return None
    answered = [Suggestion.State.SENT, Suggestion.State.ACCEPTED, Suggestion.State.DECLINED]
    done = Suggestion.objects.filter(conference=conference, state__in=answered).first()
    if done is not None:
        return done
    run = services.run_matching(actor, conference)
    suggestion = (run.suggestions.filter(unit__name=SAMPLE_UNIT, resource__title=LECTURERS[0],
                                         state=Suggestion.State.PROPOSED).order_by("-score", "id").first())
    if suggestion is None:
        return None
    services.send_invitations(actor, [suggestion])
    suggestion.refresh_from_db()
    return suggestion
