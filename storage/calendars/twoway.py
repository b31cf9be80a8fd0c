"""Two-way: notice booking events someone deleted or moved in the host's calendar.

Run by the tick. For each write calendar with events of bookings that have
not ended, the writer reports what changed since the last check (CalDAV: the
collection's ctag, then each event's ETag; Google: ``events.list`` with a
``syncToken``). Each change is told to the host once, with buttons (keep the
booking / cancel it and tell the guest); nothing is changed silently.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from core.models import Booking, EventType, Guest, Host
from core.notifications import payload
from core.views import BookingView
from storage.calendars import cache
from storage.calendars.alerts import tell_host
from storage.calendars.fetch import CalendarDown
from storage.calendars.source import CalendarHub
from storage.calendars.writer import StoredEvent
from storage.orm import calendar_events, calendars, hosts

_LOGGER = logging.getLogger(__name__)


def check_changes(now: datetime, hub: CalendarHub) -> int:
    """Look for deleted or moved booking events in every write calendar; returns how many.

    A calendar that is down is skipped this time (its error is logged).
    """
    with hub.session_factory() as session:
        rows = session.execute(
            select(calendar_events, calendars.c.host_id)
            .join(calendars, calendars.c.id == calendar_events.c.calendar_id)
            .where(calendar_events.c.end > now, calendar_events.c.changed.is_(None))).all()
        if not rows:
            return 0
        by_calendar: dict[int, list[StoredEvent]] = defaultdict(list)
        host_ids = {}
        for r in rows:
            by_calendar[r.calendar_id].append(StoredEvent(r.booking_id, r.calendar_id, r.uid,
                                                          r.remote_id, r.etag, r.start, r.end))
            host_ids[r.calendar_id] = r.host_id
        found = session.scalars(select(Host).where(hosts.c.id.in_(set(host_ids.values())))
                                .options(selectinload(Host.calendars)))
        by_host = {h.id: h for h in found}
        tokens = {cid: s.sync_token for cid, s in cache.states(session, by_calendar).items()}
    jobs = []
    for calendar_id, events in by_calendar.items():
        host = by_host[host_ids[calendar_id]]
        calendar = next((c for c in host.calendars if c.id == calendar_id), None)
        writer = hub.writers.get(calendar.kind.value) if calendar else None
        if calendar is not None and hasattr(writer, "changes"):
            jobs.append((host, calendar, writer, events, tokens.get(calendar_id)))
    results = list(hub.pool.map(_changes, jobs))
    hub.settle()
    noticed = 0
    with hub.session_factory() as session:
        for (host, calendar, _, _, _), result in zip(jobs, results, strict=True):
            if isinstance(result, CalendarDown):
                _LOGGER.warning("calendar %s of %s: changes not checked: %s", calendar.id,
                                host.handle, result)
                continue
            changes, token = result
            for change in changes:
                _tell(session, host, change, now)
                noticed += 1
            cache.set_sync_token(session, calendar.id or 0, token)
        session.commit()
    return noticed


def _changes(job: tuple[Host, Any, Any, list[StoredEvent], str | None]) -> Any:
    _, calendar, writer, events, token = job
    try:
        return writer.changes(calendar, events, token)
    except CalendarDown as exc:
        return exc


def _tell(session: Session, host: Host, change: Any, now: datetime) -> None:
    event: StoredEvent = change.event
    session.execute(update(calendar_events).where(calendar_events.c.uid == event.uid)
                    .values(changed=change.kind, noticed_at=now))
    booking = session.get(Booking, event.booking_id)
    if booking is None or not booking.is_live:
        return
    event_type = session.get(EventType, booking.event_type_id)
    guest = session.get(Guest, booking.guest_id)
    if event_type is None or guest is None:
        return
    facts = payload(BookingView(booking, host, event_type, guest), reader="host",
                    change=change.kind, moved_start=change.start, moved_end=change.end)
    tell_host(session, host, "calendar_event_changed", now, **facts)
