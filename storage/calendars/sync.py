"""The tick's calendar work: refresh busy time ahead of need, report each calendar's health.

:func:`refresh_due` fetches, in parallel, every calendar that availability
needed within ``demand`` (default a day) and that was last fetched more than
``refresh`` ago (default 2 min), skipping those in their retry backoff. So a
guest's message finds the cache warm and does not wait on a calendar API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from core.models import Calendar, Host, require_aware
from storage.calendars import cache
from storage.calendars.alerts import calendar_label
from storage.calendars.cache import SyncState
from storage.calendars.fetch import CalendarDown, Fetched
from storage.calendars.source import CalendarHub, Learned
from storage.orm import calendar_sync, calendars, hosts


@dataclass
class SyncReport:
    """Calendars refreshed and failed in one tick."""

    refreshed: int = 0
    failed: int = 0


def refresh_due(now: datetime, hub: CalendarHub, *, limit: int = 10_000) -> SyncReport:
    """Refresh the busy time of every calendar that is due at ``now`` (see the module doc).

    Args:
        now: aware instant of the tick.
        limit: at most this many calendars per tick (the rest next tick).

    Returns:
        How many were refreshed and how many failed (their backoff grows).
    """
    require_aware(now, "now")
    settings = hub.settings
    with hub.session_factory() as session:
        due = session.execute(
            select(calendars.c.id, calendars.c.host_id)
            .join(calendar_sync, calendar_sync.c.calendar_id == calendars.c.id)
            .where(calendars.c.busy,
                   calendar_sync.c.wanted_at >= now - settings.demand,
                   or_(calendar_sync.c.fetched_at.is_(None),
                       calendar_sync.c.fetched_at <= now - settings.refresh),
                   or_(calendar_sync.c.next_try_at.is_(None),
                       calendar_sync.c.next_try_at <= now))
            .order_by(calendar_sync.c.fetched_at.nullsfirst()).limit(limit)).all()
        if not due:
            return SyncReport()
        states = cache.states(session, [calendar_id for calendar_id, _ in due])
        by_id = _hosts(session, {host_id for _, host_id in due})
    work = []
    for calendar_id, host_id in due:
        host = by_id[host_id]
        calendar = next(c for c in host.calendars if c.id == calendar_id)
        work.append((host, calendar, states[calendar_id]))
    results = list(hub.pool.map(lambda job: _fetch(hub, now, *job), work))
    learned = Learned()
    report = SyncReport()
    for (host, calendar, state), result in zip(work, results, strict=True):
        calendar_id = calendar.id or 0
        if isinstance(result, CalendarDown):
            learned.failed[calendar_id] = (host, calendar, state, result)
            report.failed += 1
            continue
        fetched, window = result
        if fetched.intervals is None:  # not modified: the cached span stays
            window = (state.covers_from or window[0], state.covers_to or window[1])
            hub.touch(calendar_id, state.fetched_at, now)
        else:
            hub.remember(calendar_id, now, window, fetched.intervals)
        learned.stored[calendar_id] = (fetched, window)
        report.refreshed += 1
    hub.settle()
    with hub.session_factory() as session:
        hub.record(session, learned, now)
        session.commit()
    return report


def overview(session: Session, handle: str | None = None) -> list[dict[str, Any]]:
    """Each calendar (of one host, or all) with its health, for ``slotbot calendars``.

    Returns:
        Dicts with ``host``, ``kind``, ``calendar`` (a label without secrets),
        ``write``, ``busy``, ``last_sync`` (aware or None), ``last_error``,
        ``last_error_at`` and ``busy_count``, by host and file order.
    """
    query = (select(hosts.c.handle, calendars, calendar_sync.c.fetched_at,
                    calendar_sync.c.last_error, calendar_sync.c.last_error_at,
                    calendar_sync.c.busy_count)
             .join(calendars, calendars.c.host_id == hosts.c.id)
             .outerjoin(calendar_sync, calendar_sync.c.calendar_id == calendars.c.id)
             .order_by(hosts.c.handle, calendars.c.position))
    if handle is not None:
        query = query.where(hosts.c.handle == handle.lower())
    rows = []
    for row in session.execute(query):
        calendar = Calendar(kind=row.kind, address=row.address)
        rows.append({"host": row.handle, "kind": row.kind.value,
                     "calendar": calendar_label(calendar), "write": row.write,
                     "busy": row.busy, "last_sync": row.fetched_at,
                     "last_error": row.last_error, "last_error_at": row.last_error_at,
                     "busy_count": row.busy_count or 0})
    return rows


def _hosts(session: Session, ids: set[int]) -> dict[int, Host]:
    found = session.scalars(select(Host).where(hosts.c.id.in_(sorted(ids)))
                            .options(selectinload(Host.calendars),
                                     selectinload(Host.event_types)))
    return {host.id or 0: host for host in found}


def _fetch(hub: CalendarHub, now: datetime, host: Host, calendar: Calendar, state: SyncState
           ) -> tuple[Fetched, tuple[datetime, datetime]] | CalendarDown:
    window = hub.window(host, now)
    validator = state.validator if state.covers(*window) else None
    fetcher = hub.fetchers.get(calendar.kind.value)
    try:
        if fetcher is None:
            raise CalendarDown(f"no {calendar.kind.value} client is configured")
        return fetcher.fetch(calendar, host, window[0], window[1], validator), window
    except CalendarDown as exc:
        return exc
    except Exception as exc:  # one calendar's odd answer must not stop the others
        return CalendarDown(f"unexpected answer ({type(exc).__name__})")
