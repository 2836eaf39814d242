"""Many liaisons press "claim" at once: the need is never over-claimed. Real parallel connections,
one per thread, against PostgreSQL (row lock) and against a SQLite file (IMMEDIATE transactions)."""

import pytest
from django.db import connection

from lianxi import testing
from lianxi.lists import services
from lianxi.lists.models import Claim, Need
from lianxi.lists.tests.helpers import extra_members, make_need

THREADS = 16
QUANTITY = 5


def race(need_pk: int, unit_pks: list[int], quantity: int = 1):
    """Every thread claims ``quantity`` for its own unit at the same moment; returns (accepted, refused, errors)."""
    from lianxi.registry.models import Unit

    return testing.race(
        unit_pks,
        lambda unit_pk: (Need.objects.get(pk=need_pk), Unit.objects.get(pk=unit_pk)),
        lambda loaded: services.claim_need(None, loaded[0], unit=loaded[1], quantity=quantity),
    )


def _check(world):
    units = extra_members(world, THREADS, prefix="示例并发单位")
    need = make_need(world, quantity=QUANTITY)
    accepted, refused, errors = race(need.pk, [u.pk for u in units])
    need.refresh_from_db()
    assert errors == []
    assert len(accepted) == QUANTITY
    assert len(refused) == THREADS - QUANTITY
    assert all(list(r) == ["quantity"] or list(r) == ["need"] for r in refused)
    assert need.claimed_quantity == QUANTITY and need.state == Need.State.CLAIMED
    assert Claim.objects.filter(need=need).count() == QUANTITY


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_parallel_claims_never_over_claim_on_postgresql(need_categories, world):
    _check(world)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant")
@pytest.mark.django_db(transaction=True)
def test_parallel_claims_never_over_claim_on_sqlite(need_categories, world):
    if connection.is_in_memory_db():
        pytest.skip("needs a SQLite file (LIANXI_TEST_DB_NAME=/tmp/lists-test.sqlite3): "
                    "threads on an in-memory database share one cache and its table locks")
    _check(world)
