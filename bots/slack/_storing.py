"""Group commit of the Slack inbox: every request waiting to be stored goes in one write.

Each Slack request is stored before it is acknowledged. One transaction per
request makes a burst queue up at the database (SQLite has one writer): the
thousandth request, and a ``/slotbot`` command behind it, waits for a thousand
commits before its HTTP 200. Here one thread writes: it takes every request
queued so far and stores them together (``Inbox.accept_batch``), so a request
waits for at most the write in progress and its own.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from bots.inbox import Inbox, InboxEntry

#: Requests stored in one transaction at most.
BATCH = 500


@dataclass
class _Waiting:
    delivery_id: str
    payload: dict[str, Any]
    stored: Future[InboxEntry | None] = field(default_factory=Future)


class GroupStore:
    """Stores deliveries in ``inbox``, all those waiting at once in one transaction.

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
        waiting = _Waiting(delivery_id, payload)
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write, name="slack-store",
                                                daemon=True)
                self._writer.start()
        self._queue.put(waiting)
        return waiting.stored.result()

    def close(self) -> None:
        """Stop the writer once the requests queued so far are stored (no more may come)."""
        with self._lock:
            if self._writer is not None:
                self._queue.put(None)
                self._writer = None

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
                stored = self._inbox.accept_batch([(w.delivery_id, w.payload) for w in group])
            except Exception as error:  # every request of the group gets it (HTTP 500)
                for waiting in group:
                    waiting.stored.set_exception(error)
                continue
            for waiting in group:  # a repeated id in the group: only the first gets the row
                waiting.stored.set_result(stored.pop(waiting.delivery_id, None))
