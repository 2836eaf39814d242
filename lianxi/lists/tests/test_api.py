"""The lists API: read and write needs, resources, claims and deliveries through the same forms,
services and gates as the pages; refusals are 4xx naming the field."""

import pytest

from lianxi.audit.models import AuditEntry
from lianxi.lists import services
from lianxi.lists.models import Claim, Delivery, Need
from lianxi.lists.tests.helpers import category, make_need, make_resource

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client, path, payload=None):
    return client.post(f"{API}{path}", payload or {}, content_type="application/json")


def need_payload(world, **over):
    payload = {"conference": world.district.pk, "owner": world.street_unit.pk, "title": "示例需求：API",
               "category": category().pk, "area": world.street_area.pk, "quantity": 3, "quantity_unit": "人"}
    payload.update(over)
    return payload


def test_list_and_detail_hide_contacts_from_the_public(world, client_for):
    need = make_need(world, contact_name="示例联系人", contact_phone="000-1")
    make_need(world, title="草稿", publish=False)
    body = client_for(None).get(f"{API}/needs").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["state"] == {"code": "published", "label": "待认领"}
    assert item["owner"] == {"id": world.street_unit.pk, "name": "示例街道"}
    assert (item["quantity"], item["claimed_quantity"], item["remaining"]) == (4, 0, 4)
    detail = client_for(None).get(f"{API}/needs/{need.pk}").json()
    assert (detail["contact_name"], detail["contact_phone"]) == (None, None)
    # An insider with no part in the need sees the phone masked; its owner sees it in full.
    detail = client_for(world.liaison).get(f"{API}/needs/{need.pk}").json()
    assert (detail["contact_name"], detail["contact_phone"]) == ("示例联系人", "**01")
    detail = client_for(world.street).get(f"{API}/needs/{need.pk}").json()
    assert (detail["contact_name"], detail["contact_phone"]) == ("示例联系人", "000-1")


def test_list_filters(world, client_for):
    make_need(world)
    legal = make_need(world, title="普法", code="legal")
    client = client_for(world.liaison)
    body = client.get(f"{API}/needs", {"category": legal.category_id}).json()
    assert [i["id"] for i in body["items"]] == [legal.pk]
    assert client.get(f"{API}/needs", {"open": "true", "q": "普法"}).json()["count"] == 1
    assert client.get(f"{API}/needs", {"state": "bogus"}).status_code == 422


def test_create_need_through_the_form(world, client_for):
    response = post(client_for(world.street), "/needs", need_payload(world))
    assert response.status_code == 201
    body = response.json()
    assert body["state"]["code"] == "published" and body["title"] == "示例需求：API"
    assert AuditEntry.objects.filter(action="lists.need.create", actor=world.street).count() == 1


def test_create_need_errors_name_the_field(world, client_for):
    client = client_for(world.street)
    response = post(client, "/needs", need_payload(world, quantity=0))
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "quantity"
    response = post(client, "/needs", need_payload(world, category=99999))
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "category", "messages": ["“99999”不是有效的类别。"]}]
    response = post(client, "/needs", need_payload(world, owner=world.unit_a.pk))
    assert response.json()["detail"] == [{"field": "owner", "messages": [f"“{world.unit_a.pk}”不是可代为发布需求的单位。"]}]
    assert post(client_for(None), "/needs", need_payload(world)).status_code == 401
    assert post(client_for(world.outsider), "/needs", need_payload(world)).status_code == 403
    assert Need.objects.count() == 0


def test_claim_and_over_claim(world, client_for):
    need = make_need(world, quantity=3)
    response = post(client_for(world.liaison), f"/needs/{need.pk}/claims",
                    {"unit": world.unit_a.pk, "quantity": 2, "co_claimants": [{"unit": world.unit_b.pk, "quantity": 1}]})
    assert response.status_code == 201
    body = response.json()
    assert body["unit"] == {"id": world.unit_a.pk, "name": "示例单位A"}
    assert sorted((s["unit"]["name"], s["quantity"]) for s in body["shares"]) == [("示例单位A", 1), ("示例单位B", 1)]
    response = post(client_for(world.liaison_b), f"/needs/{need.pk}/claims", {"unit": world.unit_b.pk, "quantity": 2})
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "quantity", "messages": ["认领数量超过剩余可认领数量（剩余 1人）。"]}]
    assert post(client_for(world.outsider), f"/needs/{need.pk}/claims", {"unit": world.unit_a.pk, "quantity": 1}).status_code == 403
    # Claiming for a unit one does not act for is refused.
    assert post(client_for(world.liaison), f"/needs/{need.pk}/claims", {"unit": world.unit_b.pk, "quantity": 1}).status_code == 403


def test_claim_in_the_window_names_the_unit(world, client_for):
    from lianxi.lists.tests.helpers import later

    need = make_need(world)
    services.pair_need(world.secretariat, need, units=[world.unit_b], until=later(days=1))
    response = post(client_for(world.liaison), f"/needs/{need.pk}/claims", {"unit": world.unit_a.pk, "quantity": 1})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "unit"


def test_claims_list_and_cancel(world, client_for):
    need = make_need(world)
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1)
    body = client_for(world.liaison).get(f"{API}/claims", {"mine": "true"}).json()
    assert [c["id"] for c in body["items"]] == [claim.pk]
    assert client_for(world.liaison_b).get(f"{API}/claims", {"mine": "true"}).json()["count"] == 0
    assert post(client_for(world.liaison_b), f"/claims/{claim.pk}/cancel").status_code == 403
    response = post(client_for(world.liaison), f"/claims/{claim.pk}/cancel", {"reason": "改期"})
    assert response.status_code == 200 and response.json()["state"]["code"] == "cancelled"
    response = post(client_for(world.liaison), f"/claims/{claim.pk}/cancel")
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "state"


def test_deliveries_are_for_insiders_and_follow_the_roles(world, client_for):
    need = make_need(world, quantity=1)
    delivery = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=1).deliveries.get()
    assert client_for(None).get(f"{API}/deliveries").status_code == 401
    assert client_for(world.outsider).get(f"{API}/deliveries").json()["count"] == 0
    assert client_for(world.outsider).get(f"{API}/deliveries/{delivery.pk}").status_code == 404
    body = client_for(world.street).get(f"{API}/deliveries", {"mine": "true"}).json()
    assert [d["id"] for d in body["items"]] == [delivery.pk]
    assert post(client_for(world.street), f"/deliveries/{delivery.pk}/record", {}).status_code == 403
    response = post(client_for(world.liaison), f"/deliveries/{delivery.pk}/record", {"note": "已完成"})
    assert response.status_code == 200 and response.json()["state"]["code"] == "delivered"
    assert post(client_for(world.street), f"/deliveries/{delivery.pk}/confirm", {"rating": 6}).status_code == 422
    response = post(client_for(world.street), f"/deliveries/{delivery.pk}/confirm", {"rating": 5, "comment": "好"})
    assert response.status_code == 200
    assert (response.json()["state"]["code"], response.json()["rating"]) == ("confirmed", 5)
    response = post(client_for(world.street), f"/deliveries/{delivery.pk}/rate", {"rating": 4})
    assert response.status_code == 422 and response.json()["detail"] == [{"field": "rating", "messages": ["这次交付已经评价过。"]}]
    assert Delivery.objects.get().rating == 5 and Claim.objects.get().state == "completed"


def test_resources_read_and_write(world, client_for):
    resource = make_resource(world, contact_phone="000-2")
    body = client_for(None).get(f"{API}/resources").json()
    assert body["items"][0]["areas"] == [{"id": world.street_area.pk, "name": "示例街道"}]
    assert client_for(None).get(f"{API}/resources/{resource.pk}").json()["contact_phone"] is None
    payload = {"conference": world.district.pk, "unit": world.unit_b.pk, "title": "示例资源：培训", "category": category("youth").pk,
               "kind": "training", "capacity": 2, "areas": [world.street_area.pk]}
    assert post(client_for(world.liaison), "/resources", payload).status_code == 422
    response = post(client_for(world.liaison_b), "/resources", payload)
    assert response.status_code == 201 and response.json()["kind"] == {"code": "training", "label": "培训"}
    assert post(client_for(world.liaison), f"/resources/{resource.pk}/withdraw").status_code == 200
    assert client_for(world.liaison).get(f"{API}/resources", {"state": "withdrawn"}).json()["count"] == 1


def test_categories(world, client_for):
    body = client_for(None).get(f"{API}/need-categories").json()
    assert [c["name"] for c in body][:3] == ["为老服务", "青少年", "就业创业"]
