"""Use cases: load hosts, find free slots, book, cancel, reschedule, list.

Each function is one unit of work: it opens ``uow``, does its checks and
changes inside the transaction (with the host's calendar locked for writes),
writes the notifications it causes to the outbox, and commits. Domain errors
from :mod:`core.errors` tell the caller what went wrong in user terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from core import availability
from core.errors import (
    BookingNotFound,
    BookingNotLive,
    EventTypeNotFound,
    HostNotFound,
    NotAllowed,
)
from core.models import (
    Booking,
    BookingStatus,
    EventType,
    Guest,
    Host,
    OutboxMessage,
    Slot,
    require_aware,
)
from core.ports import Clock, UnitOfWork

#: How far around a requested range to read bookings, so buffers of bookings
#: just outside the range are seen. Longer than any buffer we allow (24 h).
_MARGIN = timedelta(days=1, hours=1)


@dataclass(frozen=True)
class Actor:
    """Who asks for a change: a guest (by guest id) or a host (by host id)."""

    kind: Literal["guest", "host"]
    id: int


@dataclass(frozen=True)
class BookingView:
    """A booking with the names a message needs."""

    booking: Booking
    host: Host
    event_type: EventType
    guest: Guest


# --- hosts -------------------------------------------------------------------------------


def load_hosts(hosts: list[Host], *, uow: UnitOfWork) -> list[str]:
    """Create or update hosts and their event types (``slotbot load``); idempotent.

    Working hours and date overrides are replaced; event types are matched by
    slug and updated in place (so their bookings keep pointing at them); event
    types missing from the file are left as they are.

    Returns:
        The handles loaded, in file order.
    """
    with uow:
        for new in hosts:
            old = uow.hosts.get(new.handle)
            if old is None:
                uow.hosts.add(new)
                continue
            for name in ("name", "timezone", "email", "telegram_user_id", "slack_user_id",
                         "digest_time"):
                setattr(old, name, getattr(new, name))
            old.working_hours[:] = new.working_hours
            old.date_overrides[:] = new.date_overrides
            for event_type in new.event_types:
                current = old.event_type(event_type.slug)
                if current is None:
                    old.event_types.append(event_type)
                else:
                    for name, value in vars(event_type).items():
                        if name not in ("id", "host_id") and not name.startswith("_"):
                            setattr(current, name, value)
        uow.commit()
    return [h.handle for h in hosts]


def get_host(handle: str, *, uow: UnitOfWork) -> Host:
    """The host with this handle (case-insensitive).

    Raises:
        HostNotFound: if there is none.
    """
    with uow:
        return _host(uow, handle)


def list_hosts(*, uow: UnitOfWork) -> list[Host]:
    with uow:
        return uow.hosts.list()


# --- guests ------------------------------------------------------------------------------


def ensure_guest(
    platform: str,
    platform_user_id: str,
    *,
    uow: UnitOfWork,
    name: str | None = None,
    chat_id: str | None = None,
    email: str | None = None,
    timezone: str | None = None,
    locale: str | None = None,
) -> Guest:
    """Find or create the guest for a platform identity; fills in what is new.

    Values given here update the stored guest only where they are not None, so
    a timezone the guest told us is not overwritten by an unknown one.
    """
    with uow:
        guest = uow.guests.get(platform, platform_user_id)
        if guest is None:
            guest = Guest(platform=platform, platform_user_id=platform_user_id)
            uow.guests.add(guest)
        for field, value in (("name", name), ("chat_id", chat_id), ("email", email),
                             ("timezone", timezone), ("locale", locale)):
            if value is not None:
                setattr(guest, field, value)
        uow.commit()
        return guest


# --- availability ------------------------------------------------------------------------


def free_slots(
    handle: str,
    slug: str,
    start: datetime,
    end: datetime,
    *,
    uow: UnitOfWork,
    clock: Clock,
    duration: int | None = None,
) -> list[Slot]:
    """Free slots of an event type whose start lies in ``[start, end)``.

    Args:
        start, end: aware datetimes (any zone).
        duration: minutes, if the guest asked for another length than the default.

    Raises:
        HostNotFound, EventTypeNotFound.
    """
    require_aware(start, "start")
    require_aware(end, "end")
    with uow:
        host = _host(uow, handle)
        event_type = _event_type(host, slug)
        bookings = uow.bookings.overlapping(_id(host.id), start - _MARGIN, end + _MARGIN)
        return availability.free_slots(
            host, event_type, start=start, end=end, now=clock(), bookings=bookings,
            duration=duration,
        )


def check_slot(
    handle: str,
    slug: str,
    start: datetime,
    *,
    uow: UnitOfWork,
    clock: Clock,
    duration: int | None = None,
    ignore_booking_id: int | None = None,
) -> Slot:
    """The slot at ``start`` if it is bookable now (no lock: a proposal, not a hold).

    ``ignore_booking_id`` leaves one booking out, for proposing a reschedule.

    Raises:
        HostNotFound, EventTypeNotFound, TooSoon, OutsideBookingWindow,
        SlotUnavailable (each with the nearest free alternatives).
    """
    require_aware(start, "start")
    with uow:
        host = _host(uow, handle)
        return _check(uow, host, _event_type(host, slug), start, now=clock(),
                      duration=duration, ignore_id=ignore_booking_id)


# --- booking -----------------------------------------------------------------------------


def book(
    handle: str,
    slug: str,
    start: datetime,
    *,
    guest_id: int,
    uow: UnitOfWork,
    clock: Clock,
    duration: int | None = None,
) -> BookingView:
    """Book one seat of ``slug`` with host ``handle`` at ``start`` for the guest.

    The slot is checked again inside the transaction, with the host's calendar
    locked, so two guests racing for the last seat cannot both win. The booking
    is ``pending`` if the event type requires confirmation, else ``confirmed``.

    Args:
        start: aware datetime (any zone); stored in UTC.
        duration: minutes, default the event type's.

    Raises:
        HostNotFound, EventTypeNotFound, BookingNotFound (unknown guest),
        TooSoon, OutsideBookingWindow, SlotUnavailable (each with alternatives).
    """
    require_aware(start, "start")
    now = clock()
    with uow:
        host = _host(uow, handle)
        event_type = _event_type(host, slug)
        guest = uow.guests.get_by_id(guest_id)
        if guest is None:
            raise NotAllowed(f"unknown guest #{guest_id}")
        uow.hosts.lock(host)
        slot = _check(uow, host, event_type, start, now=now, duration=duration)
        booking = Booking(
            host_id=_id(host.id),
            event_type_id=_id(event_type.id),
            guest_id=guest_id,
            start=slot.start,
            end=slot.end,
            status=(BookingStatus.PENDING if event_type.requires_confirmation
                    else BookingStatus.CONFIRMED),
            created_at=now,
        )
        uow.bookings.add(booking)
        view = BookingView(booking, host, event_type, guest)
        _notify_host(uow, view, "booking_requested" if booking.status is BookingStatus.PENDING
                     else "booking_created", now)
        uow.commit()
        return view


def cancel(
    booking_id: int,
    *,
    actor: Actor,
    uow: UnitOfWork,
    clock: Clock,
    reason: str | None = None,
) -> BookingView:
    """Cancel a live booking; the other party is notified through the outbox.

    Raises:
        BookingNotFound: no such booking, or (for a guest) not theirs.
        NotAllowed: a host cancelling another host's booking.
        BookingNotLive: already cancelled, declined, completed or a no-show.
    """
    now = clock()
    with uow:
        view = _view(uow, booking_id, actor)
        uow.hosts.lock(view.host)
        _cancel(view.booking, now=now, reason=reason)
        _notify_other(uow, view, actor, "booking_cancelled", now)
        uow.commit()
        return view


def reschedule(
    booking_id: int,
    new_start: datetime,
    *,
    actor: Actor,
    uow: UnitOfWork,
    clock: Clock,
) -> BookingView:
    """Move a live booking: the old one is cancelled and linked from the new one.

    The new time may overlap the old booking's own time (moving by 15 minutes
    works); it is checked like a new booking, with the calendar locked.

    Returns:
        The new booking (``rescheduled_from_id`` is the old booking's id).

    Raises:
        BookingNotFound, NotAllowed, BookingNotLive, TooSoon,
        OutsideBookingWindow, SlotUnavailable.
    """
    require_aware(new_start, "new_start")
    now = clock()
    with uow:
        old = _view(uow, booking_id, actor)
        uow.hosts.lock(old.host)
        if not old.booking.is_live:
            raise BookingNotLive(old.booking.id, old.booking.status.value)
        minutes = int(old.booking.duration.total_seconds() // 60)
        slot = _check(uow, old.host, old.event_type, new_start, now=now, duration=minutes,
                      ignore_id=old.booking.id)
        status = old.booking.status
        _cancel(old.booking, now=now, reason="rescheduled")
        new = Booking(
            host_id=old.booking.host_id,
            event_type_id=old.booking.event_type_id,
            guest_id=old.booking.guest_id,
            start=slot.start,
            end=slot.end,
            status=status,
            created_at=now,
            rescheduled_from_id=old.booking.id,
        )
        uow.bookings.add(new)
        view = BookingView(new, old.host, old.event_type, old.guest)
        _notify_other(uow, view, actor, "booking_rescheduled", now,
                      previous_start=old.booking.start)
        uow.commit()
        return view


def guest_bookings(guest_id: int, *, uow: UnitOfWork, clock: Clock) -> list[BookingView]:
    """The guest's live bookings that have not ended yet, by start."""
    with uow:
        bookings = uow.bookings.for_guest(guest_id, ending_after=clock())
        return [_view_of(uow, b) for b in bookings]


def host_bookings(
    handle: str, start: datetime, end: datetime, *, uow: UnitOfWork
) -> list[BookingView]:
    """The host's live bookings overlapping ``[start, end)``, by start.

    Raises:
        HostNotFound.
    """
    with uow:
        host = _host(uow, handle)
        return [_view_of(uow, b) for b in uow.bookings.overlapping(_id(host.id), start, end)]


def list_bookings(
    *, uow: UnitOfWork, handle: str | None = None, status: BookingStatus | None = None
) -> list[BookingView]:
    """All bookings, optionally of one host and/or status, by start.

    Raises:
        HostNotFound: if ``handle`` names no host.
    """
    with uow:
        host_id = _host(uow, handle).id if handle else None
        return [_view_of(uow, b) for b in uow.bookings.list(host_id=host_id, status=status)]


# --- helpers -----------------------------------------------------------------------------


def _id(value: int | None) -> int:
    if value is None:  # only for objects not yet flushed: a programming error
        raise RuntimeError("object has no id yet")
    return value


def _host(uow: UnitOfWork, handle: str) -> Host:
    host = uow.hosts.get(handle.lower())
    if host is None:
        raise HostNotFound(handle)
    return host


def _event_type(host: Host, slug: str) -> EventType:
    event_type = host.event_type(slug)
    if event_type is None:
        raise EventTypeNotFound(host.handle, slug)
    return event_type


def _check(
    uow: UnitOfWork,
    host: Host,
    event_type: EventType,
    start: datetime,
    *,
    now: datetime,
    duration: int | None,
    ignore_id: int | None = None,
) -> Slot:
    horizon = timedelta(days=8)  # alternatives are searched up to a week away
    bookings = [
        b for b in uow.bookings.overlapping(_id(host.id), start - horizon, start + horizon)
        if b.id != ignore_id
    ]
    return availability.check_start(
        host, event_type, start, now=now, bookings=bookings, duration=duration
    )


def _cancel(booking: Booking, *, now: datetime, reason: str | None) -> None:
    if not booking.is_live:
        raise BookingNotLive(booking.id, booking.status.value)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancel_reason = reason


def _view_of(uow: UnitOfWork, booking: Booking) -> BookingView:
    host = uow.hosts.get_by_id(booking.host_id)
    guest = uow.guests.get_by_id(booking.guest_id)
    if host is None or guest is None:
        raise BookingNotFound(booking.id)
    event_type = next(e for e in host.event_types if e.id == booking.event_type_id)
    return BookingView(booking, host, event_type, guest)


def _view(uow: UnitOfWork, booking_id: int, actor: Actor) -> BookingView:
    booking = uow.bookings.get(booking_id)
    if booking is None or (actor.kind == "guest" and booking.guest_id != actor.id):
        raise BookingNotFound(booking_id)
    if actor.kind == "host" and booking.host_id != actor.id:
        raise NotAllowed(f"booking #{booking_id} is with another host")
    return _view_of(uow, booking)


def _payload(view: BookingView, **extra: object) -> dict[str, object]:
    booking = view.booking
    payload: dict[str, object] = {
        "booking_id": booking.id,
        "host": view.host.handle,
        "host_name": view.host.name,
        "host_timezone": view.host.timezone,
        "event_type": view.event_type.title,
        "guest_name": view.guest.name,
        "guest_timezone": view.guest.timezone,
        "start": booking.start.isoformat(),
        "end": booking.end.isoformat(),
        "status": booking.status.value,
        "reason": booking.cancel_reason,
    }
    payload.update({k: v.isoformat() if isinstance(v, datetime) else v for k, v in extra.items()})
    return payload


def _notify_host(uow: UnitOfWork, view: BookingView, kind: str, now: datetime,
                 **extra: object) -> None:
    host = view.host
    for channel, recipient in (("telegram", host.telegram_user_id),
                               ("slack", host.slack_user_id), ("email", host.email)):
        if recipient:
            payload = _payload(view, reader="host", **extra)
            uow.outbox.add(OutboxMessage(channel, recipient, kind, payload, created_at=now))


def _notify_guest(uow: UnitOfWork, view: BookingView, kind: str, now: datetime,
                  **extra: object) -> None:
    guest = view.guest
    if guest.chat_id:
        payload = _payload(view, reader="guest", **extra)
        uow.outbox.add(OutboxMessage(guest.platform, guest.chat_id, kind, payload, created_at=now))
    if guest.email:
        payload = _payload(view, reader="guest", **extra)
        uow.outbox.add(OutboxMessage("email", guest.email, kind, payload, created_at=now))


def _notify_other(uow: UnitOfWork, view: BookingView, actor: Actor, kind: str, now: datetime,
                  **extra: object) -> None:
    """Tell the party who did not make the change (the actor hears it in the reply)."""
    if actor.kind == "guest":
        _notify_host(uow, view, kind, now, **extra)
    else:
        _notify_guest(uow, view, kind, now, **extra)
