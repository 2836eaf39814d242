"""What the lists app tells other apps, so that they can keep data derived from the lists without
the lists app knowing about them.

``texts_saved`` (sender: ``Need`` or ``Resource``; argument ``ids``: the primary keys) is sent once
the transaction that created needs or resources, or changed their title or description, has
committed. The matching app listens to it and segments the texts then, so that a matching run reads
ready features instead of running jieba over every open need. Receivers run after the commit: what
they do cannot undo the save, and a receiver that fails is logged, not shown to the user."""

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

texts_saved = Signal()

# The fields whose change makes the text of a need or a resource change.
TEXT_FIELDS = ("title", "description")


def announce_texts_saved(model, ids) -> None:
    """Send :data:`texts_saved` for ``ids`` when the current transaction commits."""
    ids = [int(i) for i in ids]
    if not ids:
        return

    def send():
        for receiver, result in texts_saved.send_robust(sender=model, ids=ids):
            if isinstance(result, Exception):
                log.error("texts_saved receiver %r failed for %s %s…: %r", receiver, model.__name__, ids[:5], result,
                          exc_info=result)

    transaction.on_commit(send)
