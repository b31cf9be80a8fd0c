"""SQLAlchemy implementations of the repositories in :mod:`core.ports`.

Each repository works inside the session of its unit of work and never
commits. Every ``add`` flushes, so the object's ``id`` is set on return and a
constraint violation surfaces at the call that caused it.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, cast

import orjson
from sqlalchemy import (
    Integer,
    any_,
    bindparam,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql import ColumnElement, Select, Update
from sqlalchemy.sql.expression import CTE, FromClause
from sqlalchemy.types import TypeEngine

from core.directory import EventTypeEntry, HostDirectory, HostEntry
from core.errors import BookingConflict, GuestAddedMeanwhile
from core.models import (
    LIVE_STATUSES,
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
    OutboxMessage,
    OutboxStatus,
    QueuedMessage,
    require_aware,
)
from storage.db import dialect_insert as _insert
from storage.host_cache import HostCache, attach, remember_table_version, table_version
from storage.orm import (
    bookings,
    contact_notes,
    contacts,
    conversation_states,
    daily_runs,
    event_types,
    guests,
    host_directory,
    hosts,
    outbox,
    rate_limit_refusals,
    reminders,
    used_links,
)
from storage.types import UTCDateTime

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

# The booking path's statements, built once (their SQL is cached by SQLAlchemy either
# way; building them per call was a tenth of a booking's client time).
_VERSION_BY_HANDLE = select(hosts.c.id, hosts.c.rules_version).where(
    hosts.c.handle == bindparam("handle"))
_VERSION_BY_ID = select(hosts.c.id, hosts.c.rules_version).where(hosts.c.id == bindparam("id"))
_LOCK_HOST = select(hosts.c.rules_version).where(hosts.c.id == bindparam("id")).with_for_update()
_VERSIONS = select(hosts.c.id, hosts.c.rules_version).order_by(hosts.c.handle)
#: The hosts table's version (see storage.host_cache).
_DIRECTORY_VERSION = select(host_directory.c.version)
_DIRECTORY_HOSTS = select(hosts.c.id, hosts.c.handle, hosts.c.name, hosts.c.timezone,
                          hosts.c.rules_version)
_DIRECTORY_EVENT_TYPES = select(event_types.c.id, event_types.c.host_id, event_types.c.slug,
                                event_types.c.title, event_types.c.duration,
                                event_types.c.aliases).order_by(event_types.c.id)


class SqlAlchemyHostRepository:
    """Hosts, always loaded with working hours, date overrides and event types.

    ``get`` and ``get_by_id`` read only the host's ``(id, rules_version)`` and
    take the rest from ``cache`` when its copy is of that version
    (:mod:`storage.host_cache`); ``lock`` re-reads a host whose version moved
    in between.
    """

    def __init__(self, session: Session, cache: HostCache) -> None:
        self._session = session
        self._cache = cache
        self._versions: dict[int, int] = {}  # host id -> rules_version its rules were read at
        self._by_handle: dict[str, Host] = {}  # hosts this unit of work has returned by handle
        self._read: dict[str, Host] = {}  # shared read-only copies it has returned by handle

    def add(self, host: Host) -> None:
        self._session.add(host)
        self._session.flush()

    def get(self, handle: str) -> Host | None:
        """The host with its rules; asked again in this unit of work, without SQL."""
        known = self._by_handle.get(handle)
        if known is not None and known in self._session:
            return known
        host = self._cached(_VERSION_BY_HANDLE, {"handle": handle}, handle=handle)
        if host is not None:
            self._by_handle[handle] = host
        return host

    def get_by_id(self, host_id: int) -> Host | None:
        return self._cached(_VERSION_BY_ID, {"id": host_id})

    def read(self, handle: str) -> Host | None:
        """The host with its rules, to read only: this unit of work's instance if it has
        one, else the process's shared copy, not merged into the session (merging a
        host's rules was a fifth of a guest's turn). Asked again, without SQL."""
        attached = self._by_handle.get(handle)
        if attached is not None and attached in self._session:
            return attached
        known = self._read.get(handle)
        if known is not None:
            return known
        host = self._cached(_VERSION_BY_HANDLE, {"handle": handle}, handle=handle,
                            attached=False)
        if host is not None:
            self._read[handle] = host
        return host

    def list(self) -> builtins.list[Host]:
        return list(self._session.scalars(self._select().order_by(hosts.c.handle)))

    def directory(self) -> HostDirectory:
        """Every host's name, zone and event types, shared by the process's messages.

        One one-row query when nothing changed since it was built (see
        :mod:`storage.host_cache`), none when the dialog's lock read that row
        already; two narrow ones (hosts, event types) to rebuild.
        Either way this unit of work then knows every host's rules version, so
        :meth:`get` and :meth:`read` need no query of their own for a cached host.
        """
        version = table_version(self._session)
        if version is None:
            version = self._table_version()
        directory = self._cache.directory(version)
        if directory is None:
            types: dict[int, builtins.list[EventTypeEntry]] = {}
            for type_id, host_id, slug, title, duration, aliases in self._session.execute(
                    _DIRECTORY_EVENT_TYPES):
                types.setdefault(host_id, []).append(
                    EventTypeEntry(type_id, slug, title, duration, tuple(aliases)))
            rows = self._session.execute(_DIRECTORY_HOSTS).all()
            directory = HostDirectory.of(
                HostEntry(host_id, handle, name, timezone, tuple(types.get(host_id, ())))
                for host_id, handle, name, timezone, _ in rows)
            self._cache.put_directory(version, directory, {
                handle: (host_id, rules_version)
                for host_id, handle, _, _, rules_version in rows})
        return directory

    def snapshots(self) -> builtins.list[Host]:
        """Every host with its rules, in handle order, as read-only shared copies.

        When the hosts table is as it was at the last call (the directory's
        one-row version), the same copies without more SQL; else one query of
        every ``(id, rules_version)``, and hosts whose copy is missing or stale
        loaded together in one more. The copies are not in this session and are
        shared with other threads: read them, never change them.
        """
        table = self._table_version()
        known_copies = self._cache.snapshots(table)
        if known_copies is not None:
            return known_copies
        versions = self._session.execute(_VERSIONS).all()
        stale = [host_id for host_id, version in versions
                 if self._cache.get(host_id, version) is None]
        if stale:
            with Session(bind=self._session.connection()) as side:
                loaded = side.scalars(self._select().where(hosts.c.id.in_(stale))).all()
            known = dict(versions)
            for host in loaded:
                self._cache.put(cast(int, host.id), known[host.id], host)
        copies = (self._cache.get(host_id, version) for host_id, version in versions)
        snapshots = [host for host in copies if host is not None]
        self._cache.put_snapshots(table, snapshots)
        return snapshots

    def _table_version(self) -> int:
        """The hosts table's version: ``host_directory``'s one row, which moves whenever a
        host is added, deleted or its row or rules change (storage.host_cache)."""
        version = int(self._session.execute(_DIRECTORY_VERSION).scalar_one())
        remember_table_version(self._session, version)
        return version

    def by_platform_user(self, platform: str, user_id: str) -> Host | None:
        """The host whose ``telegram_user_id``/``slack_user_id`` is ``user_id``.

        An indexed lookup of the host's ``(id, rules_version)``; its rules come
        from the cache like :meth:`get`'s. Returns None for any other ``platform``.
        """
        column = {"telegram": hosts.c.telegram_user_id, "slack": hosts.c.slack_user_id}.get(
            platform
        )
        if column is None:
            return None
        query = (select(hosts.c.id, hosts.c.rules_version).where(column == user_id)
                 .order_by(hosts.c.id).limit(1))
        return self._cached(query, {})

    def lock(self, host: Host) -> None:
        """``SELECT … FOR UPDATE`` on the host row until the transaction ends.

        If the host's rules changed since this unit of work read them (another
        transaction committed a change while this one waited for the lock),
        ``host`` and its rule objects are re-read in place, so checks made
        under the lock use the rules as committed now.

        SQLite has no row locks and SQLAlchemy renders no ``FOR UPDATE`` there:
        the unit of work already holds the database write lock.
        """
        host_id = host.id
        version = self._session.execute(_LOCK_HOST, {"id": host_id}).scalar()
        if host_id is not None and version is not None and self._versions.get(
                host_id, version) != version:
            self._session.scalars(
                self._select().where(hosts.c.id == host_id)
                .execution_options(populate_existing=True)
            ).first()
            self._versions[host_id] = version

    def _cached(self, version_query: Select[int, int], params: dict[str, object], *,
                handle: str | None = None, attached: bool = True) -> Host | None:
        """The host ``version_query`` finds: from this session, the cache, or loaded;
        with ``attached=False`` the cached copy itself, not merged into the session.

        With ``handle``, the query is skipped when this unit of work read the
        hosts table's version and the cache knows the host's version at it.
        """
        row = (None if handle is None else
               self._cache.rules_version(table_version(self._session), handle))
        if row is None:
            row = self._session.execute(version_query, params).first()
        if row is None:
            return None
        host_id, version = row[0], row[1]
        present = self._session.identity_map.get(identity_key(Host, host_id))
        if present is not None:
            return cast(Host, present)
        copy = self._cache.get(host_id, version)
        if copy is None:
            # Read in a side session on the same connection (this transaction),
            # so the cached copy is never an object a caller may change.
            with Session(bind=self._session.connection()) as side:
                copy = side.scalars(self._select().where(hosts.c.id == host_id)).first()
            if copy is None:
                return None
            self._cache.put(host_id, version, copy)
        if not attached:
            return copy
        self._versions[host_id] = version
        return attach(self._session, copy)

    @staticmethod
    def _select() -> Select[Host]:
        return select(Host).options(
            selectinload(Host.working_hours),
            selectinload(Host.date_overrides),
            selectinload(Host.event_types),
            selectinload(Host.calendars),
        )


class SqlAlchemyBookingRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, booking: Booking) -> None:
        """Add and flush, so ``booking.id`` is set on return.

        Raises:
            BookingConflict: PostgreSQL's exclusion constraint refused an
                overlapping exclusive booking; the transaction must be rolled back.
        """
        self._session.add(booking)
        _flush(self._session, _EXCLUSION_VIOLATION,
               lambda: BookingConflict(f"booking at {booking.start} overlaps another"))

    def get(self, booking_id: int) -> Booking | None:
        return self._session.get(Booking, booking_id)

    def get_for_update(self, booking_id: int) -> Booking | None:
        """The booking as committed now, its row locked until the transaction ends.

        Refreshes an already loaded object, so a status another transaction
        changed while this one waited for the host lock is seen.
        """
        query = (
            select(Booking)
            .where(bookings.c.id == booking_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return self._session.scalars(query).first()

    def of_series(self, series_id: int) -> builtins.list[Booking]:
        """Every occurrence of a recurring series, in any status, by start."""
        return self._ordered(select(Booking).where(bookings.c.series_id == series_id))

    def overlapping(self, host_id: int, start: datetime, end: datetime) -> builtins.list[Booking]:
        """Live bookings of the host that overlap ``[start, end)``, by start.

        Args:
            host_id: the host's id.
            start: aware datetime, inclusive.
            end: aware datetime, exclusive.

        Raises:
            InvalidTime: if ``start`` or ``end`` is naive.
        """
        params = {"host_id": host_id, "start": start, "end": end,
                  "earliest": start - _LONGEST_BOOKING}
        return list(self._session.scalars(_overlapping(), params))

    def overlapping_hosts(self, host_ids: Sequence[int], start: datetime, end: datetime
                          ) -> builtins.list[Booking]:
        """Live bookings of any of ``host_ids`` that overlap ``[start, end)``, by start.

        One query (``host_id IN …`` over the ``(host_id, start)`` index).
        """
        if not host_ids:
            return []
        params = {"host_ids": list(host_ids), "start": start, "end": end,
                  "earliest": start - _LONGEST_BOOKING}
        return list(self._session.scalars(_overlapping_hosts(), params))

    def for_guest(self, guest_id: int, *, ending_after: datetime) -> builtins.list[Booking]:
        """The guest's live bookings that end after ``ending_after`` (aware), by start.

        Raises:
            InvalidTime: if ``ending_after`` is naive.
        """
        query = select(Booking).where(
            bookings.c.guest_id == guest_id,
            bookings.c.end > ending_after,
            _IS_LIVE,
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

    def activity(self, host_id: int, since: datetime) -> builtins.list[Booking]:
        """The host's bookings made, cancelled or starting at or after ``since`` (aware).

        Raises:
            InvalidTime: if ``since`` is naive.
        """
        query = select(Booking).where(
            bookings.c.host_id == host_id,
            or_(
                bookings.c.start >= since,
                bookings.c.created_at >= since,
                bookings.c.cancelled_at >= since,
            ),
        )
        return self._ordered(query)

    def starting(self, host_id: int, start: datetime, end: datetime) -> builtins.list[Booking]:
        """The host's bookings in any status that start in ``[start, end)`` (aware), by start."""
        query = select(Booking).where(bookings.c.host_id == host_id, bookings.c.start >= start,
                                      bookings.c.start < end)
        return self._ordered(query)

    def of_contact(self, host_id: int, guest_id: int) -> builtins.list[Booking]:
        """Every booking of the guest with the host, in any status, by start."""
        query = select(Booking).where(bookings.c.host_id == host_id,
                                      bookings.c.guest_id == guest_id)
        return self._ordered(query)

    def _ordered(self, query: Select[Booking]) -> builtins.list[Booking]:
        return list(self._session.scalars(query.order_by(bookings.c.start, bookings.c.id)))


#: Guests a unit of work has read, by (platform, platform user id), None for one found
#: missing: its repositories share it.
GuestsSeen = dict[tuple[str, str], Guest | None]


class SqlAlchemyGuestRepository:
    """Guests; one read already made in this unit of work is not made again.

    Args:
        seen: shared with :class:`SqlAlchemyConversationRepository`, whose
            :meth:`~SqlAlchemyConversationRepository.lock` reads the dialog's
            guest in the same statement.
    """

    def __init__(self, session: Session, seen: GuestsSeen) -> None:
        self._session = session
        self._seen = seen

    def add(self, guest: Guest) -> None:
        """Add and flush, so ``guest.id`` is set on return.

        Raises:
            GuestAddedMeanwhile: another transaction stored this platform identity
                first (its unique constraint); the transaction must be rolled back.
        """
        self._session.add(guest)
        _flush(self._session, _UNIQUE_VIOLATION, lambda: GuestAddedMeanwhile(
            f"{guest.platform} user {guest.platform_user_id} stored meanwhile"))
        self._seen[(guest.platform, guest.platform_user_id)] = guest

    def get(self, platform: str, platform_user_id: str) -> Guest | None:
        """The guest, or None; one found missing earlier in this unit of work is not
        looked up again (a new guest's first message: the dialog's lock found none)."""
        key = (platform, platform_user_id)
        if key in self._seen:
            known = self._seen[key]
            if known is None or known in self._session:
                return known
        guest = self._session.scalars(_guest_by_identity(), {
            "platform": platform, "user": platform_user_id}).first()
        if guest is not None:
            self._seen[key] = guest
        return guest

    def get_by_id(self, guest_id: int) -> Guest | None:
        return self._session.get(Guest, guest_id)


class SqlAlchemyConversationRepository:
    def __init__(self, session: Session, guests_seen: GuestsSeen) -> None:
        self._session = session
        self._guests_seen = guests_seen

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
        return self._session.scalars(_dialog(), _dialog_key(platform, chat_id, user_id)).first()

    def lock(self, platform: str, chat_id: str, user_id: str) -> ConversationState:
        """The dialog's stored state, its row locked until the transaction ends.

        One statement when the dialog exists, which also reads the guest
        ``user_id`` or finds it missing (so the turn's ``guests.get`` needs none)
        and the hosts table's version (so the turn's ``hosts.directory`` needs
        none). A new dialog is inserted (``INSERT … ON CONFLICT DO NOTHING``: a
        concurrent first message waits for it, then finds the row) and read the
        same way: on PostgreSQL in one more statement, from the insert's
        ``RETURNING``; on SQLite in two.
        """
        key = _dialog_key(platform, chat_id, user_id)
        row = self._session.execute(_locked_dialog(), key).first()
        if row is None:
            dialect = self._session.get_bind().dialect.name
            if dialect == "postgresql":
                row = self._session.execute(_inserted_dialog(), key).first()
            else:
                self._session.execute(_insert_dialog(dialect), key)
            if row is None:  # SQLite; or another transaction inserted it first
                row = self._session.execute(_locked_dialog(), key).one()
        stored, guest, version = row
        self._guests_seen[(platform, user_id)] = guest
        remember_table_version(self._session, int(version))
        return cast(ConversationState, stored)

    def save(self, stored: ConversationState, *, state: str, data: dict[str, Any],
             updated_at: datetime) -> None:
        """One UPDATE of the dialog's row, issued at once; ``stored`` then shows the
        values as committed ones, so the session's flush has nothing left to write
        (the ORM's flush of one changed row was a sixth of a turn's client time)."""
        self._session.execute(_SAVE_DIALOG, {"dialog": stored.id, "new_state": state,
                                             "new_data": data, "new_updated_at": updated_at})
        set_committed_value(stored, "state", state)
        set_committed_value(stored, "data", MutableDict.coerce("data", data))
        set_committed_value(stored, "updated_at", updated_at)


def _json_rows(messages: Sequence[OutboxMessage | QueuedMessage]) -> str:
    """Outbox rows as :data:`_OUTBOX_FROM_JSON` reads them, one JSON array of objects.

    Encoded by orjson, which writes instants in ISO 8601 with their offset and
    enums by value itself, in a tenth of the standard library's time for a sweep's
    thousand rows. Each distinct instant is checked to be aware once (a sweep's rows
    share theirs).

    Raises:
        InvalidTime: an instant is naive.
    """
    checked: set[datetime] = set()
    rows = []
    for values in map(_outbox_values, messages):
        for instant in (values[4], values[7]):  # created_at, next_attempt_at
            if instant is not None and instant not in checked:
                checked.add(require_aware(cast(datetime, instant)))
        rows.append(dict(zip(_OUTBOX_COLUMNS, values, strict=True)))
    return orjson.dumps(rows, option=orjson.OPT_NON_STR_KEYS).decode()


#: PostgreSQL: rows added together, sent as one JSON document (a parameter list would be
#: one INSERT per row for psycopg; a text array of JSON payloads is slow to escape).
_OUTBOX_FROM_JSON = text(
    "INSERT INTO outbox (channel, recipient, kind, payload, created_at, status, attempts,"
    " next_attempt_at) SELECT * FROM json_to_recordset(CAST(:rows AS json)) AS r(channel"
    " varchar, recipient varchar, kind varchar, payload json, created_at timestamptz,"
    " status varchar, attempts integer, next_attempt_at timestamptz)")


#: The columns :meth:`SqlAlchemyOutboxRepository.add_many` writes, in order.
_OUTBOX_COLUMNS = ("channel", "recipient", "kind", "payload", "created_at", "status", "attempts",
                   "next_attempt_at")
#: SQLite: the insert of one row in :data:`_OUTBOX_COLUMNS` order (``qmark`` parameters).
_OUTBOX_INSERT_QMARK = (f"INSERT INTO outbox ({', '.join(_OUTBOX_COLUMNS)})"
                        f" VALUES ({', '.join('?' * len(_OUTBOX_COLUMNS))})")


def _outbox_values(message: OutboxMessage | QueuedMessage) -> tuple[object, ...]:
    """The row of ``message`` in :data:`_OUTBOX_COLUMNS` order (a queued message not
    stored yet: status queued, no attempt, due now)."""
    return (message.channel, message.recipient, message.kind, message.payload,
            message.created_at, getattr(message, "status", OutboxStatus.QUEUED),
            getattr(message, "attempts", 0), getattr(message, "next_attempt_at", None))


def _converter(type_: TypeEngine[object], dialect: Dialect, *, memo: bool
               ) -> Callable[[object], object]:
    """What ``type_`` sends the driver for a value; with ``memo``, each distinct
    (hashable) value converted once."""
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return _same
    if not memo:
        return process
    done: dict[object, object] = {}

    def convert(value: object) -> object:
        try:
            return done[value]
        except KeyError:
            done[value] = converted = process(value)
            return converted

    return convert


def _same(value: object) -> object:
    return value


#: The dialog of ``platform`` + ``chat`` + ``user`` (bind parameters, see :func:`_dialog_key`).
_IS_DIALOG = (conversation_states.c.platform == bindparam("platform"),
              conversation_states.c.chat_id == bindparam("chat"),
              conversation_states.c.user_id == bindparam("user"))


_SAVE_DIALOG = (update(conversation_states)
                .where(conversation_states.c.id == bindparam("dialog"))
                .values(state=bindparam("new_state"), data=bindparam("new_data"),
                        updated_at=bindparam("new_updated_at")))


@cache
def _dialog() -> Select[ConversationState]:
    """The dialog (built once)."""
    return select(ConversationState).where(*_IS_DIALOG)


@cache
def _locked_dialog() -> Select[ConversationState, Guest, int]:
    """The dialog (row locked), its guest if one is stored, and the hosts table's
    version (built once)."""
    return (select(ConversationState, Guest, _DIRECTORY_VERSION.scalar_subquery())
            .where(*_IS_DIALOG)
            .outerjoin(Guest, (guests.c.platform == conversation_states.c.platform)
                       & (guests.c.platform_user_id == conversation_states.c.user_id))
            .with_for_update(of=conversation_states))


@cache
def _insert_dialog(dialect: str) -> postgresql.Insert | sqlite.Insert:
    """A new dialog (state idle, no data), nothing if it exists (built once per dialect)."""
    return (_insert(dialect, conversation_states)
            .values(platform=bindparam("platform"), chat_id=bindparam("chat"),
                    user_id=bindparam("user"), state="idle", data={})
            .on_conflict_do_nothing(index_elements=["platform", "chat_id", "user_id"]))


@cache
def _inserted_dialog() -> Select[ConversationState, Guest, int]:
    """PostgreSQL: :func:`_insert_dialog` read as :func:`_locked_dialog` reads a dialog,
    from its ``RETURNING`` (the new row is this transaction's until it ends); no row
    when the dialog exists (built once)."""
    new = _insert_dialog("postgresql").returning(*conversation_states.c).cte("new_dialog")
    return (select(aliased(ConversationState, new), Guest,
                   _DIRECTORY_VERSION.scalar_subquery())
            .select_from(new)
            .outerjoin(Guest, (guests.c.platform == new.c.platform)
                       & (guests.c.platform_user_id == new.c.user_id)))


def _dialog_key(platform: str, chat_id: str, user_id: str) -> dict[str, str]:
    return {"platform": platform, "chat": chat_id, "user": user_id}


@cache
def _guest_by_identity() -> Select[Guest]:
    """The guest ``user`` on ``platform`` (built once: bind parameters)."""
    return select(Guest).where(guests.c.platform == bindparam("platform"),
                               guests.c.platform_user_id == bindparam("user"))


def _constant(value: str) -> ColumnElement[str]:
    """``value`` (one of our own status words, never input) written into the SQL as a
    string literal, not bound: a partial index's predicate is matched only by a literal,
    and a literal costs nothing per execution (an ``IN`` over a Python list is an
    expanding parameter, rendered into the cached SQL again every time)."""
    return literal_column(f"'{value}'")


#: Outbox statuses as in the predicates of the partial indexes ix_outbox_queued and
#: ix_outbox_finished, so that both engines' planners use them.
_QUEUED = _constant(OutboxStatus.QUEUED.value)
_FINISHED = [_constant(status.value) for status in (OutboxStatus.SENT, OutboxStatus.FAILED)]


#: The advisory lock that serializes outbox claims on PostgreSQL (an arbitrary key).
_OUTBOX_CLAIM_KEY = 0x510_7B07_0B0C
_CLAIM_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


class SqlAlchemyOutboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, message: OutboxMessage) -> None:
        self._session.add(message)
        self._session.flush()

    def add_many(self, messages: Sequence[OutboxMessage | QueuedMessage]) -> None:
        """Insert ``messages`` with one statement; their ``id`` stays None."""
        if not messages:
            return
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(_OUTBOX_FROM_JSON, {"rows": _json_rows(messages)})
            return
        connection = self._session.connection()
        dialect = connection.dialect
        # The columns' own bind processors, each value converted once (a sweep's rows share
        # their kind, instants and status; only the payload differs on every row), so the
        # rows skip SQLAlchemy's per-row parameter processing.
        convert = [_converter(outbox.c[name].type, dialect, memo=name != "payload")
                   for name in _OUTBOX_COLUMNS]
        connection.exec_driver_sql(_OUTBOX_INSERT_QMARK, [
            tuple(to_db(value) for to_db, value in zip(convert, _outbox_values(m), strict=True))
            for m in messages
        ])

    def get(self, message_id: int) -> OutboxMessage | None:
        return self._session.get(OutboxMessage, message_id)

    def list(self) -> builtins.list[OutboxMessage]:
        """Every message, oldest first."""
        return list(self._session.scalars(select(OutboxMessage).order_by(outbox.c.id)))

    def prune(self, created_before: datetime, *, limit: int) -> int:
        oldest = (
            select(outbox.c.id)
            .where(outbox.c.status.in_(_FINISHED), outbox.c.created_at < created_before)
            .order_by(outbox.c.id)
            .limit(limit)
        )
        result = self._session.execute(outbox.delete().where(outbox.c.id.in_(oldest)))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def claim(
        self, now: datetime, *, channels: Iterable[str], limit: int, lease_until: datetime
    ) -> builtins.list[OutboxMessage]:
        """Take up to ``limit`` due queued messages, oldest first (see ``core.ports``).

        Claims are serialized, so each sees the ones committed before it: on
        PostgreSQL a transaction-level advisory lock (held for the claim's few
        milliseconds), on SQLite the unit of work's write lock. Without it two
        concurrent claims could split one chat's messages: the second skips the
        row the first holds (``SKIP LOCKED``) and, not yet seeing its lease,
        takes the chat's next message, which may then be sent first.
        """
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(_CLAIM_LOCK, {"key": _OUTBOX_CLAIM_KEY})
        older = outbox.alias("older")
        blocked = exists().where(
            older.c.channel == outbox.c.channel,
            older.c.recipient == outbox.c.recipient,
            older.c.status == _QUEUED,
            older.c.id < outbox.c.id,
            or_(older.c.next_attempt_at > now, older.c.claimed_until > now),
        )
        query = (
            select(OutboxMessage)
            .where(
                outbox.c.status == _QUEUED,
                outbox.c.channel.in_(list(channels)),
                or_(outbox.c.next_attempt_at.is_(None), outbox.c.next_attempt_at <= now),
                or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until <= now),
                ~blocked,
            )
            .order_by(outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=outbox)
        )
        claimed = list(self._session.scalars(query))
        for message in claimed:
            message.claimed_until = lease_until
        self._session.flush()
        return claimed


class SqlAlchemyContactRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record_booking(self, host_id: int, guest_id: int, at: datetime) -> None:
        """Count one more booking made at ``at`` (aware); creates the contact if new.

        One ``INSERT … ON CONFLICT (host_id, guest_id) DO UPDATE`` statement,
        atomic on both engines. A :class:`Contact` already loaded in this unit
        of work is not refreshed.
        """
        statement = _record_contact(self._session.get_bind().dialect.name)
        self._session.execute(statement, {"host_id": host_id, "guest_id": guest_id, "at": at})

    def search(self, host_id: int, text: str | None) -> builtins.list[tuple[Contact, Guest]]:
        """Contacts of the host whose guest name or email contains ``text`` (any case)."""
        query = (
            select(Contact, Guest)
            .join(guests, guests.c.id == contacts.c.guest_id)
            .where(contacts.c.host_id == host_id)
        )
        if text:
            query = query.where(
                or_(guests.c.name.icontains(text, autoescape=True),
                    guests.c.email.icontains(text, autoescape=True))
            )
        query = query.order_by(contacts.c.last_booked_at.desc(), contacts.c.id)
        return [(contact, guest) for contact, guest in self._session.execute(query)]

    def add_note(self, note: ContactNote) -> None:
        self._session.add(note)
        self._session.flush()

    def notes(self, host_id: int, guest_id: int) -> builtins.list[ContactNote]:
        query = (select(ContactNote)
                 .where(contact_notes.c.host_id == host_id, contact_notes.c.guest_id == guest_id)
                 .order_by(contact_notes.c.created_at, contact_notes.c.id))
        return list(self._session.scalars(query))


class SqlAlchemyJobRepository:
    """The sweeps' queries: set-based statements, atomic claims, no per-row ORM flushes."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def complete_ended(self, now: datetime) -> int:
        result = self._session.execute(
            update(bookings)
            .where(bookings.c.status == BookingStatus.CONFIRMED, bookings.c.end <= now)
            .values(status=BookingStatus.COMPLETED)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def bookings_to_arm(self, limit: int) -> builtins.list[BookingToArm]:
        query = (
            select(bookings.c.id, bookings.c.start, bookings.c.created_at, bookings.c.status,
                   event_types.c.reminder_minutes)
            .join(event_types, event_types.c.id == bookings.c.event_type_id)
            # Spelled as in the partial index ix_bookings_unarmed, so both engines use it.
            .where(text("NOT bookings.reminders_armed"))
            .order_by(bookings.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=bookings)
        )
        return [
            BookingToArm(row.id, row.start, row.created_at, tuple(row.reminder_minutes or ()),
                         BookingStatus(row.status))
            for row in self._session.execute(query)
        ]

    def arm(self, reminders_by_booking: dict[int, builtins.list[tuple[int, datetime]]]) -> None:
        rows = [
            {"booking_id": booking_id, "minutes_before": minutes, "due_at": due_at}
            for booking_id, due in reminders_by_booking.items()
            for minutes, due_at in due
        ]
        if rows:
            self._session.execute(insert(reminders), rows)
        if reminders_by_booking:
            self._session.execute(
                update(bookings)
                .where(bookings.c.id.in_(list(reminders_by_booking)))
                .values(reminders_armed=True)
                .execution_options(synchronize_session=False)
            )

    def claim_due_reminders(self, now: datetime, limit: int) -> builtins.list[DueReminder]:
        """Lock up to ``limit`` bookings with a due reminder, mark their due reminders
        handled (``sent``) and read them; on PostgreSQL in one statement.

        A CTE locks the bookings (``FOR NO KEY UPDATE SKIP LOCKED``: a booking
        another sweeper holds is skipped whole) and takes their columns from the
        locked row versions; a second CTE, an ``UPDATE … RETURNING``, marks their
        due, unhandled reminders; the outer query joins what it marked to the
        host, event type and guest. A reminder another sweeper handled and
        committed after this statement's snapshot is left out, not marked
        twice: the ``UPDATE`` checks ``done_at IS NULL`` again on the newest
        row version (READ COMMITTED), waiting for that sweeper if it has not
        committed yet. On SQLite (the write lock taken at ``BEGIN`` serializes the
        sweeps) the read and the mark are two statements.
        """
        parameters = {"now": now, "limit": limit}
        if self._dialect().name == "postgresql":
            return list(map(DueReminder._make, self._session.execute(
                _claim_and_mark_due(), parameters)))
        claimed = list(map(DueReminder._make, self._session.execute(_claim_due(), parameters)))
        if claimed:
            self._session.execute(_mark_handled(), {
                "ids": [r.reminder_id for r in claimed], "at": now})
        return claimed

    def set_reminder_outcome(self, reminder_ids: Sequence[int], outcome: str) -> None:
        if reminder_ids:
            self._session.execute(_set_outcome(self._dialect().name), {
                "ids": list(reminder_ids), "result": outcome})

    def schedules(self) -> builtins.list[HostSchedule]:
        query = select(
            hosts.c.id, hosts.c.handle, hosts.c.name, hosts.c.timezone, hosts.c.digest_time,
            hosts.c.digest_enabled, hosts.c.telegram_user_id, hosts.c.slack_user_id,
            hosts.c.locale,
        ).order_by(hosts.c.id)
        return [HostSchedule(*row) for row in self._session.execute(query)]

    def claim_daily_many(self, job: str, runs: Sequence[tuple[int, date]], now: datetime
                         ) -> set[int]:
        """``INSERT … ON CONFLICT DO NOTHING RETURNING host_id`` for all ``runs`` at once.

        Executed with a parameter list, which SQLAlchemy sends as multi-row
        ``VALUES`` batches ("insertmanyvalues") of one statement compiled once,
        instead of compiling a new statement of 4 × N bind parameters per call.
        Rows go in host order, so two sweeps claiming overlapping batches wait
        for each other instead of deadlocking (PostgreSQL).
        """
        if not runs:
            return set()
        statement = self._insert_ignoring_conflicts().returning(daily_runs.c.host_id)
        rows = [{"host_id": host_id, "job": job, "local_date": day, "ran_at": now}
                for host_id, day in sorted(runs)]
        return set(self._session.execute(statement, rows).scalars())

    def daily_done(self, job: str, dates: Iterable[date]) -> set[tuple[int, date]]:
        query = select(daily_runs.c.host_id, daily_runs.c.local_date).where(
            daily_runs.c.job == job, daily_runs.c.local_date.in_(list(dates))
        )
        return {(host_id, day) for host_id, day in self._session.execute(query)}

    def last_daily_many(self, job: str, host_ids: Sequence[int], *, before: date
                        ) -> dict[int, datetime]:
        query = (
            select(daily_runs.c.host_id, func.max(daily_runs.c.ran_at))
            .where(daily_runs.c.job == job, daily_runs.c.host_id.in_(list(host_ids)),
                   daily_runs.c.local_date < before)
            .group_by(daily_runs.c.host_id)
        )
        # MAX() loses the column type on SQLite: put the UTC zone back on naive values.
        ran_at = cast(UTCDateTime, daily_runs.c.ran_at.type)
        dialect = self._dialect()
        return {host_id: ran_at.process_result_value(value, dialect)
                for host_id, value in self._session.execute(query)}

    def digest_activity(self, host_ids: Sequence[int], since: datetime
                        ) -> builtins.list[tuple[Booking, str, str | None]]:
        query = (
            select(Booking, event_types.c.title, guests.c.name)
            .join(event_types, event_types.c.id == bookings.c.event_type_id)
            .join(guests, guests.c.id == bookings.c.guest_id)
            .where(
                bookings.c.host_id.in_(list(host_ids)),
                or_(
                    bookings.c.start >= since,
                    bookings.c.created_at >= since,
                    bookings.c.cancelled_at >= since,
                ),
            )
            .order_by(bookings.c.start, bookings.c.id)
        )
        return [(booking, title, name) for booking, title, name in self._session.execute(query)]

    def prune(self, host_id: int, ended_before: datetime) -> int:
        old = select(bookings.c.id).where(
            bookings.c.host_id == host_id, bookings.c.end < ended_before
        )
        session = self._session
        session.execute(
            reminders.delete().where(reminders.c.booking_id.in_(old))
        )
        session.execute(
            update(bookings)
            .where(bookings.c.rescheduled_from_id.in_(old))
            .values(rescheduled_from_id=None)
            .execution_options(synchronize_session=False)
        )
        result = session.execute(
            bookings.delete().where(bookings.c.host_id == host_id,
                                    bookings.c.end < ended_before)
        )
        session.execute(  # the once-a-day records age out with the bookings
            daily_runs.delete().where(daily_runs.c.host_id == host_id,
                                      daily_runs.c.local_date < ended_before.date())
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def _dialect(self) -> Dialect:
        return self._session.get_bind().dialect

    def _insert_ignoring_conflicts(self) -> postgresql.Insert | sqlite.Insert:
        return _insert(self._dialect().name, daily_runs).on_conflict_do_nothing()


@cache
def _record_contact(dialect_name: str) -> postgresql.Insert | sqlite.Insert:
    """Upsert of a contact's booking count (params ``host_id``, ``guest_id``, ``at``)."""
    insert_ = _insert(dialect_name, contacts).values(
        host_id=bindparam("host_id"), guest_id=bindparam("guest_id"), total_bookings=1,
        last_booked_at=bindparam("at", type_=contacts.c.last_booked_at.type),
    )
    return insert_.on_conflict_do_update(
        index_elements=[contacts.c.host_id, contacts.c.guest_id],
        set_={"total_bookings": contacts.c.total_bookings + 1,
              "last_booked_at": insert_.excluded.last_booked_at},
    )


#: ``bookings.status`` is live (the statuses as literals: an expanding ``IN`` was a third
#: of the nearby-bookings query's client time).
_IS_LIVE = bookings.c.status.in_([_constant(value)
                                  for value in sorted(status.value for status in LIVE_STATUSES)])

#: No booking lasts longer (the setup file caps durations at 24 hours).
_LONGEST_BOOKING = timedelta(days=1)


@cache
def _overlapping() -> Select[Booking]:
    """Live bookings of a host overlapping ``[start, end)``, by start (built once mapped)."""
    return (
        select(Booking)
        .where(
            bookings.c.host_id == bindparam("host_id"),
            bookings.c.start < bindparam("end"),
            # Redundant with the next bound (earliest = start - _LONGEST_BOOKING), but it
            # keeps the (host_id, start) index scan inside the window instead of over
            # every past booking.
            bookings.c.start > bindparam("earliest"),
            bookings.c.end > bindparam("start"),
            _IS_LIVE,
        )
        .order_by(bookings.c.start, bookings.c.id)
    )


class _SharedInstant(UTCDateTime):
    """:class:`UTCDateTime` read through a bounded cache: a sweep's rows share few
    instants (bookings start on slots, reminders fall due with them), so each is
    parsed and put in UTC once rather than on every row."""

    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: object
                         ) -> Callable[[object], datetime | None] | None:
        process = super().result_processor(dialect, coltype)
        return None if process is None else lru_cache(maxsize=4096)(process)


_SHARED_INSTANT = _SharedInstant()


def _due() -> tuple[ColumnElement[bool], ...]:
    """The due, unhandled reminders at ``now`` (spelled as ix_reminders_due's predicate)."""
    return reminders.c.done_at.is_(None), reminders.c.due_at <= bindparam("now")


def _locked_bookings() -> CTE:
    """Up to ``limit`` bookings with a due reminder, locked, by id (a CTE)."""
    return (
        select(bookings.c.id, bookings.c.start, bookings.c.end, bookings.c.status,
               bookings.c.host_id, bookings.c.event_type_id, bookings.c.guest_id)
        .where(bookings.c.id.in_(select(reminders.c.booking_id).where(*_due())))
        .order_by(bookings.c.id)
        .limit(bindparam("limit"))
        .with_for_update(skip_locked=True, key_share=True, of=bookings)
        .cte("locked")
    )


def _due_reminders_of(locked: CTE, reminder: FromClause) -> Select[tuple[object, ...]]:
    """``reminder`` rows of the ``locked`` bookings with what a reminder shows:
    :class:`DueReminder`'s fields in order, by booking and due time."""
    return (
        select(
            reminder.c.id, reminder.c.minutes_before,
            type_coerce(reminder.c.due_at, _SHARED_INSTANT).label("due_at"), locked.c.id,
            type_coerce(locked.c.start, _SHARED_INSTANT).label("start"),
            type_coerce(locked.c.end, _SHARED_INSTANT).label("end"), locked.c.status,
            hosts.c.handle,
            hosts.c.name.label("host_name"), hosts.c.timezone.label("host_timezone"),
            event_types.c.title, guests.c.name.label("guest_name"),
            guests.c.timezone.label("guest_timezone"), guests.c.platform, guests.c.chat_id,
            guests.c.email, guests.c.locale,
        )
        .select_from(locked)
        .join(reminder, reminder.c.booking_id == locked.c.id)
        .join(hosts, hosts.c.id == locked.c.host_id)
        .join(event_types, event_types.c.id == locked.c.event_type_id)
        .join(guests, guests.c.id == locked.c.guest_id)
        .order_by(locked.c.id, reminder.c.due_at, reminder.c.id)
    )


@cache
def _claim_due() -> Select[tuple[object, ...]]:
    """SQLite: the due, unhandled reminders of up to ``limit`` bookings at ``now``
    (built once)."""
    return _due_reminders_of(_locked_bookings(), reminders).where(*_due())


@cache
def _claim_and_mark_due() -> Select[tuple[object, ...]]:
    """PostgreSQL: the due, unhandled reminders of up to ``limit`` bookings at ``now``,
    booking rows locked, marked handled at ``now`` with outcome ``sent`` (built once)."""
    locked = _locked_bookings()
    marked = (
        update(reminders)
        .where(reminders.c.booking_id == locked.c.id, *_due())
        .values(done_at=bindparam("now"), outcome=_constant("sent"))
        .returning(reminders.c.id, reminders.c.minutes_before, reminders.c.due_at,
                   reminders.c.booking_id)
        .cte("marked")
    )
    return _due_reminders_of(locked, marked)


@cache
def _mark_handled() -> Update:
    """SQLite: mark the reminders ``ids`` handled at ``at``, outcome ``sent``."""
    return (
        update(reminders)
        .where(reminders.c.id.in_(bindparam("ids", expanding=True)))
        .values(done_at=bindparam("at", type_=reminders.c.done_at.type),
                outcome=_constant("sent"))
        .execution_options(synchronize_session=False)
    )


def _one_of(column: ColumnElement[int], name: str, dialect: str) -> ColumnElement[bool]:
    """``column IN (:name, …)``; on PostgreSQL ``column = ANY(:name)``, one array parameter,
    so a batch of a thousand ids is not a thousand placeholders for psycopg to write out
    and the server to parse."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY  # its dialect: only on PostgreSQL

        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))


@cache
def _set_outcome(dialect: str) -> Update:
    """Record the outcome ``result`` of the handled reminders ``ids``."""
    return (
        update(reminders)
        .where(_one_of(reminders.c.id, "ids", dialect))
        .values(outcome=bindparam("result", type_=reminders.c.outcome.type))
        .execution_options(synchronize_session=False)
    )


@cache
def _overlapping_hosts() -> Select[Booking]:
    """:func:`_overlapping` for a list of hosts (``host_ids``, an expanding parameter)."""
    return (
        select(Booking)
        .where(
            bookings.c.host_id.in_(bindparam("host_ids", expanding=True)),
            bookings.c.start < bindparam("end"),
            bookings.c.start > bindparam("earliest"),
            bookings.c.end > bindparam("start"),
            _IS_LIVE,
        )
        .order_by(bookings.c.start, bookings.c.id)
    )


#: SQLSTATE of PostgreSQL's ``exclusion_violation``.
_EXCLUSION_VIOLATION = "23P01"
#: SQLSTATE of PostgreSQL's ``unique_violation``.
_UNIQUE_VIOLATION = "23505"


def _flush(session: Session, sqlstate: str, error: Callable[[], Exception]) -> None:
    """Flush ``session``; PostgreSQL's refusal with ``sqlstate`` raises ``error()`` instead
    (any other integrity error as it is)."""
    try:
        session.flush()
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) == sqlstate:
            raise error() from exc
        raise


class SqlAlchemySeriesRepository:
    """Recurring series (:class:`core.models.BookingSeries`)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, series: BookingSeries) -> None:
        self._session.add(series)
        self._session.flush()

    def get(self, series_id: int) -> BookingSeries | None:
        return self._session.get(BookingSeries, series_id)


class SqlAlchemyLinkRepository:
    """The single-use store of signed guest action links (:class:`core.ports.LinkRepository`)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def use(self, digest: str, booking_id: int, now: datetime) -> bool:
        """Insert the digest unless present (``ON CONFLICT DO NOTHING``); True if it was new."""
        dialect = self._session.get_bind().dialect.name
        statement = (
            _insert(dialect, used_links).on_conflict_do_nothing()
            .values(digest=digest, booking_id=booking_id, used_at=now)
            .returning(used_links.c.digest)
        )
        return self._session.execute(statement).scalar() is not None

    def used(self, digest: str) -> bool:
        query = select(used_links.c.digest).where(used_links.c.digest == digest)
        return self._session.execute(query).first() is not None


class SqlAlchemyRefusalRepository:
    """Rate-limit refusals per UTC day and platform (:class:`core.ports.RefusalRepository`)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, day: date, platform: str, count: int = 1) -> None:
        """One ``INSERT … ON CONFLICT DO UPDATE`` adding ``count`` to the day's row."""
        dialect = self._session.get_bind().dialect.name
        statement = _insert(dialect, rate_limit_refusals).values(
            day=day, platform=platform, refused=count)
        self._session.execute(statement.on_conflict_do_update(
            index_elements=["day", "platform"],
            set_={"refused": rate_limit_refusals.c.refused + statement.excluded.refused}))

    def total(self, first: date, last: date) -> int:
        query = select(func.coalesce(func.sum(rate_limit_refusals.c.refused), 0)).where(
            rate_limit_refusals.c.day >= first, rate_limit_refusals.c.day <= last)
        return int(self._session.execute(query).scalar_one())
