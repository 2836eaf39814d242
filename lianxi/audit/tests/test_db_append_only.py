"""The audit table is append-only in the database itself, on SQLite and on PostgreSQL."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from lianxi.audit import triggers
from lianxi.audit.models import AuditEntry
from lianxi.audit.services import record
from lianxi.testing import make_user


@pytest.fixture
def entry(db):
    user = make_user("auditor")
    return record(user, "test.touch", user, {"x": [1, 2]})


def test_queryset_update_is_refused_by_the_database(entry):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="rewritten")
    entry.refresh_from_db()
    assert entry.action == "test.touch"


def test_queryset_delete_is_refused_by_the_database(entry):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_raw_sql_update_and_delete_are_refused(entry):
    for sql in (f"UPDATE {triggers.TABLE} SET action = 'x'", f"DELETE FROM {triggers.TABLE}"):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.touch"


def test_inserting_still_works(entry):
    record(None, "test.again", entry.actor)
    assert AuditEntry.objects.count() == 2


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(entry):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        # The test's own transaction holds the row's deferred FK checks, which TRUNCATE would
        # otherwise refuse on its own account; run them now so the trigger is what refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {triggers.TABLE}")
    assert AuditEntry.objects.count() == 1


def test_a_user_with_audit_rows_cannot_be_deleted_and_keeps_their_name(entry):
    user = entry.actor
    with pytest.raises(ProtectedError), transaction.atomic():
        user.delete()
    # Deactivation is the way out; the row still names the actor.
    user.is_active = False
    user.save(update_fields=["is_active"])
    entry.refresh_from_db()
    assert (entry.actor_id, entry.actor_label) == (user.pk, "auditor")


def test_a_user_without_audit_rows_can_still_be_deleted(db):
    user = make_user("nobody")
    user.delete()
    assert not get_user_model().objects.filter(username="nobody").exists()


def test_triggers_can_be_removed_and_put_back(entry):
    """What the migration's reverse does; then the table is writable, and after install it is not."""
    with transaction.atomic():
        triggers.remove(connection)
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed while removed")
        triggers.install(connection)
        with pytest.raises(IntegrityError), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(action="again")
    assert AuditEntry.objects.get(pk=entry.pk).action == "changed while removed"
