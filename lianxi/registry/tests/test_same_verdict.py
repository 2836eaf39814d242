"""The same input gets the same verdict on every way in. Recording a person in a unit used to be
refused on the page but accepted by the API for a secretariat of another conference."""

import datetime

import pytest

from lianxi.accounts.models import Grant
from lianxi.accounts.services import grant_role
from lianxi.registry.models import Person
from lianxi.testing import make_user

pytestmark = pytest.mark.django_db

REFUSED = "只能登记本单位或所管理联席会议成员单位的人员。"


def _page(client, unit):
    response = client.post("/people/new/", {"name": "示例人员", "unit": unit.name})
    if response.status_code == 400:
        assert REFUSED in response.content.decode()  # the reason, on the unit field
        return "refused"
    assert response.status_code == 302, response.status_code
    return "saved"


def _api(client, unit):
    response = client.post("/api/v1/people", {"name": "示例人员", "unit": unit.pk}, content_type="application/json")
    if response.status_code == 403:  # the API's word for a refusal the page shows on the unit field
        return "refused"
    assert response.status_code == 201, response.content
    return "saved"


@pytest.mark.parametrize("way_in", [_page, _api], ids=["page", "api"])
@pytest.mark.parametrize("case,expected", [
    ("unit_of_another_conference", "refused"),
    ("unit_of_own_conference", "saved"),
])
def test_person_unit_rule_same_on_page_and_api(world, client_for, way_in, case, expected):
    sub_secretariat = make_user("sub_secretariat")
    grant_role(None, user=sub_secretariat, role=Grant.Role.SECRETARIAT, conference=world.sub)
    from lianxi.registry.services import admit_unit

    admit_unit(None, unit=world.unit_b, conference=world.sub, start=datetime.date(2021, 1, 1))
    unit = world.unit_a if case == "unit_of_another_conference" else world.unit_b
    assert way_in(client_for(sub_secretariat), unit) == expected
    assert Person.objects.filter(name="示例人员").exists() == (expected == "saved")
