"""Property-based run of the registry, meetings and projects GET operations in our OpenAPI
document against the WSGI app (see :mod:`lianxi.api.tests.conformance`), with a small world in the
database. Run once anonymously and once as a district administrator."""

import pytest

from lianxi.api.tests.conformance import conformance_test, cookies_of, get_operations, in_test_transaction
from lianxi.api.tests.conftest import build_api_world

schema = get_operations("registry", "meetings", "projects")


@pytest.fixture(params=["anonymous", "admin"])
def session_cookies(request, world):
    """A small world, and the cookies of the persona the run is made as."""
    build_api_world(world)
    with in_test_transaction():
        yield cookies_of(world, request.param)


test_get_operations_conform_to_the_schema = conformance_test(schema)
