"""Database housekeeping shared by the apps."""

from django.db import connections


def analyze_after_migrate(sender, *, using="default", plan=None, **kwargs):
    """``post_migrate`` receiver: on SQLite, refresh the planner's statistics when migrations ran.

    A migration that rebuilds a table (most ``AlterField``s on SQLite) drops that table's
    ``sqlite_stat1`` rows, and a new index has none; without them SQLite guesses, and on a
    city-sized database it guessed wrong (``/api/v1/needs`` sorted 430,000 needs: 1,200 ms, 48 ms
    after ``ANALYZE``). So ``lianxi serve --migrate``, ``lianxi demo``, ``lianxi generate`` and a
    plain ``migrate`` leave fresh statistics. Nothing to do when no migration ran (``plan`` empty,
    or a ``flush``, which sends no plan), nor on PostgreSQL, whose autovacuum keeps statistics."""
    if not plan:
        return
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
