"""After migrations ran, SQLite gets fresh planner statistics (benchmarks item 18)."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate

from lianxi.lists.tests.helpers import make_need


def send_post_migrate(plan):
    config = apps.get_app_config("lists")
    post_migrate.send(sender=config, app_config=config, verbosity=0, interactive=False, using="default",
                      plan=plan, apps=apps)


def analyzed(ctx) -> bool:
    return any(q["sql"].strip().upper() == "ANALYZE" for q in ctx.captured_queries)


@pytest.mark.django_db
def test_statistics_are_refreshed_when_migrations_ran(world, count_queries):
    make_need(world)
    with count_queries() as ctx:
        send_post_migrate(plan=[(object(), False)])
    assert analyzed(ctx) is (connection.vendor == "sqlite")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'lists_need'")
            indexes = {row[0] for row in cursor.fetchall()}
        assert {"need_created", "need_open_order"} <= indexes


@pytest.mark.django_db
@pytest.mark.parametrize("plan", [[], None])
def test_nothing_to_refresh_when_no_migration_ran(plan, count_queries):
    with count_queries() as ctx:
        send_post_migrate(plan=plan)
    assert not analyzed(ctx)
