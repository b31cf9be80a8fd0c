"""The per-guest rate limit, with the ``limits`` library (moving window).

Wraps the conversation: a guest within the limit is answered as usual; the
first message over it gets one friendly reply in the guest's language
(``Texts.slow_down``); further messages in the same window get no reply at all,
so a flood costs neither conversation work nor sends.

Storage is a ``limits`` storage URI: ``memory://`` (one process, the embedded
default) or ``redis://host:port/db`` (shared by every bot process); see
https://limits.readthedocs.io/en/stable/storage.html. In memory the windows are
kept by :class:`MemoryWindows` rather than ``limits``' memory storage, which
after each hit re-scans every guest's window on a new timer thread (2.5 ms of
CPU per message once a thousand guests wrote within the minute).

Every refused message is counted durably (:class:`RefusalCounter`: per UTC day
and platform in the database), for the hosts' ``stats``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable
from datetime import UTC, date
from typing import Protocol

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from bots import texts
from bots.messages import Handle, IncomingMessage, KeepAnswer, Reply
from core.ports import Clock, UnitOfWorkFactory
from storage import write_gate

_LOGGER = logging.getLogger(__name__)


class RefusalCounter:
    """The ``on_refused`` of :class:`GuestRateLimit`: counts refused messages for ``stats``.

    Counted in memory per UTC day and platform and written at most once per
    ``interval`` seconds, the sums added in one short transaction, so a flood
    costs no database write per message. A process killed loses at most the
    counts of its last ``interval``; a failed write is only logged.

    Args:
        uow_factory: where the counts go (``uow.refusals``).
        clock: the current instant (its UTC date is the day counted).
        interval: seconds between writes.
    """

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, *,
                 interval: float = 1.0) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._interval = interval
        self._lock = threading.Lock()
        self._pending: Counter[tuple[date, str]] = Counter()
        self._timer: threading.Timer | None = None

    def __call__(self, message: IncomingMessage) -> None:
        with self._lock:
            self._pending[(self._clock().astimezone(UTC).date(), message.platform)] += 1
            if self._timer is None:
                self._timer = threading.Timer(self._interval, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        """Write the counts not yet written (the timer calls it; tests and shutdown may)."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if not pending:
            return
        try:
            with write_gate.urgent(), self._uow_factory() as uow:
                for (day, platform), count in sorted(pending.items()):
                    uow.refusals.add(day, platform, count)
                uow.commit()
        except Exception as exc:  # the count is for stats: never worth a lost reply
            _LOGGER.warning("rate limit: %d refusal(s) not counted: %s", pending.total(),
                            type(exc).__name__)


class _Limiter(Protocol):
    def hit(self, item: RateLimitItem, *identifiers: str) -> bool: ...


class MemoryWindows:
    """Moving windows in this process's memory, for ``memory://``: a hit costs O(1)
    (amortized) however many guests wrote, and needs no thread.

    The same rule as ``limits``' ``MovingWindowRateLimiter``: a hit is allowed when
    fewer than ``item.amount`` hits were allowed in the ``item.get_expiry()`` seconds
    before it. A key none of whose hits is inside the longest window seen is forgotten
    (the least recently used go first), so memory follows the guests of the last window.

    Args:
        clock: seconds, monotonic (default ``time.monotonic``).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()  # least recently used first
        self._longest = 0.0

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count a hit of ``item`` for ``identifiers``; False (not counted) when over it."""
        key = item.key_for(*identifiers)
        window = float(item.get_expiry())
        now = self._clock()
        with self._lock:
            self._longest = max(self._longest, window)
            self._forget(now)
            times = self._hits.get(key)
            if times is None:
                times = self._hits[key] = deque()
            else:
                self._hits.move_to_end(key)
            while times and times[0] <= now - window:
                times.popleft()
            if len(times) >= item.amount:
                return False
            times.append(now)
            return True

    def keys(self) -> int:
        """How many keys are kept."""
        with self._lock:
            return len(self._hits)

    def _forget(self, now: float) -> None:
        while self._hits:
            times = next(iter(self._hits.values()))
            if times and times[-1] > now - self._longest:
                return
            self._hits.popitem(last=False)


class GuestRateLimit:
    """``limit`` messages per guest (platform + user id) per moving window.

    Args:
        limit: a ``limits`` rate string, e.g. ``"20/minute"`` or ``"5 per 10 seconds"``.
        storage_uri: ``memory://`` or ``redis://…``.
        on_refused: called with every refused message (a :class:`RefusalCounter`).
        clock: for ``memory://``, the monotonic seconds of :class:`MemoryWindows`.

    Raises:
        ValueError: ``limit`` is not a rate string, or the storage URI is unknown.
    """

    def __init__(self, limit: str, storage_uri: str = "memory://", *,
                 on_refused: Callable[[IncomingMessage], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit: RateLimitItem = parse(limit)
        # The notice: once per window of the main limit.
        self._notice: RateLimitItem = type(self.limit)(1, self.limit.multiples,
                                                       self.limit.namespace)
        self._limiter: _Limiter = (
            MemoryWindows(clock) if storage_uri.partition("://")[0] == "memory"
            else MovingWindowRateLimiter(storage_from_string(storage_uri)))
        self.refused = 0
        self._on_refused = on_refused

    def wrap(self, handle: Handle) -> Handle:
        """``handle`` behind the limit: over it, one ``slow_down`` reply, then silence."""

        def limited(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
            guest = (message.platform, message.user_id)
            if self._limiter.hit(self.limit, *guest):
                return handle(message, keep)
            self.refused += 1
            if self._on_refused is not None:
                self._on_refused(message)
            if not self._limiter.hit(self._notice, "notice", *guest):
                return []
            _LOGGER.info("rate limit: %s guest %s is over %s", message.platform,
                         message.user_id, self.limit)
            return [Reply(texts.Texts(texts.language(message.locale)).slow_down())]

        return limited
