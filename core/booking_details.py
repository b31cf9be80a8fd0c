"""What a host reads about bookings and contacts: filtered lists, one booking, one contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.booking_rules import find_host, view_of
from core.errors import BookingNotFound
from core.ids import stored_id
from core.models import Booking, BookingStatus, Contact, ContactNote, Guest, require_aware
from core.ports import UnitOfWork
from core.stats import RESCHEDULED
from core.views import BookingView


@dataclass(frozen=True)
class ContactDetail:
    """A contact with their bookings (any status but replaced by a reschedule, by start) and
    the host's notes (oldest first)."""

    contact: Contact
    guest: Guest
    bookings: list[BookingView]
    notes: list[ContactNote]

    @property
    def no_shows(self) -> int:
        return sum(v.booking.status is BookingStatus.NO_SHOW for v in self.bookings)


@dataclass(frozen=True)
class BookingDetail:
    """One booking, the bookings it replaced (newest first) and its guest as a contact."""

    view: BookingView
    moved_from: list[Booking]
    contact: ContactDetail | None


def bookings_between(
    handle: str, start: datetime, end: datetime, *, uow: UnitOfWork,
    slug: str | None = None, status: BookingStatus | None = None,
) -> list[BookingView]:
    """The host's bookings starting in ``[start, end)`` (aware), by start.

    Bookings replaced by a reschedule are left out unless ``status`` asks for
    cancelled ones.

    Args:
        slug: only this event type; ``status``: only this status.

    Raises:
        HostNotFound.
    """
    require_aware(start, "start")
    require_aware(end, "end")
    with uow:
        host = find_host(uow, handle)
        type_ids = {e.id for e in host.event_types if slug is None or e.slug == slug}
        found = [b for b in uow.bookings.starting(stored_id(host.id), start, end)
                 if b.event_type_id in type_ids
                 and (b.status is status if status else b.cancel_reason != RESCHEDULED)]
        return [view_of(uow, b) for b in found]


def booking_detail(handle: str, booking_id: int, *, uow: UnitOfWork) -> BookingDetail:
    """One of the host's bookings with its history and contact.

    Raises:
        HostNotFound; BookingNotFound if the booking is not the host's.
    """
    with uow:
        host = find_host(uow, handle)
        booking = uow.bookings.get(booking_id)
        if booking is None or booking.host_id != host.id:
            raise BookingNotFound(booking_id)
        view = view_of(uow, booking)
        moved_from: list[Booking] = []
        previous = booking.rescheduled_from_id
        while previous is not None and len(moved_from) < 100:
            older = uow.bookings.get(previous)
            if older is None:
                break
            moved_from.append(older)
            previous = older.rescheduled_from_id
        return BookingDetail(view, moved_from, _contact(uow, stored_id(host.id), view.guest))


def find_contacts(handle: str, name: str, *, uow: UnitOfWork) -> list[ContactDetail]:
    """The host's contacts whose name or email contains ``name``; one exact match wins.

    Raises:
        HostNotFound.
    """
    with uow:
        host = find_host(uow, handle)
        found = uow.contacts.search(stored_id(host.id), name)
        exact = [(c, g) for c, g in found
                 if name.lower() in ((g.name or "").lower(), (g.email or "").lower())]
        return [d for c, g in (exact or found)
                if (d := _contact(uow, stored_id(host.id), g, c)) is not None]


def add_note(handle: str, guest_id: int, text: str, *, uow: UnitOfWork,
             now: datetime) -> ContactNote:
    """Keep the host's note about a contact.

    Raises:
        HostNotFound; ValueError if ``text`` is empty.
    """
    require_aware(now, "now")
    if not text.strip():
        raise ValueError("the note is empty")
    with uow:
        host = find_host(uow, handle)
        note = ContactNote(stored_id(host.id), guest_id, text.strip()[:2000], now)
        uow.contacts.add_note(note)
        uow.commit()
        return note


def _contact(uow: UnitOfWork, host_id: int, guest: Guest,
             contact: Contact | None = None) -> ContactDetail | None:
    if contact is None:
        contact = next((c for c, g in uow.contacts.search(host_id, None) if g.id == guest.id),
                       None)
        if contact is None:
            return None
    bookings = [view_of(uow, b) for b in uow.bookings.of_contact(host_id, stored_id(guest.id))
                if b.cancel_reason != RESCHEDULED]  # a moved booking shows as its new one
    return ContactDetail(contact, guest, bookings, uow.contacts.notes(host_id, stored_id(guest.id)))
