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


@pytest.fixture
def need_categories(transactional_db):
    """The default need categories, which a migration seeds but an earlier transactional test's
    flush removes; re-seeded with the migration's own function so the two never drift apart."""
    import importlib

    from django.apps import apps

    seed = importlib.import_module("lianxi.lists.migrations.0002_seed_need_categories").seed
    seed(apps, None)
