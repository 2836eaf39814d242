"""Audit rows keep the conference their object belongs to (a plain id), so the raw log in the API
can be scoped to the conferences a secretariat runs.

No backfill: rows written before this migration keep an empty conference (the table is
append-only, its triggers refuse UPDATE), so only district administrators read them in the API.
Adding a nullable column is an ALTER TABLE on both databases (no rebuild of the SQLite table), and
the SQLite triggers are installed again anyway (``IF NOT EXISTS``) in case a rebuild ever happens."""

from django.db import migrations, models

TABLE = "audit_auditentry"
MESSAGE = "audit entries are append-only (审计记录只可追加，不可修改或删除)"
SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]


def reinstall_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_INSTALL:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="conference_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="所属联席会议编号"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["conference_id", "-time"], name="audit_conference_time"),
        ),
        migrations.RunPython(reinstall_sqlite_triggers, migrations.RunPython.noop),
    ]
