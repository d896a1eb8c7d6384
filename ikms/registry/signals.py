"""Signals of the registers, for the apps that stand on them (the registry imports none of those apps).

`register_changed` is sent after a transaction that recorded register decisions commits: once per
decision, or once per batch inside `register_changes_batched()` (bulk imports, the demo generator)."""

import contextlib
import contextvars
from collections.abc import Iterator

from django.db import transaction
from django.dispatch import Signal

#: Sent with `decisions` (the number of decisions recorded) after the commit.
register_changed = Signal()

_batch: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("ikms_register_batch", default=None)


def register_changes_announce() -> None:
    """Announce one recorded decision (after the commit), or count it in the open batch."""
    batch = _batch.get()
    if batch is not None:
        batch[0] += 1
        return
    transaction.on_commit(lambda: register_changed.send(sender=register_changes_announce, decisions=1))


@contextlib.contextmanager
def register_changes_batched() -> Iterator[None]:
    """Decisions recorded inside the block are announced once, after the block (and its commit)."""
    batch = [0]
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    if batch[0]:
        transaction.on_commit(lambda: register_changed.send(sender=register_changes_announce, decisions=batch[0]))
