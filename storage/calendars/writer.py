"""Bookings out: the outbox's ``calendar`` channel, delivered by the usual delivery loop.

A confirmed booking gets an event in the host's write calendar, a reschedule
moves the same event (one event per booking chain, with the UID of the email
invitation: :func:`mail.ics.uid`), a cancel deletes it. The remote event id
(Google event id / CalDAV href) and its ETag are kept in ``calendar_events``.
A calendar that is down makes the message wait (``RetryLater``, with backoff
and jitter), so it is written once the calendar is back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Protocol

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, selectinload

from core.errors import RetryLater
from core.models import (
    LIVE_STATUSES,
    Booking,
    BookingStatus,
    Calendar,
    EventType,
    Guest,
    Host,
    OutboxMessage,
)
from mail.ics import uid as invitation_uid
from storage.calendars.fetch import CalendarDown
from storage.calendars.source import CalendarHub
from storage.orm import calendar_events, hosts

#: Reschedules followed back to the chain's first booking (as bots.delivery does).
MAX_CHAIN = 100


@dataclass(frozen=True)
class BookingEvent:
    """What Slotbot writes for one booking (instants aware)."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str
    location: str | None
    organizer_email: str | None
    organizer_name: str
    attendee_email: str | None
    attendee_name: str | None
    booking_id: int


@dataclass(frozen=True)
class StoredEvent:
    """A ``calendar_events`` row: where the event of a booking lives."""

    booking_id: int
    calendar_id: int
    uid: str
    remote_id: str
    etag: str | None
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Change:
    """A booking event someone deleted or moved in the calendar (found by the two-way check)."""

    event: StoredEvent
    kind: str  # "deleted" or "moved"
    start: datetime | None = None
    end: datetime | None = None


class Writer(Protocol):
    """Writes booking events to one kind of calendar."""

    def put(self, calendar: Calendar, event: BookingEvent, existing: StoredEvent | None
            ) -> tuple[str, str | None]:
        """Create the event or update ``existing``; returns (remote id, ETag).

        Raises:
            CalendarDown, CalendarRefused.
        """
        ...

    def delete(self, calendar: Calendar, existing: StoredEvent) -> None:
        """Delete the event (already gone is fine).

        Raises:
            CalendarDown, CalendarRefused.
        """
        ...


class CalendarTransport:
    """Implements :class:`bots.delivery.MessageTransport` for the ``calendar`` channel.

    Args:
        hub: gives the writers (``hub.writers``), sessions and the retry backoff.
        domain: the right-hand side of event UIDs (the mail sender's domain,
            so the event and the email invitation are the same event).
    """

    def __init__(self, hub: CalendarHub, domain: str = "slotbot.invalid") -> None:
        self._hub = hub
        self._domain = domain
        self._rng = random.Random()

    @classmethod
    def for_sender(cls, hub: CalendarHub, mail_from: str | None) -> CalendarTransport:
        domain = parseaddr(mail_from or "")[1].rpartition("@")[2]
        return cls(hub, domain or "slotbot.invalid")

    def send_message(self, message: OutboxMessage) -> None:
        booking_id = message.payload.get("booking_id")
        if not isinstance(booking_id, int):
            return
        with self._hub.session_factory() as session:
            host = session.scalars(select(Host).where(hosts.c.handle == message.recipient)
                                   .options(selectinload(Host.calendars))).first()
            calendar = host.write_calendar if host else None
            writer = self._hub.writers.get(calendar.kind.value) if calendar else None
            if host is None or calendar is None or writer is None:
                return  # nowhere to write (calendar removed from the setup file)
            targets = _targets(session, booking_id, message.payload)
            try:
                for booking in targets:
                    self._sync(session, writer, host, calendar, booking)
                    session.commit()
                self._hub.settle()
            except CalendarDown as exc:
                session.commit()
                self._hub.settle()
                wait = self._hub.settings.backoff.delay(message.attempts + 1, exc.retry_after,
                                                        self._rng)
                raise RetryLater(str(exc), wait.total_seconds()) from None

    def _sync(self, session: Session, writer: Writer, host: Host, calendar: Calendar,
              booking: Booking) -> None:
        root = _chain_root(session, booking)
        uid = invitation_uid(root, self._domain)
        existing = _stored(session, uid)
        if booking.status is BookingStatus.CONFIRMED:
            event = _event(session, uid, host, booking)
            remote_id, etag = writer.put(calendar, event, existing)
            _save(session, StoredEvent(booking.id or 0, calendar.id or 0, uid, remote_id, etag,
                                       booking.start, booking.end), existing)
        elif existing is not None and (booking.status not in LIVE_STATUSES
                                       or booking.id != existing.booking_id):
            writer.delete(calendar, existing)
            session.execute(delete(calendar_events).where(calendar_events.c.uid == uid))


def stored_events(session: Session, calendar_id: int) -> list[StoredEvent]:
    """The booking events Slotbot keeps in one calendar."""
    rows = session.execute(select(calendar_events)
                           .where(calendar_events.c.calendar_id == calendar_id))
    return [StoredEvent(r.booking_id, r.calendar_id, r.uid, r.remote_id, r.etag, r.start, r.end)
            for r in rows]


def _targets(session: Session, booking_id: int, payload: dict[str, object]) -> list[Booking]:
    booking = session.get(Booking, booking_id)
    if booking is None:
        return []
    if booking.series_id is not None and payload.get("occurrences"):
        return list(session.scalars(select(Booking).where(
            Booking.series_id == booking.series_id).order_by(Booking.start)))  # type: ignore[arg-type]
    return [booking]


def _chain_root(session: Session, booking: Booking) -> int:
    root, seen = booking, {booking.id}
    while root.rescheduled_from_id and len(seen) < MAX_CHAIN:
        previous = session.get(Booking, root.rescheduled_from_id)
        if previous is None or previous.id in seen:
            break
        root = previous
        seen.add(previous.id)
    return root.id or 0


def _stored(session: Session, uid: str) -> StoredEvent | None:
    row = session.execute(select(calendar_events).where(calendar_events.c.uid == uid)).first()
    if row is None:
        return None
    return StoredEvent(row.booking_id, row.calendar_id, row.uid, row.remote_id, row.etag,
                       row.start, row.end)


def _save(session: Session, event: StoredEvent, existing: StoredEvent | None) -> None:
    values = {"booking_id": event.booking_id, "calendar_id": event.calendar_id,
              "uid": event.uid, "remote_id": event.remote_id, "etag": event.etag,
              "start": event.start, "end": event.end, "changed": None, "noticed_at": None}
    if existing is None:
        session.execute(insert(calendar_events).values(**values))
    else:
        session.execute(update(calendar_events).where(calendar_events.c.uid == event.uid)
                        .values(**values))


def _event(session: Session, uid: str, host: Host, booking: Booking) -> BookingEvent:
    event_type = session.get(EventType, booking.event_type_id)
    guest = session.get(Guest, booking.guest_id)
    guest_name = (guest.name if guest else None) or "guest"
    title = event_type.title if event_type else "Booking"
    description = f"{title} with {guest_name}, booked through Slotbot (booking #{booking.id})."
    return BookingEvent(
        uid=uid, start=booking.start, end=booking.end, summary=f"{title}: {guest_name}",
        description=description, location=event_type.location if event_type else None,
        organizer_email=host.email, organizer_name=host.name,
        attendee_email=guest.email if guest else None, attendee_name=guest_name,
        booking_id=booking.id or 0)
