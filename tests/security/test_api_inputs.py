"""The API's answers to bad payloads: refused with a 4xx in JSON, never a 500, never HTML."""

import pytest

from lianxi.lists.tests.helpers import category

API = "/api/v1"


def send(client, method, path, payload):
    client.raise_request_exception = False
    return getattr(client, method)(f"{API}{path}", payload, content_type="application/json")


@pytest.mark.parametrize("field", ["phone", "address", "description", "party_org_name", "name", "category"])
def test_unit_patch_with_null_is_a_422_not_a_500(world, client_for, field):
    response = send(client_for(world.admin), "patch", f"/units/{world.unit_a.pk}", {field: None})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"][0]["loc"][-1] == field


def test_unit_patch_with_empty_text_clears_the_field(world, client_for):
    response = send(client_for(world.admin), "patch", f"/units/{world.unit_a.pk}", {"phone": ""})
    assert response.status_code == 200
    world.unit_a.refresh_from_db()
    assert world.unit_a.phone == ""


def test_admission_refuses_a_number_for_a_date(world, client_for):
    response = send(client_for(world.admin), "post", f"/conferences/{world.district.pk}/memberships",
                    {"unit": world.outside_unit.pk, "plaque_awarded_on": 0})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "plaque_awarded_on"


@pytest.mark.parametrize("over", [{"conference": True}, {"quantity": True}, {"quantity": "3"}, {"owner": 1.0},
                                  {"deadline": 1}, {"deadline": "2030/01/01"}, {"publish": "yes"}, {"publish": 1}])
def test_need_payload_types_are_strict(world, client_for, over):
    payload = {"conference": world.district.pk, "owner": world.street_unit.pk, "title": "示例需求：API",
               "category": category().pk, "area": world.street_area.pk, "quantity": 3, "quantity_unit": "人"}
    payload.update(over)
    response = send(client_for(world.street), "post", "/needs", payload)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == next(iter(over))


def test_the_api_answers_json_for_every_error(world, client_for):
    client = client_for(world.admin)
    client.raise_request_exception = False
    for response in (client.get(f"{API}/no-such-operation"), client.get(f"{API}/units/abc"),
                     client.post(f"{API}/units", "{not json", content_type="application/json"),
                     client.get(f"{API}/units", {"page": "99999999999999999999999"})):
        assert 400 <= response.status_code < 500
        assert response["Content-Type"].startswith("application/json"), (response.status_code, response.content[:80])


def test_an_unexpected_error_is_a_json_500(world, client_for, monkeypatch):
    from lianxi.registry import services

    def boom(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(services, "update_unit", boom)
    response = send(client_for(world.admin), "patch", f"/units/{world.unit_a.pk}", {"phone": "1"})
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误，已记录，请稍后再试。"}


def test_declared_error_responses_in_the_openapi_document(client):
    spec = client.get(f"{API}/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "404", "422"} <= codes, (method, path, codes)
            if method != "get":
                assert {"401", "403", "409"} <= codes, (method, path, codes)


def test_a_multipart_body_without_boundary_is_refused(world, client_for):
    """Through the WSGI handler (as schemathesis found it) this was a 500; it is a 400 now. The
    test client parses the body its own way and gets a 422: refused either way, in JSON."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    client = client_for(world.admin)
    client.get("/accounts/login/")  # sets the CSRF cookie
    environ = RequestFactory().generic("POST", f"{API}/units", b'{"name": "x"}',
                                       content_type="multipart/form-data").environ
    environ["HTTP_COOKIE"] = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    environ["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, dict(headers)

    # As Django's test client does: the handler's request signals would otherwise close the
    # connection that holds this test's transaction (PostgreSQL then answers "connection is closed").
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(WSGIHandler()(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert captured["status"].split()[0] == "400"
    assert captured["headers"]["Content-Type"].startswith("application/json"), body
