"""One SQLite writer at a time per process, urgent writes first.

SQLite has one write lock per database; writers that find it taken retry in
sqlite3's busy handler, sleeping in growing steps, so under load a short write
(storing an incoming message before acknowledging it) can wait seconds behind
long ones. The gate queues this process's writers in Python instead — the next
one starts the moment the lock is free — and lets writes marked urgent
(:func:`urgent`, used by the inbox) go before the others. Other processes still
meet at SQLite's lock, with its busy timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event

_URGENCY = threading.local()
_HELD = "slotbot_write_gate"


class WriteGate:
    """A lock for transactions that prefers urgent waiters."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = False
        self._urgent_waiting = 0

    def acquire(self, *, urgent: bool) -> None:
        with self._cond:
            if urgent:
                self._urgent_waiting += 1
                try:
                    self._cond.wait_for(lambda: not self._busy)
                finally:
                    self._urgent_waiting -= 1
            else:
                self._cond.wait_for(lambda: not self._busy and not self._urgent_waiting)
            self._busy = True

    def release(self) -> None:
        with self._cond:
            self._busy = False
            self._cond.notify_all()


@contextmanager
def urgent() -> Iterator[None]:
    """Transactions this thread begins inside the block go before the others."""
    previous = getattr(_URGENCY, "on", False)
    _URGENCY.on = True
    try:
        yield
    finally:
        _URGENCY.on = previous


def install(engine: Engine) -> None:
    """Gate every transaction of the (SQLite) ``engine``: taken at BEGIN, released at its end."""
    gate = WriteGate()

    def take(connection: Connection) -> None:
        gate.acquire(urgent=getattr(_URGENCY, "on", False))
        connection.info[_HELD] = True

    def give_back(connection: Connection) -> None:
        if connection.info.pop(_HELD, False):
            gate.release()

    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(_HELD, False):  # a transaction that never ended: never keep the gate
            gate.release()

    event.listen(engine, "begin", take)
    event.listen(engine, "commit", give_back)
    event.listen(engine, "rollback", give_back)
    event.listen(engine.pool, "checkin", on_checkin)
