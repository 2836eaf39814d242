"""Property-based run of the visits GET operations against the OpenAPI document (the checks of
:mod:`lianxi.api.tests.conformance`, on a world with a computed plan, a recorded visit, a venue
and a secondment): no 5xx, every status, content type and body as documented, bad input refused."""

import datetime

import pytest

from lianxi.api.tests.conformance import conformance_test, cookies_of, get_operations, in_test_transaction
from lianxi.registry.models import Person, Venue
from lianxi.visits import services
from lianxi.visits.models import Visit, Visitor

schema = get_operations("visits")


@pytest.fixture(params=["anonymous", "secretariat"])
def session_cookies(request, world):
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
    with in_test_transaction():
        yield cookies_of(world, request.param)


test_visits_get_operations_conform_to_the_schema = conformance_test(schema)
