"""Shared pytest fixtures: the synthetic world and its personas, and a query counter."""

import os

os.environ.setdefault("LIANXI_TESTING", "true")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402


@pytest.fixture
def world(db):
    from lianxi.testing import build_world

    return build_world()


@pytest.fixture
def client_for(client):
    """``client_for(user)`` logs the Django test client in as ``user`` (``None`` = anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def count_queries():
    """``with count_queries() as ctx: ...``; then ``len(ctx.captured_queries)``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    return lambda: CaptureQueriesContext(connection)
