"""What every kind of calendar client has in common: results, errors, retry timing."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from core.models import Calendar, Host, Interval


@dataclass(frozen=True)
class Fetched:
    """One fetch of a calendar's busy time.

    Attributes:
        intervals: merged busy intervals (UTC) of the window asked; None when
            the server said nothing changed since ``validator`` (HTTP 304).
        validator: what to send next time for a conditional fetch (ETag,
            Last-Modified or ctag), if the server gave one.
    """

    intervals: list[Interval] | None
    validator: str | None = None


class CalendarDown(Exception):
    """The calendar did not answer usefully: timeout, 5xx, 429 or garbage.

    ``retry_after`` is the server's requested delay in seconds, if it gave one.
    The message never contains a secret.
    """

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class CalendarRefused(CalendarDown):
    """The calendar refused our credentials (wrong password, revoked Google grant)."""


class CalendarDisconnected(CalendarRefused):
    """The host revoked Slotbot's access (Google ``invalid_grant``).

    Unlike an outage this does not stop bookings: availability goes on from
    Slotbot's own data (and the last busy time fetched) until the host reconnects.
    """


class Fetcher(Protocol):
    """Reads one kind of calendar (``google``, ``caldav``, ``ics``)."""

    def fetch(self, calendar: Calendar, host: Host, start: datetime, end: datetime,
              validator: str | None) -> Fetched:
        """The busy intervals of ``calendar`` overlapping ``[start, end)``.

        Args:
            validator: from the last successful fetch of the same window, for a
                conditional request; None to fetch unconditionally.

        Raises:
            CalendarDown, CalendarRefused.
        """
        ...


@dataclass(frozen=True)
class Backoff:
    """When to try a failing calendar again: doubling from ``base`` up to ``cap``,
    times a random factor in ``[1 - jitter, 1 + jitter]`` so hosts do not retry in step."""

    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(minutes=15)
    jitter: float = 0.5

    def delay(self, failures: int, retry_after: float | None, rng: random.Random) -> timedelta:
        """The wait after ``failures`` failures in a row (at least the server's ``retry_after``)."""
        delay = min(self.base * (2 ** max(failures - 1, 0)), self.cap)
        delay *= rng.uniform(1 - self.jitter, 1 + self.jitter)
        return max(delay, timedelta(seconds=retry_after or 0))

    def next_try(self, now: datetime, failures: int, retry_after: float | None,
                 rng: random.Random) -> datetime:
        return now + self.delay(failures, retry_after, rng)
