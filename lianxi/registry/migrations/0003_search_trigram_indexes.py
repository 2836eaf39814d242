"""PostgreSQL only: pg_trgm GIN indexes on the search text of units and people (item 5 of
docs/benchmarks.md). Every search is ``search_text LIKE '%…%'`` (``search_text__contains`` on text
already lower-cased and simplified by ``search_key``): without these a scan of every row, with them a
bitmap index scan. The indexes are not in the models' ``Meta``: SQLite has no GIN, and the state of
the models stays the same on both databases, so this migration is a no-op on SQLite and
``makemigrations`` sees nothing to do."""

from django.db import migrations

INDEXES = [("Unit", "unit_search_trgm"), ("Person", "person_search_trgm")]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for model, name in INDEXES:
        table = apps.get_model("registry", model)._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} USING gin ({quote('search_text')} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _model, name in INDEXES:  # the extension stays: other indexes may use it
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0002_membership_current_index"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
