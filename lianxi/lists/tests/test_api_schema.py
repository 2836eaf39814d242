"""Property-based run of the lists GET operations against the OpenAPI document (the checks of
:mod:`lianxi.api.tests.conformance`, on a world with needs, claims, deliveries and
resources): no 5xx, every status, content type and body as documented, bad input refused."""

import pytest

from lianxi.api.tests.conformance import conformance_test, cookies_of, get_operations, in_test_transaction
from lianxi.lists import services
from lianxi.lists.models import Cadence
from lianxi.lists.tests.helpers import make_need, make_resource

schema = get_operations("lists")


@pytest.fixture(params=["anonymous", "liaison", "admin"])
def session_cookies(request, world):
    need = make_need(world, quantity=3, contact_name="示例联系人")
    claim = services.claim_need(world.liaison, need, unit=world.unit_a, quantity=2, cadence=Cadence.WEEKLY,
                                co_claimants=[(world.unit_b, 1)])
    services.record_delivery(world.liaison, claim.deliveries.first())
    make_need(world, title="示例草稿", publish=False)
    make_resource(world)
    with in_test_transaction():
        yield cookies_of(world, request.param)


test_lists_get_operations_conform_to_the_schema = conformance_test(schema)
