"""A host's numbers over a period: bookings made, cancellations, no-shows, hours booked.

Pure counting rules: :func:`summarize` (the daily digest's counts) and
:func:`measure` (``/slotbot stats``: rates, lead time, utilization, busiest
hours and bookings per day); :func:`host_stats` and :func:`host_report` are
the use cases that read the bookings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.availability import working_intervals
from core.errors import HostNotFound
from core.models import Booking, BookingStatus, Host, require_aware
from core.ports import Clock, UnitOfWork

#: The cancel reason of a booking replaced by a reschedule: not a cancellation.
RESCHEDULED = "rescheduled"


@dataclass(frozen=True)
class Stats:
    """Counts over ``[since, until)``; ``minutes_booked`` of meetings held or to come."""

    since: datetime
    until: datetime
    bookings: int
    cancellations: int
    no_shows: int
    minutes_booked: int


def _within(moment: datetime | None, since: datetime, until: datetime | None) -> bool:
    return moment is not None and since <= moment and (until is None or moment <= until)


def made_between(booking: Booking, since: datetime, until: datetime | None = None) -> bool:
    """Made in ``[since, until]`` as a new booking (a reschedule is not a new one)."""
    return _within(booking.created_at, since, until) and booking.rescheduled_from_id is None


def cancelled_between(booking: Booking, since: datetime, until: datetime | None = None) -> bool:
    """Cancelled in ``[since, until]``; being replaced by a reschedule does not count."""
    return (booking.status is BookingStatus.CANCELLED and booking.cancel_reason != RESCHEDULED
            and _within(booking.cancelled_at, since, until))


def summarize(bookings: Sequence[Booking], since: datetime, until: datetime) -> Stats:
    """Count what happened to ``bookings`` between ``since`` and ``until`` (aware).

    Bookings made and cancellations count by when they happened, up to and
    including ``until`` (usually now); no-shows and minutes booked by when the
    meeting starts, in ``[since, until)`` (confirmed, completed or no-show).
    """
    require_aware(since, "since")
    require_aware(until, "until")
    held = {BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW}
    in_period = [b for b in bookings if since <= b.start < until]
    return Stats(
        since=since,
        until=until,
        bookings=sum(made_between(b, since, until) for b in bookings),
        cancellations=sum(cancelled_between(b, since, until) for b in bookings),
        no_shows=sum(b.status is BookingStatus.NO_SHOW for b in in_period),
        minutes_booked=sum(int((b.end - b.start).total_seconds() // 60)
                           for b in in_period if b.status in held),
    )


def host_stats(handle: str, days: int, *, uow: UnitOfWork, clock: Clock) -> Stats:
    """The host's numbers over the last ``days`` days up to now.

    Raises:
        HostNotFound: if no host has that handle.
        ValueError: if ``days`` is not 1–366.
    """
    if not 1 <= days <= 366:
        raise ValueError(f"days must be 1–366, got {days}")
    now = clock()
    since = now - timedelta(days=days)
    with uow:
        host = uow.hosts.get(handle)
        if host is None or host.id is None:
            raise HostNotFound(handle)
        return summarize(uow.bookings.activity(host.id, since), since, now)


#: Statuses of a meeting that was (or is to be) held.
HELD = frozenset({BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW})
#: How many of the busiest hours a report names.
BUSIEST_SHOWN = 3
#: Longest period ``/slotbot stats`` reports on, in days.
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """What happened over a period from ``since`` to ``until`` (aware instants).

    Attributes:
        made, cancellations, reschedules: counted by when they happened, in
            ``(since, until]`` (so a booking made at the instant of the report
            counts, and periods side by side count it once); a reschedule is
            neither a new booking nor a cancellation.
        scheduled: meetings set to start in ``[since, until)`` (any status but
            replaced by a reschedule); ``held``: of those, confirmed or
            completed; ``no_shows``: marked no-show.
        lead_minutes: average minutes from booking to start of the bookings
            made in the period (None if none).
        booked_minutes: length of the held meetings and no-shows starting in
            the period; ``available_minutes``: the host's working time in it.
        per_day: local date (host zone) -> (bookings made, cancellations),
            one entry per day of the period.
        busiest_hours: (local hour, meetings starting then) for the busiest
            hours, most first (at most :data:`BUSIEST_SHOWN`).
    """

    since: datetime
    until: datetime
    made: int
    cancellations: int
    reschedules: int
    scheduled: int
    held: int
    no_shows: int
    lead_minutes: float | None
    booked_minutes: int
    available_minutes: int
    per_day: tuple[tuple[date, int, int], ...]
    busiest_hours: tuple[tuple[int, int], ...]

    @property
    def completion_rate(self) -> float | None:
        """Held ÷ scheduled meetings (0–1), None when none were scheduled."""
        return self.held / self.scheduled if self.scheduled else None

    @property
    def no_show_rate(self) -> float | None:
        """No-shows ÷ (held + no-shows) (0–1), None when none of them."""
        met = self.held + self.no_shows
        return self.no_shows / met if met else None

    @property
    def utilization(self) -> float | None:
        """Booked ÷ available minutes (may pass 1 with seats), None without working hours."""
        return self.booked_minutes / self.available_minutes if self.available_minutes else None


@dataclass(frozen=True)
class Report:
    """``/slotbot stats``: the last ``days`` days and the period of as many days before."""

    days: int
    timezone: str
    current: Period
    previous: Period


def measure(host: Host, bookings: Sequence[Booking], since: datetime, until: datetime) -> Period:
    """The numbers of one period, from the host's rules and bookings (pure).

    Args:
        host: for its zone and working hours (available time).
        bookings: the host's bookings made, cancelled or starting in the period
            (others are ignored).
        since, until: aware; see :class:`Period` for which instants count.
    """
    require_aware(since, "since")
    require_aware(until, "until")
    zone = host.zone
    made = [b for b in bookings if made_between(b, since, until) and b.created_at != since]
    cancelled = [b for b in bookings
                 if cancelled_between(b, since, until) and b.cancelled_at != since]
    starting = [b for b in bookings if since <= b.start < until
                and not (b.status is BookingStatus.CANCELLED and b.cancel_reason == RESCHEDULED)]
    held = [b for b in starting if b.status in HELD]
    leads = [(b.start - b.created_at).total_seconds() / 60 for b in made if b.created_at]
    hours = Counter(b.start.astimezone(zone).hour for b in held)
    available = sum((i.end - i.start for i in working_intervals(host, since, until)), timedelta())
    return Period(
        since=since,
        until=until,
        made=len(made),
        cancellations=len(cancelled),
        reschedules=sum(b.rescheduled_from_id is not None and b.created_at != since
                        and _within(b.created_at, since, until) for b in bookings),
        scheduled=len(starting),
        held=sum(b.status is not BookingStatus.NO_SHOW for b in held),
        no_shows=sum(b.status is BookingStatus.NO_SHOW for b in held),
        lead_minutes=sum(leads) / len(leads) if leads else None,
        booked_minutes=sum(int(b.duration.total_seconds() // 60) for b in held),
        available_minutes=int(available.total_seconds() // 60),
        per_day=per_day(made, cancelled, zone, since.astimezone(zone).date(),
                        until.astimezone(zone).date()),
        busiest_hours=tuple(sorted(hours.items(), key=lambda kv: (-kv[1], kv[0]))[:BUSIEST_SHOWN]),
    )


def per_day(made: Sequence[Booking], cancelled: Sequence[Booking], zone: ZoneInfo,
            first_day: date, last_day: date) -> tuple[tuple[date, int, int], ...]:
    """``(local date, bookings made, cancellations)`` for each day ``first_day``–``last_day``.

    Args:
        made: bookings counted on the local day of their ``created_at``;
            ``cancelled``: on the local day of their ``cancelled_at``. An instant on
            a day outside the range is not counted.
        zone: the host's zone, whose calendar days these are.
    """
    days = {first_day + timedelta(days=n): [0, 0] for n in range((last_day - first_day).days + 1)}

    def count(moment: datetime | None, column: int) -> None:
        counts = days.get(moment.astimezone(zone).date()) if moment is not None else None
        if counts is not None:
            counts[column] += 1

    for b in made:
        count(b.created_at, 0)
    for b in cancelled:
        count(b.cancelled_at, 1)
    return tuple((day, m, c) for day, (m, c) in days.items())


def host_report(handle: str, days: int, *, uow: UnitOfWork, clock: Clock) -> Report:
    """The host's report over the last ``days`` days up to now, and the period before.

    Raises:
        HostNotFound: if no host has that handle.
        ValueError: if ``days`` is not 1–:data:`MAX_DAYS`.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be 1–{MAX_DAYS}, got {days}")
    now = clock()
    length = timedelta(days=days)
    with uow:
        host = uow.hosts.get(handle)
        if host is None or host.id is None:
            raise HostNotFound(handle)
        bookings = uow.bookings.activity(host.id, now - 2 * length)
        return Report(days, host.timezone,
                      measure(host, bookings, now - length, now),
                      measure(host, bookings, now - 2 * length, now - length))

