"""SQLAlchemy implementations of the repositories in :mod:`core.ports`.

Each repository works inside the session of its unit of work and never
commits. Every ``add`` flushes, so the object's ``id`` is set on return and a
constraint violation surfaces at the call that caused it.
"""

from __future__ import annotations

import builtins
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from core.models import (
    LIVE_STATUSES,
    Booking,
    BookingStatus,
    ConversationState,
    Guest,
    Host,
    OutboxMessage,
)
from storage.orm import bookings, conversation_states, guests, hosts, outbox


class SqlAlchemyHostRepository:
    """Hosts, always loaded with working hours, date overrides and event types."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, host: Host) -> None:
        self._session.add(host)
        self._session.flush()

    def get(self, handle: str) -> Host | None:
        return self._session.scalars(self._select().where(hosts.c.handle == handle)).first()

    def get_by_id(self, host_id: int) -> Host | None:
        return self._session.scalars(self._select().where(hosts.c.id == host_id)).first()

    def list(self) -> builtins.list[Host]:
        return list(self._session.scalars(self._select().order_by(hosts.c.handle)))

    def by_platform_user(self, platform: str, user_id: str) -> Host | None:
        """The host whose ``telegram_user_id``/``slack_user_id`` is ``user_id``.

        Returns None for any other ``platform``.
        """
        column = {"telegram": hosts.c.telegram_user_id, "slack": hosts.c.slack_user_id}.get(
            platform
        )
        if column is None:
            return None
        query = self._select().where(column == user_id).order_by(hosts.c.id)
        return self._session.scalars(query).first()

    def lock(self, host: Host) -> None:
        """``SELECT … FOR UPDATE`` on the host row until the transaction ends.

        SQLite has no row locks and SQLAlchemy renders no ``FOR UPDATE`` there:
        the unit of work already holds the database write lock.
        """
        self._session.execute(select(hosts.c.id).where(hosts.c.id == host.id).with_for_update())

    @staticmethod
    def _select() -> Select[tuple[Host]]:
        return select(Host).options(
            selectinload(Host.working_hours),
            selectinload(Host.date_overrides),
            selectinload(Host.event_types),
        )


class SqlAlchemyBookingRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, booking: Booking) -> None:
        self._session.add(booking)
        self._session.flush()

    def get(self, booking_id: int) -> Booking | None:
        return self._session.get(Booking, booking_id)

    def overlapping(self, host_id: int, start: datetime, end: datetime) -> builtins.list[Booking]:
        """Live bookings of the host that overlap ``[start, end)``, by start.

        Args:
            host_id: the host's id.
            start: aware datetime, inclusive.
            end: aware datetime, exclusive.

        Raises:
            InvalidTime: if ``start`` or ``end`` is naive.
        """
        query = select(Booking).where(
            bookings.c.host_id == host_id,
            bookings.c.start < end,
            bookings.c.end > start,
            bookings.c.status.in_(LIVE_STATUSES),
        )
        return self._ordered(query)

    def for_guest(self, guest_id: int, *, ending_after: datetime) -> builtins.list[Booking]:
        """The guest's live bookings that end after ``ending_after`` (aware), by start.

        Raises:
            InvalidTime: if ``ending_after`` is naive.
        """
        query = select(Booking).where(
            bookings.c.guest_id == guest_id,
            bookings.c.end > ending_after,
            bookings.c.status.in_(LIVE_STATUSES),
        )
        return self._ordered(query)

    def list(
        self, *, host_id: int | None = None, status: BookingStatus | None = None
    ) -> builtins.list[Booking]:
        """All bookings, optionally of one host and/or in one status, by start."""
        query = select(Booking)
        if host_id is not None:
            query = query.where(bookings.c.host_id == host_id)
        if status is not None:
            query = query.where(bookings.c.status == status)
        return self._ordered(query)

    def _ordered(self, query: Select[tuple[Booking]]) -> builtins.list[Booking]:
        return list(self._session.scalars(query.order_by(bookings.c.start, bookings.c.id)))


class SqlAlchemyGuestRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, guest: Guest) -> None:
        self._session.add(guest)
        self._session.flush()

    def get(self, platform: str, platform_user_id: str) -> Guest | None:
        query = select(Guest).where(
            guests.c.platform == platform, guests.c.platform_user_id == platform_user_id
        )
        return self._session.scalars(query).first()

    def get_by_id(self, guest_id: int) -> Guest | None:
        return self._session.get(Guest, guest_id)


class SqlAlchemyConversationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, state: ConversationState) -> None:
        """Store ``state``, replacing any stored state with the same platform+chat+user."""
        stored = self.get(state.platform, state.chat_id, state.user_id)
        if stored is state:
            return
        if stored is not None:
            self._session.delete(stored)
            self._session.flush()
        self._session.add(state)
        self._session.flush()

    def get(self, platform: str, chat_id: str, user_id: str) -> ConversationState | None:
        query = select(ConversationState).where(
            conversation_states.c.platform == platform,
            conversation_states.c.chat_id == chat_id,
            conversation_states.c.user_id == user_id,
        )
        return self._session.scalars(query).first()


class SqlAlchemyOutboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, message: OutboxMessage) -> None:
        self._session.add(message)
        self._session.flush()

    def list(self) -> builtins.list[OutboxMessage]:
        """Every message, oldest first."""
        return list(self._session.scalars(select(OutboxMessage).order_by(outbox.c.id)))
