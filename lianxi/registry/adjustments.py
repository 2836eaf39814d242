"""Which posts a plenary's 调整 (adjustment) item has ended even when it could not be applied.

A source may say that a plenary "adjusted the rotating conveners and deputy conveners" without
naming the successors (Huangpu's tenth plenary). The item is then recorded and left unapplied — no
successor is invented — but the holders the source attested before it are no longer current: the
roster must not show them as such. This module states that rule once, for the registry's roster
page and API and for rotation planning.

The rule: a post is *adjusted away* on ``on`` when an 调整 item of a meeting of the post's
conference (or naming that conference) took place on or before ``on``, after the post began (or on
or after the day a source attested it, when its start is unknown), the item's title mentions the
post's role (or no roster role at all), and the post was not started by that very meeting.

The agenda models are reached through the registry's reverse relations, so the registry does not
import the meetings app."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from lianxi.registry.models import Appointment, Conference

ROSTER_ROLES = [Appointment.Role.ROTATING_CONVENER, Appointment.Role.DEPUTY_CONVENER]


@dataclass(frozen=True)
class Adjustment:
    item_id: int
    meeting_id: int
    day: datetime.date
    title: str
    applied: bool


def adjustments_of(conference: Conference, until: datetime.date | None = None) -> list[Adjustment]:
    """The 调整 items concerning ``conference`` (its own meetings, or naming it), oldest first. One query."""
    meeting_model = Conference._meta.get_field("meetings").related_model
    item_model = meeting_model._meta.get_field("agenda_items").related_model
    items = item_model.objects.filter(kind="adjustment").filter(
        Q(meeting__conference=conference) | Q(concerns_conference=conference))
    if until is not None:
        items = items.filter(meeting__date__lte=until)
    return [Adjustment(pk, meeting_id, day, title, applied is not None) for pk, meeting_id, day, title, applied in
            items.order_by("meeting__date", "order").values_list("pk", "meeting_id", "meeting__date", "title",
                                                                   "applied_on")]


def _mentions(title: str, role: str) -> bool:
    labels = {r: Appointment.Role(r).label for r in ROSTER_ROLES}
    named = [r for r, label in labels.items() if label in title]
    return not named or role in named


def adjusted_by(appointment: Appointment, adjustments: list[Adjustment], on: datetime.date) -> Adjustment | None:
    """The latest adjustment (on or before ``on``) that ended ``appointment`` under the rule above."""
    found = None
    for adj in adjustments:
        if adj.day > on or adj.meeting_id == appointment.appointed_at_id:
            continue
        if appointment.start is not None:
            if adj.day <= appointment.start:
                continue
        elif appointment.attested_on is None or adj.day < appointment.attested_on:
            continue
        if _mentions(adj.title, appointment.role):
            found = adj
    return found


def split_current(appointments, adjustments: list[Adjustment], on: datetime.date):
    """``(current, adjusted_away)`` of posts current on ``on`` by their dates: the second list pairs
    each post with the adjustment that ended it."""
    current, away = [], []
    for appointment in appointments:
        adj = adjusted_by(appointment, adjustments, on)
        if adj is None:
            current.append(appointment)
        else:
            away.append((appointment, adj))
    return current, away
