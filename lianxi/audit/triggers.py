"""Database triggers that make the audit table append-only below the ORM.

``AuditEntry.save``/``delete`` refuse changes to existing rows, but a queryset's ``update()`` and
``delete()``, the admin's bulk actions, a cascade from another table or raw SQL go straight to the
database. These triggers refuse every UPDATE and DELETE of an audit row (and TRUNCATE on
PostgreSQL) in the database itself, with the error class ``IntegrityError`` on both databases.

Why a user with audit rows cannot be deleted: the actor column is ``on_delete=PROTECT``. With
``SET_NULL`` deleting a user would UPDATE its audit rows, which these triggers refuse (and which
would erase who did what). Accounts are deactivated (``is_active = False``) instead; the row also
keeps ``actor_label``, the actor's name as it was when the row was written.

Only whoever owns the database schema can remove the triggers (``DROP TRIGGER``); the test suite
does so around its table flushes (see :func:`suspended`).

A later migration that alters ``audit_auditentry`` on SQLite rebuilds the table, and a rebuilt
table has no triggers: such a migration must end with ``install`` (the tests in
``lianxi/audit/tests`` run on the fully migrated database and fail if the triggers are gone)."""

import contextlib

TABLE = "audit_auditentry"
MESSAGE = "audit entries are append-only (审计记录只可追加，不可修改或删除)"

SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]

# ERRCODE 23001 (restrict_violation) reaches Django as IntegrityError, as SQLite's RAISE(ABORT) does.
POSTGRES_INSTALL = [
    "CREATE OR REPLACE FUNCTION lianxi_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation'; END $$",
    f"CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION lianxi_audit_append_only()",
    f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION lianxi_audit_append_only()",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS lianxi_audit_append_only()",
]


def statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    return []


def install(connection):
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, True):
            cursor.execute(sql)


def remove(connection):
    with connection.cursor() as cursor:
        for sql in statements(connection.vendor, False):
            cursor.execute(sql)


@contextlib.contextmanager
def suspended(connection):
    """Drop the triggers for the block and put them back after it. For the test suite's flush of
    every table between tests; never used by the application."""
    remove(connection)
    try:
        yield
    finally:
        install(connection)
