"""Google OAuth grants of hosts, stored encrypted at rest (cryptography's Fernet).

The refresh token (and the short-lived access token) are encrypted with the
key of ``SLOTBOT_FERNET_KEY`` before they reach the database; without the key
no grant can be stored or read. Tokens never appear in logs or errors.

Grants are read while a guest's unit of work may hold the SQLite write lock,
so reads go through sessions that never take it (:func:`reader_sessions`),
and what a fetch learns (a refreshed access token, a revoked grant) is queued
and written by :meth:`GrantStore.settle` once that unit of work has ended.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Engine, create_engine, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.calendars.fetch import CalendarRefused
from storage.orm import google_grants


@dataclass(frozen=True)
class Grant:
    """A host's decrypted grant (``expires_at`` aware, of the access token)."""

    host_id: int
    refresh_token: str
    access_token: str | None
    expires_at: datetime | None
    invalid_at: datetime | None


def reader_sessions(engine: Engine) -> Callable[[], Session]:
    """Sessions for reads that never wait for a writer: on SQLite (WAL) a plain
    connection without ``BEGIN IMMEDIATE``; on PostgreSQL the engine itself."""
    if engine.dialect.name != "sqlite":
        return sessionmaker(bind=engine)
    return sessionmaker(bind=create_engine(engine.url, pool_size=2))


class GrantStore:
    """Reads and writes ``google_grants`` through its own short transactions.

    Args:
        session_factory: opens sessions on the database (writes).
        key: the Fernet key (urlsafe base64); None: Google is not usable.
        reader: sessions for reads (default ``session_factory``); see :func:`reader_sessions`.
    """

    def __init__(self, session_factory: Callable[[], Session], key: str | None,
                 reader: Callable[[], Session] | None = None) -> None:
        self._sessions = session_factory
        self._reader = reader or session_factory
        self._fernet = Fernet(key.encode()) if key else None
        self._queued: list[Callable[[Session], None]] = []
        self._lock = threading.Lock()

    def later(self, write: Callable[[Session], None]) -> None:
        """Queue a write for :meth:`settle`."""
        with self._lock:
            self._queued.append(write)

    def settle(self) -> None:
        """Apply the queued writes, in one transaction (call outside any unit of work)."""
        with self._lock:
            queued, self._queued = self._queued, []
        if not queued:
            return
        with self._sessions() as session:
            for write in queued:
                write(session)
            session.commit()

    def save(self, host_id: int, refresh_token: str, now: datetime,
             access_token: str | None = None, expires_at: datetime | None = None) -> None:
        """Store (or replace) the host's grant; clears an earlier ``invalid_grant``."""
        values = {"refresh_token": self._encrypt(refresh_token),
                  "access_token": self._encrypt(access_token) if access_token else None,
                  "expires_at": expires_at, "connected_at": now, "invalid_at": None}
        with self._sessions() as session:
            done = session.execute(update(google_grants)
                                   .where(google_grants.c.host_id == host_id).values(**values))
            if not done.rowcount:  # type: ignore[attr-defined]
                session.execute(insert(google_grants).values(host_id=host_id, **values))
            session.commit()

    def load(self, host_id: int) -> Grant | None:
        """The host's grant, decrypted; None if the host never connected.

        Raises:
            CalendarRefused: no key is configured, or the key does not open it.
        """
        with self._reader() as session:
            row = session.execute(select(google_grants)
                                  .where(google_grants.c.host_id == host_id)).first()
        if row is None:
            return None
        access = self._decrypt(row.access_token) if row.access_token else None
        return Grant(host_id, self._decrypt(row.refresh_token), access, row.expires_at,
                     row.invalid_at)

    def remember_access(self, host_id: int, access_token: str, expires_at: datetime | None
                        ) -> None:
        """Keep a refreshed access token (encrypted) so other processes reuse it (queued)."""
        stored = self._encrypt(access_token)

        def write(session: Session) -> None:
            session.execute(update(google_grants).where(google_grants.c.host_id == host_id)
                            .values(access_token=stored, expires_at=expires_at))

        self.later(write)

    def mark_invalid(self, host_id: int, now: datetime, first_time: Callable[[Session], None]
                     ) -> None:
        """Record Google's ``invalid_grant`` (queued); ``first_time`` runs in the same
        transaction only if it was not recorded before (tell the host once)."""

        def write(session: Session) -> None:
            done = session.execute(update(google_grants)
                                   .where(google_grants.c.host_id == host_id,
                                          google_grants.c.invalid_at.is_(None))
                                   .values(invalid_at=now))
            if done.rowcount:  # type: ignore[attr-defined]
                first_time(session)

        self.later(write)

    def _encrypt(self, secret: str) -> str:
        if self._fernet is None:
            raise CalendarRefused("SLOTBOT_FERNET_KEY is not set: Google tokens cannot be kept")
        return self._fernet.encrypt(secret.encode()).decode()

    def _decrypt(self, stored: str) -> str:
        if self._fernet is None:
            raise CalendarRefused("SLOTBOT_FERNET_KEY is not set: Google tokens cannot be read")
        try:
            return self._fernet.decrypt(stored.encode()).decode()
        except InvalidToken:
            raise CalendarRefused("SLOTBOT_FERNET_KEY does not open the stored Google grant "
                                  "(was the key changed?)") from None
