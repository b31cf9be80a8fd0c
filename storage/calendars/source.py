"""The hosts' calendars as a :class:`core.ports.BusySource`: the cache first, the API if needed.

For each calendar of the host that blocks time (``busy: true``):

1. **warm** — fetched within twice the refresh period and covering the range
   asked: the cached intervals are used; no network (the tick keeps them so);
2. otherwise a **cold fetch** runs, cut off after ``cold_timeout`` seconds
   (unless the calendar is in its retry backoff after failures);
3. if that fails (timeout, 5xx, 429, garbage, refused), the cached intervals
   are used while they are younger than ``stale_limit``;
4. older than that, or never fetched: :class:`core.errors.CalendarUnavailable`
   — no time of that host is offered or booked, and the host is told once.

What a unit of work learns (fetch results, failures, which calendars were
needed) is written by :meth:`SessionBusySource.finish` in a short
transaction of its own after the unit of work ends, so a read-only use case
keeps it too and no network wait ever happens while holding a write.
"""

from __future__ import annotations

import bisect
import logging
import random
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from core.errors import CalendarUnavailable
from core.models import Calendar, Host, Interval
from core.ports import Clock
from storage.calendars import cache
from storage.calendars.alerts import tell_host_down
from storage.calendars.cache import SyncState
from storage.calendars.clients import Clients
from storage.calendars.fetch import (
    Backoff,
    CalendarDisconnected,
    CalendarDown,
    Fetched,
    Fetcher,
)

_LOGGER = logging.getLogger(__name__)

#: Longest span fetched at once, in days (a year of booking window and some).
MAX_WINDOW_DAYS = 400


@dataclass(frozen=True)
class CalendarSettings:
    """Timing of the busy-time cache.

    Attributes:
        refresh: how often the tick refreshes a calendar that is in demand.
        cold_timeout: hard limit of a fetch on a guest's message path, seconds.
        stale_limit: the oldest busy time still used when a calendar is down.
        demand: how long after availability last needed a calendar the tick
            keeps refreshing it.
        backoff: when to try a failing calendar again.
    """

    refresh: timedelta = timedelta(minutes=2)
    cold_timeout: float = 3.0
    stale_limit: timedelta = timedelta(minutes=30)
    demand: timedelta = timedelta(days=1)
    backoff: Backoff = field(default_factory=Backoff)


@dataclass(frozen=True)
class _Copy:
    fetched_at: datetime
    covers: tuple[datetime, datetime]
    intervals: list[Interval]
    ends: list[datetime]

    def covers_range(self, start: datetime, end: datetime) -> bool:
        return self.covers[0] <= start and end <= self.covers[1]


@dataclass
class Learned:
    """What one unit of work found out, written by ``finish``."""

    stored: dict[int, tuple[Fetched, tuple[datetime, datetime]]] = field(default_factory=dict)
    failed: dict[int, tuple[Host, Calendar, SyncState, CalendarDown]] = field(
        default_factory=dict)
    wanted: set[int] = field(default_factory=set)
    #: Calendars found unusable without a new failure (in backoff): tell the host once.
    down: dict[int, tuple[Host, Calendar, str]] = field(default_factory=dict)


class CalendarHub:
    """Process-wide: the clients of each kind, a thread pool, in-memory copies of the cache.

    Args:
        fetchers: calendar kind (``google``/``caldav``/``ics``) -> client; a
            :class:`storage.calendars.clients.Clients` builds each on first use.
        writers: calendar kind -> what writes booking events there
            (:class:`storage.calendars.writer.Writer`), likewise.
        session_factory: opens sessions on the database (for ``finish``).
        clock: the current instant (aware).
        settings: cache timing.
        rng: randomness of the retry jitter (tests pass a seeded one).
        workers: threads for fetches.
    """

    def __init__(
        self,
        fetchers: Mapping[str, Fetcher],
        session_factory: Callable[[], Session],
        clock: Clock,
        settings: CalendarSettings | None = None,
        *,
        rng: random.Random | None = None,
        workers: int = 16,
        writers: Mapping[str, Any] | None = None,
    ) -> None:
        self.fetchers = fetchers if isinstance(fetchers, Clients) else Clients.ready(fetchers)
        self.writers = writers if isinstance(writers, Clients) else Clients.ready(writers or {})
        self.session_factory = session_factory
        self.clock = clock
        self.settings = settings or CalendarSettings()
        self.rng = rng or random.Random()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="calendar")
        self._copies: dict[int, _Copy] = {}
        self._lock = threading.Lock()

    def source(self, session: Session) -> SessionBusySource:
        """A busy source reading through ``session`` (one unit of work)."""
        return SessionBusySource(self, session)

    def window(self, host: Host, now: datetime, start: datetime | None = None,
               end: datetime | None = None) -> tuple[datetime, datetime]:
        """The span fetched for the host: from yesterday to its booking window and
        two days more (whole UTC days), widened to ``[start, end)`` if given."""
        today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        days = max((e.booking_window for e in host.event_types), default=60) + 2
        lo, hi = today - timedelta(days=1), today + timedelta(days=min(days, MAX_WINDOW_DAYS))
        if start is not None:
            lo = min(lo, start)
        if end is not None:
            hi = max(hi, min(end, lo + timedelta(days=MAX_WINDOW_DAYS)))
        return lo, hi

    def fetch(self, calendar: Calendar, host: Host, window: tuple[datetime, datetime],
              validator: str | None, timeout: float | None = None) -> Fetched:
        """Fetch in the pool; with ``timeout`` (seconds), give up waiting after it.

        Raises:
            CalendarDown: the client's error, a crash of the client, or no answer in time.
        """
        fetcher = self.fetchers.get(calendar.kind.value)
        if fetcher is None:
            raise CalendarDown(f"no {calendar.kind.value} client is configured")
        future = self.pool.submit(fetcher.fetch, calendar, host, window[0], window[1], validator)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            raise CalendarDown(f"no answer within {timeout:g} s") from None
        except CalendarDown:
            raise
        except Exception as exc:  # a client bug or odd answer must not reach the guest
            _LOGGER.warning("calendar %s fetch crashed: %s", calendar.id, type(exc).__name__)
            raise CalendarDown(f"unexpected answer ({type(exc).__name__})") from None

    def cached(self, session: Session, state: SyncState) -> _Copy:
        """The cached intervals of a calendar, from memory when they are of ``state``'s fetch."""
        copy = self._copies.get(state.calendar_id)
        if copy is not None and copy.fetched_at == state.fetched_at:
            return copy
        found = cache.intervals(session, state.calendar_id)
        assert state.fetched_at and state.covers_from and state.covers_to
        return self.remember(state.calendar_id, state.fetched_at,
                             (state.covers_from, state.covers_to), found)

    def touch(self, calendar_id: int, was: datetime | None, now: datetime) -> None:
        """A refetch found nothing changed: the copy of the fetch at ``was`` is now of ``now``."""
        with self._lock:
            copy = self._copies.get(calendar_id)
            if copy is not None and copy.fetched_at == was:
                self._copies[calendar_id] = _Copy(now, copy.covers, copy.intervals, copy.ends)

    def remember(self, calendar_id: int, fetched_at: datetime, covers: tuple[datetime, datetime],
                 found: list[Interval]) -> _Copy:
        """Keep a copy of a calendar's intervals as fetched at ``fetched_at``."""
        copy = _Copy(fetched_at, covers, found, [i.end for i in found])
        with self._lock:
            self._copies[calendar_id] = copy
        return copy

    def record(self, session: Session, learned: Learned, now: datetime) -> None:
        """Write what was learned through ``session`` (not committed here)."""
        for calendar_id, (fetched, covers) in learned.stored.items():
            cache.store(session, calendar_id, fetched.intervals, now=now, covers=covers,
                        validator=fetched.validator)
        for calendar_id, (host, calendar, state, exc) in learned.failed.items():
            next_try = self.settings.backoff.next_try(now, state.failures + 1, exc.retry_after,
                                                      self.rng)
            disconnected = isinstance(exc, CalendarDisconnected)
            cache.record_failure(session, calendar_id, str(exc), now=now, next_try_at=next_try,
                                 disconnected=disconnected)
            if not disconnected and not self.usable(state, now):
                learned.down.setdefault(calendar_id, (host, calendar, str(exc)))
        for calendar_id, (host, calendar, error) in learned.down.items():
            state = cache.states(session, [calendar_id]).get(calendar_id)
            if state is None or state.stale_told_at is None:
                tell_host_down(session, host, calendar, error, now)
                cache.mark_told(session, calendar_id, now)
        cache.mark_wanted(session, learned.wanted, now)

    def settle(self) -> None:
        """Let the clients write what they learned (e.g. refreshed Google tokens); call
        outside any unit of work. Errors are logged, never raised."""
        for client in {*self.fetchers.built(), *self.writers.built()}:
            settle = getattr(client, "settle", None)
            if settle is None:
                continue
            try:
                settle()
            except Exception:
                _LOGGER.exception("calendar client could not record what it learned")

    def usable(self, state: SyncState, now: datetime) -> bool:
        """Whether the cached busy time is young enough to decide availability."""
        return state.fetched_at is not None and now - state.fetched_at <= self.settings.stale_limit


class SessionBusySource:
    """Implements :class:`core.ports.BusySource` for one unit of work (see the module doc)."""

    def __init__(self, hub: CalendarHub, session: Session) -> None:
        self._hub = hub
        self._session = session
        self._learned = Learned()
        self._known: dict[int, _Copy | None] = {}  # None: cannot be checked now

    def busy(self, host: Host, start: datetime, end: datetime) -> list[Interval]:
        calendars = [c for c in host.calendars if c.busy and c.id is not None]
        if not calendars:
            return []
        now = self._hub.clock()
        states = cache.states(self._session, [c.id for c in calendars if c.id is not None])
        found: list[Interval] = []
        for calendar in calendars:
            calendar_id = calendar.id or 0
            state = states.get(calendar_id) or SyncState(calendar_id)
            if state.wanted_at is None or now - state.wanted_at > self._hub.settings.demand / 24:
                self._learned.wanted.add(calendar_id)
            copy = self._copy(host, calendar, state, start, end, now)
            if copy is None:
                raise CalendarUnavailable(host.handle, host.name)
            found.extend(_clip(copy, start, end))
        return found

    def finish(self) -> None:
        """Write what this unit of work learned, in a transaction of its own; never raises."""
        learned, self._learned = self._learned, Learned()
        self._hub.settle()
        if not (learned.stored or learned.failed or learned.wanted or learned.down):
            return
        try:
            with self._hub.session_factory() as session:
                self._hub.record(session, learned, self._hub.clock())
                session.commit()
        except Exception:  # the guest's answer is already decided; the tick retries
            _LOGGER.exception("could not record calendar fetches")

    def _copy(self, host: Host, calendar: Calendar, state: SyncState, start: datetime,
              end: datetime, now: datetime) -> _Copy | None:
        calendar_id = calendar.id or 0
        if calendar_id in self._known:
            known = self._known[calendar_id]
            if known is None or known.covers_range(start, end):
                return known
        settings = self._hub.settings
        covered = state.covers(start, end)
        if covered and state.fetched_at and now - state.fetched_at <= 2 * settings.refresh:
            return self._keep(calendar_id, self._hub.cached(self._session, state))
        if state.next_try_at is None or state.next_try_at <= now:
            window = self._hub.window(host, now, start, end)
            try:
                fetched = self._hub.fetch(calendar, host, window, state.validator if covered
                                          else None, timeout=settings.cold_timeout)
            except CalendarDisconnected as exc:
                self._learned.failed[calendar_id] = (host, calendar, state, exc)
                return self._keep(calendar_id, self._last(state, now))
            except CalendarDown as exc:
                self._learned.failed[calendar_id] = (host, calendar, state, exc)
            else:
                self._learned.stored[calendar_id] = (fetched, window)
                if fetched.intervals is None:  # not modified: the cached span stays
                    old = self._hub.cached(self._session, state)
                    self._learned.stored[calendar_id] = (fetched, old.covers)
                    return self._keep(calendar_id, self._hub.remember(
                        calendar_id, now, old.covers, old.intervals))
                return self._keep(calendar_id, self._hub.remember(
                    calendar_id, now, window, fetched.intervals))
        if state.disconnected:
            return self._keep(calendar_id, self._last(state, now))
        if covered and self._hub.usable(state, now):
            return self._keep(calendar_id, self._hub.cached(self._session, state))
        if calendar_id not in self._learned.failed and state.stale_told_at is None:
            self._learned.down[calendar_id] = (host, calendar,
                                               state.last_error or "not fetched yet")
        self._known[calendar_id] = None
        return None

    def _last(self, state: SyncState, now: datetime) -> _Copy:
        """Whatever was fetched last, however old (a revoked grant: go on from local data)."""
        if state.fetched_at is not None and state.covers_from and state.covers_to:
            return self._hub.cached(self._session, state)
        return _Copy(now, (datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)),
                     [], [])

    def _keep(self, calendar_id: int, copy: _Copy) -> _Copy:
        self._known[calendar_id] = copy
        return copy


def _clip(copy: _Copy, start: datetime, end: datetime) -> list[Interval]:
    """The intervals of ``copy`` (sorted, non-overlapping) that overlap ``[start, end)``."""
    first = bisect.bisect_right(copy.ends, start)
    found = []
    for interval in copy.intervals[first:]:
        if interval.start >= end:
            break
        found.append(interval)
    return found
