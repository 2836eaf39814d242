"""Property-based run of the visits GET operations against the OpenAPI document (the same checks
as lianxi/api/tests/test_schemathesis.py, on a world with a computed plan, a recorded visit, a venue
and a secondment): no 5xx, every status, content type and body as documented, bad input refused."""

import datetime

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

from lianxi.registry.models import Person, Venue
from lianxi.visits import services
from lianxi.visits.models import Visit, Visitor

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
).include(method="GET", tag=["visits"])


@pytest.fixture
def in_test_transaction():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "secretariat"])
def session_cookies(request, world, in_test_transaction):
    person = Person.objects.create(name="示例走访人", unit=world.unit_a)
    plan = services.create_plan(world.secretariat, conference=world.district, start=datetime.date(2025, 1, 1))
    services.add_visitor(world.secretariat, plan, person=person, role=Visitor.Role.SECRETARIAT, capacity=5)
    services.compute_plan(world.secretariat, plan, time_limit=2, today=plan.start)
    visit = Visit.objects.filter(plan=plan).first()
    services.record_visit(world.secretariat, visit, done_on=visit.planned_on, notes="示例")
    Venue.objects.create(name="示例阵地", kind=Venue.Kind.SERVICE_STATION, owner=world.unit_a, area=world.street_area)
    batch = services.create_batch(world.secretariat, conference=world.district, name="演示批次", year=2025)
    services.add_secondment(world.secretariat, batch=batch, person=person, home_unit=world.unit_a,
                            host_unit=world.unit_b, host_post="示例岗位", kind="exchange",
                            start=datetime.date(2025, 1, 1), end=datetime.date(2025, 7, 1))
    if request.param == "anonymous":
        return {}
    client = Client()
    client.force_login(getattr(world, request.param))
    return {"sessionid": client.cookies["sessionid"].value}


@schema.parametrize()
@settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_visits_get_operations_conform_to_the_schema(case, session_cookies):
    response = case.call(cookies=session_cookies)
    case.validate_response(response, checks=CHECKS)
