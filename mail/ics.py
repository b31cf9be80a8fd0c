"""Calendar invitations (RFC 5545 / iTIP RFC 5546) for booking notices.

One booking chain (a booking and the bookings that replaced it by
rescheduling) is one calendar event: its ``UID`` comes from the first booking
of the chain (``chain_id`` in the payload), so a reschedule updates the event
the reader already has instead of adding a second one. ``SEQUENCE`` grows with
every change of the chain: ``3 * chain_index + step``, where ``chain_index``
counts the reschedules before this booking and ``step`` is 0 for a new time,
1 for a confirmation and 2 for a cancellation.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar, Event, vCalAddress, vText

from core.models import require_aware

PRODID = "-//Slotbot//Slotbot//EN"

#: Notice kind -> (iTIP method, SEQUENCE step, event STATUS).
METHODS: Mapping[str, tuple[str, int, str]] = {
    "booking_created": ("REQUEST", 0, "CONFIRMED"),
    "booking_rescheduled": ("REQUEST", 0, "CONFIRMED"),
    "booking_confirmed": ("REQUEST", 1, "CONFIRMED"),
    "booking_paid": ("REQUEST", 0, "CONFIRMED"),
    "booking_cancelled": ("CANCEL", 2, "CANCELLED"),
    "booking_declined": ("CANCEL", 2, "CANCELLED"),
    "booking_expired": ("CANCEL", 2, "CANCELLED"),
}


def method(kind: str) -> str | None:
    """``REQUEST`` or ``CANCEL`` for a notice kind that carries an invitation, else None."""
    entry = METHODS.get(kind)
    return entry[0] if entry else None


def uid(chain_id: object, domain: str) -> str:
    """The event's UID: ``slotbot-booking-<first booking id>@<domain>``."""
    return f"slotbot-booking-{chain_id}@{domain}"


def invitation(
    kind: str,
    payload: Mapping[str, Any],
    *,
    stamp: datetime,
    organizer: str,
    attendee: str | None,
    domain: str,
    summary: str,
) -> bytes | None:
    """The iCalendar object of a booking notice, or None for kinds without one.

    Args:
        kind: the notice kind (see :data:`METHODS`).
        payload: the notice payload: ``booking_id``, ``start``/``end`` (ISO 8601
            with offset), ``host_name``, ``guest_name``, and optionally
            ``chain_id`` (default ``booking_id``) and ``chain_index`` (default 0).
        stamp: aware instant of the change (``DTSTAMP``).
        organizer: the host's address (``ORGANIZER``).
        attendee: the guest's address (``ATTENDEE``), or None if unknown.
        domain: the right-hand side of the UID (the sender's domain).
        summary: the event's title in the reader's language.

    Returns:
        CRLF-terminated iCalendar bytes (``VCALENDAR`` with one ``VEVENT``,
        times in UTC).
    """
    entry = METHODS.get(kind)
    if entry is None:
        return None
    itip_method, step, status = entry
    require_aware(stamp, "stamp")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", itip_method)
    event = Event()
    event.add("uid", uid(payload.get("chain_id") or payload["booking_id"], domain))
    event.add("sequence", 3 * int(payload.get("chain_index") or 0) + step)
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _utc(datetime.fromisoformat(str(payload["start"]))))
    event.add("dtend", _utc(datetime.fromisoformat(str(payload["end"]))))
    event.add("summary", summary)
    event.add("status", status)
    event.add("transp", "TRANSPARENT" if itip_method == "CANCEL" else "OPAQUE")
    host = vCalAddress(f"mailto:{organizer}")
    host.params["cn"] = vText(str(payload.get("host_name") or organizer))
    event.add("organizer", host)
    if attendee:
        guest = vCalAddress(f"mailto:{attendee}")
        guest.params["cn"] = vText(str(payload.get("guest_name") or attendee))
        guest.params["role"] = vText("REQ-PARTICIPANT")
        guest.params["partstat"] = vText("ACCEPTED")
        guest.params["rsvp"] = vText("FALSE")
        event.add("attendee", guest)
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
