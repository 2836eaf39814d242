"""Offering a resource needs a current member unit to offer from: an account without one gets an
explanation (and no link to the form) rather than a form it can never save."""

import datetime

import pytest
from django.urls import reverse

from lianxi.accounts.models import Grant
from lianxi.lists.gates import can_offer_resources
from lianxi.lists.models import Resource
from lianxi.registry.models import Area, Membership, Unit
from lianxi.registry.services import create_area, create_unit, end_membership
from lianxi.testing import grant, make_user

pytestmark = pytest.mark.django_db
CREATE = reverse("lists:resource_create")
LIST = reverse("lists:resource_list")
EXPLANATION = "本账号没有可提供资源的成员单位"


@pytest.fixture
def lone_street(world):
    """A street account whose street's party working committee belongs to no conference."""
    area = create_area(None, name="示例街道乙", kind=Area.Kind.STREET, parent=world.street_area.parent)
    unit = create_unit(None, name="示例街道乙党工委", category=Unit.Category.STREET,
                       party_org_level=Unit.PartyOrgLevel.WORKING_COMMITTEE, area=area)
    user = make_user("street_b")
    grant(user, Grant.Role.STREET, unit=unit)
    return user


def test_an_account_without_a_member_unit_gets_an_explanation(client_for, world, lone_street):
    client = client_for(lone_street)
    response = client.get(CREATE)
    assert response.status_code == 200
    html = response.content.decode()
    assert EXPLANATION in html
    assert "本账号所属的单位（示例街道乙党工委）目前不是任何联席会议的现任成员单位。" in html
    assert "请联系秘书处" in html
    assert "<form" not in html.split('<main class="container">')[1]
    # A post saves nothing either.
    response = client.post(CREATE, {"conference": world.district.pk, "title": "示例资源：场地", "capacity": 1})
    assert EXPLANATION in response.content.decode()
    assert Resource.objects.count() == 0


def test_the_list_hides_the_link_without_a_member_unit(client_for, world, lone_street):
    assert f'href="{CREATE}"' not in client_for(lone_street).get(LIST).content.decode()
    assert f'href="{CREATE}"' in client_for(world.street).get(LIST).content.decode()
    assert f'href="{CREATE}"' in client_for(world.secretariat).get(LIST).content.decode()


def test_a_unit_that_left_every_conference_can_no_longer_offer(client_for, world):
    membership = Membership.objects.get(unit=world.unit_a, conference=world.district)
    assert can_offer_resources(world.liaison)
    end_membership(world.secretariat, membership, end=datetime.date(2021, 1, 1))
    assert not can_offer_resources(world.liaison)
    assert EXPLANATION in client_for(world.liaison).get(CREATE).content.decode()


def test_member_accounts_and_managers_still_get_the_form(client_for, world):
    for user in (world.street, world.liaison, world.secretariat, world.admin):
        html = client_for(user).get(CREATE).content.decode()
        assert EXPLANATION not in html
        assert 'name="title"' in html


def test_outsider_and_read_only_are_refused_as_before(client_for, world, lone_street):
    assert client_for(world.outsider).get(CREATE).status_code == 404
    assert client_for(world.reviewer).get(CREATE).status_code == 403
    assert client_for(None).get(CREATE).status_code == 302
    for user in (world.outsider, world.reviewer, None):
        assert f'href="{CREATE}"' not in client_for(user).get(LIST).content.decode()
