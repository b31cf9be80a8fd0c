"""Small builders for Host, EventType and Booking in unit tests.

Hours are written as in the host setup file (DESIGN 3.2): ``"09:00-12:00, 13:00-17:00"``;
``"-00:00"`` (or ``"-24:00"``) as an end means midnight at the end of the day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.models import Booking, BookingStatus, DateOverride, EventType, Host, WorkingHours
from core.setup_file import parse_hours

#: Monday to Friday, 09:00–17:00.
OFFICE_HOURS: Mapping[int, str] = dict.fromkeys(range(5), "09:00-17:00")


def utc(text: str) -> datetime:
    """``"2026-03-02 09:00"`` → that wall time in UTC (aware)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(text: str, tz: str) -> datetime:
    """``"2026-03-02 09:00"`` → that wall time in ``tz`` (aware, ``fold=0``)."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


def make_event_type(
    slug: str = "intro", *, duration: int = 30, id: int = 1, **fields: object
) -> EventType:
    """An event type with an id (bookings refer to it); ``fields`` set any other attribute."""
    return EventType(slug=slug, title=slug.title(), duration=duration, id=id, **fields)  # type: ignore[arg-type]


def make_host(
    timezone: str = "Europe/Berlin",
    *,
    weekly: Mapping[int, str] = OFFICE_HOURS,
    overrides: Mapping[date, str] | None = None,
    event_types: Sequence[EventType] = (),
) -> Host:
    """A host with weekly hours (weekday 0=Monday → hours text) and date overrides."""
    return Host(
        handle="ana",
        name="Ana Lima",
        timezone=timezone,
        working_hours=[
            WorkingHours(weekday=day, start=start, end=end)
            for day, text in weekly.items()
            for start, end in parse_hours(text)
        ],
        date_overrides=[
            DateOverride(date=day, intervals=parse_hours(text))
            for day, text in (overrides or {}).items()
        ],
        event_types=list(event_types),
        id=1,
    )


def make_booking(
    event_type: EventType,
    start: datetime,
    *,
    minutes: int | None = None,
    status: BookingStatus = BookingStatus.CONFIRMED,
    guest_id: int = 1,
) -> Booking:
    """A booking of ``event_type`` from ``start`` lasting ``minutes`` (default: its duration)."""
    assert event_type.id is not None
    length = timedelta(minutes=event_type.duration if minutes is None else minutes)
    start = start.astimezone(UTC)
    return Booking(
        host_id=1,
        event_type_id=event_type.id,
        guest_id=guest_id,
        start=start,
        end=start + length,
        status=status,
    )
