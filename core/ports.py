"""What the services need from the outside world, as Protocols.

``storage`` implements them with SQLAlchemy; ``tests`` with in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from core.models import (
    Booking,
    BookingStatus,
    ConversationState,
    Guest,
    Host,
    Interval,
    OutboxMessage,
)

#: Returns the current instant as an aware datetime in UTC.
Clock = Callable[[], datetime]


class HostRepository(Protocol):
    def add(self, host: Host) -> None: ...
    def get(self, handle: str) -> Host | None: ...
    def get_by_id(self, host_id: int) -> Host | None: ...
    def list(self) -> list[Host]: ...
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
    def overlapping(self, host_id: int, start: datetime, end: datetime) -> list[Booking]:
        """Live bookings of the host that overlap ``[start, end)``, by start."""
        ...

    def for_guest(self, guest_id: int, *, ending_after: datetime) -> list[Booking]:
        """The guest's live bookings that end after ``ending_after``, by start."""
        ...

    def list(
        self, *, host_id: int | None = None, status: BookingStatus | None = None
    ) -> list[Booking]: ...


class GuestRepository(Protocol):
    def add(self, guest: Guest) -> None: ...
    def get(self, platform: str, platform_user_id: str) -> Guest | None: ...
    def get_by_id(self, guest_id: int) -> Guest | None: ...


class ConversationRepository(Protocol):
    def add(self, state: ConversationState) -> None: ...
    def get(self, platform: str, chat_id: str, user_id: str) -> ConversationState | None: ...


class OutboxRepository(Protocol):
    def add(self, message: OutboxMessage) -> None: ...
    def list(self) -> list[OutboxMessage]: ...


class BusySource(Protocol):
    """Time taken outside Slotbot (e.g. Google Calendar free/busy)."""

    def busy(self, host: Host, start: datetime, end: datetime) -> list[Interval]: ...


class UnitOfWork(Protocol):
    """One transaction. Rolls back on exit unless :meth:`commit` was called.

    Entering begins the transaction with the write lock taken up front
    (``BEGIN IMMEDIATE`` on SQLite), so a check-then-insert inside it is
    serialized with every other writer.
    """

    hosts: HostRepository
    bookings: BookingRepository
    guests: GuestRepository
    conversations: ConversationRepository
    outbox: OutboxRepository

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


#: Builds a fresh unit of work (one per use case).
UnitOfWorkFactory = Callable[[], UnitOfWork]
