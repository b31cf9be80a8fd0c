"""The per-guest rate limit, with the ``limits`` library (moving window).

Wraps the conversation: a guest within the limit is answered as usual; the
first message over it gets one friendly reply in the guest's language
(``Texts.slow_down``); further messages in the same window get no reply at all,
so a flood costs neither conversation work nor sends.

Storage is a ``limits`` storage URI: ``memory://`` (one process, the embedded
default) or ``redis://host:port/db`` (shared by every bot process); see
https://limits.readthedocs.io/en/stable/storage.html.

Every refused message is counted durably (:class:`RefusalCounter`: per UTC day
and platform in the database), for the hosts' ``stats``.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from bots import texts
from bots.messages import IncomingMessage, Reply
from core.ports import Clock, UnitOfWorkFactory
from storage import write_gate

Handle = Callable[[IncomingMessage], list[Reply]]

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


class GuestRateLimit:
    """``limit`` messages per guest (platform + user id) per moving window.

    Args:
        limit: a ``limits`` rate string, e.g. ``"20/minute"`` or ``"5 per 10 seconds"``.
        storage_uri: ``memory://`` or ``redis://…``.
        on_refused: called with every refused message (a :class:`RefusalCounter`).

    Raises:
        ValueError: ``limit`` is not a rate string, or the storage URI is unknown.
    """

    def __init__(self, limit: str, storage_uri: str = "memory://", *,
                 on_refused: Callable[[IncomingMessage], None] | None = None) -> None:
        self.limit: RateLimitItem = parse(limit)
        # The notice: once per window of the main limit.
        self._notice: RateLimitItem = type(self.limit)(1, self.limit.multiples,
                                                       self.limit.namespace)
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.refused = 0
        self._on_refused = on_refused

    def wrap(self, handle: Handle) -> Handle:
        """``handle`` behind the limit: over it, one ``slow_down`` reply, then silence."""

        def limited(message: IncomingMessage) -> list[Reply]:
            guest = (message.platform, message.user_id)
            if self._limiter.hit(self.limit, *guest):
                return handle(message)
            self.refused += 1
            if self._on_refused is not None:
                self._on_refused(message)
            if not self._limiter.hit(self._notice, "notice", *guest):
                return []
            _LOGGER.info("rate limit: %s guest %s is over %s", message.platform,
                         message.user_id, self.limit)
            return [Reply(texts.Texts(texts.language(message.locale)).slow_down())]

        return limited
