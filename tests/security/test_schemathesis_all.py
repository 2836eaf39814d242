"""Schemathesis over every operation of the API, writes included, as the district administrator
with a session and its CSRF token: no server error, no invalid payload accepted, every status,
content type and body as the OpenAPI document declares. Bounded (fixed seed, a few examples per
operation) so it runs in CI on SQLite and PostgreSQL."""

import pytest
from django.test import Client

from lianxi.api.tests.conformance import CHECKS, conformance_settings, in_test_transaction, load_schema
from lianxi.api.tests.conftest import build_api_world

schema = load_schema(max_examples=3)


@pytest.fixture
def admin_session(world):
    build_api_world(world)
    client = Client()
    client.force_login(world.admin)
    client.get("/accounts/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    # Only now keep Django from closing the connection at each request (the test client above
    # reconnects the signal after its own request): the app runs inside the test's transaction.
    with in_test_transaction():
        yield {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}, {"X-CSRFToken": token}


@schema.parametrize()
@conformance_settings
def test_every_operation_as_an_administrator(case, admin_session):
    cookies, headers = admin_session
    response = case.call(cookies=cookies, headers=headers)
    case.validate_response(response, checks=CHECKS)
