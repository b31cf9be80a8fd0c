"""Calendar data for the calendar tests: a host in Berlin and a feed that exercises the rules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

#: Sunday 1 March 2026, 12:00 UTC: "now" in the calendar tests.
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

FEED = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//feed//EN\r
BEGIN:VEVENT\r
UID:standup@example.com\r
DTSTAMP:20260201T000000Z\r
SUMMARY:Standup\r
DTSTART;TZID=Europe/Berlin:20260223T100000\r
DTEND;TZID=Europe/Berlin:20260223T110000\r
RRULE:FREQ=WEEKLY;BYDAY=MO\r
EXDATE;TZID=Europe/Berlin:20260309T100000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:standup@example.com\r
DTSTAMP:20260201T000000Z\r
SUMMARY:Standup (moved)\r
RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000\r
DTSTART;TZID=Europe/Berlin:20260316T140000\r
DTEND;TZID=Europe/Berlin:20260316T150000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:offsite@example.com\r
DTSTAMP:20260201T000000Z\r
SUMMARY:Offsite\r
DTSTART;VALUE=DATE:20260304\r
DTEND;VALUE=DATE:20260305\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:focus@example.com\r
DTSTAMP:20260201T000000Z\r
SUMMARY:Focus (free)\r
DTSTART:20260303T080000Z\r
DTEND:20260303T110000Z\r
TRANSP:TRANSPARENT\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:declined@example.com\r
DTSTAMP:20260201T000000Z\r
SUMMARY:Declined invite\r
DTSTART:20260305T080000Z\r
DTEND:20260305T090000Z\r
ATTENDEE;PARTSTAT=DECLINED:mailto:ana@example.com\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:slotbot-booking-5@example.com\r
DTSTAMP:20260201T000000Z\r
SUMMARY:Intro call (a Slotbot booking)\r
DTSTART:20260306T080000Z\r
DTEND:20260306T083000Z\r
END:VEVENT\r
END:VCALENDAR\r
"""


def host_setup(calendars: list[dict[str, Any]], handle: str = "ana") -> dict[str, Any]:
    """A setup file with one host (Berlin, Mon-Fri 09-12) and the given calendars."""
    return {"hosts": [{
        "handle": handle, "name": "Ana Lima", "email": f"{handle}@example.com",
        "timezone": "Europe/Berlin", "telegram_user_id": 1001,
        "working_hours": {"mon-fri": "09:00-12:00"},
        "event_types": [{"slug": "intro", "title": "Intro call", "duration": 60,
                         "booking_window": 30}],
        "calendars": calendars,
    }]}


class MovingClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
