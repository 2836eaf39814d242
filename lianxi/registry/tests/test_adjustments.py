"""The roster rule for adjustments whose successors are not known (lianxi.registry.adjustments):
holders a plenary adjusted are not shown as current, on the page and in the API."""

import datetime

import pytest
from django.urls import reverse

from lianxi.meetings.models import AgendaItem, Meeting
from lianxi.meetings.services import add_agenda_item, create_meeting
from lianxi.registry.adjustments import adjustments_of, split_current
from lianxi.registry.models import Appointment, Person
from lianxi.registry.services import appoint

pytestmark = pytest.mark.django_db
R = Appointment.Role
DAY = datetime.date(2024, 6, 24)


def _adjust(world, day, title, number):
    meeting = create_meeting(None, conference=world.district, kind=Meeting.Kind.PLENARY, number=number,
                             title=f"示例第{number}次全体会议", date=day)
    return add_agenda_item(None, meeting, kind=AgendaItem.Kind.ADJUSTMENT, title=title)


def test_attested_holders_adjusted_at_a_plenary_are_not_current(world, client_for):
    chair = Person.objects.create(name="示例轮值甲", unit=world.unit_a)
    deputy = Person.objects.create(name="示例副召集人乙", unit=world.unit_b)
    rotating = appoint(None, conference=world.district, role=R.ROTATING_CONVENER, person=chair, unit=world.unit_a,
                       attested_on=DAY)
    deputy_post = appoint(None, conference=world.district, role=R.DEPUTY_CONVENER, person=deputy, unit=world.unit_b,
                          attested_on=DAY)
    _adjust(world, DAY, "调整联席会议轮值召集人", 10)  # names the rotating conveners only
    response = client_for(world.secretariat).get(reverse("registry:rotation", args=[world.district.pk]))
    rotating_section, deputy_section = response.context["sections"]
    assert (rotating_section["current"], rotating_section["adjusted"]) == ([], [rotating])
    assert (deputy_section["current"], deputy_section["adjusted"]) == ([deputy_post], [])
    assert "已在全体会议上调整，新任人选未载明" in response.content.decode()
    body = client_for(world.secretariat).get(f"/api/v1/conferences/{world.district.pk}/rotation").json()
    assert body["current"] == [] and [a["id"] for a in body["adjusted"]] == [rotating.pk]


def test_a_term_started_later_or_at_the_meeting_itself_stays_current(world):
    item = _adjust(world, DAY, "调整", 10)
    person = Person.objects.create(name="示例新任", unit=world.unit_a)
    started_there = appoint(None, conference=world.district, role=R.ROTATING_CONVENER, person=person,
                            unit=world.unit_a, start=DAY, appointed_at=item.meeting)
    later = appoint(None, conference=world.district, role=R.ROTATING_CONVENER,
                    person=Person.objects.create(name="示例后任", unit=world.unit_b), unit=world.unit_b,
                    start=DAY + datetime.timedelta(days=30))
    on = DAY + datetime.timedelta(days=60)
    current, away = split_current([started_there, later], adjustments_of(world.district, on), on)
    assert (current, away) == ([started_there, later], [])
