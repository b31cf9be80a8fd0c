"""What the services need from the outside world, as Protocols.

``storage`` implements them with SQLAlchemy; ``tests`` with in-memory fakes.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from core.directory import HostDirectory
from core.models import (
    Booking,
    BookingSeries,
    BookingStatus,
    BookingToArm,
    Contact,
    ContactNote,
    ConversationState,
    DueReminder,
    Guest,
    Host,
    HostSchedule,
    Interval,
    OutboxMessage,
    Payment,
    QueuedMessage,
    Refund,
)

#: Returns the current instant as an aware datetime in UTC.
Clock = Callable[[], datetime]


class HostRepository(Protocol):
    def add(self, host: Host) -> None: ...
    def get(self, handle: str) -> Host | None: ...
    def get_by_id(self, host_id: int) -> Host | None: ...
    def read(self, handle: str) -> Host | None:
        """The host with its rules, to read only (never change it): the unit of work's own
        instance if it has one, else a copy shared with other units of work.

        For checking availability without loading the host into the unit of work.
        """
        ...

    def list(self) -> list[Host]: ...
    def directory(self) -> HostDirectory:
        """Every host's name, zone and event types (no rules), cheap to ask for per message.

        Shared and immutable: storage rebuilds it when a host is added or changed.
        """
        ...

    def snapshots(self) -> builtins.list[Host]:
        """Every host with its rules, in handle order, as read-only copies (never change them).

        For reading many hosts' rules at once (a team search) without loading
        them into the unit of work.
        """
        ...

    def by_platform_user(self, platform: str, user_id: str) -> Host | None:
        """The host mapped to this platform identity (``telegram``/``slack``), if any."""
        ...

    def lock(self, host: Host) -> None:
        """Serialize writers on this host's calendar until the transaction ends.

        A row lock (``SELECT … FOR UPDATE``) on PostgreSQL; a no-op on SQLite,
        where the unit of work already holds the write lock (``BEGIN IMMEDIATE``).
        """
        ...


class BookingRepository(Protocol):
    def add(self, booking: Booking) -> None:
        """Add and flush, so ``booking.id`` is set on return."""
        ...

    def get(self, booking_id: int) -> Booking | None: ...
    def get_for_update(self, booking_id: int) -> Booking | None:
        """The booking as committed now (reloaded), its row locked until the transaction ends."""
        ...

    def of_series(self, series_id: int) -> builtins.list[Booking]:
        """Every occurrence of a recurring series, in any status, by start."""
        ...

    def overlapping(self, host_id: int, start: datetime, end: datetime) -> list[Booking]:
        """Live bookings of the host that overlap ``[start, end)``, by start."""
        ...

    def overlapping_hosts(self, host_ids: Sequence[int], start: datetime, end: datetime
                          ) -> builtins.list[Booking]:
        """Live bookings of any of ``host_ids`` that overlap ``[start, end)``, by start."""
        ...

    def for_guest(self, guest_id: int, *, ending_after: datetime) -> list[Booking]:
        """The guest's live bookings that end after ``ending_after``, by start."""
        ...

    def list(
        self, *, host_id: int | None = None, status: BookingStatus | None = None
    ) -> list[Booking]: ...

    def activity(self, host_id: int, since: datetime) -> builtins.list[Booking]:
        """The host's bookings made, cancelled or starting at or after ``since``, by start."""
        ...

    def starting(self, host_id: int, start: datetime, end: datetime) -> builtins.list[Booking]:
        """The host's bookings in any status that start in ``[start, end)``, by start."""
        ...

    def of_contact(self, host_id: int, guest_id: int) -> builtins.list[Booking]:
        """Every booking of the guest with the host, in any status, by start."""
        ...


class SeriesRepository(Protocol):
    def add(self, series: BookingSeries) -> None:
        """Add and flush, so ``series.id`` is set on return."""
        ...

    def get(self, series_id: int) -> BookingSeries | None: ...


class GuestRepository(Protocol):
    def add(self, guest: Guest) -> None: ...
    def get(self, platform: str, platform_user_id: str) -> Guest | None: ...
    def get_by_id(self, guest_id: int) -> Guest | None: ...


class ConversationRepository(Protocol):
    def add(self, state: ConversationState) -> None: ...
    def get(self, platform: str, chat_id: str, user_id: str) -> ConversationState | None: ...
    def lock(self, platform: str, chat_id: str, user_id: str) -> ConversationState:
        """The dialog's stored state, its row locked until the transaction ends.

        A dialog not stored yet is inserted first (state ``idle``, no data,
        ``updated_at`` None), so concurrent first messages queue on one row.
        ``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the unit of work
        already holds the write lock.
        """
        ...

    def save(self, stored: ConversationState, *, state: str, data: dict[str, Any],
             updated_at: datetime) -> None:
        """Write a locked dialog's new ``state``, ``data`` and ``updated_at`` (aware) at once.

        One UPDATE of its row now; ``stored`` shows the values afterwards.
        """
        ...


class OutboxRepository(Protocol):
    def add(self, message: OutboxMessage) -> None: ...
    def add_many(self, messages: Sequence[OutboxMessage | QueuedMessage]) -> None:
        """Insert many at once (one statement); ids are not read back."""
        ...

    def get(self, message_id: int) -> OutboxMessage | None: ...
    def list(self) -> builtins.list[OutboxMessage]: ...
    def prune(self, created_before: datetime, *, limit: int) -> int:
        """Delete up to ``limit`` sent or failed messages created before ``created_before``.

        Queued messages are never deleted. Returns how many were.
        """
        ...

    def claim(
        self, now: datetime, *, channels: Iterable[str], limit: int, lease_until: datetime
    ) -> builtins.list[OutboxMessage]:
        """Take up to ``limit`` queued messages that are due, oldest first.

        Due: ``next_attempt_at`` unset or not after ``now``, not held by another
        sender (``claimed_until`` unset or past), and no older queued message to
        the same channel + recipient is held or waiting (so each chat gets its
        messages in order). Sets ``claimed_until = lease_until`` on them. Rows
        another transaction has locked are skipped (PostgreSQL).
        """
        ...


class ContactRepository(Protocol):
    def record_booking(self, host_id: int, guest_id: int, at: datetime) -> None:
        """Count one more booking of the guest with the host, made at ``at``."""
        ...

    def search(self, host_id: int, text: str | None) -> builtins.list[tuple[Contact, Guest]]:
        """The host's contacts whose name or email contains ``text``, latest booked first."""
        ...

    def add_note(self, note: ContactNote) -> None:
        """Keep a host's note about a contact (flushed, so ``note.id`` is set)."""
        ...

    def notes(self, host_id: int, guest_id: int) -> builtins.list[ContactNote]:
        """The host's notes about the guest, oldest first."""
        ...


class JobRepository(Protocol):
    """The indexed queries and atomic claims behind the periodic jobs (:mod:`core.jobs`)."""

    def complete_ended(self, now: datetime) -> int:
        """Mark confirmed bookings that ended by ``now`` completed; returns how many."""
        ...

    def bookings_to_arm(self, limit: int) -> builtins.list[BookingToArm]:
        """Bookings (any status) whose reminders are not scheduled yet; locked until commit."""
        ...

    def arm(self, reminders: dict[int, builtins.list[tuple[int, datetime]]]) -> None:
        """Schedule reminders: booking id -> [(minutes before, due at)]; marks them armed."""
        ...

    def claim_due_reminders(self, now: datetime, limit: int) -> builtins.list[DueReminder]:
        """Claim every unhandled reminder due by ``now`` of up to ``limit`` bookings.

        The claim is per booking: those bookings stay locked until the
        transaction ends (``FOR NO KEY UPDATE … SKIP LOCKED`` on PostgreSQL, the
        write lock on SQLite), so all due reminders of a booking go to one
        transaction and the choice among them is made once. The claimed
        reminders are marked handled at ``now`` with the outcome ``sent`` (the
        caller records the skipped ones with :meth:`set_reminder_outcome`
        before committing); one another sweeper has handled is never claimed,
        even if it did so while this claim ran. Ordered by booking, then due time.
        """
        ...

    def set_reminder_outcome(self, reminder_ids: Sequence[int], outcome: str) -> None:
        """Record the outcome of reminders this transaction claimed: ``sent`` or
        ``skipped``."""
        ...

    def schedules(self) -> builtins.list[HostSchedule]:
        """Every host's zone and digest settings, by id."""
        ...

    def claim_daily_many(self, job: str, runs: Sequence[tuple[int, date]], now: datetime
                         ) -> set[int]:
        """Record that ``job`` ran at ``now`` for each (host id, local date) in ``runs``.

        One statement; a pair recorded already (by an earlier or a concurrent
        sweep) is left as it is.

        Returns:
            The host ids whose pair this call recorded.
        """
        ...

    def daily_done(self, job: str, dates: Iterable[date]) -> set[tuple[int, date]]:
        """The (host id, local date) pairs ``job`` has run for, among ``dates``."""
        ...

    def last_daily_many(self, job: str, host_ids: Sequence[int], *, before: date
                        ) -> dict[int, datetime]:
        """Host id -> when ``job`` last ran for it on a local date before ``before``.

        Hosts it never ran for are left out.
        """
        ...

    def digest_activity(self, host_ids: Sequence[int], since: datetime
                        ) -> builtins.list[tuple[Booking, str, str | None]]:
        """The hosts' bookings made, cancelled or starting at or after ``since`` (aware).

        Each with its event type's title and its guest's name; by start.
        """
        ...

    def prune(self, host_id: int, ended_before: datetime) -> int:
        """Delete the host's bookings that ended before ``ended_before``; returns how many.

        Their reminders go with them, links to them (``rescheduled_from_id``) are
        cleared, and the host's daily-run records older than that date are dropped.
        """
        ...


class LinkRepository(Protocol):
    """Signed guest action links that were used (``core.action_links.digest`` of each)."""

    def use(self, digest: str, booking_id: int, now: datetime) -> bool:
        """Record the link as used; False if it was used before (nothing recorded)."""
        ...

    def used(self, digest: str) -> bool: ...


class PaymentRepository(Protocol):
    """Payments, refunds and the provider events already handled (:mod:`core.payments`)."""

    def add(self, payment: Payment) -> None:
        """Add and flush, so ``payment.id`` is set on return.

        Raises:
            DuplicatePayment: the provider's payment id is recorded already
                (another process recorded it first).
        """
        ...

    def get(self, payment_id: int) -> Payment | None: ...
    def by_checkout(self, provider: str, checkout_id: str) -> Payment | None:
        """The payment opened with this checkout (Stripe session id, Telegram payload)."""
        ...

    def by_provider_id(self, provider: str, provider_payment_id: str) -> Payment | None:
        """The payment the provider knows by this id (Stripe PaymentIntent, Telegram charge)."""
        ...

    def of_booking(self, booking_id: int) -> builtins.list[Payment]:
        """Every payment of the booking, oldest first."""
        ...

    def move(self, from_booking_id: int, to_booking_id: int) -> None:
        """Point the payments and refunds of a booking at another (a reschedule's new booking)."""
        ...

    def list(self, *, host_id: int | None = None, since: datetime | None = None
             ) -> builtins.list[Payment]:
        """Payments (of one host; created at or after ``since``), oldest first."""
        ...

    def of_hosts(self, host_ids: Sequence[int], since: datetime
                 ) -> tuple[builtins.list[Payment], builtins.list[tuple[int, Refund]]]:
        """For a batch of hosts (the digest): their payments paid at or after ``since``,
        and their refunds made at or after ``since``, each with its host's id."""
        ...

    def add_refund(self, refund: Refund) -> None:
        """Add and flush, so ``refund.id`` is set on return."""
        ...

    def get_refund(self, refund_id: int) -> Refund | None: ...
    def refunds(self, *, payment_id: int | None = None, booking_id: int | None = None,
                host_id: int | None = None, since: datetime | None = None
                ) -> builtins.list[Refund]:
        """Refunds (of one payment / booking / host; made at or after ``since``), oldest first."""
        ...

    def first_event(self, provider: str, event_id: str, kind: str, now: datetime) -> bool:
        """Record a provider's event (a Stripe ``evt_…``) as handled at ``now``.

        Returns:
            False if it was recorded before (a replay: do nothing), else True.
        """
        ...

    def expired_holds(self, now: datetime, limit: int) -> builtins.list[Booking]:
        """Up to ``limit`` bookings still ``awaiting_payment`` whose hold ended by ``now``."""
        ...


@dataclass(frozen=True)
class CheckoutOrder:
    """What a guest is asked to pay for one booking.

    ``amount`` in the currency's minor unit; ``hold_until`` (aware UTC) is when
    the seat is let go unless paid; ``title``/``description`` are shown on the
    provider's payment page; ``locale`` is the guest's language tag, if known.
    """

    booking_id: int
    amount: int
    currency: str
    title: str
    description: str
    hold_until: datetime
    guest_email: str | None = None
    locale: str | None = None


@dataclass(frozen=True)
class Checkout:
    """Where the guest pays: ``checkout_id`` (a Stripe Checkout Session id, a Telegram
    invoice payload), the page ``url`` (None when the platform shows the invoice
    itself) and when the provider closes it (aware UTC; may be later than the hold)."""

    checkout_id: str
    url: str | None
    expires_at: datetime | None = None


class PaymentGateway(Protocol):
    """A payment provider (Stripe; Telegram Payments), seen from the services.

    ``name`` is what payments record as their ``provider``; ``refunds_by_api``
    says whether :meth:`refund` gives money back (False: the host refunds by
    hand, and the refund is recorded as ``manual``).
    """

    name: str
    refunds_by_api: bool

    def open_checkout(self, order: CheckoutOrder, *, now: datetime) -> Checkout:
        """Create the page or invoice the guest pays through.

        Raises:
            PaymentUnavailable: the provider cannot be reached or refused.
        """
        ...

    def close_checkout(self, checkout_id: str) -> None:
        """Close an unpaid checkout, so it can no longer be paid (a hold that ended).

        Raises:
            PaymentUnavailable: try again later.
        """
        ...

    def refund(self, payment: Payment, refund: Refund) -> str:
        """Give ``refund.amount`` of ``payment`` back; idempotent per ``refund.id``.

        Returns:
            The provider's refund id.

        Raises:
            PaymentRefused: refused for good. PaymentUnavailable: try again later.
        """
        ...


#: Provider name -> gateway, for the providers configured.
PaymentGateways = Mapping[str, PaymentGateway]


class RefusalRepository(Protocol):
    """How many messages the per-guest rate limit refused, per UTC day and platform."""

    def add(self, day: date, platform: str, count: int = 1) -> None: ...

    def total(self, first: date, last: date) -> int:
        """Refusals on the days ``first`` through ``last`` (both included), all platforms."""
        ...


class BusySource(Protocol):
    """Time taken outside Slotbot (the host's Google, CalDAV and ICS calendars)."""

    def busy(self, host: Host, start: datetime, end: datetime) -> list[Interval]:
        """The host's busy intervals overlapping ``[start, end)`` (aware, UTC).

        Raises:
            CalendarUnavailable: a calendar of the host cannot be checked and
                its last busy times are older than the stale limit.
        """
        ...


class UnitOfWork(Protocol):
    """One transaction. Rolls back on exit unless :meth:`commit` was called.

    Entering begins the transaction with the write lock taken up front
    (``BEGIN IMMEDIATE`` on SQLite), so a check-then-insert inside it is
    serialized with every other writer.

    Re-entrant: a use case handed a unit of work that is already open (a
    conversation turn calling several services) runs in a savepoint of it;
    its commit releases the savepoint, its rollback or error undoes only its
    own changes, and the outermost commit is the only one that ends the
    transaction.
    """

    hosts: HostRepository
    bookings: BookingRepository
    guests: GuestRepository
    conversations: ConversationRepository
    outbox: OutboxRepository
    contacts: ContactRepository
    jobs: JobRepository
    series: SeriesRepository
    #: The hosts' external calendars, read in this transaction; None: none connected.
    busy: BusySource | None
    links: LinkRepository
    payments: PaymentRepository
    refusals: RefusalRepository

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def reading(self) -> AbstractContextManager[Self]:
        """Enter for reads only, like ``with uow:`` but without a savepoint when nested.

        ``commit`` and ``rollback`` inside raise ``RuntimeError``.
        """
        ...

    def writing(self) -> AbstractContextManager[Self]:
        """Enter for writes that need no undo of their own, like ``with uow:`` but
        without a savepoint when nested: a failure inside fails the enclosing
        transaction. ``commit`` inside then only writes what is pending (the
        outermost level commits); ``rollback`` inside raises ``RuntimeError``.
        """
        ...

    def commit(self) -> None: ...
    def rollback(self) -> None: ...


#: Builds a fresh unit of work (one per use case).
UnitOfWorkFactory = Callable[[], UnitOfWork]
