"""Property-based run of the registry, meetings and projects GET operations in our OpenAPI
document (drop the tag filter below to cover every app) against the WSGI app, with a
small world in the database: no 5xx, every status, content type and body as documented, and
invalid input refused with a 4xx. Run once anonymously and once as a district administrator.

Small and deterministic (fixed seed, few examples) so the suite stays fast and repeatable."""

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
max-examples = 4
deterministic = true
database = "none"
# The session cookie is the persona's, set by the test; don't generate or mutate it.
with-security-parameters = false

[phases.coverage]
enabled = true
unexpected-methods = []
"""

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


# Loaded at collection: serving the OpenAPI document touches no database.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", WSGIHandler(), config=schemathesis.Config.from_str(CONFIG)
).include(method="GET", tag=["registry", "meetings", "projects"])


@pytest.fixture
def in_test_transaction():
    """The app is called in this thread, inside the test's transaction: keep Django from closing
    the connection at each request's start and end, as its own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "admin"])
def session_cookies(request, world, in_test_transaction):
    """A small world, and the cookies of the persona the run is made as."""
    build_api_world(world)
    if request.param == "anonymous":
        return {}
    client = Client()
    client.force_login(world.admin)
    return {"sessionid": client.cookies["sessionid"].value}


@schema.parametrize()
@settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_get_operations_conform_to_the_schema(case, session_cookies):
    response = case.call(cookies=session_cookies)
    case.validate_response(response, checks=CHECKS)
