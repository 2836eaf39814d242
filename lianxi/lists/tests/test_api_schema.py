"""Property-based run of the lists GET operations against the OpenAPI document (the same checks
as lianxi/api/tests/test_schemathesis.py, on a world with needs, claims, deliveries and
resources): no 5xx, every status, content type and body as documented, bad input refused."""

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

from lianxi.lists import services
from lianxi.lists.models import Cadence
from lianxi.lists.tests.helpers import make_need, make_resource

CONFIG = """
seed = 20240624

[generation]
mode = "all"
max-examples = 4
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
).include(method="GET", tag=["lists"])


@pytest.fixture
def in_test_transaction():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "liaison", "admin"])
def session_cookies(request, world, in_test_transaction):
    need = make_need(world, quantity=3, contact_name="示例联系人")
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, cadence=Cadence.WEEKLY,
                                co_claimants=[(world.unit_b, 1)])
    services.record_delivery(world.liaison, claim.deliveries.first())
    make_need(world, title="示例草稿", publish=False)
    make_resource(world)
    if request.param == "anonymous":
        return {}
    client = Client()
    client.force_login(getattr(world, request.param))
    return {"sessionid": client.cookies["sessionid"].value}


@schema.parametrize()
@settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_lists_get_operations_conform_to_the_schema(case, session_cookies):
    response = case.call(cookies=session_cookies)
    case.validate_response(response, checks=CHECKS)
