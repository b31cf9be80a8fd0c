"""The busy-time cache in the database: per calendar its intervals, fetch time and errors.

Plain SQL on the caller's session (the tables are not part of the host's
rules, so writing them never bumps ``hosts.rules_version``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.models import Interval
from storage.orm import busy_intervals, calendar_sync


@dataclass(frozen=True)
class SyncState:
    """What is known of one calendar (a ``calendar_sync`` row)."""

    calendar_id: int
    fetched_at: datetime | None = None
    covers_from: datetime | None = None
    covers_to: datetime | None = None
    busy_count: int = 0
    validator: str | None = None
    sync_token: str | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    failures: int = 0
    next_try_at: datetime | None = None
    wanted_at: datetime | None = None
    stale_told_at: datetime | None = None
    disconnected: bool = False

    def covers(self, start: datetime, end: datetime) -> bool:
        return (self.fetched_at is not None and self.covers_from is not None
                and self.covers_to is not None
                and self.covers_from <= start and end <= self.covers_to)


def states(session: Session, calendar_ids: Iterable[int]) -> dict[int, SyncState]:
    """The sync state of each calendar id that has one."""
    ids = sorted(set(calendar_ids))
    if not ids:
        return {}
    rows = session.execute(select(calendar_sync).where(calendar_sync.c.calendar_id.in_(ids)))
    return {row.calendar_id: SyncState(**row._asdict()) for row in rows}


def intervals(session: Session, calendar_id: int) -> list[Interval]:
    """Every cached busy interval of the calendar, by start."""
    rows = session.execute(
        select(busy_intervals.c.start, busy_intervals.c.end)
        .where(busy_intervals.c.calendar_id == calendar_id).order_by(busy_intervals.c.start))
    return [Interval(start, end) for start, end in rows]


def store(session: Session, calendar_id: int, found: Sequence[Interval] | None, *,
          now: datetime, covers: tuple[datetime, datetime], validator: str | None) -> None:
    """Record a successful fetch: replace the intervals (unless ``found`` is None:
    not modified), set the fetch time and span, clear the error and backoff."""
    values: dict[str, object] = {
        "fetched_at": now, "covers_from": covers[0], "covers_to": covers[1],
        "validator": validator, "last_error": None, "failures": 0, "next_try_at": None,
        "stale_told_at": None, "disconnected": False,
    }
    if found is not None:
        session.execute(delete(busy_intervals).where(busy_intervals.c.calendar_id == calendar_id))
        if found:
            session.execute(insert(busy_intervals), [
                {"calendar_id": calendar_id, "start": i.start, "end": i.end} for i in found])
        values["busy_count"] = len(found)
    _upsert(session, calendar_id, values)


def record_failure(session: Session, calendar_id: int, error: str, *, now: datetime,
                   next_try_at: datetime, disconnected: bool = False) -> int:
    """Record a failed fetch (the cached intervals stay); returns the failures in a row.

    ``disconnected``: the host's grant was revoked (availability goes on without it).
    """
    state = states(session, [calendar_id]).get(calendar_id)
    failures = (state.failures if state else 0) + 1
    _upsert(session, calendar_id, {"last_error": error[:1000], "last_error_at": now,
                                   "failures": failures, "next_try_at": next_try_at,
                                   "disconnected": disconnected})
    return failures


def mark_wanted(session: Session, calendar_ids: Iterable[int], now: datetime) -> None:
    """Note that availability needed these calendars at ``now`` (the tick keeps them warm)."""
    for calendar_id in sorted(set(calendar_ids)):
        _upsert(session, calendar_id, {"wanted_at": now})


def mark_told(session: Session, calendar_id: int, now: datetime) -> None:
    """Note that the host was told the calendar cannot be checked (told once per outage)."""
    _upsert(session, calendar_id, {"stale_told_at": now})


def set_sync_token(session: Session, calendar_id: int, token: str | None) -> None:
    """Keep what the next check for changed booking events starts from (ctag / syncToken)."""
    _upsert(session, calendar_id, {"sync_token": token})


def _upsert(session: Session, calendar_id: int, values: dict[str, object]) -> None:
    done = session.execute(update(calendar_sync)
                           .where(calendar_sync.c.calendar_id == calendar_id).values(**values))
    if done.rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():  # another transaction may insert it first
            session.execute(insert(calendar_sync).values(calendar_id=calendar_id, **values))
    except IntegrityError:
        session.execute(update(calendar_sync)
                        .where(calendar_sync.c.calendar_id == calendar_id).values(**values))
