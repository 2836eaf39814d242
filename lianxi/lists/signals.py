"""What the lists app tells other apps, so that they can keep data derived from the lists without
the lists app knowing about them.

``texts_saved`` (sender: ``Need`` or ``Resource``; arguments ``ids``: the primary keys, and
``progress``: ``None`` or a callable taking how many more texts were handled) is sent once
the transaction that created needs or resources, or changed their title or description, has
committed. The matching app listens to it and segments the texts then, so that a matching run reads
ready features instead of running jieba over every open need.

``need_state_changed`` (sender: ``Need``; arguments ``actor``, ``need_id``, ``old``, ``new``: the
state codes) is sent once the transaction that moved a need to another state has committed. The
visits app listens to it and closes the follow-ups a visit opened for that need when the need is
seen through.

Receivers run after the commit: what they do cannot undo the save, and a receiver that fails is
logged, not shown to the user."""

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

texts_saved = Signal()
need_state_changed = Signal()

# The fields whose change makes the text of a need or a resource change.
TEXT_FIELDS = ("title", "description")


def announce_texts_saved(model, ids, *, progress=None) -> None:
    """Send :data:`texts_saved` for ``ids`` when the current transaction commits. ``progress``
    (optional, ``progress(n)`` for ``n`` more texts done) goes to the receivers, so that a job
    reports its after-commit work too."""
    ids = [int(i) for i in ids]
    if not ids:
        return

    def send():
        for receiver, result in texts_saved.send_robust(sender=model, ids=ids, progress=progress):
            if isinstance(result, Exception):
                log.error("texts_saved receiver %r failed for %s %s…: %r", receiver, model.__name__, ids[:5], result,
                          exc_info=result)

    transaction.on_commit(send)


def announce_need_state(actor, model, need_id: int, old: str, new: str) -> None:
    """Send :data:`need_state_changed` for one need when the current transaction commits."""
    if old == new:
        return

    def send():
        for receiver, result in need_state_changed.send_robust(sender=model, actor=actor, need_id=need_id,
                                                               old=old, new=new):
            if isinstance(result, Exception):
                log.error("need_state_changed receiver %r failed for need %s (%s → %s): %r", receiver, need_id, old,
                          new, result, exc_info=result)

    transaction.on_commit(send)

