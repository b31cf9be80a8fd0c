"""Recurring bookings as use cases: book a whole series atomically, cancel part of one.

A series is booked all or nothing: every occurrence is checked inside one
transaction with the host's calendar locked; if any clashes, nothing is
written and :class:`~core.errors.SeriesClash` lists each clashing start with
the free slots nearest to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from core.booking_rules import (
    cancel_booking,
    check_duration,
    check_free,
    check_guest_cap,
    find_event_type,
    find_host,
    locked_view,
)
from core.errors import (
    BookingConflict,
    BookingNotFound,
    BookingNotLive,
    NotAllowed,
    SeriesClash,
    SlotUnavailable,
    TooLateToChange,
)
from core.ids import stored_id
from core.models import Booking, BookingSeries, BookingStatus, EventType, Host, require_aware
from core.notifications import notify_host, notify_other
from core.ports import BusySource, Clock, UnitOfWork
from core.recurrence import occurrences
from core.views import Actor, BookingView

Scope = Literal["one", "following", "all"]


@dataclass(frozen=True)
class SeriesView:
    """A booked series and its occurrences (by start), with the names a message needs."""

    series: BookingSeries
    occurrences: list[BookingView]


def book_series(
    handle: str,
    slug: str,
    first_start: datetime,
    rule: str,
    *,
    guest_id: int,
    uow: UnitOfWork,
    clock: Clock,
    duration: int | None = None,
    busy_source: BusySource | None = None,
) -> SeriesView:
    """Book every occurrence of ``rule`` from ``first_start``, or none of them.

    Args:
        first_start: aware datetime; the first occurrence, whose local wall
            time in the host's zone every occurrence keeps.
        rule: an RFC 5545 RRULE body, e.g. ``FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6``
            (see :func:`core.recurrence.occurrences`).
        duration: minutes, one of the event type's allowed durations.

    Returns:
        The series and its bookings (each pending or confirmed like a single one).

    Raises:
        HostNotFound, EventTypeNotFound, NotAllowed (unknown guest; a paid event type),
        DurationNotAllowed, GuestLimitReached, InvalidRecurrence.
        SeriesClash: some occurrences are not free (nothing was booked).
    """
    require_aware(first_start, "first_start")
    now = clock()
    with uow:
        host = find_host(uow, handle)
        event_type = find_event_type(host, slug)
        guest = uow.guests.get_by_id(guest_id)
        if guest is None:
            raise NotAllowed(f"unknown guest #{guest_id}")
        check_duration(event_type, duration)
        if event_type.paid:
            raise NotAllowed("a paid event type is booked one occurrence at a time")
        starts = occurrences(rule, first_start, host.timezone)
        uow.hosts.lock(host)
        check_guest_cap(uow, host, guest_id, now)
        status = (BookingStatus.PENDING if event_type.requires_confirmation
                  else BookingStatus.CONFIRMED)
        planned = _plan(uow, host, event_type, starts, now=now, duration=duration,
                        guest_id=guest_id, status=status, busy_source=busy_source)
        series = BookingSeries(host_id=stored_id(host.id), event_type_id=stored_id(event_type.id),
                               guest_id=guest_id, rule=rule, first_start=starts[0],
                               created_at=now)
        uow.series.add(series)
        try:
            for booking in planned:
                booking.series_id = series.id
                uow.bookings.add(booking)
        except BookingConflict:
            uow.rollback()
            _plan(uow, host, event_type, starts, now=now, duration=duration,
                  guest_id=guest_id, status=status, busy_source=busy_source)
            raise SeriesClash([SlotUnavailable(b.start) for b in planned]) from None
        for booking in planned:  # each occurrence counts for the guest as a contact
            uow.contacts.record_booking(booking.host_id, guest_id, now)
        views = [BookingView(b, host, event_type, guest) for b in planned]
        kind = "booking_requested" if status is BookingStatus.PENDING else "booking_created"
        notify_host(uow, views[0], kind, now, rule=rule,
                     occurrences=[b.start.isoformat() for b in planned])
        uow.commit()
        return SeriesView(series, views)


def cancel_series(
    booking_id: int,
    scope: Scope,
    *,
    actor: Actor,
    uow: UnitOfWork,
    clock: Clock,
    reason: str | None = None,
) -> list[Booking]:
    """Cancel one occurrence, it and the following ones, or the whole series.

    Only live occurrences that have not started are cancelled. A guest cannot
    cancel occurrences inside the event type's ``cancel_notice``: with
    ``following``/``all`` those are kept and the rest cancelled.

    Args:
        booking_id: an occurrence of the series (for ``following``, the first
            one to cancel).
        scope: ``one``, ``following`` or ``all``.

    Returns:
        The cancelled bookings, by start. The other party hears it once
        (``booking_cancelled`` with every cancelled start in ``occurrences``).

    Raises:
        BookingNotFound, NotAllowed, BookingNotLive (nothing left to cancel),
        TooLateToChange (a guest, and every targeted occurrence is past the cutoff).
    """
    now = clock()
    with uow:
        view = locked_view(uow, booking_id, actor)
        booking = view.booking
        if booking.series_id is None:
            raise BookingNotFound(booking_id)
        if scope == "one":
            targets = [booking]
        else:
            everything = uow.bookings.of_series(booking.series_id)
            targets = [b for b in everything if b.is_live and b.start >= now and
                       (scope == "all" or b.start >= booking.start)]
        targets = [b for b in targets if b.is_live]
        if not targets:
            raise BookingNotLive(booking.id, booking.status.value)
        if actor.kind == "guest":
            notice = timedelta(minutes=view.event_type.cancel_notice)
            allowed = [b for b in targets if now < b.start - notice or not notice]
            if not allowed:
                raise TooLateToChange(targets[0].id, targets[0].start - notice)
            targets = allowed
        for target in targets:
            cancel_booking(target, now=now, reason=reason)
        first = BookingView(targets[0], view.host, view.event_type, view.guest)
        notify_other(uow, first, actor, "booking_cancelled", now,
                      occurrences=[b.start.isoformat() for b in targets])
        uow.commit()
        return targets


def _plan(
    uow: UnitOfWork,
    host: Host,
    event_type: EventType,
    starts: list[datetime],
    *,
    now: datetime,
    duration: int | None,
    guest_id: int,
    status: BookingStatus,
    busy_source: BusySource | None,
) -> list[Booking]:
    """Check every start (earlier occurrences count as taken); the bookings to add.

    Raises:
        SeriesClash: listing every start that is not free.
    """
    planned: list[Booking] = []
    clashes: list[SlotUnavailable] = []
    for start in starts:
        try:
            slot = check_free(uow, host, event_type, start, now=now, duration=duration,
                              busy_source=busy_source, extra=planned, guest_id=guest_id)
        except SlotUnavailable as exc:
            clashes.append(exc)
            continue
        planned.append(Booking(
            host_id=stored_id(host.id), event_type_id=stored_id(event_type.id), guest_id=guest_id,
            start=slot.start, end=slot.end, status=status, created_at=now,
            exclusive=event_type.seats == 1,
        ))
    if clashes:
        raise SeriesClash(clashes)
    return planned
