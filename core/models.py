"""Domain model: hosts, event types, working hours, date overrides, guests, bookings.

Plain dataclasses with no I/O. ``storage`` maps them onto tables imperatively
(SQLAlchemy ``registry.map_imperatively``), so services mutate these objects and
the unit of work persists them. Every instant is an aware ``datetime`` in UTC;
wall-clock rules (working hours, overrides) are interpreted in the host's IANA
zone by :mod:`core.availability`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.errors import InvalidTime


class BookingStatus(enum.StrEnum):
    """Lifecycle of a booking (DESIGN section 2)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


#: Statuses that hold time (and a seat) in the host's calendar.
LIVE_STATUSES: frozenset[BookingStatus] = frozenset(
    {BookingStatus.PENDING, BookingStatus.CONFIRMED}
)


def require_aware(value: datetime, name: str = "datetime") -> datetime:
    """Return ``value`` if it carries a timezone.

    Raises:
        InvalidTime: if ``value`` is naive. Naive datetimes never cross a
            function boundary in Slotbot (STYLE, "time at the boundary").
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidTime(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value


@dataclass(frozen=True)
class Interval:
    """A half-open span of time ``[start, end)``; both aware datetimes."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        require_aware(self.start, "Interval.start")
        require_aware(self.end, "Interval.end")

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(eq=False)
class WorkingHours:
    """One weekly interval in the host's zone: ``weekday`` 0=Monday … 6=Sunday.

    ``start``/``end`` are local wall-clock times; ``end`` of ``time(0)`` means
    midnight at the end of the day.
    """

    weekday: int
    start: time
    end: time
    id: int | None = None
    host_id: int | None = None


@dataclass(eq=False)
class DateOverride:
    """Other hours for one local date: ``intervals`` empty means the day is off."""

    date: date
    intervals: list[tuple[time, time]] = field(default_factory=list)
    id: int | None = None
    host_id: int | None = None


@dataclass(eq=False)
class EventType:
    """Something a guest can book with a host.

    Units: ``duration``, ``buffer_before``, ``buffer_after``, ``minimum_notice``
    and ``slot_interval`` in minutes; ``booking_window`` in days; ``seats`` is
    the number of guests per slot.
    """

    slug: str
    title: str
    duration: int
    buffer_before: int = 0
    buffer_after: int = 0
    minimum_notice: int = 0
    booking_window: int = 60
    slot_interval: int | None = None
    seats: int = 1
    requires_confirmation: bool = False
    location: str | None = None
    id: int | None = None
    host_id: int | None = None

    @property
    def interval(self) -> int:
        """Minutes between successive slot starts (defaults to the duration)."""
        return self.slot_interval or self.duration


@dataclass(eq=False)
class Host:
    """A person or resource whose time is booked.

    ``timezone`` is an IANA name; ``digest_time`` is local wall-clock time.
    """

    handle: str
    name: str
    timezone: str
    email: str | None = None
    telegram_user_id: str | None = None
    slack_user_id: str | None = None
    digest_time: time | None = None
    working_hours: list[WorkingHours] = field(default_factory=list)
    date_overrides: list[DateOverride] = field(default_factory=list)
    event_types: list[EventType] = field(default_factory=list)
    id: int | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def event_type(self, slug: str) -> EventType | None:
        return next((e for e in self.event_types if e.slug == slug), None)


@dataclass(eq=False)
class Guest:
    """Who books: a platform identity (``platform`` + ``platform_user_id``).

    ``timezone`` is None until the guest tells us (or the platform does).
    """

    platform: str
    platform_user_id: str
    name: str | None = None
    email: str | None = None
    timezone: str | None = None
    locale: str | None = None
    chat_id: str | None = None
    id: int | None = None


@dataclass(eq=False)
class Booking:
    """A reservation of one seat of ``event_type`` from ``start`` to ``end``.

    ``start``/``end``: aware datetimes in UTC. ``rescheduled_from_id`` links a
    booking made by rescheduling to the booking it replaced.
    """

    host_id: int
    event_type_id: int
    guest_id: int
    start: datetime
    end: datetime
    status: BookingStatus = BookingStatus.CONFIRMED
    created_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    rescheduled_from_id: int | None = None
    id: int | None = None

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Slot:
    """A bookable start: ``start``/``end`` aware UTC, ``seats_left`` ≥ 1."""

    start: datetime
    end: datetime
    seats_left: int


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


@dataclass(eq=False)
class OutboxMessage:
    """A notification written in the same transaction as the change it reports.

    ``channel`` is ``telegram``, ``slack``, ``console`` or ``email``;
    ``recipient`` a chat id or an address; ``kind`` what happened
    (``booking_confirmed``, ``booking_cancelled``, …); ``payload`` a JSON-able
    dict the sender renders (at least ``text``).
    """

    channel: str
    recipient: str
    kind: str
    payload: dict[str, object]
    created_at: datetime
    status: OutboxStatus = OutboxStatus.QUEUED
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None
    id: int | None = None


@dataclass(eq=False)
class ConversationState:
    """Where one user's dialog stands, keyed by platform + chat + user.

    ``state`` names a step of :mod:`bots.conversation`; ``data`` holds the
    slots filled so far (JSON-able). Stored in the database so any process can
    take the next message.
    """

    platform: str
    chat_id: str
    user_id: str
    state: str
    data: dict[str, object] = field(default_factory=dict)
    updated_at: datetime | None = None
    id: int | None = None
