"""The raw log in the API is scoped: district administrators read every row, a secretariat only
the rows about objects of the conferences it runs (the conference is recorded on the row when it
is written) and about the units that belong to them."""

import pytest

from lianxi.audit.models import AuditEntry
from lianxi.meetings.models import Meeting
from lianxi.meetings.services import add_agenda_item, create_meeting
from lianxi.registry.services import update_unit

pytestmark = pytest.mark.django_db

API = "/api/v1/audit/entries"


def _meeting(world, conference, number):
    meeting = create_meeting(world.admin, conference=conference, kind=Meeting.Kind.PLENARY, number=number,
                             title=f"示例第{number}次全体会议", date="2024-06-24")
    item = add_agenda_item(world.admin, meeting, kind="speech", title="示例讲话")
    return meeting, item


def _ids(client, **params):
    response = client.get(API, {"limit": 100, **params})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["items"]}


def test_rows_keep_the_conference_of_their_object(world):
    meeting, item = _meeting(world, world.sub, 1)
    assert AuditEntry.objects.for_object(meeting).get().conference_id == world.sub.pk
    assert AuditEntry.objects.for_object(item).get().conference_id == world.sub.pk  # through its meeting
    assert AuditEntry.objects.for_object(world.district).get().conference_id == world.district.pk
    assert AuditEntry.objects.for_object(world.unit_a).first().conference_id is None  # a unit: no one conference


def test_secretariat_reads_only_the_rows_of_its_conferences(world, client_for):
    ours, our_item = _meeting(world, world.district, 1)
    theirs, their_item = _meeting(world, world.sub, 1)  # the district secretariat does not run the sub-conference
    update_unit(world.admin, world.unit_a, name="示例单位A（改）")
    update_unit(world.admin, world.outside_unit, name="示例单位Z（改）")
    row = {obj: AuditEntry.objects.for_object(obj).first().pk
           for obj in (ours, our_item, theirs, their_item, world.unit_a, world.outside_unit)}

    seen = _ids(client_for(world.secretariat))
    assert {row[ours], row[our_item], row[world.unit_a]} <= seen
    assert not {row[theirs], row[their_item], row[world.outside_unit]} & seen
    assert client_for(world.secretariat).get(f"{API}/{row[theirs]}").status_code == 404
    assert client_for(world.secretariat).get(f"{API}/{row[ours]}").status_code == 200

    # A district administrator reads them all.
    assert set(row.values()) <= _ids(client_for(world.admin))
    assert client_for(world.admin).get(f"{API}/{row[theirs]}").status_code == 200


def test_secretariat_reads_the_rows_of_its_member_units_people(world, client_for):
    """A person's row records no conference (a person works for a unit, which may belong to
    several): the secretariat reads it when the person's unit belongs to a conference it runs."""
    from lianxi.registry.services import create_person

    ours = create_person(world.admin, name="示例人员甲", unit=world.unit_a)
    theirs = create_person(world.admin, name="示例人员乙", unit=world.outside_unit)
    row = {p: AuditEntry.objects.for_object(p).get().pk for p in (ours, theirs)}
    seen = _ids(client_for(world.secretariat))
    assert row[ours] in seen
    assert row[theirs] not in seen
    assert client_for(world.secretariat).get(f"{API}/{row[theirs]}").status_code == 404
