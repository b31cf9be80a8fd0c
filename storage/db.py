"""Engines for the two supported databases: SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from core.errors import ConnectionLost, SlotbotError
from storage import write_gate

#: How long a SQLite writer waits for the write lock before failing, in ms.
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: A pooled PostgreSQL connection idle at least this long is pinged before use, in seconds.
PING_AFTER_IDLE_SECONDS = 10.0


def make_engine(url: str, *, pool_size: int = 5,
                ping_after: float = PING_AFTER_IDLE_SECONDS,
                clock: Callable[[], float] = time.monotonic) -> Engine:
    """Build an engine for ``url`` with Slotbot's transaction rules.

    SQLite (``sqlite:///path.db``) gets WAL journaling, a 30 s busy timeout,
    foreign keys, and transactions that begin with ``BEGIN IMMEDIATE`` (the
    write lock up front, so check-then-insert is serialized), queued in this
    process by :mod:`storage.write_gate` (urgent writes first). PostgreSQL
    (``postgresql+psycopg://user@host:port/db``) pings a pooled connection
    before use only when it sat idle for ``ping_after`` seconds: a busy bot's
    connections are never pinged (a round trip per turn saved), a quiet one's
    survive a server restart unnoticed. A connection that breaks anyway in the
    middle of a transaction raises :class:`core.errors.ConnectionLost` (nothing
    committed, the pool reconnects; SQLAlchemy's "optimistic" disconnect
    handling), which the conversation answers by running the turn again.
    On both, a domain error raised while binding parameters (e.g.
    :class:`core.errors.InvalidTime` for a naive datetime) propagates as itself
    rather than wrapped in ``sqlalchemy.exc.StatementError``.

    Args:
        url: a SQLAlchemy database URL.
        pool_size: connections kept open (up to 10 more are opened under load).
        ping_after: PostgreSQL only: idle seconds after which a connection is pinged.
        clock: monotonic seconds, for that idle time (tests pass their own).

    Returns:
        A new engine; nothing connects until it is used.
    """
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, pool_size=pool_size)
        event.listen(engine, "connect", _configure_sqlite_connection)
        write_gate.install(engine)  # before BEGIN IMMEDIATE: one writer of this process at a time
        event.listen(engine, "begin", _begin_immediate)
    else:
        engine = create_engine(url, pool_size=pool_size)
        _ping_when_idle(engine, ping_after, clock)
    event.listen(engine, "handle_error", _translate_error)
    return engine


def _ping_when_idle(engine: Engine, ping_after: float, clock: Callable[[], float]) -> None:
    """Ping a connection checked out after ``ping_after`` idle seconds; replace it if dead.

    Raising ``DisconnectionError`` from the pool's ``checkout`` event makes the
    pool drop the connection and try a new one (SQLAlchemy docs, "Disconnect
    Handling - Pessimistic", custom ping).
    """

    def checkin(_dbapi: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = clock()

    def checkout(dbapi: Any, record: ConnectionPoolEntry,
                 _proxy: PoolProxiedConnection) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or clock() - since < ping_after:
            return
        try:
            engine.dialect.do_ping(dbapi)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error

    event.listen(engine.pool, "checkin", checkin)
    event.listen(engine.pool, "checkout", checkout)


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Take BEGIN out of the sqlite3 module's hands; _begin_immediate emits it
    # (SQLAlchemy docs, "Enabling Non-Legacy SQLite Transactional Modes").
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _translate_error(context: ExceptionContext) -> BaseException | None:
    if isinstance(context.original_exception, SlotbotError):
        return context.original_exception
    if context.is_disconnect and context.connection is not None:
        # SQLAlchemy still invalidates the connection and the pool after this hook.
        return ConnectionLost(str(context.original_exception))
    return None
