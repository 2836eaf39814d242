"""Schemathesis over every operation of the API, writes included, as the district administrator
with a session and its CSRF token: no server error, no invalid payload accepted, every status,
content type and body as the OpenAPI document declares. Bounded (fixed seed, a few examples per
operation) so it runs in CI on SQLite and PostgreSQL."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from lianxi.api.tests.conftest import build_api_world

CONFIG = """
seed = 20240624

[generation]
mode = "all"
max-examples = 3
deterministic = true
database = "none"
with-security-parameters = false

[phases.coverage]
enabled = true
unexpected-methods = []
"""

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", WSGIHandler(), config=schemathesis.Config.from_str(CONFIG)
)


@pytest.fixture
def admin_session(world):
    build_api_world(world)
    client = Client()
    client.force_login(world.admin)
    client.get("/accounts/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    # Only now keep Django from closing the connection at each request (the test client above
    # reconnects the signal after its own request): the app runs inside the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}, {"X-CSRFToken": token}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_as_an_administrator(case, admin_session):
    cookies, headers = admin_session
    response = case.call(cookies=cookies, headers=headers)
    case.validate_response(response, checks=CHECKS)
