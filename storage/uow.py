"""The SQLAlchemy unit of work: one session, one transaction, explicit commit."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from types import TracebackType
from typing import Self

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from storage.host_cache import HostCache, bump_rules_versions
from storage.inbox import SqlAlchemyInboxRepository
from storage.orm import start_mappers
from storage.repositories import (
    SqlAlchemyBookingRepository,
    SqlAlchemyContactRepository,
    SqlAlchemyConversationRepository,
    SqlAlchemyGuestRepository,
    SqlAlchemyHostRepository,
    SqlAlchemyJobRepository,
    SqlAlchemyOutboxRepository,
    SqlAlchemySeriesRepository,
)


class SqlAlchemyUnitOfWork:
    """Implements :class:`core.ports.UnitOfWork`; use once, in a ``with`` block.

    Entering opens a session and begins the transaction at once (on SQLite the
    engine emits ``BEGIN IMMEDIATE``, taking the write lock). Leaving closes the
    session, which rolls back whatever was not committed. Objects loaded inside
    stay readable afterwards, detached (``expire_on_commit=False``; closing
    does not expire them).
    """

    hosts: SqlAlchemyHostRepository
    bookings: SqlAlchemyBookingRepository
    guests: SqlAlchemyGuestRepository
    conversations: SqlAlchemyConversationRepository
    outbox: SqlAlchemyOutboxRepository
    contacts: SqlAlchemyContactRepository
    jobs: SqlAlchemyJobRepository
    series: SqlAlchemySeriesRepository
    inbox: SqlAlchemyInboxRepository

    def __init__(self, session_factory: Callable[[], Session], host_cache: HostCache) -> None:
        self._session_factory = session_factory
        self._host_cache = host_cache

    def __enter__(self) -> Self:
        self._session = self._session_factory()
        self._session.connection()  # begin now, not at the first query
        self.hosts = SqlAlchemyHostRepository(self._session, self._host_cache)
        self.bookings = SqlAlchemyBookingRepository(self._session)
        self.guests = SqlAlchemyGuestRepository(self._session)
        self.conversations = SqlAlchemyConversationRepository(self._session)
        self.outbox = SqlAlchemyOutboxRepository(self._session)
        self.contacts = SqlAlchemyContactRepository(self._session)
        self.jobs = SqlAlchemyJobRepository(self._session)
        self.series = SqlAlchemySeriesRepository(self._session)
        self.inbox = SqlAlchemyInboxRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Closing rolls back the open transaction without expiring the objects
        # read in it (``rollback()`` would), so read-only use cases can return them.
        self._session.close()

    def commit(self) -> None:
        self._session.commit()

    def rollback(self) -> None:
        self._session.rollback()


def make_uow_factory(engine: Engine) -> Callable[[], SqlAlchemyUnitOfWork]:
    """A factory of units of work on ``engine``; maps the domain classes first.

    The factory's units of work share one :class:`storage.host_cache.HostCache`
    (hosts with their rules, checked against ``hosts.rules_version``).

    Args:
        engine: from :func:`storage.db.make_engine` (its SQLite hooks are what
            make each unit of work take the write lock up front).
    """
    start_mappers()
    if not event.contains(Session, "after_flush", bump_rules_versions):
        event.listen(Session, "after_flush", bump_rules_versions)
    return partial(SqlAlchemyUnitOfWork, sessionmaker(bind=engine, expire_on_commit=False),
                   HostCache())
