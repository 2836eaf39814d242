"""Many recommendations of one nominating body at once: its quota is never exceeded. Real parallel
connections, one per thread, on PostgreSQL (row lock) and on a SQLite file (IMMEDIATE)."""

import pytest
from django.db import connection

from lianxi import testing
from lianxi.campaigns import services
from lianxi.campaigns.models import NominatingBody, Nomination
from lianxi.campaigns.tests.helpers import TODAY, body, campaign
from lianxi.registry.tests.helpers import member_units

THREADS = 12
QUOTA = 4


def _check(world):
    c = campaign(world)
    b = body(world, c, quota=QUOTA)
    services.advance(None, c)
    pks = []
    for i, unit in enumerate(member_units(world.district, THREADS, prefix="示例并发单位")):
        pks.append(services.create_nomination(None, c, unit=unit, body=b, title=f"示例{i}", values={"team": "t"},
                                              submit=True, today=TODAY).pk)
    services.advance(None, c)
    accepted, refused, errors = testing.race(
        pks, lambda pk: Nomination.objects.get(pk=pk), lambda nom: services.recommend(None, nom)
    )
    assert errors == []
    assert len(accepted) == QUOTA and len(refused) == THREADS - QUOTA
    assert all(list(r) == ["quota"] for r in refused)
    assert NominatingBody.objects.get(pk=b.pk).recommended_count == QUOTA
    assert Nomination.objects.filter(body=b, state=Nomination.State.RECOMMENDED).count() == QUOTA


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_parallel_recommendations_never_exceed_the_quota_on_postgresql(world):
    _check(world)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant")
@pytest.mark.django_db(transaction=True)
def test_parallel_recommendations_never_exceed_the_quota_on_sqlite(world):
    if connection.is_in_memory_db():
        pytest.skip("needs a SQLite file (LIANXI_TEST_DB_NAME=/tmp/campaigns-test.sqlite3)")
    _check(world)
