"""Notifications a booking change causes, written to the outbox in its transaction.

DESIGN section 1: nothing is sent from inside a request; each change adds
outbox rows (channel, recipient, kind, payload) that a sender delivers later.
The payload carries facts (ISO UTC instants, names, zones), never rendered
text: the sender renders it for the reader, in the reader's zone and language.
"""

from __future__ import annotations

from datetime import datetime

from core.models import OutboxMessage
from core.ports import UnitOfWork
from core.views import Actor, BookingView

#: The outbox channel of calendar writes; its recipient is the host's handle.
CALENDAR_CHANNEL = "calendar"
#: Notice kinds that change the booking's event in the host's calendar: a
#: confirmed booking gets an event, a reschedule moves it, a cancel deletes it
#: (pending requests get none until they are confirmed).
CALENDAR_KINDS = frozenset({"booking_created", "booking_confirmed", "booking_rescheduled",
                            "booking_cancelled"})


def payload(view: BookingView, **extra: object) -> dict[str, object]:
    """The facts of ``view`` for a notice, plus ``extra`` (datetimes as ISO strings)."""
    booking = view.booking
    payload: dict[str, object] = {
        "booking_id": booking.id,
        "host": view.host.handle,
        "host_name": view.host.name,
        "host_timezone": view.host.timezone,
        "host_locale": view.host.locale,
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


def notify_host(uow: UnitOfWork, view: BookingView, kind: str, now: datetime,
                **extra: object) -> None:
    """Queue ``kind`` to each of the host's channels, in one statement."""
    host = view.host
    _queue(uow, view, kind, now, "host", (("telegram", host.telegram_user_id),
                                          ("slack", host.slack_user_id), ("email", host.email)),
           **extra)


def notify_guest(uow: UnitOfWork, view: BookingView, kind: str, now: datetime,
                 **extra: object) -> None:
    """Queue ``kind`` to the guest's chat and email, in one statement."""
    guest = view.guest
    _queue(uow, view, kind, now, "guest", ((guest.platform, guest.chat_id),
                                           ("email", guest.email)), **extra)


def _queue(uow: UnitOfWork, view: BookingView, kind: str, now: datetime, reader: str,
           channels: tuple[tuple[str, str | None], ...], **extra: object) -> None:
    """One outbox row per (channel, recipient) that has a recipient, plus the
    host's calendar write (:data:`CALENDAR_KINDS`) when a calendar receives bookings."""
    messages = [
        OutboxMessage(channel, recipient, kind, payload(view, reader=reader, **extra),
                      created_at=now)
        for channel, recipient in channels if recipient
    ]
    if kind in CALENDAR_KINDS and view.host.write_calendar is not None:
        messages.append(OutboxMessage(CALENDAR_CHANNEL, view.host.handle, kind,
                                      payload(view, reader="calendar", **extra), created_at=now))
    uow.outbox.add_many(messages)


def email_guest(uow: UnitOfWork, view: BookingView, kind: str, now: datetime,
                 **extra: object) -> None:
    """Queue ``kind`` to the guest's email only, as a change the guest made (``actor: guest``).

    The guest read the chat reply already; the email carries the calendar
    invitation. A guest without an address gets nothing.
    """
    if view.guest.email:
        uow.outbox.add(OutboxMessage("email", view.guest.email, kind,
                                     payload(view, reader="guest", actor="guest", **extra),
                                     created_at=now))


def notify_other(uow: UnitOfWork, view: BookingView, actor: Actor, kind: str, now: datetime,
                  **extra: object) -> None:
    """Tell the party who did not make the change (the actor hears it in the reply)."""
    if actor.kind == "guest":
        notify_host(uow, view, kind, now, **extra)
    else:
        notify_guest(uow, view, kind, now, **extra)
