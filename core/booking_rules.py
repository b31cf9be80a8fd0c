"""Checks and lookups shared by the booking use cases (:mod:`core.services`, :mod:`core.series`).

Each runs inside the caller's unit of work; the callers lock the host's
calendar before the checks that decide a write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from core import availability
from core.availability import booking_reach
from core.errors import (
    AlreadyBooked,
    BookingNotFound,
    BookingNotLive,
    DurationNotAllowed,
    EventTypeNotFound,
    GuestLimitReached,
    HostNotFound,
    NotAllowed,
    SlotUnavailable,
)
from core.ids import stored_id
from core.models import Booking, BookingStatus, EventType, Host, Interval, Slot
from core.ports import BusySource, UnitOfWork
from core.views import Actor, BookingView


def busy_times(
    uow: UnitOfWork, host: Host, start: datetime, end: datetime,
    busy_source: BusySource | None = None,
) -> list[Interval]:
    """Time taken outside Slotbot in ``[start, end)``: from ``busy_source`` if given,
    else from the unit of work's own source (the host's connected calendars).

    Raises:
        CalendarUnavailable: the host's calendar cannot be checked and what is
            known of it is too old to offer or book any time.
    """
    source = busy_source or uow.busy
    return source.busy(host, start, end) if source is not None else []


def find_host(uow: UnitOfWork, handle: str, *, read_only: bool = False) -> Host:
    """The host with this handle (case-insensitive).

    Args:
        read_only: the caller only reads the host's rules (never changes the
            host): a shared copy will do (:meth:`core.ports.HostRepository.read`).

    Raises:
        HostNotFound.
    """
    hosts = uow.hosts
    host = (hosts.read if read_only else hosts.get)(handle.lower())
    if host is None:
        raise HostNotFound(handle)
    return host


def find_event_type(host: Host, slug: str) -> EventType:
    """The host's event type ``slug``.

    Raises:
        EventTypeNotFound.
    """
    event_type = host.event_type(slug)
    if event_type is None:
        raise EventTypeNotFound(host.handle, slug)
    return event_type


def check_free(
    uow: UnitOfWork,
    host: Host,
    event_type: EventType,
    start: datetime,
    *,
    now: datetime,
    duration: int | None,
    ignore_id: int | None = None,
    busy_source: BusySource | None = None,
    extra: Sequence[Booking] = (),
    guest_id: int | None = None,
) -> Slot:
    """The free slot at ``start``; ``extra`` bookings count as taken too (a series' own).

    Reads only the bookings near ``start`` to decide; the wider span that
    alternatives need is read only when the start is refused.

    Raises:
        AlreadyBooked: ``guest_id`` already holds a seat of this event type at
            ``start`` (a guest takes one seat of a slot, never two).
        SlotUnavailable (or TooSoon, OutsideBookingWindow): with alternatives.
    """

    def check(reach: timedelta, alternatives: int) -> Slot:
        bookings = [
            b for b in uow.bookings.overlapping(stored_id(host.id), start - reach, start + reach)
            if b.id != ignore_id
        ]
        held = next((b for b in bookings if guest_id is not None and b.guest_id == guest_id
                     and b.event_type_id == event_type.id and b.start == start), None)
        if held is not None:
            raise AlreadyBooked(start, held.id)
        busy = busy_times(uow, host, start - reach, start + reach, busy_source)
        return availability.check_start(
            host, event_type, start, now=now, bookings=[*bookings, *extra], busy=busy,
            duration=duration, alternatives=alternatives,
        )

    try:
        return check(_near(host, event_type, duration), 0)
    except AlreadyBooked:
        raise
    except SlotUnavailable:
        return check(availability.ALTERNATIVES_HORIZON + booking_reach(event_type), 3)


def check_duration(event_type: EventType, duration: int | None) -> None:
    """Raises DurationNotAllowed unless ``duration`` (minutes) is one the event type offers."""
    if duration is not None and duration not in event_type.durations:
        raise DurationNotAllowed(duration, event_type.durations)


def _near(host: Host, event_type: EventType, duration: int | None) -> timedelta:
    """How far around one start bookings can matter to it: its length and every buffer,
    or the whole day or week when the event type has booking limits."""
    if any(limit is not None for limit in (event_type.max_per_day, event_type.max_per_week,
                                           event_type.max_minutes_per_day,
                                           event_type.max_minutes_per_week)):
        return booking_reach(event_type)
    longest_buffer = max((max(e.buffer_before, e.buffer_after) for e in host.event_types),
                         default=0)
    minutes = (duration or max(event_type.durations)) + longest_buffer + max(
        event_type.buffer_before, event_type.buffer_after)
    return timedelta(minutes=minutes + 1)


def check_guest_cap(uow: UnitOfWork, host: Host, guest_id: int, now: datetime) -> None:
    """Raises GuestLimitReached if the guest already holds the host's per-guest cap."""
    cap = host.max_active_per_guest
    if cap is None:
        return
    active = [b for b in uow.bookings.for_guest(guest_id, ending_after=now)
              if b.host_id == host.id]
    if len(active) >= cap:
        raise GuestLimitReached(cap)


def locked_view(uow: UnitOfWork, booking_id: int, actor: Actor) -> BookingView:
    """The actor's booking, re-read after locking its host's calendar (one winner per change)."""
    view = owned_view(uow, booking_id, actor)
    uow.hosts.lock(view.host)
    booking = uow.bookings.get_for_update(booking_id)
    if booking is None:
        raise BookingNotFound(booking_id)
    return BookingView(booking, view.host, view.event_type, view.guest)


def cancel_booking(booking: Booking, *, now: datetime, reason: str | None) -> None:
    """Mark a live booking cancelled at ``now``.

    Raises:
        BookingNotLive: if it is not pending or confirmed.
    """
    if not booking.is_live:
        raise BookingNotLive(booking.id, booking.status.value)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancel_reason = reason


def view_of(uow: UnitOfWork, booking: Booking) -> BookingView:
    """The booking with its host, event type and guest.

    Raises:
        BookingNotFound: if its host or guest is gone.
    """
    host = uow.hosts.get_by_id(booking.host_id)
    guest = uow.guests.get_by_id(booking.guest_id)
    if host is None or guest is None:
        raise BookingNotFound(booking.id)
    event_type = next(e for e in host.event_types if e.id == booking.event_type_id)
    return BookingView(booking, host, event_type, guest)


def owned_view(uow: UnitOfWork, booking_id: int, actor: Actor) -> BookingView:
    """The actor's own booking: a guest's, or one with the host.

    Raises:
        BookingNotFound: no such booking, or not the guest's.
        NotAllowed: a host asking for another host's booking.
    """
    booking = uow.bookings.get(booking_id)
    if booking is None or (actor.kind == "guest" and booking.guest_id != actor.id):
        raise BookingNotFound(booking_id)
    if actor.kind == "host" and booking.host_id != actor.id:
        raise NotAllowed(f"booking #{booking_id} is with another host")
    return view_of(uow, booking)
