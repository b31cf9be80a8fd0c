"""One SQLite writer at a time per process, urgent writes first.

SQLite has one write lock per database; writers that find it taken retry in
sqlite3's busy handler, sleeping in growing steps, so under load a short write
(storing an incoming message before acknowledging it) can wait seconds behind
long ones. The gate queues this process's writers in Python instead — the next
one starts the moment the lock is free — and lets writes marked urgent
(:func:`urgent`, used by the inbox) go before the others; among writes of one kind
the first to wait goes first. Other processes still meet at SQLite's lock, with its
busy timeout.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event

_URGENCY = threading.local()
_HELD = "slotbot_write_gate"


class WriteGate:
    """A lock for transactions: urgent waiters first, each kind first come, first served.

    A release hands the gate straight to the next waiter (the oldest urgent one, else
    the oldest other one) and wakes only that thread: waking every waiter to race for
    it (a condition's ``notify_all``) let a late comer overtake threads that had waited
    long, and cost each woken thread a turn at the GIL only to find the gate taken.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = False
        self._urgent: deque[threading.Lock] = deque()
        self._other: deque[threading.Lock] = deque()

    @property
    def waiting(self) -> int:
        """How many threads wait for the gate now."""
        with self._lock:
            return len(self._urgent) + len(self._other)

    def acquire(self, *, urgent: bool) -> None:
        """Take the gate; blocks behind the urgent waiters (and, if not ``urgent``, the others)."""
        with self._lock:
            if not self._busy:  # free: nobody waits (a release hands it on otherwise)
                self._busy = True
                return
            turn = threading.Lock()
            turn.acquire()
            line = self._urgent if urgent else self._other
            line.append(turn)
        try:
            turn.acquire()  # released by the thread handing the gate over
        except BaseException:  # interrupted (KeyboardInterrupt): leave the line, or pass it on
            with self._lock:
                if turn in line:
                    line.remove(turn)
                    raise
            self.release()
            raise

    def release(self) -> None:
        """Give the gate to the next waiter, or free it."""
        with self._lock:
            line = self._urgent or self._other
            if line:
                line.popleft().release()  # still busy: now the next waiter's
            else:
                self._busy = False


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
