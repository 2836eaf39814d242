"""Searches and their indexes (item 5 of docs/benchmarks.md): every search is one
``search_text LIKE '%…%'``, which PostgreSQL answers from the pg_trgm GIN indexes of registry 0003
and projects 0004; on SQLite those migrations do nothing."""

import pytest
from django.db import connection, transaction

from lianxi.projects.models import Project
from lianxi.projects.services import create_project
from lianxi.registry.models import Person, Unit
from lianxi.registry.services import create_person, create_unit

pytestmark = pytest.mark.django_db

TRIGRAM_INDEXES = {"unit_search_trgm": "registry_unit", "person_search_trgm": "registry_person",
                   "project_search_trgm": "projects_project"}
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")


def test_initials_search_is_one_condition_on_search_text_and_still_finds_prefixes(world):
    """The unit search by initials no longer ORs ``initials LIKE 'x%'``: the initials are always
    whole inside search_text, even for the longest names, so ``contains`` finds the same units."""
    longest = create_unit(None, name="黄浦" * 75, party_org_name="中共" * 90, category=Unit.Category.ENTERPRISE)
    assert len(longest.name) == 150 and len(longest.initials) == 150
    assert longest.initials in longest.search_text
    assert longest in Unit.objects.search(longest.initials[:6].upper())
    where = str(Unit.objects.search("hpcs").query).split(" WHERE ", 1)[1]
    assert "initials" not in where and where.count("LIKE") == 1
    # Still: a prefix of the initials, and letters inside them.
    assert list(Unit.objects.search("sldwa").values_list("name", flat=True)) == ["示例单位A"]
    assert set(Unit.objects.search("dwb").values_list("name", flat=True)) == {"示例单位B"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite variant")
def test_the_trigram_migrations_do_nothing_on_sqlite(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%trgm%'")
        assert cursor.fetchall() == []


@pytest.mark.postgres
@on_postgres
def test_the_trigram_indexes_exist_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname LIKE '%search_trgm'")
        found = {name: (table, definition) for name, table, definition in cursor.fetchall()}
    assert {name: table for name, (table, _) in found.items()} == TRIGRAM_INDEXES
    for _table, definition in found.values():
        assert "USING gin (search_text gin_trgm_ops)" in definition


def plan(queryset) -> str:
    """The plan PostgreSQL would take if a scan of the table were not an option: the index appears
    in it only if it can serve the query's condition (on a small test table the planner would
    otherwise rightly prefer a scan)."""
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@on_postgres
def test_every_search_is_served_by_its_trigram_index(world):
    create_person(None, name="示例人员甲", unit=world.unit_a)
    create_project(None, conference=world.district, title="示例为老服务项目", kind="key", year=2024)
    cases = [
        (Unit.objects.search("科技公司"), "unit_search_trgm"),
        (Unit.objects.search("kjgs"), "unit_search_trgm"),
        (Unit.objects.search("黃浦"), "unit_search_trgm"),
        (Person.objects.search("示例人员"), "person_search_trgm"),
        (Person.objects.search("slry"), "person_search_trgm"),
        (Project.objects.filter(search_text__contains="为老服务"), "project_search_trgm"),
    ]
    for queryset, index in cases:
        assert f"Bitmap Index Scan on {index}" in plan(queryset.order_by()), str(queryset.query)
    # What it guards against: a case-insensitive lookup (UPPER(...) LIKE UPPER(...)) is not served.
    assert "search_trgm" not in plan(Unit.objects.filter(search_text__icontains="kjgs").order_by())
