"""PostgreSQL only: a pg_trgm GIN index on the search text of projects (item 5 of
docs/benchmarks.md), for ``search_text LIKE '%…%'``. Not in ``Meta`` (SQLite has no GIN): a no-op on
SQLite, and the state of the model is unchanged. See registry 0003."""

from django.db import migrations

INDEX = "project_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    table = apps.get_model("projects", "Project")._meta.db_table
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {quote(INDEX)} ON {quote(table)} USING gin ({quote('search_text')} gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(INDEX)}")


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0003_project_list_order_indexes"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
