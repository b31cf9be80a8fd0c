"""The calendar object Slotbot stores for a booking (CalDAV PUT): one VEVENT, no METHOD."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar as ICalendar
from icalendar import Event, vCalAddress, vText

from mail.ics import PRODID
from storage.calendars.writer import BookingEvent


def booking_ical(event: BookingEvent, *, stamp: datetime | None = None) -> bytes:
    """``VCALENDAR`` bytes with the booking's event (times in UTC, ``TRANSP:OPAQUE``).

    Args:
        stamp: aware ``DTSTAMP`` (default: the event's start, so output is stable).
    """
    calendar = ICalendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", (stamp or event.start).astimezone(UTC))
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    if event.organizer_email:
        organizer = vCalAddress(f"mailto:{event.organizer_email}")
        organizer.params["cn"] = vText(event.organizer_name)
        vevent.add("organizer", organizer)
    if event.attendee_email:
        attendee = vCalAddress(f"mailto:{event.attendee_email}")
        attendee.params["cn"] = vText(event.attendee_name or event.attendee_email)
        attendee.params["partstat"] = vText("ACCEPTED")
        vevent.add("attendee", attendee)
    calendar.add_component(vevent)
    data: bytes = calendar.to_ical()
    return data
