"""Finding time across hosts or rooms: "anyone free tomorrow 2–3pm?".

Every host matching the tags and capacity asked for is checked with the same
rules as a single booking (:func:`core.availability.free_slots`), in one
read-only transaction; the first free ones are offered. The hosts' rules are
read as shared snapshots (``hosts.snapshots``) and their bookings in the
window with one query (``bookings.overlapping_hosts``), not host by host. A
host whose calendar cannot be checked is left out (never offered unchecked).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from core import availability
from core.availability import BOOKING_MARGIN, booking_reach
from core.booking_rules import busy_times
from core.errors import CalendarUnavailable
from core.ids import stored_id
from core.models import Booking, EventType, Host, Slot, require_aware
from core.ports import BusySource, Clock, UnitOfWork

#: Most hosts whose bookings are read with one query. Batches start at ``limit``
#: hosts and double; the search stops after the first batch that leaves ``limit``
#: hosts free right at the window's start.
MAX_BATCH = 128


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
        Up to ``limit`` results, earliest start first (ties by handle); one per
        host. Their ``host`` and ``event_type`` are read-only snapshots.

    Raises:
        InvalidTime: if ``start`` or ``end`` is naive.
    """
    require_aware(start, "start")
    require_aware(end, "end")
    now = clock()
    wanted = {t.lower() for t in tags}
    with uow:
        candidates: list[tuple[Host, EventType]] = []
        for host in uow.hosts.snapshots():
            if handles is not None and host.handle not in handles:
                continue
            if not wanted <= set(host.tags):
                continue
            if capacity is not None and (host.capacity is None or host.capacity < capacity):
                continue
            event_type = _event_type_for(host, minutes)
            if event_type is not None:
                candidates.append((host, event_type))
        found: list[HostSlot] = []
        for batch in _batches(candidates, limit):  # in handle order
            margin = max(booking_reach(event_type) for _, event_type in batch)
            booked: dict[int, list[Booking]] = {}
            for booking in uow.bookings.overlapping_hosts(
                    [stored_id(host.id) for host, _ in batch], start - margin, end + margin):
                booked.setdefault(booking.host_id, []).append(booking)
            for host, event_type in batch:
                try:
                    busy = busy_times(uow, host, start - BOOKING_MARGIN, end + BOOKING_MARGIN,
                                      busy_source)
                except CalendarUnavailable:
                    continue  # never offer a time that could not be checked
                slots = availability.free_slots(
                    host, event_type, start=start, end=end, now=now,
                    bookings=booked.get(stored_id(host.id), []), busy=busy, duration=minutes,
                )
                fitting = next((s for s in slots if s.end <= end), None)
                if fitting is None:
                    continue
                found.append(HostSlot(host, event_type, fitting))
            if sum(f.slot.start == start for f in found) >= limit:
                break  # no later host (greater handle, no earlier start) can come first
    found.sort(key=lambda h: (h.slot.start, h.host.handle))
    return found[:limit]


def _batches(items: Sequence[tuple[Host, EventType]], first: int
             ) -> Iterator[Sequence[tuple[Host, EventType]]]:
    """``items`` in consecutive slices: ``first`` long, then twice as long each, up to
    :data:`MAX_BATCH` (few hosts are computed when the first ones are free)."""
    start, size = 0, max(first, 1)
    while start < len(items):
        yield items[start:start + size]
        start, size = start + size, min(size * 2, MAX_BATCH)


def _event_type_for(host: Host, minutes: int | None) -> EventType | None:
    if minutes is None:
        return host.event_types[0] if host.event_types else None
    return next((e for e in host.event_types if minutes in e.durations), None)
