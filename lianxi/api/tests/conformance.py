"""The property-based conformance run every room's API schema test makes: its GET operations in our
OpenAPI document called against the WSGI app, with no 5xx, every status, content type and body as
documented, and invalid input refused with a 4xx. Small and deterministic (fixed seed, few examples)
so the suite stays fast and repeatable.

A room's test module names its tags (``schema = get_operations("lists")``), builds its world in a
``session_cookies`` fixture that yields ``cookies_of(world, persona)`` inside
``in_test_transaction()``, and binds ``conformance_test(schema)`` to a ``test_…`` name."""

from contextlib import contextmanager

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

CONFIG = """
seed = 20240624

[generation]
mode = "all"
max-examples = {max_examples}
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

# Hypothesis settings for the generated cases: no deadline (the world is in the database), the
# same examples on every run.
conformance_settings = settings(
    deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


def load_schema(max_examples: int = 4):
    """Our OpenAPI document as schemathesis reads it, called on the WSGI app. Loaded at collection:
    serving the document touches no database."""
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", WSGIHandler(),
        config=schemathesis.Config.from_str(CONFIG.format(max_examples=max_examples)),
    )


def get_operations(*tags: str):
    """The GET operations of these tags."""
    return load_schema().include(method="GET", tag=list(tags))


@contextmanager
def in_test_transaction():
    """The app is called in this thread, inside the test's transaction: keep Django from closing
    the connection at each request's start and end, as its own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def cookies_of(world, persona: str) -> dict:
    """The cookies a run as this persona of the world sends (none for ``anonymous``)."""
    if persona == "anonymous":
        return {}
    client = Client()
    client.force_login(getattr(world, persona))
    return {"sessionid": client.cookies["sessionid"].value}


def conformance_test(schema):
    """The test over every generated case of ``schema``, made as the persona whose cookies the
    module's ``session_cookies`` fixture yields."""

    @schema.parametrize()
    @conformance_settings
    def test(case, session_cookies):
        response = case.call(cookies=session_cookies)
        case.validate_response(response, checks=CHECKS)

    return test
