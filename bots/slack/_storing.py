"""Group commit of the Slack inbox: every write waiting goes in one transaction.

Each Slack request is stored before it is acknowledged, each answer before it is
sent, and each row is marked done once sent. One transaction per write makes
them queue up at the database (SQLite has one writer, and each commit is a
sync to disk): under a burst the thousandth request, and a ``/slotbot`` command
behind it, waits for a thousand commits before its HTTP 200; in a steady
conversation every reply costs three commits. Here one thread writes: it takes
every write queued so far — new requests, answers, done marks, from all the
threads — and stores them together (``Inbox.write_together``). Each caller
still blocks until its own write is committed, so nothing is acknowledged,
sent or forgotten earlier than with a transaction of its own: the inbox's
guarantees are unchanged; a write waits for at most the one in progress and
its own.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from bots.inbox import Inbox, InboxEntry, replies_to_json
from bots.messages import Reply

#: Writes stored in one transaction at most.
BATCH = 500


@dataclass
class _Waiting:
    """One write: a new delivery, an answer (``replies``) or a done mark (``entry``)."""

    delivery_id: str | None = None
    payload: dict[str, Any] | None = None
    entry: InboxEntry | None = None
    replies: list[dict[str, Any]] | None = None
    stored: Future[InboxEntry | None] = field(default_factory=Future)


class GroupStore:
    """Writes to ``inbox``, all the writes waiting at once in one transaction.

    Args:
        inbox: the Slack inbox.
    """

    def __init__(self, inbox: Inbox) -> None:
        self._inbox = inbox
        self._queue: queue.SimpleQueue[_Waiting | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._writer: threading.Thread | None = None

    def accept(self, delivery_id: str, payload: dict[str, Any]) -> InboxEntry | None:
        """Store a delivery like ``Inbox.accept``; blocks until its group is committed.

        Returns:
            The new row, or None for a duplicate (stored before, or earlier in its group).

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the group's write failed; do not acknowledge.
        """
        return self._wait(_Waiting(delivery_id=delivery_id, payload=payload))

    def answered(self, entry: InboxEntry, replies: list[Reply]) -> None:
        """Keep the replies like ``Inbox.answered``; blocks until its group is committed.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the group's write failed; do not send.
        """
        self._wait(_Waiting(entry=entry, replies=replies_to_json(replies)))

    def done(self, entry: InboxEntry) -> None:
        """Mark ``entry`` done like ``Inbox.done``; blocks until its group is committed.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the group's write failed (the row is taken
                over once its lease runs out, and its replies sent again).
        """
        self._wait(_Waiting(entry=entry))

    def close(self) -> None:
        """Stop the writer once the writes queued so far are stored (no more may come)."""
        with self._lock:
            if self._writer is not None:
                self._queue.put(None)
                self._writer = None

    def _wait(self, waiting: _Waiting) -> InboxEntry | None:
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write, name="slack-store",
                                                daemon=True)
                self._writer.start()
        self._queue.put(waiting)
        return waiting.stored.result()

    def _write(self) -> None:
        while (first := self._queue.get()) is not None:
            group = [first]
            while len(group) < BATCH:
                try:
                    waiting = self._queue.get_nowait()
                except queue.Empty:
                    break
                if waiting is None:  # closed: this group is the last
                    self._queue.put(None)
                    break
                group.append(waiting)
            try:
                stored = self._inbox.write_together(
                    [(w.delivery_id, w.payload or {}) for w in group if w.delivery_id],
                    [(w.entry, w.replies) for w in group
                     if w.entry is not None and w.replies is not None],
                    [w.entry for w in group if w.entry is not None and w.replies is None],
                )
            except Exception as error:  # every write of the group gets it
                for waiting in group:
                    waiting.stored.set_exception(error)
                continue
            for waiting in group:  # a repeated id in the group: only the first gets the row
                waiting.stored.set_result(
                    stored.pop(waiting.delivery_id, None) if waiting.delivery_id else None)
