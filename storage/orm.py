"""Tables, and the imperative mapping of :mod:`core.models` onto them.

The domain classes stay plain dataclasses; :func:`start_mappers` instruments
them once per process (the composition root calls it through
:func:`storage.uow.make_uow_factory`). ``migrations/versions`` must describe the
same schema: ``tests/integration/test_storage.py`` compares the two.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    false,
    inspect,
    text,
    true,
)
from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlalchemy.orm import registry, relationship
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.util import PopulateDict

from core.models import (
    Booking,
    BookingSeries,
    BookingStatus,
    Calendar,
    CalendarKind,
    Contact,
    ContactNote,
    ConversationState,
    DateOverride,
    EventType,
    Guest,
    Host,
    OutboxMessage,
    OutboxStatus,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
    WorkingHours,
)
from storage.types import TimeIntervals, UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class PartialIndex(Index):
    """An index over the rows where ``where`` holds, on SQLite and on PostgreSQL.

    What ``Index(name, *columns, sqlite_where=where, postgresql_where=where)``
    declares, except that each dialect's ``where`` option is set when that
    dialect first reads the index's options (its ``CREATE INDEX``, Alembic's
    comparison). Checking a ``postgresql_where`` keyword at import loads
    SQLAlchemy's whole PostgreSQL dialect, about 50 ms of every command's
    start-up, on SQLite too (``tests/integration/test_startup_imports.py``).
    """

    #: The dialects whose ``CREATE INDEX`` takes a ``WHERE`` clause.
    DIALECTS = frozenset({"sqlite", "postgresql"})

    def __init__(self, name: str, *columns: str, where: TextClause) -> None:
        self.predicate = where
        super().__init__(name, *columns)

    @cached_property
    def dialect_options(self) -> PopulateDict[str, Any]:
        """Per dialect name, its options: the defaults, plus ``where`` for :attr:`DIALECTS`."""
        return PopulateDict(self._options_for)

    def _options_for(self, dialect_name: str) -> Any:
        options = self._kw_reg_for_dialect_cls(dialect_name)
        if dialect_name in self.DIALECTS:
            options["where"] = self.predicate
        return options


def _status(enum: type[BookingStatus] | type[OutboxStatus] | type[CalendarKind]
            | type[PaymentStatus] | type[RefundStatus]) -> Enum:
    """A string column holding the enum's values (``"confirmed"``), no native type."""
    return Enum(
        enum,
        native_enum=False,
        length=16,
        values_callable=lambda members: [m.value for m in members],
    )


hosts = Table(
    "hosts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handle", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("email", String(320)),
    Column("telegram_user_id", String(64), index=True),
    Column("slack_user_id", String(64), index=True),
    Column("digest_time", Time),
    Column("digest_enabled", Boolean, nullable=False, default=True, server_default=true()),
    Column("tags", MutableList.as_mutable(JSON), nullable=False, server_default="[]"),
    Column("capacity", Integer),
    Column("max_active_per_guest", Integer),
    Column("locale", String(35)),
    Column("chat_owned", MutableList.as_mutable(JSON), nullable=False, server_default="[]"),
    Column("brand_name", String(200)),
    Column("brand_color", String(7)),
    Column("brand_logo_url", String(2000)),
    Column("mail_templates", JSON, nullable=False, server_default="{}"),
    # Bumped by every flush that changes the host or its rules (storage.host_cache);
    # not mapped onto Host.
    Column("rules_version", Integer, nullable=False, server_default="0"),
)

#: One row, its ``version`` bumped by every flush that adds, changes or deletes a host
#: or its rules (storage.host_cache): a process checks its copy of the host directory
#: with one primary-key read, however many hosts there are.
host_directory = Table(
    "host_directory",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False, server_default="0"),
)

event_types = Table(
    "event_types",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("host_id", ForeignKey("hosts.id"), nullable=False),
    Column("slug", String(64), nullable=False),
    Column("title", String(200), nullable=False),
    Column("duration", Integer, nullable=False),
    Column("buffer_before", Integer, nullable=False),
    Column("buffer_after", Integer, nullable=False),
    Column("minimum_notice", Integer, nullable=False),
    Column("booking_window", Integer, nullable=False),
    Column("slot_interval", Integer),
    Column("seats", Integer, nullable=False),
    Column("requires_confirmation", Boolean, nullable=False),
    Column("location", String(500)),
    Column("reminder_minutes", JSON, nullable=False, server_default="[1440, 60]"),
    Column("other_durations", MutableList.as_mutable(JSON), nullable=False, server_default="[]"),
    Column("window_start", Date),
    Column("window_end", Date),
    Column("max_per_day", Integer),
    Column("max_per_week", Integer),
    Column("max_minutes_per_day", Integer),
    Column("max_minutes_per_week", Integer),
    Column("confirmation_timeout", Integer, nullable=False, server_default="1440"),
    Column("cancel_notice", Integer, nullable=False, server_default="0"),
    Column("hidden", Boolean, nullable=False, server_default=false()),
    Column("aliases", MutableList.as_mutable(JSON), nullable=False, server_default="[]"),
    Column("chat_owned", MutableList.as_mutable(JSON), nullable=False, server_default="[]"),
    Column("price", Integer),  # minor units of ``currency``; NULL: free
    Column("currency", String(3)),
    Column("payment_window", Integer, nullable=False, server_default="15"),
    Column("refund_until", Integer),
    UniqueConstraint("host_id", "slug"),
)

working_hours = Table(
    "working_hours",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("host_id", ForeignKey("hosts.id"), nullable=False, index=True),
    Column("weekday", Integer, nullable=False),
    Column("start", Time, nullable=False),
    Column("end", Time, nullable=False),
)

date_overrides = Table(
    "date_overrides",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("host_id", ForeignKey("hosts.id"), nullable=False, index=True),
    Column("date", Date, nullable=False),
    Column("intervals", MutableList.as_mutable(TimeIntervals), nullable=False),
    Column("source", String(16), nullable=False, server_default="file"),
)

guests = Table(
    "guests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("platform_user_id", String(64), nullable=False),
    Column("name", String(200)),
    Column("email", String(320)),
    Column("timezone", String(64)),
    Column("locale", String(35)),
    Column("chat_id", String(64)),
    UniqueConstraint("platform", "platform_user_id"),
)

#: A guest as a contact of a host; counted by ``services.book``, kept by pruning.
contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("host_id", ForeignKey("hosts.id"), nullable=False),
    Column("guest_id", ForeignKey("guests.id"), nullable=False),
    Column("total_bookings", Integer, nullable=False, default=0),
    Column("last_booked_at", UTCDateTime),
    UniqueConstraint("host_id", "guest_id"),
)

#: A host's private notes about a contact, newest last.
contact_notes = Table(
    "contact_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("host_id", ForeignKey("hosts.id"), nullable=False),
    Column("guest_id", ForeignKey("guests.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "host_id", "guest_id"),
)

bookings = Table(
    "bookings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("host_id", ForeignKey("hosts.id"), nullable=False),
    Column("event_type_id", ForeignKey("event_types.id"), nullable=False),
    Column("guest_id", ForeignKey("guests.id"), nullable=False, index=True),
    Column("start", UTCDateTime, nullable=False),
    Column("end", UTCDateTime, nullable=False),
    Column("status", _status(BookingStatus), nullable=False, index=True),
    Column("created_at", UTCDateTime),
    Column("cancelled_at", UTCDateTime),
    Column("cancel_reason", Text),
    Column("rescheduled_from_id", ForeignKey("bookings.id")),
    # New bookings start unarmed; the migration marks older ones armed.
    Column("reminders_armed", Boolean, nullable=False, default=False),
    # One-seat live bookings may not overlap: on PostgreSQL the migration adds the
    # exclusion constraint ``ex_bookings_host_time`` (btree_gist) over these rows.
    Column("exclusive", Boolean, nullable=False, server_default=false()),
    Column("series_id", ForeignKey("booking_series.id"), index=True),
    Column("hold_until", UTCDateTime),  # awaiting_payment: the seat is let go then
    Index(None, "host_id", "start"),
    Index(None, "status", "hold_until"),
    Index(None, "status", "end"),
    Index(None, "host_id", "end"),
    PartialIndex("ix_bookings_unarmed", "id", where=text("NOT reminders_armed")),
)

#: A recurring booking; its occurrences are bookings pointing at it (``series_id``).
booking_series = Table(
    "booking_series",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("host_id", ForeignKey("hosts.id"), nullable=False, index=True),
    Column("event_type_id", ForeignKey("event_types.id"), nullable=False),
    Column("guest_id", ForeignKey("guests.id"), nullable=False),
    Column("rule", String(500), nullable=False),
    Column("first_start", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime),
)

#: Reminders scheduled for a booking (one row per offset); ``done_at`` marks one handled.
reminders = Table(
    "reminders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("booking_id", ForeignKey("bookings.id"), nullable=False),
    Column("minutes_before", Integer, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime),
    Column("outcome", String(16)),
    UniqueConstraint("booking_id", "minutes_before"),  # also the index by booking
    PartialIndex("ix_reminders_due", "due_at", where=text("done_at IS NULL")),
)

#: Once-a-day jobs per host and local date (``digest``, ``prune``): the row is the claim.
daily_runs = Table(
    "daily_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("host_id", ForeignKey("hosts.id"), nullable=False),
    Column("job", String(16), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("ran_at", UTCDateTime, nullable=False),
    UniqueConstraint("job", "local_date", "host_id"),
)

conversation_states = Table(
    "conversation_states",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("state", String(64), nullable=False),
    Column("data", MutableDict.as_mutable(JSON), nullable=False),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("platform", "chat_id", "user_id"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel", String(32), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("status", _status(OutboxStatus), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Column("last_error", Text),
    Column("claimed_until", UTCDateTime),
    Column("parts_sent", Integer, nullable=False, server_default="0"),
    # Only what a query reads; a sweep inserts thousands of rows, each into every index
    # whose WHERE it meets. Queued rows (delivery's claim and its per-chat order, the
    # queued count):
    PartialIndex("ix_outbox_queued", "channel", "recipient", "id",
                 where=text("status = 'queued'")),
    # Finished rows by age (pruning):
    PartialIndex("ix_outbox_finished", "created_at", where=text("status IN ('sent', 'failed')")),
)

#: A host's external calendar (setup file ``calendars:``); part of the host's rules.
calendars = Table(
    "calendars",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("host_id", ForeignKey("hosts.id"), nullable=False, index=True),
    Column("kind", _status(CalendarKind), nullable=False),
    Column("address", String(1000), nullable=False),
    Column("username", String(200)),
    Column("password_env", String(200)),
    Column("write", Boolean, nullable=False),
    Column("busy", Boolean, nullable=False),
    Column("position", Integer, nullable=False),
)

#: What the last fetches of a calendar found (storage.calendars.cache); one row a calendar.
calendar_sync = Table(
    "calendar_sync",
    metadata,
    Column("calendar_id", ForeignKey("calendars.id", ondelete="CASCADE"), primary_key=True),
    Column("fetched_at", UTCDateTime),            # last successful fetch
    Column("covers_from", UTCDateTime),           # the span that fetch read
    Column("covers_to", UTCDateTime),
    Column("busy_count", Integer, nullable=False, server_default="0"),
    Column("validator", String(500)),             # ETag / Last-Modified / ctag of that fetch
    Column("sync_token", Text),                   # Google events.list
    Column("last_error", Text),
    Column("last_error_at", UTCDateTime),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("next_try_at", UTCDateTime),           # backoff with jitter after failures
    Column("wanted_at", UTCDateTime, index=True),  # last time availability read it
    Column("stale_told_at", UTCDateTime),         # the host was told it is down
    # The grant was revoked (Google invalid_grant): availability goes on without it.
    Column("disconnected", Boolean, nullable=False, server_default=false()),
)

#: Busy intervals of a calendar as last fetched (merged, UTC).
busy_intervals = Table(
    "busy_intervals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("calendar_id", ForeignKey("calendars.id", ondelete="CASCADE"), nullable=False),
    Column("start", UTCDateTime, nullable=False),
    Column("end", UTCDateTime, nullable=False),
    Index(None, "calendar_id", "start"),
)

#: The event of a booking in the host's write calendar. A reschedule moves the row
#: to the new booking (same ``uid``: one event per booking chain, as in the invitation).
calendar_events = Table(
    "calendar_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("booking_id", ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False,
           unique=True),
    Column("calendar_id", ForeignKey("calendars.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("uid", String(500), nullable=False),
    Column("remote_id", String(1000), nullable=False),  # Google event id / CalDAV href
    Column("etag", String(500)),
    Column("start", UTCDateTime, nullable=False),
    Column("end", UTCDateTime, nullable=False),
    Column("changed", String(16)),                 # "moved" / "deleted", once noticed
    Column("noticed_at", UTCDateTime),
)

#: A host's Google OAuth grant; the refresh token Fernet-encrypted at rest.
google_grants = Table(
    "google_grants",
    metadata,
    Column("host_id", ForeignKey("hosts.id", ondelete="CASCADE"), primary_key=True),
    Column("refresh_token", Text, nullable=False),
    Column("access_token", Text),
    Column("expires_at", UTCDateTime),
    Column("connected_at", UTCDateTime, nullable=False),
    Column("invalid_at", UTCDateTime),            # invalid_grant seen (host told then)
)

#: Signed guest action links already used (``core.action_links``): the row is the claim.
used_links = Table(
    "used_links",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("booking_id", Integer, nullable=False),
    Column("used_at", UTCDateTime, nullable=False),
)

#: Every incoming Telegram update / Slack request, stored before it is acknowledged
#: (``storage.inbox``): ``status`` goes received -> answered (replies kept) -> done.
inbox = Table(
    "inbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(32), nullable=False),
    Column("delivery_id", String(255), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("replies", JSON),
    Column("owner", String(64)),
    Column("lease_until", UTCDateTime),
    Column("received_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime),
    #: Parts of the stored answer delivered (texts, split texts, photos, in order).
    Column("parts_sent", Integer, nullable=False, server_default="0"),
    UniqueConstraint("platform", "delivery_id"),
    Index(None, "platform", "status", "lease_until"),
    Index(None, "status", "done_at"),
)

#: Money for a booking (``core.payments``). ``booking_id``/``host_id`` are plain numbers,
#: not foreign keys: the record outlives the booking's pruning.
payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("booking_id", Integer, nullable=False, index=True),
    Column("host_id", Integer, index=True),
    Column("event_type_id", Integer),
    Column("provider", String(32), nullable=False),
    Column("amount", Integer, nullable=False),        # minor units of ``currency``
    Column("currency", String(3), nullable=False),
    Column("status", _status(PaymentStatus), nullable=False),
    Column("checkout_id", String(255)),
    Column("checkout_url", Text),
    Column("provider_payment_id", String(255)),
    Column("provider_charge_id", String(255)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("paid_at", UTCDateTime),
    UniqueConstraint("provider", "provider_payment_id"),
    Index(None, "provider", "checkout_id"),
)

#: Money given back for a payment; ``status`` requested -> succeeded / failed, or manual.
refunds = Table(
    "refunds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("payment_id", ForeignKey("payments.id"), nullable=False, index=True),
    Column("booking_id", Integer, nullable=False, index=True),
    Column("provider", String(32), nullable=False),
    Column("amount", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("status", _status(RefundStatus), nullable=False),
    Column("provider_refund_id", String(255)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime),
    Column("last_error", Text),
)

#: Provider events already handled (a Stripe webhook's ``evt_…``): the row is the claim.
payment_events = Table(
    "payment_events",
    metadata,
    Column("provider", String(32), primary_key=True),
    Column("event_id", String(255), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)

#: Messages the per-guest rate limit refused, per UTC day and platform (``stats``).
rate_limit_refusals = Table(
    "rate_limit_refusals",
    metadata,
    Column("day", Date, primary_key=True),
    Column("platform", String(32), primary_key=True),
    Column("refused", Integer, nullable=False),
)

mapper_registry = registry(metadata=metadata)


def start_mappers() -> None:
    """Map the domain dataclasses onto the tables; later calls do nothing."""
    if inspect(Host, raiseerr=False) is not None:
        return
    mapper_registry.map_imperatively(WorkingHours, working_hours)
    mapper_registry.map_imperatively(DateOverride, date_overrides)
    mapper_registry.map_imperatively(EventType, event_types)
    mapper_registry.map_imperatively(Calendar, calendars)
    mapper_registry.map_imperatively(
        Host,
        hosts,
        exclude_properties=["rules_version"],
        properties={
            "working_hours": relationship(
                WorkingHours,
                cascade="all, delete-orphan",
                order_by=(working_hours.c.weekday, working_hours.c.start),
            ),
            "date_overrides": relationship(
                DateOverride, cascade="all, delete-orphan", order_by=date_overrides.c.date
            ),
            "event_types": relationship(
                EventType, cascade="all, delete-orphan", order_by=event_types.c.id
            ),
            "calendars": relationship(
                Calendar, cascade="all, delete-orphan", order_by=calendars.c.position
            ),
        },
    )
    mapper_registry.map_imperatively(Guest, guests)
    mapper_registry.map_imperatively(
        Booking, bookings, exclude_properties=["reminders_armed"]
    )
    mapper_registry.map_imperatively(BookingSeries, booking_series)
    mapper_registry.map_imperatively(ConversationState, conversation_states)
    mapper_registry.map_imperatively(OutboxMessage, outbox)
    mapper_registry.map_imperatively(Contact, contacts)
    mapper_registry.map_imperatively(ContactNote, contact_notes)
    mapper_registry.map_imperatively(Payment, payments)
    mapper_registry.map_imperatively(Refund, refunds)
