"""A host's numbers over a period: bookings made, cancellations, no-shows, hours booked.

Pure counting rules (:func:`summarize`) shared by the daily digest and
``/slotbot stats``; :func:`host_stats` is the use case that reads the bookings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.errors import HostNotFound
from core.models import Booking, BookingStatus, require_aware
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
