"""iCalendar events → busy intervals (ICS feeds and CalDAV share this).

Recurring events are expanded by ``recurring-ical-events`` (RRULE, RDATE,
EXDATE and moved occurrences by RECURRENCE-ID). What blocks time:

* an event that is not ``TRANSP:TRANSPARENT`` and not ``STATUS:CANCELLED``;
* not an invitation the host declined (an ``ATTENDEE`` with the host's address
  and ``PARTSTAT=DECLINED``);
* not an event of a Slotbot booking (UID ``slotbot-booking-…``, see
  :func:`mail.ics.uid`): the booking itself already holds its time;
* an all-day event (``DTSTART;VALUE=DATE``) blocks its days, midnight to
  midnight in the host's zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar as ICalendar
from icalendar import Component

from core.models import Interval

#: The UID prefix of the events Slotbot writes for its bookings (mail.ics.uid).
OWN_UID_PREFIX = "slotbot-booking-"


class BadCalendarData(ValueError):
    """The calendar answered with something that is not iCalendar."""


def parse(data: bytes | str) -> ICalendar:
    """Decode one ``VCALENDAR`` object.

    Raises:
        BadCalendarData: if it is not iCalendar.
    """
    try:
        calendar = ICalendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise BadCalendarData(f"not iCalendar data: {exc}") from None
    if not isinstance(calendar, ICalendar):
        raise BadCalendarData("not a VCALENDAR object")
    return calendar


def busy_intervals(
    calendars: Iterable[ICalendar],
    start: datetime,
    end: datetime,
    *,
    zone: str,
    host_email: str | None,
) -> list[Interval]:
    """The merged busy intervals of ``calendars`` that overlap ``[start, end)``.

    Args:
        calendars: decoded ``VCALENDAR`` objects (a feed, or CalDAV resources).
        start, end: aware datetimes.
        zone: the host's IANA zone (all-day events and floating times).
        host_email: the host's address, to spot invitations they declined.

    Returns:
        Sorted, non-overlapping UTC intervals.

    Raises:
        BadCalendarData: an event whose recurrence cannot be expanded.
    """
    tz = ZoneInfo(zone)
    spans: list[tuple[datetime, datetime]] = []
    for calendar in calendars:
        single, series = _split(calendar)
        try:
            occurrences = (recurring_ical_events.of(series).between(start, end)
                           if series is not None else [])
        except (ValueError, TypeError, recurring_ical_events.InvalidCalendar) as exc:
            raise BadCalendarData(f"cannot expand the events: {exc}") from None
        for event in [*single, *occurrences]:
            if not _blocks(event, host_email):
                continue
            span = _span(event, tz)
            if span is not None and span[0] < end and start < span[1]:
                spans.append(span)
    return merge(spans)


def _split(calendar: ICalendar) -> tuple[list[Component], ICalendar | None]:
    """The one-off events, and a calendar of the recurring series (with their
    moved occurrences and the time zones) for ``recurring-ical-events``.

    A one-off event needs no expansion; leaving those out makes a large feed's
    expansion several times faster.
    """
    events = calendar.walk("VEVENT")
    recurring = {str(e.get("UID")) for e in events
                 if "RRULE" in e or "RDATE" in e or "RECURRENCE-ID" in e}
    single = [e for e in events if str(e.get("UID")) not in recurring]
    if not recurring:
        return single, None
    series = ICalendar()
    for component in calendar.subcomponents:
        if component.name == "VTIMEZONE" or (component.name == "VEVENT"
                                             and str(component.get("UID")) in recurring):
            series.add_component(component)
    return single, series


def merge(spans: Iterable[tuple[datetime, datetime]]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering ``spans`` (touching ones joined)."""
    merged: list[list[datetime]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [Interval(lo, hi) for lo, hi in merged]


def _blocks(event: Component, host_email: str | None) -> bool:
    if str(event.get("UID", "")).startswith(OWN_UID_PREFIX):
        return False
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return False
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    return not (host_email and _declined(event, host_email.lower()))


def _declined(event: Component, email: str) -> bool:
    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    for attendee in attendees:
        address = str(attendee).lower().removeprefix("mailto:")
        partstat = str(getattr(attendee, "params", {}).get("PARTSTAT", "")).upper()
        if address == email and partstat == "DECLINED":
            return True
    return False


def _span(event: Component, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
    start_prop = event.get("DTSTART")
    if start_prop is None:
        return None
    start = start_prop.dt
    end_prop, duration = event.get("DTEND"), event.get("DURATION")
    if end_prop is not None:
        end = end_prop.dt
    elif duration is not None:
        end = start + duration.dt
    else:  # RFC 5545 3.6.1: a date lasts one day, a date-time no time
        end = start + timedelta(days=1) if not isinstance(start, datetime) else start
    lo, hi = _instant(start, tz), _instant(end, tz)
    return (lo, hi) if lo < hi else None


def _instant(value: date | datetime, tz: ZoneInfo) -> datetime:
    """A DATE is midnight in the host's zone; a floating time is read in it too."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)
