"""Feedback a secretariat gets in its first hour: admitting a unit says so and shows in the unit's
history; adding an agenda item says so."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admission_says_so_and_shows_in_the_units_history(world, client_for):
    client = client_for(world.admin)
    unit = world.outside_unit
    response = client.post(reverse("registry:membership_add", args=[unit.pk]),
                           {"conference": world.sub.pk, "start": "2024-06-24"}, follow=True)
    html = response.content.decode()
    assert f"{unit.name} 已加入 {world.sub.name}。" in html
    history = html[html.index("变更记录"):]
    assert "加入联席会议" in history and "registry.membership.create" not in history


def test_adding_an_agenda_item_says_so(world, client_for):
    from lianxi.meetings.models import Meeting
    from lianxi.meetings.services import create_meeting

    meeting = create_meeting(None, conference=world.district, kind=Meeting.Kind.PLENARY, number=1,
                             title="示例第一次全体会议", date="2024-06-24")
    response = client_for(world.secretariat).post(reverse("meetings:agenda_add", args=[meeting.pk]),
                                                  {"kind": "speech", "title": "示例讲话"}, follow=True)
    assert "已添加第 1 项议程：示例讲话" in response.content.decode()
