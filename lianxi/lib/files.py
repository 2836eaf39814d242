"""Uploaded files and transactions: a file is written to storage at once (so the row never names a
file that failed to write), and deleted again if the transaction that saved its row rolls back.

Django offers ``transaction.on_commit`` but no hook on rollback. Rollback is observed through the
commit hook itself: the connection keeps each ``on_commit`` callback until the transaction (or
the savepoint it was registered in) ends, then runs it on commit or discards it on rollback. The
callback registered here only marks the file as committed; a finalizer on the callback object runs
when the connection lets go of it, and deletes the file unless it was marked. CPython frees the
discarded callback at once (reference counting), so the file is gone when ``atomic`` exits."""

import logging
import weakref

from django.db import transaction

logger = logging.getLogger("lianxi.files")


class _Committed:
    """The ``on_commit`` callback: marks its file as kept."""

    def __init__(self, state: dict):
        self.state = state

    def __call__(self):
        self.state["committed"] = True


def _delete_unless_committed(state: dict, storage, name: str):
    if state["committed"]:
        return
    try:
        storage.delete(name)
    except OSError:  # already gone, or storage unavailable: nothing more to do here
        logger.warning("could not delete %s after its transaction rolled back", name, exc_info=True)


def delete_on_rollback(storage, name: str, using: str | None = None):
    """Delete ``name`` from ``storage`` if the current transaction rolls back (no-op in autocommit)."""
    if not transaction.get_connection(using).in_atomic_block:
        return
    state = {"committed": False}
    callback = _Committed(state)
    weakref.finalize(callback, _delete_unless_committed, state, storage, name)
    transaction.on_commit(callback, using=using)


def save_file(field_file, name: str, content, using: str | None = None):
    """``field_file.save(name, content, save=False)``, removed again if the transaction rolls back."""
    field_file.save(name, content, save=False)
    delete_on_rollback(field_file.storage, field_file.name, using)
