"""Shared pytest fixtures: the synthetic world and its personas, and a query counter."""

import os

os.environ.setdefault("LIANXI_TESTING", "true")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _flush_past_audit_triggers():
    """Transactional tests empty every table between tests (DELETE on SQLite, TRUNCATE on
    PostgreSQL), which the audit table's append-only triggers refuse. The flush drops the triggers
    and puts them back around its statements; nothing else in the suite gets past them."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from lianxi.audit import triggers

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        if not any(triggers.TABLE in sql for sql in sql_list):
            return original(self, sql_list)
        with triggers.suspended(self.connection):
            return original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


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
