"""The audit table refuses UPDATE and DELETE in the database itself (triggers per vendor), and a
user with audit rows can no longer be deleted (PROTECT: deactivate the account instead)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Written out here rather than imported, so this migration stays what it was when it ran.
TABLE = "audit_auditentry"
MESSAGE = "audit entries are append-only (审计记录只可追加，不可修改或删除)"
INSTALL = {
    "sqlite": [
        f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION lianxi_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation'; END $$",
        f"CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION lianxi_audit_append_only()",
        f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION lianxi_audit_append_only()",
    ],
}
REMOVE = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}",
        f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
        "DROP FUNCTION IF EXISTS lianxi_audit_append_only()",
    ],
}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_entries",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.RunPython(_run(INSTALL), _run(REMOVE)),
    ]
