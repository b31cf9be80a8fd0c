"""Finding time across hosts or rooms: "anyone free tomorrow 2–3pm?".

Every host matching the tags and capacity asked for is checked with the same
rules as a single booking (:func:`core.availability.free_slots`), in one
read-only transaction; the first free ones are offered. A host whose calendar
cannot be checked is left out (never offered unchecked).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core import availability
from core.availability import BOOKING_MARGIN, booking_reach
from core.booking_rules import busy_times
from core.errors import CalendarUnavailable
from core.ids import stored_id
from core.models import EventType, Host, Slot, require_aware
from core.ports import BusySource, Clock, UnitOfWork


@dataclass(frozen=True)
class HostSlot:
    """A free slot of one host (or room) and the event type it would be booked as."""

    host: Host
    event_type: EventType
    slot: Slot


def find_free(
    start: datetime,
    end: datetime,
    *,
    uow: UnitOfWork,
    clock: Clock,
    minutes: int | None = None,
    handles: Sequence[str] | None = None,
    tags: Sequence[str] = (),
    capacity: int | None = None,
    limit: int = 3,
    busy_source: BusySource | None = None,
) -> list[HostSlot]:
    """The first hosts free for a meeting that fits inside ``[start, end)``.

    A host qualifies if it has every tag in ``tags``, room for ``capacity``
    people (when asked; hosts without a capacity then do not qualify), and an
    event type offering ``minutes`` (default: each host's first event type and
    its default length). Its earliest fitting slot is taken.

    Args:
        start, end: aware datetimes (any zone); the meeting must lie inside.
        minutes: the meeting's length; None means the event type's default.
        handles: only these hosts (default all).
        limit: at most this many results.

    Returns:
        Up to ``limit`` results, earliest start first (ties by handle); one per host.

    Raises:
        InvalidTime: if ``start`` or ``end`` is naive.
    """
    require_aware(start, "start")
    require_aware(end, "end")
    now = clock()
    wanted = {t.lower() for t in tags}
    found: list[HostSlot] = []
    with uow:
        for host in uow.hosts.list():
            if handles is not None and host.handle not in handles:
                continue
            if not wanted <= set(host.tags):
                continue
            if capacity is not None and (host.capacity is None or host.capacity < capacity):
                continue
            event_type = _event_type_for(host, minutes)
            if event_type is None:
                continue
            margin = booking_reach(event_type)
            bookings = uow.bookings.overlapping(stored_id(host.id), start - margin, end + margin)
            try:
                busy = busy_times(uow, host, start - BOOKING_MARGIN, end + BOOKING_MARGIN,
                                  busy_source)
            except CalendarUnavailable:
                continue  # never offer a time that could not be checked
            slots = availability.free_slots(
                host, event_type, start=start, end=end, now=now, bookings=bookings,
                busy=busy, duration=minutes,
            )
            fitting = next((s for s in slots if s.end <= end), None)
            if fitting is not None:
                found.append(HostSlot(host, event_type, fitting))
    found.sort(key=lambda h: (h.slot.start, h.host.handle))
    return found[:limit]


def _event_type_for(host: Host, minutes: int | None) -> EventType | None:
    if minutes is None:
        return host.event_types[0] if host.event_types else None
    return next((e for e in host.event_types if minutes in e.durations), None)
