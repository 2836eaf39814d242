"""The same input gets the same verdict on every way in: the web page, the JSON API and the Excel
import. Each rule here used to depend on the way in:

- a second open need of the same title for one owner was refused only by the Excel import;
- a claim drawing on another unit's resource was refused by the page's form (and the API through
  that form) before the service, with its own words;
- a co-claimant that is not a current member was refused by the form's text parsing, which the API
  fed by turning ids back into "name quantity" lines."""

import pytest

from lianxi.lists import excel
from lianxi.lists.models import Claim, Need
from lianxi.lists.tests.helpers import category, make_need, make_resource
from lianxi.lists.tests.test_excel import filled, good_row

pytestmark = pytest.mark.django_db

API = "/api/v1"
DUPLICATE = "示例街道已有同名需求“示例需求：助餐”。"


def _messages_of(response) -> list[str]:
    body = response.json()
    return [m for d in body["detail"] for m in d.get("messages", [d.get("msg", "")])]


# ------------------------------------------------------------------------------- duplicate title


def _need_by_page(world, client_for):
    response = client_for(world.street).post("/lists/needs/new/", {
        "conference": world.district.pk, "owner": world.street_unit.pk, "title": "示例需求：助餐",
        "category": category().pk, "area": world.street_area.pk, "quantity": 3, "urgency": "normal",
        "source": "posted", "publish": "1"})
    if response.status_code == 302:
        return "saved", ""
    html = response.content.decode()
    return "refused", DUPLICATE if DUPLICATE in html else html


def _need_by_api(world, client_for):
    response = client_for(world.street).post(f"{API}/needs", {
        "conference": world.district.pk, "owner": world.street_unit.pk, "title": "示例需求：助餐",
        "category": category().pk, "area": world.street_area.pk, "quantity": 3}, content_type="application/json")
    if response.status_code == 201:
        return "saved", ""
    assert response.status_code == 422, response.content
    return "refused", " ".join(_messages_of(response))


def _need_by_excel(world, client_for):
    wb = excel.need_template(world.district, world.street)
    result = excel.import_needs(world.street, filled(wb, [good_row("示例需求：助餐")]), conference=world.district)
    if result.ok:
        return "saved", ""
    return "refused", " ".join(m for e in result.errors for m in e.messages)


@pytest.mark.parametrize("way_in", [_need_by_page, _need_by_api, _need_by_excel], ids=["page", "api", "excel"])
@pytest.mark.parametrize("earlier_state,verdict", [("published", "refused"), ("withdrawn", "saved")])
def test_duplicate_title_same_verdict(world, client_for, way_in, earlier_state, verdict):
    from lianxi.lists import services

    earlier = make_need(world, title="示例需求：助餐")
    if earlier_state == "withdrawn":
        services.withdraw_need(world.street, earlier)
    got, message = way_in(world, client_for)
    assert got == verdict
    if verdict == "refused":
        assert DUPLICATE in message
    assert Need.objects.filter(title="示例需求：助餐").count() == (1 if verdict == "refused" else 2)


# ---------------------------------------------------------------------- another unit's resource


def _claim_by_page(world, client_for, need, **extra):
    data = {"unit": world.unit_a.pk, "quantity": 2, **extra}
    response = client_for(world.liaison).post(f"/lists/needs/{need.pk}/claim/", data)
    if response.status_code == 302:
        return "saved", ""
    return "refused", response.content.decode()


def _claim_by_api(world, client_for, need, **extra):
    payload = {"unit": world.unit_a.pk, "quantity": 2}
    if "resource" in extra:
        payload["resource"] = extra["resource"]
    if "co" in extra:
        payload["co_claimants"] = [{"unit": extra["co"].pk, "quantity": 1}]
    response = client_for(world.liaison).post(f"{API}/needs/{need.pk}/claims", payload, content_type="application/json")
    if response.status_code == 201:
        return "saved", ""
    assert response.status_code == 422, response.content
    return "refused", " ".join(_messages_of(response))


@pytest.mark.parametrize("way_in", ["page", "api"])
@pytest.mark.parametrize("whose,verdict", [("own", "saved"), ("other", "refused")])
def test_claim_with_a_resource_same_verdict(world, client_for, way_in, whose, verdict):
    need = make_need(world, quantity=4)
    resource = make_resource(world, unit=world.unit_a if whose == "own" else world.unit_b,
                             actor=world.liaison if whose == "own" else world.liaison_b)
    if way_in == "page":
        got, _message = _claim_by_page(world, client_for, need, resource=resource.pk)
    else:
        got, message = _claim_by_api(world, client_for, need, resource=resource.pk)
        if verdict == "refused":
            assert "只能使用认领单位自己的资源。" in message
    assert got == verdict
    assert Claim.objects.filter(need=need).count() == (1 if verdict == "saved" else 0)


# ---------------------------------------------------------------------- a co-claimant not a member


@pytest.mark.parametrize("way_in", ["page", "api"])
@pytest.mark.parametrize("member,verdict", [(True, "saved"), (False, "refused")])
def test_co_claimant_membership_same_verdict(world, client_for, way_in, member, verdict):
    need = make_need(world, quantity=4)
    co = world.unit_b if member else world.outside_unit
    if way_in == "page":
        got, message = _claim_by_page(world, client_for, need, co_claimants=f"{co.name} 1")
    else:
        got, message = _claim_by_api(world, client_for, need, co=co)
    assert got == verdict
    if verdict == "refused":
        assert f"{co.name}不是{world.district.display_name}的现任成员单位，不能认领。" in message
    assert Claim.objects.filter(need=need).count() == (1 if verdict == "saved" else 0)
