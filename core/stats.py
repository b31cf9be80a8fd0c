"""A host's numbers over a period: bookings made, cancellations, no-shows, hours booked, money.

Pure counting rules: :func:`summarize` (the daily digest's counts),
:func:`measure` (``/slotbot stats``: rates, lead time, utilization, busiest
hours and bookings per day) and :func:`revenue` (money received and given back,
per currency and per event type); :func:`host_stats` and :func:`host_report`
are the use cases that read the bookings and payments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.availability import working_intervals
from core.errors import HostNotFound
from core.models import (
    Booking,
    BookingStatus,
    Host,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    require_aware,
)
from core.payments import CHECKOUT_FAILED_REASON, HOLD_EXPIRED_REASON
from core.ports import Clock, UnitOfWork

#: The cancel reason of a booking replaced by a reschedule: not a cancellation.
RESCHEDULED = "rescheduled"
#: Cancel reasons of a hold let go unpaid (:mod:`core.payments`): not a cancellation.
UNPAID_REASONS = frozenset({HOLD_EXPIRED_REASON, CHECKOUT_FAILED_REASON})


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


def unpaid_hold(booking: Booking) -> bool:
    """A paid booking that was never paid: still held, or let go unpaid. It is neither
    made nor cancelled, and no meeting (it counts once its money is in)."""
    return booking.status is BookingStatus.AWAITING_PAYMENT or (
        booking.status is BookingStatus.CANCELLED and booking.cancel_reason in UNPAID_REASONS)


def made_between(booking: Booking, since: datetime, until: datetime | None = None) -> bool:
    """Made in ``[since, until]`` as a new booking (a reschedule is not a new one, nor
    an unpaid hold)."""
    return (_within(booking.created_at, since, until) and booking.rescheduled_from_id is None
            and not unpaid_hold(booking))


def cancelled_between(booking: Booking, since: datetime, until: datetime | None = None) -> bool:
    """Cancelled in ``[since, until]``; being replaced by a reschedule does not count, nor
    a hold let go unpaid."""
    return (booking.status is BookingStatus.CANCELLED and booking.cancel_reason != RESCHEDULED
            and not unpaid_hold(booking) and _within(booking.cancelled_at, since, until))


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
class Money:
    """Money of one currency over a period, in its minor unit (cents).

    Attributes:
        paid: received (payments paid in the period, refunded later or not).
        refunded: given back in the period (refunds recorded, manual ones
            included, failed ones not), whenever the payment was.
        payments: how many payments were received.
    """

    currency: str
    paid: int = 0
    refunded: int = 0
    payments: int = 0

    @property
    def net(self) -> int:
        """Received minus given back (negative when refunds outweigh new money)."""
        return self.paid - self.refunded


@dataclass(frozen=True)
class Revenue:
    """Money over a period: ``total`` per currency, and per event type (title → per
    currency), both in currency order; empty when nothing was paid or refunded."""

    total: tuple[Money, ...] = ()
    by_event_type: tuple[tuple[str, tuple[Money, ...]], ...] = ()


def revenue(payments: Sequence[Payment], refunds: Sequence[Refund], *,
            titles: Mapping[int, str], since: datetime, until: datetime) -> Revenue:
    """Money received and given back in ``(since, until]`` (pure).

    Args:
        payments: the host's payments, and those the ``refunds`` give back (for
            their event type); counted by ``paid_at`` when paid or refunded since.
        refunds: the host's refunds; counted by ``created_at`` unless failed.
        titles: event type id → title, for the per-type lines ("?" if unknown).
        since, until: aware.

    Returns:
        Per currency and per event type, in currency and title order.
    """
    require_aware(since, "since")
    require_aware(until, "until")
    known = {p.id: p for p in payments if p.id is not None}
    sums: dict[tuple[str | None, str], list[int]] = {}

    def add(event_type_id: int | None, currency: str, paid: int, back: int) -> None:
        title = titles.get(event_type_id, "?") if event_type_id is not None else "?"
        for key in ((None, currency), (title, currency)):
            entry = sums.setdefault(key, [0, 0, 0])
            entry[0] += paid
            entry[1] += back
            entry[2] += 1 if paid else 0

    for p in payments:
        if p.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED) and \
                _within(p.paid_at, since, until) and p.paid_at != since:
            add(p.event_type_id, p.currency, p.amount, 0)
    for r in refunds:
        if r.status is not RefundStatus.FAILED and _within(r.created_at, since, until) \
                and r.created_at != since:
            payment = known.get(r.payment_id)
            add(payment.event_type_id if payment else None, r.currency, 0, r.amount)

    def money(title: str | None) -> tuple[Money, ...]:
        return tuple(Money(currency, *sums[(t, currency)]) for t, currency in sorted(
            (k for k in sums if k[0] == title), key=lambda k: k[1]))

    types = sorted({t for t, _ in sums if t is not None})
    return Revenue(money(None), tuple((t, money(t)) for t in types))


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
        revenue: money received and refunded in the period (:func:`revenue`).
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
    revenue: Revenue = field(default_factory=Revenue)

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
    """``/slotbot stats``: the last ``days`` days and the period of as many days before.

    ``currency``: of the host's paid event types (the first one's), to say "nothing"
    in for a period without money; None when the host has no paid event type.
    """

    days: int
    timezone: str
    current: Period
    previous: Period
    currency: str | None = None

    @property
    def takes_payments(self) -> bool:
        """Whether there is revenue to show: a paid event type, or money in either period."""
        return bool(self.currency or self.current.revenue.total or self.previous.revenue.total)


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
    starting = [b for b in bookings if since <= b.start < until and not unpaid_hold(b)
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
        start = now - 2 * length
        bookings = uow.bookings.activity(host.id, start)
        paid, given_back = _money_since(uow, host, start)
        titles = {e.id: e.title for e in host.event_types if e.id is not None}

        def period(since: datetime, until: datetime) -> Period:
            return replace(measure(host, bookings, since, until), revenue=revenue(
                paid, given_back, titles=titles, since=since, until=until))

        current, previous = period(now - length, now), period(start, now - length)
        currency = next((e.currency for e in host.event_types if e.paid), None)
        return Report(days, host.timezone, current, previous, currency)


#: How long before a period a payment may have been opened and still be paid in it
#: (a hold is at most a day: ``payment_window`` ≤ 1440 minutes).
OPENED_BEFORE = timedelta(days=1)


def _money_since(uow: UnitOfWork, host: Host, since: datetime
                 ) -> tuple[list[Payment], list[Refund]]:
    """The host's payments that may have been paid since ``since`` and its refunds made
    since then, plus the older payments those refunds give back (for :func:`revenue`)."""
    assert host.id is not None
    found = uow.payments.list(host_id=host.id, since=since - OPENED_BEFORE)
    given_back = uow.payments.refunds(host_id=host.id, since=since)
    known = {p.id for p in found}
    older = [uow.payments.get(r.payment_id) for r in given_back if r.payment_id not in known]
    return found + [p for p in older if p is not None], given_back

