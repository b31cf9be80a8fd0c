"""The SQLAlchemy unit of work: one session, one transaction, explicit commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from functools import partial
from types import TracebackType
from typing import Literal, Self

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from storage.calendars.source import CalendarHub, SessionBusySource
from storage.host_cache import (
    HostCache,
    bump_rules_versions,
    forget_table_version,
    forget_table_version_at_end,
)
from storage.inbox import SqlAlchemyInboxRepository
from storage.orm import start_mappers
from storage.payments.repository import SqlAlchemyPaymentRepository
from storage.repositories import (
    GuestsSeen,
    SqlAlchemyBookingRepository,
    SqlAlchemyContactRepository,
    SqlAlchemyConversationRepository,
    SqlAlchemyGuestRepository,
    SqlAlchemyHostRepository,
    SqlAlchemyJobRepository,
    SqlAlchemyLinkRepository,
    SqlAlchemyOutboxRepository,
    SqlAlchemyRefusalRepository,
    SqlAlchemySeriesRepository,
)


class SqlAlchemyUnitOfWork:
    """Implements :class:`core.ports.UnitOfWork`; use in a ``with`` block.

    Entering opens a session and begins the transaction at once (on SQLite the
    engine emits ``BEGIN IMMEDIATE``, taking the write lock). Leaving closes the
    session, which rolls back whatever was not committed. Objects loaded inside
    stay readable afterwards, detached (``expire_on_commit=False``; closing
    does not expire them).

    Re-entrant: entering it again while it is open (a service called inside a
    conversation turn's unit of work) opens a SAVEPOINT; :meth:`commit` and
    :meth:`rollback` then release it or roll back to it, and leaving rolls it
    back unless it was committed. Only the outermost level's commit ends the
    transaction, so a turn that calls several services commits once. A nested
    :meth:`reading` or :meth:`writing` level opens no savepoint.
    """

    hosts: SqlAlchemyHostRepository
    bookings: SqlAlchemyBookingRepository
    guests: SqlAlchemyGuestRepository
    conversations: SqlAlchemyConversationRepository
    outbox: SqlAlchemyOutboxRepository
    contacts: SqlAlchemyContactRepository
    jobs: SqlAlchemyJobRepository
    series: SqlAlchemySeriesRepository
    busy: SessionBusySource | None
    links: SqlAlchemyLinkRepository
    refusals: SqlAlchemyRefusalRepository
    inbox: SqlAlchemyInboxRepository
    payments: SqlAlchemyPaymentRepository

    def __init__(self, session_factory: Callable[[], Session], host_cache: HostCache,
                 calendars: CalendarHub | None = None) -> None:
        self._session_factory = session_factory
        self._host_cache = host_cache
        # The open inner levels, innermost last: a savepoint, or a level without one.
        self._savepoints: list[SessionTransaction | _Level] = []
        self._depth = 0
        self._calendars = calendars

    def __enter__(self) -> Self:
        self._depth += 1
        if self._depth > 1:
            self._savepoints.append(self._session.begin_nested())
            return self
        self._session = self._session_factory()
        self._session.connection()  # begin now, not at the first query
        self.hosts = SqlAlchemyHostRepository(self._session, self._host_cache)
        self.bookings = SqlAlchemyBookingRepository(self._session)
        guests_seen: GuestsSeen = {}
        self.guests = SqlAlchemyGuestRepository(self._session, guests_seen)
        self.conversations = SqlAlchemyConversationRepository(self._session, guests_seen)
        self.outbox = SqlAlchemyOutboxRepository(self._session)
        self.contacts = SqlAlchemyContactRepository(self._session)
        self.jobs = SqlAlchemyJobRepository(self._session)
        self.series = SqlAlchemySeriesRepository(self._session)
        self.busy = self._calendars.source(self._session) if self._calendars else None
        self.links = SqlAlchemyLinkRepository(self._session)
        self.refusals = SqlAlchemyRefusalRepository(self._session)
        self.inbox = SqlAlchemyInboxRepository(self._session)
        self.payments = SqlAlchemyPaymentRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            savepoint = self._savepoints.pop()
            if isinstance(savepoint, SessionTransaction) and savepoint.is_active:
                savepoint.rollback()
            return
        # Closing rolls back the open transaction without expiring the objects
        # read in it (``rollback()`` would), so read-only use cases can return them.
        self._session.close()
        if self.busy is not None:
            self.busy.finish()  # what was learned of the calendars, in its own transaction

    @contextmanager
    def reading(self) -> Iterator[Self]:
        """Enter for reads only: like ``with uow:``, but nested it opens no savepoint
        (there is nothing to undo), which saves two statements per read-only use case
        inside a turn.

        Raises:
            RuntimeError: from :meth:`commit` or :meth:`rollback` called inside.
        """
        with self._level(_Level.READ):
            yield self

    @contextmanager
    def writing(self) -> Iterator[Self]:
        """Enter for writes that need no undo of their own: like ``with uow:``, but
        nested it opens no savepoint (two statements fewer), so a failure inside
        fails the enclosing transaction; :meth:`commit` inside then only flushes.

        Raises:
            RuntimeError: from :meth:`rollback` called inside a nested level.
        """
        if self._depth == 0:
            with self:
                yield self
            return
        with self._level(_Level.JOINED):
            yield self

    @contextmanager
    def _level(self, level: _Level) -> Iterator[None]:
        """A level without a savepoint; outermost, it opens (and closes) the transaction."""
        outermost = self._depth == 0
        if outermost:
            self.__enter__()
        else:
            self._depth += 1
        self._savepoints.append(level)
        try:
            yield
        finally:
            self._savepoints.pop()
            if outermost:
                self.__exit__(None, None, None)  # closing rolls back what was not committed
            else:
                self._depth -= 1

    def commit(self) -> None:
        """Commit the transaction, or release the innermost savepoint when nested
        (flush, in a nested :meth:`writing` level)."""
        innermost = self._innermost("commit")
        if innermost is _Level.JOINED:
            self._session.flush()
        else:
            innermost.commit()

    def rollback(self) -> None:
        """Roll back the transaction, or to the innermost savepoint when nested."""
        innermost = self._innermost("rollback")
        if innermost is _Level.JOINED:
            raise RuntimeError("rollback inside a level without a savepoint (UnitOfWork.writing)")
        innermost.rollback()

    def _innermost(self, action: str) -> Session | SessionTransaction | Literal[_Level.JOINED]:
        """The innermost level's savepoint, the session when not nested, or JOINED."""
        if not self._savepoints:
            return self._session
        level = self._savepoints[-1]
        if level is _Level.READ:
            raise RuntimeError(f"{action} inside a read-only level (UnitOfWork.reading)")
        return level


class _Level(Enum):
    """A nested level of a unit of work that has no savepoint."""

    READ = "read"  # UnitOfWork.reading: nothing written, nothing to undo
    JOINED = "joined"  # UnitOfWork.writing: its writes are the enclosing level's


def make_uow_factory(engine: Engine, *, calendars: CalendarHub | None = None
                     ) -> Callable[[], SqlAlchemyUnitOfWork]:
    """A factory of units of work on ``engine``; maps the domain classes first.

    The factory's units of work share one :class:`storage.host_cache.HostCache`
    (hosts with their rules, checked against ``hosts.rules_version``).

    Args:
        engine: from :func:`storage.db.make_engine` (its SQLite hooks are what
            make each unit of work take the write lock up front).
        calendars: the hosts' external calendars (each unit of work's ``busy``);
            None: busy time comes from nowhere but bookings.
    """
    start_mappers()
    if not event.contains(Session, "after_flush", bump_rules_versions):
        event.listen(Session, "after_flush", bump_rules_versions)
        event.listen(Session, "after_commit", forget_table_version_at_end)
        event.listen(Session, "after_rollback", forget_table_version)
    return partial(SqlAlchemyUnitOfWork, sessionmaker(bind=engine, expire_on_commit=False),
                   HostCache(), calendars)
