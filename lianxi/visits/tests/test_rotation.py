"""Rotation planning: the rule, the proposal and its conflicts, the handover through the 调整 item."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lianxi.meetings.models import AgendaItem, Meeting
from lianxi.meetings.services import add_agenda_item, create_meeting
from lianxi.registry.models import Appointment, Person
from lianxi.registry.services import admit_unit, appoint, create_unit
from lianxi.visits import rotation, services
from lianxi.visits.models import RotationRule

pytestmark = pytest.mark.django_db
R = Appointment.Role.ROTATING_CONVENER


@pytest.fixture
def units(world):
    extra = [create_unit(None, name=f"示例轮值单位{i}", category="enterprise") for i in range(2)]
    for unit in extra:
        admit_unit(None, unit=unit, conference=world.district, start=datetime.date(2020, 1, 1))
    return [world.unit_a, world.unit_b, *extra]


def _plenary(world, day, number):
    meeting = create_meeting(world.secretariat, conference=world.district, kind=Meeting.Kind.PLENARY, number=number,
                             title=f"示例第{number}次全体会议", date=day)
    item = add_agenda_item(world.secretariat, meeting, kind=AgendaItem.Kind.ADJUSTMENT, title="调整轮值召集人")
    return meeting, item


def test_rule_refuses_fewer_units_than_seats_and_repeats(world, units):
    with pytest.raises(ValidationError) as error:
        services.set_rotation_rule(world.secretariat, world.district, order=units[:1], term_months=12, seats=2)
    assert "同时担任两个" in str(error.value)
    with pytest.raises(ValidationError):
        services.set_rotation_rule(world.secretariat, world.district, order=[units[0], units[0]], term_months=12,
                                   seats=1)
    with pytest.raises(ValidationError):  # not a member
        services.set_rotation_rule(world.secretariat, world.district, order=[units[0], world.outside_unit],
                                   term_months=12, seats=1)


def test_proposal_follows_the_order_and_skips_a_unit_rotating_elsewhere(world, units):
    services.set_rotation_rule(world.secretariat, world.district, order=units, term_months=12, seats=2)
    person = Person.objects.create(name="示例甲", unit=units[0])
    appoint(None, conference=world.district, role=R, person=person, unit=units[0], start=datetime.date(2024, 6, 1))
    # units[2] is a rotating convener of the sub-conference: it must be skipped, with a conflict shown.
    admit_unit(None, unit=units[2], conference=world.sub, start=datetime.date(2020, 1, 1))
    other = Person.objects.create(name="示例乙", unit=units[2])
    appoint(None, conference=world.sub, role=R, person=other, unit=units[2], start=datetime.date(2024, 1, 1))
    meeting, _item = _plenary(world, datetime.date(2030, 6, 20), 9)
    proposal = rotation.propose(world.district, on=datetime.date(2025, 1, 1), count=2)
    assert proposal.handover_on == meeting.date
    first = proposal.terms[0]
    assert (first.start, first.end) == (datetime.date(2030, 6, 20), datetime.date(2031, 6, 20))
    assert [u.pk for u in first.units] == [units[1].pk, units[3].pk]
    assert any("示例轮值单位0" in c and "两个轮值职务" in c for c in proposal.conflicts)
    assert all(len({u.pk for u in t.units}) == len(t.units) for t in proposal.terms)


def test_handover_refuses_a_unit_already_rotating_elsewhere(world, units):
    admit_unit(None, unit=units[2], conference=world.sub, start=datetime.date(2020, 1, 1))
    other = Person.objects.create(name="示例乙", unit=units[2])
    appoint(None, conference=world.sub, role=R, person=other, unit=units[2], start=datetime.date(2024, 1, 1))
    _meeting, item = _plenary(world, datetime.date(2025, 6, 20), 9)
    with pytest.raises(ValidationError) as error:
        rotation.carry_out_handover(world.secretariat, item, successors=[(units[2], other)])
    assert "轮值召集人" in str(error.value)
    with pytest.raises(ValidationError):
        rotation.carry_out_handover(world.secretariat, item, successors=[(units[1], None), (units[1], None)])


def test_handover_with_an_unknown_successor_leaves_no_stale_holder(world, units):
    old = Person.objects.create(name="示例甲", unit=units[0])
    outgoing = appoint(None, conference=world.district, role=R, person=old, unit=units[0],
                       start=datetime.date(2024, 6, 1))
    new = Person.objects.create(name="示例丙", unit=units[1])
    meeting, item = _plenary(world, datetime.date(2025, 6, 20), 9)
    started = rotation.carry_out_handover(world.secretariat, item, successors=[(units[1], new), (units[3], None)])
    outgoing.refresh_from_db()
    assert (outgoing.end, outgoing.ended_at_id) == (meeting.date, meeting.pk)
    assert [(a.person_id, a.start, a.appointed_at_id) for a in started] == [(new.pk, meeting.date, meeting.pk)]
    after = meeting.date + datetime.timedelta(days=1)
    current = Appointment.objects.filter(conference=world.district, role=R).current(after)
    assert list(current.values_list("person_id", flat=True)) == [new.pk]
    assert [a.pk for a in rotation.roster(world.district, after).current] == [started[0].pk]


def test_roster_drops_holders_adjusted_without_a_known_successor(world, units):
    """The Huangpu shape: holders attested on the plenary day, an 调整 item that day naming no one."""
    chair = Person.objects.create(name="示例主持人", unit=units[0])
    attested = appoint(None, conference=world.district, role=R, person=chair, unit=units[0],
                       attested_on=datetime.date(2024, 6, 24))
    _meeting, item = _plenary(world, datetime.date(2024, 6, 24), 10)
    state = rotation.roster(world.district, datetime.date(2024, 7, 1))
    assert state.current == []
    assert [(a.pk, i.item_id) for a, i in state.adjusted_away] == [(attested.pk, item.pk)]
    assert [i.item_id for i in state.pending_items] == [item.pk]
    # Before the plenary the holder is still current.
    assert rotation.roster(world.district, datetime.date(2024, 6, 23)).current == [attested]


def test_rule_and_handover_through_the_page(world, units, client_for):
    client = client_for(world.secretariat)
    url = f"/visits/rotation/{world.district.pk}/"
    response = client.post(url, {"form": "rule", "order": "\n".join(u.name for u in units), "term_months": 12,
                                 "seats": 2, "note": "示例规则"})
    assert response.status_code == 302
    old = Person.objects.create(name="示例原任", unit=units[0])
    outgoing = appoint(None, conference=world.district, role=R, person=old, unit=units[0],
                       start=datetime.date(2020, 6, 1))
    meeting, item = _plenary(world, datetime.date.today() + datetime.timedelta(days=30), 12)
    page = client.get(url)
    proposal = page.context["proposal"]
    assert [u.pk for u in proposal.terms[0].units] == [units[1].pk, units[2].pk]
    successor = Person.objects.create(name="示例继任", unit=units[1])
    response = client.post(url, {"form": "handover", "item": item.pk, "person_0": successor.pk, "person_1": ""})
    assert response.status_code == 302
    outgoing.refresh_from_db()
    assert outgoing.end == meeting.date
    started = Appointment.objects.get(conference=world.district, role=R, start=meeting.date)
    assert (started.person_id, started.unit_id, started.appointed_at_id) == (successor.pk, units[1].pk, meeting.pk)
    assert client_for(world.reviewer).post(url, {"form": "rule", "order": units[0].name, "term_months": 12,
                                                 "seats": 1}).status_code == 403
    assert RotationRule.objects.get().seats == 2
