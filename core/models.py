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
from typing import NamedTuple
from zoneinfo import ZoneInfo

from core.errors import InvalidTime


class BookingStatus(enum.StrEnum):
    """Lifecycle of a booking (DESIGN section 2)."""

    PENDING = "pending"
    #: A paid booking whose guest has not paid yet: holds its seat until ``hold_until``.
    AWAITING_PAYMENT = "awaiting_payment"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


#: Reminder offsets of an event type unless configured: 24 h and 1 h before, in minutes.
DEFAULT_REMINDER_MINUTES: tuple[int, ...] = (24 * 60, 60)

#: Minutes a paid booking's seat is held while the guest pays, unless configured.
DEFAULT_PAYMENT_WINDOW = 15

#: Statuses that hold time (and a seat) in the host's calendar.
LIVE_STATUSES: frozenset[BookingStatus] = frozenset(
    {BookingStatus.PENDING, BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED}
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
    """Other hours for one local date: ``intervals`` empty means the day is off.

    ``source`` is ``file`` (the setup file) or ``command`` (``/slotbot off``).
    """

    date: date
    intervals: list[tuple[time, time]] = field(default_factory=list)
    source: str = "file"
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
    #: Minutes before the start at which the guest is reminded (24 h and 1 h).
    reminder_minutes: list[int] = field(default_factory=lambda: list(DEFAULT_REMINDER_MINUTES))
    #: Other lengths a guest may pick, minutes (``duration`` is the default and first).
    other_durations: list[int] = field(default_factory=list)
    #: Fixed booking window: first and last bookable local date (host zone), inclusive.
    window_start: date | None = None
    window_end: date | None = None
    #: Booking limits of this event type per local day and per week (Mon–Sun, host
    #: zone): a number of bookings and a total of minutes. None: no limit.
    max_per_day: int | None = None
    max_per_week: int | None = None
    max_minutes_per_day: int | None = None
    max_minutes_per_week: int | None = None
    #: A pending request expires this many minutes after it was made.
    confirmation_timeout: int = 24 * 60
    #: Guests may cancel or reschedule only up to this many minutes before the start.
    cancel_notice: int = 0
    #: Not offered to guests who don't name it (still bookable by its link, ``/start ana-intro``).
    hidden: bool = False
    #: Other words guests use for it, any language ("consulta", "Beratung"): matched
    #: like the slug and title (case- and accent-insensitive, small misspellings too).
    aliases: list[str] = field(default_factory=list)
    #: Fields the host changed from chat (``/slotbot type …``); ``slotbot load`` keeps
    #: them. ``"*"``: the host created the event type from chat.
    chat_owned: list[str] = field(default_factory=list)
    #: Price in the currency's minor unit (cents: 5000 is 50.00 EUR); None: free.
    price: int | None = None
    #: ISO 4217 code of ``price`` (``EUR``); None when free.
    currency: str | None = None
    #: Minutes a seat is held while the guest pays.
    payment_window: int = DEFAULT_PAYMENT_WINDOW
    #: A guest who cancels at least this many minutes before the start is refunded
    #: in full; None: no refund on a guest's cancel.
    refund_until: int | None = None

    @property
    def paid(self) -> bool:
        """Whether booking it takes a payment (a price above zero)."""
        return bool(self.price) and self.currency is not None

    @property
    def interval(self) -> int:
        """Minutes between successive slot starts (defaults to the duration)."""
        return self.slot_interval or self.duration

    @property
    def durations(self) -> list[int]:
        """Every allowed length in minutes, the default first."""
        return [self.duration, *(d for d in self.other_durations if d != self.duration)]


class CalendarKind(enum.StrEnum):
    """Where a host's external calendar lives (DESIGN 3.2, ``calendars:``)."""

    GOOGLE = "google"
    CALDAV = "caldav"
    ICS = "ics"


@dataclass(eq=False)
class Calendar:
    """A host's external calendar: busy time in, booking events out.

    ``address`` is the Google calendar id, the CalDAV collection URL or the ICS
    feed URL. ``password_env`` names the environment variable holding the
    CalDAV password (never the password). ``write``: bookings are written here
    (at most one per host; ICS feeds are read-only). ``busy``: its events block
    time (False: write-only).
    """

    kind: CalendarKind
    address: str
    username: str | None = None
    password_env: str | None = None
    write: bool = False
    busy: bool = True
    position: int = 0
    id: int | None = None
    host_id: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What identifies it within its host: ``(kind, address)``."""
        return (self.kind.value, self.address)


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
    #: Whether the daily digest is sent (at ``digest_time``, when that is set).
    digest_enabled: bool = True
    #: Simple labels for finding time across hosts or rooms (``projector``).
    tags: list[str] = field(default_factory=list)
    #: How many people the host (a room) holds; None: not a room.
    capacity: int | None = None
    #: At most this many live, not yet ended bookings per guest with this host.
    max_active_per_guest: int | None = None
    #: The host's language tag for host commands, notices and the digest (``de``, ``en-US``).
    locale: str | None = None
    #: Settings the host changed from chat, which ``slotbot load`` keeps: ``locale``,
    #: ``digest``, and ``hours:N`` for the working hours of weekday N (0 = Monday).
    chat_owned: list[str] = field(default_factory=list)
    #: External calendars, in setup-file order.
    calendars: list[Calendar] = field(default_factory=list)
    #: Email branding (setup file ``brand:``): the name shown, ``#rrggbb`` colour, https logo.
    brand_name: str | None = None
    brand_color: str | None = None
    brand_logo_url: str | None = None
    #: The host's email templates (setup file ``templates:``): file name -> Jinja2 source,
    #: checked when loaded (``mail.template_folder``).
    mail_templates: dict[str, str] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def listed_event_types(self) -> list[EventType]:
        """The event types offered to guests: all but the hidden ones."""
        return [e for e in self.event_types if not e.hidden]

    def event_type(self, slug: str) -> EventType | None:
        return next((e for e in self.event_types if e.slug == slug), None)

    @property
    def write_calendar(self) -> Calendar | None:
        """The calendar that receives the host's bookings, if any."""
        return next((c for c in self.calendars if c.write), None)


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
    #: True for bookings of one-seat event types: on PostgreSQL an exclusion
    #: constraint forbids two live exclusive bookings of a host that overlap.
    exclusive: bool = False
    #: The recurring series this booking is an occurrence of, if any.
    series_id: int | None = None
    #: While ``awaiting_payment``: when the seat is let go unless paid (aware UTC).
    hold_until: datetime | None = None

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(eq=False)
class BookingSeries:
    """A recurring booking: ``rule`` is an RFC 5545 RRULE expanded in the host's zone.

    ``first_start``: aware UTC, the first occurrence (the rule's DTSTART).
    """

    host_id: int
    event_type_id: int
    guest_id: int
    rule: str
    first_start: datetime
    created_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Slot:
    """A bookable start: ``start``/``end`` aware UTC, ``seats_left`` ≥ 1."""

    start: datetime
    end: datetime
    seats_left: int


class PaymentStatus(enum.StrEnum):
    """Lifecycle of a payment: ``open`` (the guest has the link or invoice), ``paid``,
    ``refunded`` (in full), ``expired`` (never paid; the checkout was closed)."""

    OPEN = "open"
    PAID = "paid"
    REFUNDED = "refunded"
    EXPIRED = "expired"


class RefundStatus(enum.StrEnum):
    """``requested`` (queued to the provider), ``succeeded``, ``failed`` (the provider
    refused; the host is told), ``manual`` (the provider has no refund API: the host
    refunds by hand, e.g. Telegram Payments)."""

    REQUESTED = "requested"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    MANUAL = "manual"


@dataclass(eq=False)
class Payment:
    """Money for one booking through one provider (``stripe``, ``telegram``).

    ``amount`` is in the currency's minor unit (an integer, never a float);
    ``checkout_id`` is what the guest pays through (a Stripe Checkout Session
    id, a Telegram invoice payload); ``provider_payment_id`` the provider's id
    of the money received (a Stripe PaymentIntent, a Telegram
    ``telegram_payment_charge_id``): unique per provider, so a payment reported
    twice is recorded once. ``provider_charge_id`` is a second id some providers
    give (Telegram's ``provider_payment_charge_id``). ``booking_id`` and
    ``host_id`` are plain numbers, not foreign keys: the record outlives the
    booking's pruning. Instants aware UTC.
    """

    booking_id: int
    host_id: int | None
    event_type_id: int | None
    provider: str
    amount: int
    currency: str
    created_at: datetime
    status: PaymentStatus = PaymentStatus.OPEN
    checkout_id: str | None = None
    checkout_url: str | None = None
    provider_payment_id: str | None = None
    provider_charge_id: str | None = None
    paid_at: datetime | None = None
    id: int | None = None


@dataclass(eq=False)
class Refund:
    """Money given back for a payment: ``amount`` in minor units, ``reason`` one of
    :data:`core.payments.REFUND_REASONS`; ``provider_refund_id`` once the provider
    made it (a Stripe ``re_…``). Instants aware UTC."""

    payment_id: int
    booking_id: int
    provider: str
    amount: int
    currency: str
    reason: str
    created_at: datetime
    status: RefundStatus = RefundStatus.REQUESTED
    provider_refund_id: str | None = None
    done_at: datetime | None = None
    last_error: str | None = None
    id: int | None = None


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
    #: While set and in the future, a sender holds the message (its lease).
    claimed_until: datetime | None = None
    #: Parts of a message split for length (Telegram) delivered so far; a retry
    #: sends only the rest.
    parts_sent: int = 0


class QueuedMessage(NamedTuple):
    """A new outbox row as a plain value: what sweeps queue in bulk.

    The fields of :class:`OutboxMessage` a new row has (status ``queued``, no
    attempt yet). One is a tuple, not a mapped object nor a frozen dataclass
    (whose fields are set one by one), so a sweep queueing thousands stays
    cheap; ``OutboxRepository.add_many`` takes both.
    """

    channel: str
    recipient: str
    kind: str
    payload: dict[str, object]
    created_at: datetime


@dataclass(eq=False)
class Contact:
    """A guest as a contact of a host; outlives the bookings that made it.

    ``total_bookings`` counts bookings ever made (pruning keeps it);
    ``last_booked_at`` is when the latest was made (aware, UTC).
    """

    host_id: int
    guest_id: int
    total_bookings: int = 0
    last_booked_at: datetime | None = None
    id: int | None = None


@dataclass(eq=False)
class ContactNote:
    """A host's private note about a contact (``/slotbot note NAME text``).

    ``created_at``: aware UTC.
    """

    host_id: int
    guest_id: int
    text: str
    created_at: datetime
    id: int | None = None


@dataclass(frozen=True)
class HostSchedule:
    """What the periodic jobs need to know of a host (no rules, no event types).

    ``timezone`` is an IANA name; ``digest_time`` local wall-clock time or None.
    """

    id: int
    handle: str
    name: str
    timezone: str
    digest_time: time | None = None
    digest_enabled: bool = True
    telegram_user_id: str | None = None
    slack_user_id: str | None = None
    #: The host's language tag (``Host.locale``), for the digest.
    locale: str | None = None


@dataclass(frozen=True)
class BookingToArm:
    """A booking whose reminders are not scheduled yet.

    ``start``/``created_at``: aware UTC (``created_at`` may be None for old rows);
    ``reminder_minutes``: its event type's offsets, minutes before the start.
    """

    booking_id: int
    start: datetime
    created_at: datetime | None
    reminder_minutes: tuple[int, ...]
    status: BookingStatus = BookingStatus.CONFIRMED


class DueReminder(NamedTuple):
    """A reminder a sweep has claimed, with everything its message needs.

    Instants are aware UTC; ``guest_platform``/``guest_chat_id`` say where the
    guest booked from (``chat_id`` None when unknown); ``guest_email`` and
    ``guest_locale`` (a language tag) are None when the guest gave none. A
    tuple (a sweep makes one per claimed row, in the claim's column order).
    """

    reminder_id: int
    minutes_before: int
    due_at: datetime
    booking_id: int
    start: datetime
    end: datetime
    status: BookingStatus
    host_handle: str
    host_name: str
    host_timezone: str
    event_title: str
    guest_name: str | None
    guest_timezone: str | None
    guest_platform: str
    guest_chat_id: str | None
    guest_email: str | None = None
    guest_locale: str | None = None


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
