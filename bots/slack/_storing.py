"""Group commit of the Slack inbox: every write waiting goes in one transaction.

Each Slack request is stored before it is acknowledged, each answer before it is
sent, and each row is marked done once sent. One transaction per write makes them
queue up at the database (SQLite has one writer, and each commit is a sync to disk):
under a burst the thousandth request, and a ``/slotbot`` command behind it, waits
for a thousand commits before its HTTP 200; in a steady conversation every reply
would cost three commits besides its turn's. Here one thread writes: it takes every
write queued so far — new requests, answers, done marks, from all the threads — and
stores them together (``Inbox.write_together``). A caller storing a request or an
answer blocks until its write is committed, so nothing is acknowledged or sent
earlier than with a transaction of its own. (An answer the turn kept itself,
:class:`bots.inbox.AnswerKeeper`, the usual case, comes here not at all.)

A done mark is different: nothing waits for it. The worker queues it and goes on to
the next message, and the mark rides along with the next request or answer written
(or, with nothing else to write, goes alone after ``DONE_LINGER``), so a steady
conversation costs one commit per message besides its turn's (the request stored;
the answer rides in the turn). That opens no new window: a process killed before the
mark is committed leaves an answered row whose replies the next process sends again
— exactly as when it is killed between the send and a mark of its own;
:meth:`GroupStore.close` writes the marks still queued before the process ends.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from bots.inbox import Inbox, InboxEntry, replies_to_json
from bots.messages import Reply
from bots.slack import _strings

#: Writes stored in one transaction at most.
BATCH = 500
#: How long done marks alone wait for a request or an answer to be written with (s).
DONE_LINGER = 0.1

logger = logging.getLogger(__name__)


@dataclass
class _Waiting:
    """One write: a new delivery, an answer (``replies``) or a done mark (``entry``)."""

    delivery_id: str | None = None
    payload: dict[str, Any] | None = None
    entry: InboxEntry | None = None
    replies: list[dict[str, Any]] | None = None
    stored: Future[InboxEntry | None] = field(default_factory=Future)

    @property
    def done_mark(self) -> bool:
        return self.delivery_id is None and self.replies is None


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
        return self._queued(_Waiting(delivery_id=delivery_id, payload=payload)).result()

    def answered(self, entry: InboxEntry, replies: list[Reply]) -> None:
        """Keep the replies like ``Inbox.answered``; blocks until its group is committed.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the group's write failed; do not send.
        """
        self._queued(_Waiting(entry=entry, replies=replies_to_json(replies))).result()

    def done(self, entry: InboxEntry) -> None:
        """Mark ``entry`` done like ``Inbox.done``, without waiting: the mark is written
        with the next group (see the module's docstring). A failed write is logged; the
        row is then taken over once its lease runs out, and its replies sent again."""
        self._queued(_Waiting(entry=entry))

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued (done marks included), then stop the writer; waits up to
        ``timeout`` seconds for it. No more writes may come."""
        with self._lock:
            writer, self._writer = self._writer, None
        if writer is not None:
            self._queue.put(None)
            writer.join(timeout)

    def _queued(self, waiting: _Waiting) -> Future[InboxEntry | None]:
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write, name="slack-store",
                                                daemon=True)
                self._writer.start()
        self._queue.put(waiting)
        return waiting.stored

    def _write(self) -> None:
        open_ = True
        while open_ and (first := self._queue.get()) is not None:
            group = [first]
            open_ = self._take_waiting(group)
            if open_ and all(w.done_mark for w in group):  # nobody waits: wait for company
                try:
                    company = self._queue.get(timeout=DONE_LINGER)
                except queue.Empty:
                    pass
                else:
                    if company is None:
                        open_ = False
                    else:
                        group.append(company)
                        open_ = self._take_waiting(group)
            self._store(group)

    def _take_waiting(self, group: list[_Waiting]) -> bool:
        """Add the writes queued now to ``group`` (up to ``BATCH``); False once closed."""
        while len(group) < BATCH:
            try:
                waiting = self._queue.get_nowait()
            except queue.Empty:
                return True
            if waiting is None:  # closed: this group is the last
                return False
            group.append(waiting)
        return True

    def _store(self, group: list[_Waiting]) -> None:
        try:
            stored = self._inbox.write_together(
                [(w.delivery_id, w.payload or {}) for w in group if w.delivery_id],
                [(w.entry, w.replies) for w in group
                 if w.entry is not None and w.replies is not None],
                [w.entry for w in group if w.entry is not None and w.done_mark],
            )
        except Exception as error:  # every write of the group gets it
            marks = sum(w.done_mark for w in group)
            if marks:  # nobody waits for these to be told
                logger.warning(_strings.log_done_marks_failed(marks, type(error).__name__))
            for waiting in group:
                waiting.stored.set_exception(error)
            return
        for waiting in group:  # a repeated id in the group: only the first gets the row
            waiting.stored.set_result(
                stored.pop(waiting.delivery_id, None) if waiting.delivery_id else None)
