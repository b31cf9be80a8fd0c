"""Per-process copies of hosts with their rules, checked against ``hosts.rules_version``.

Loading a host with its working hours, date overrides and event types takes
four queries and most of a booking's client time. A :class:`HostCache` keeps
one detached copy per host, labelled with the ``rules_version`` it was read
at; the host repository reads only ``(id, rules_version)`` and, when the
label matches, merges the copy into its session without SQL
(``Session.merge(load=False)``, the pattern of SQLAlchemy's caching examples).

The same cache keeps the process's :class:`core.directory.HostDirectory`
(names, zones and event types of every host), labelled with the hosts
table's version — the one row of ``host_directory``, which changes whenever
a host is added, deleted, or a host's row or rules change — and beside it
every host's ``(id, rules_version)`` as read with the directory. A unit of
work that has read the table's version (:func:`remember_table_version`) and
found it unchanged knows every host's version without asking again: one
query fewer per turn.

Both counters are bumped by :func:`bump_rules_versions`, a session
``after_flush`` hook, whenever a flush inserts, changes or deletes anything of
a host (its row, working hours, date overrides, event types or calendars), in
the same transaction: a copy can be stale only for as long as the change is
uncommitted, exactly as a fresh read would be. Changes made with raw SQL
bypass the hook and must bump the counters themselves.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import inspect, update
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Session, UOWTransaction

from core.directory import HostDirectory
from core.models import Calendar, DateOverride, EventType, Host, WorkingHours
from storage.orm import host_directory, hosts

#: The rule objects of a host whose changes bump its ``rules_version``.
_RULES = (WorkingHours, DateOverride, EventType, Calendar)


class HostCache:
    """Detached copies of hosts and their rules, by host id; shared by a process's threads.

    Copies are handed out only as read-only snapshots (a team search reads
    every host's rules; see ``SqlAlchemyHostRepository.snapshots``); everyone
    else merges them into their own session (see :func:`attach`), so changes
    to a host never reach the copy.
    """

    def __init__(self) -> None:
        self._copies: dict[int, tuple[int, Host]] = {}
        self._directory: tuple[int, HostDirectory] | None = None
        self._rules_versions: tuple[int, dict[str, tuple[int, int]]] | None = None
        self._snapshots: tuple[int, list[Host]] | None = None
        self._lock = threading.Lock()

    def get(self, host_id: int, version: int) -> Host | None:
        """The copy of host ``host_id`` read at ``version``, or None (none, or another version)."""
        entry = self._copies.get(host_id)
        if entry is None or entry[0] != version:
            return None
        return entry[1]

    def put(self, host_id: int, version: int, host: Host) -> None:
        """Keep ``host`` (detached, fully loaded) as the copy read at ``version``."""
        with self._lock:
            current = self._copies.get(host_id)
            if current is None or current[0] <= version:
                self._copies[host_id] = (version, host)


    def directory(self, version: int) -> HostDirectory | None:
        """The directory built at ``version`` of the hosts table, or None."""
        entry = self._directory
        return entry[1] if entry is not None and entry[0] == version else None

    def put_directory(self, version: int, directory: HostDirectory,
                      rules_versions: dict[str, tuple[int, int]]) -> None:
        """Keep ``directory`` as the one built at ``version`` (replacing any other).

        Args:
            version: the hosts table's version the directory was built at.
            directory: every host's entry.
            rules_versions: handle -> ``(host id, rules_version)`` of every host,
                read with the directory.
        """
        self._directory = (version, directory)
        self._rules_versions = (version, rules_versions)

    def rules_version(self, table: int | None, handle: str
                      ) -> tuple[int, int] | None:
        """``(id, rules_version)`` of host ``handle`` when the hosts table is at ``table``.

        None when ``table`` is None or not the version the directory was built
        at, or no host has that handle: the caller asks the database.
        """
        entry = self._rules_versions
        if table is None or entry is None or entry[0] != table:
            return None
        return entry[1].get(handle)

    def snapshots(self, version: int) -> list[Host] | None:
        """Every host's copy, as checked at ``version`` of the hosts table, or None."""
        entry = self._snapshots
        return list(entry[1]) if entry is not None and entry[0] == version else None

    def put_snapshots(self, version: int, hosts: list[Host]) -> None:
        """Keep ``hosts`` (copies, in handle order) as every host at ``version``."""
        self._snapshots = (version, list(hosts))


def attach(session: Session, copy: Host) -> Host:
    """A persistent instance of ``copy`` in ``session``, made without SQL.

    List values (tags, other durations, override intervals, reminder offsets)
    are copied, and the mutable ones re-parented to the new instances, so
    changing them in place is tracked for the session and never touches
    ``copy``.
    """
    host = session.merge(copy, load=False)
    for obj in (host, *host.working_hours, *host.date_overrides, *host.event_types,
                *host.calendars):
        _own_lists(obj)
    return host


_BUMP_TABLE_VERSION = update(host_directory).values(version=host_directory.c.version + 1)

#: ``Session.info`` key of the hosts table's version this session last read.
_TABLE_VERSION = "slotbot.hosts_table_version"


def remember_table_version(session: Session, version: int) -> None:
    """Note that ``session`` read the hosts table's version as ``version``."""
    session.info[_TABLE_VERSION] = version


def table_version(session: Session) -> int | None:
    """The hosts table's version ``session`` read in its current transaction, or None (none read, or
    the session has added or changed a host since)."""
    return session.info.get(_TABLE_VERSION)


def forget_table_version(session: Session) -> None:
    """``after_rollback`` hook: a new transaction reads the version anew (and so does the
    rest of one rolled back to a savepoint: what it read inside may be undone)."""
    session.info.pop(_TABLE_VERSION, None)


def forget_table_version_at_end(session: Session) -> None:
    """``after_commit`` hook: a new transaction reads the version anew. A released
    savepoint (SQLAlchemy sends it ``after_commit`` too) keeps it: its transaction
    goes on, and a change of the table inside it forgot the version already
    (:func:`bump_rules_versions`)."""
    if not session.in_nested_transaction():
        forget_table_version(session)


def bump_rules_versions(session: Session, _flush: UOWTransaction) -> None:
    """``after_flush`` hook: add one to ``rules_version`` of every existing host the flush
    changed, and to the hosts table's version if it added, changed or deleted any host.

    New hosts keep the column's default (0); their rules need no bump. Such a
    flush also forgets the table's version the session read
    (:func:`table_version`): the table is no longer at it.
    """
    changed: set[int] = set()
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, Host) and obj.id is not None:
            changed.add(obj.id)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _RULES) and obj.host_id is not None:
            changed.add(obj.host_id)
    new_hosts = {obj.id for obj in session.new if isinstance(obj, Host)}
    if not changed and not new_hosts:
        return
    session.info.pop(_TABLE_VERSION, None)
    connection = session.connection()
    connection.execute(_BUMP_TABLE_VERSION)
    changed -= new_hosts
    if changed:
        connection.execute(
            update(hosts)
            .where(hosts.c.id.in_(sorted(changed)))
            .values(rules_version=hosts.c.rules_version + 1)
        )


def _own_lists(obj: Any) -> None:
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        value = state.dict.get(attr.key)
        if isinstance(value, MutableList):
            own = MutableList(value)
            own._parents[state] = attr.key  # what MutableList's load hook does
            state.dict[attr.key] = own
        elif isinstance(value, list):
            state.dict[attr.key] = list(value)
