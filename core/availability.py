"""Free slots: a pure function of host rules, an event type, bookings, busy time and ``now``.

Nothing here reads a clock, a database or the network: callers pass every fact
in, so the same inputs always give the same slots (STYLE, "the core is pure").

The rules, and where they come from (Cal.com's event-type settings, whose
semantics Slotbot follows; DESIGN section 2 names the terms):

* **Working hours** are weekly wall-clock intervals in the host's IANA zone,
  several per weekday (a lunch break is two intervals). ``end == time(0)``
  means 24:00. A :class:`~core.models.DateOverride` for a local date replaces
  that weekday's hours; no intervals means a day off. Times are resolved with
  :mod:`zoneinfo`, so 09:00–17:00 stays 09:00–17:00 local across DST changes
  while the UTC instants shift. Ambiguous local times (autumn) take the first
  occurrence (``fold=0``); starts that do not exist (spring gap) are skipped.
* **Slot grid** (Cal.com "time-slot intervals"): starts at each working
  interval's start and steps by ``EventType.interval`` minutes of wall-clock
  time, while ``start + duration`` is not after the interval's end. Buffers
  never move the grid; they only remove starts.
* **Minimum notice** (Cal.com "minimum notice"): no start before
  ``now + minimum_notice`` minutes.
* **Booking window** (Cal.com "limit future bookings", rolling): no start at
  or after ``now + booking_window`` days.
* **Buffers** (Cal.com "event buffers", which stack:
  https://cal.com/help/event-types/event-buffer): a candidate blocks
  ``[start - buffer_before, end + buffer_after)`` with its own event type's
  buffers; a live booking (pending or confirmed) blocks its own span widened by
  *its* event type's buffers. Busy intervals block as they are. A candidate is
  dropped if the two blocked spans overlap (half-open, so touching is fine).
* **Seats** (Cal.com "offer seats"): for an event type with ``seats > 1``,
  live bookings of that same event type with exactly the slot's start and end
  take seats of the slot instead of blocking it; a full slot is not offered.
  Every other overlapping booking blocks.

Cost: bookings and busy intervals are sorted and merged once
(``O(n log n)``); each candidate is then checked with a binary search, so a
query is ``O((n + m) log n)`` for ``n`` bookings and ``m`` candidate starts.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from core.errors import OutsideBookingWindow, SlotUnavailable, TooSoon
from core.models import Booking, EventType, Host, Interval, Slot, require_aware

#: How far either side of a refused start :func:`check_start` looks for alternatives.
ALTERNATIVES_HORIZON = timedelta(days=7)

_Span = tuple[datetime, datetime]


def free_slots(
    host: Host,
    event_type: EventType,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    bookings: Sequence[Booking] = (),
    busy: Sequence[Interval] = (),
    duration: int | None = None,
) -> list[Slot]:
    """Return the bookable slots of ``event_type`` whose start is in ``[start, end)``.

    Args:
        host: whose rules apply (``working_hours``, ``date_overrides`` and
            ``timezone``); ``host.event_types`` supplies the buffers of the
            event types that existing bookings belong to.
        event_type: what is being booked (grid interval, buffers, minimum
            notice, booking window, seats).
        start: aware datetime in any zone; first instant a slot may start at.
        end: aware datetime in any zone; slots start strictly before it.
        now: aware datetime; the instant minimum notice and the booking
            window count from.
        bookings: the host's bookings in any status and of any event type;
            only pending and confirmed ones hold time.
        busy: time taken outside Slotbot (aware intervals, any zone).
        duration: minutes; overrides ``event_type.duration`` (for event types
            with several allowed durations).

    Returns:
        Slots in time order, ``start``/``end`` aware in UTC, ``seats_left`` ≥ 1.

    Raises:
        InvalidTime: if ``start``, ``end`` or ``now`` is naive.
        ValueError: if the duration or the grid interval is not positive.
    """
    require_aware(start, "start")
    require_aware(end, "end")
    require_aware(now, "now")
    length = timedelta(minutes=_minutes(event_type, duration))
    earliest, latest = _limits(event_type, now)
    lo = max(start, earliest).astimezone(UTC)
    hi = min(end, latest).astimezone(UTC)
    if lo >= hi:
        return []
    before = timedelta(minutes=event_type.buffer_before)
    after = timedelta(minutes=event_type.buffer_after)
    conflicts = _Conflicts.build(
        host, event_type, bookings, busy, (lo - before, hi + length + after)
    )
    slots = []
    for slot_start in _grid(host, timedelta(minutes=event_type.interval), length, lo, hi):
        slot_end = slot_start + length
        seats_left = conflicts.seats_left(
            slot_start, slot_end, slot_start - before, slot_end + after
        )
        if seats_left > 0:
            slots.append(Slot(slot_start, slot_end, seats_left))
    return slots


def check_start(
    host: Host,
    event_type: EventType,
    start: datetime,
    *,
    now: datetime,
    bookings: Sequence[Booking] = (),
    busy: Sequence[Interval] = (),
    duration: int | None = None,
    alternatives: int = 3,
) -> Slot:
    """Return the slot starting at ``start`` if it is bookable, else explain why not.

    Args:
        host, event_type, now, bookings, busy, duration: as for :func:`free_slots`.
        start: aware datetime (any zone) the guest asked for.
        alternatives: how many nearby free slots to attach to the error.

    Returns:
        The free slot (UTC, with ``seats_left``) starting at that instant.

    Raises:
        InvalidTime: if ``start`` or ``now`` is naive.
        TooSoon: ``start`` is inside the minimum notice; ``earliest`` is the
            first allowed instant.
        OutsideBookingWindow: ``start`` is at or after ``latest``, the end of
            the booking window.
        SlotUnavailable: ``start`` is off the grid, outside working hours or
            taken. Every error carries ``alternatives``: up to that many free
            slots nearest to ``start`` (searched within
            :data:`ALTERNATIVES_HORIZON` of the nearest allowed instant), in
            time order.
    """
    instant = require_aware(start, "start").astimezone(UTC)
    require_aware(now, "now")

    def search(lo: datetime, hi: datetime) -> list[Slot]:
        return free_slots(
            host,
            event_type,
            start=lo,
            end=hi,
            now=now,
            bookings=bookings,
            busy=busy,
            duration=duration,
        )

    earliest, latest = _limits(event_type, now)
    if earliest <= instant < latest:
        found = search(instant, instant + timedelta(microseconds=1))
        if found:
            return found[0]
    nearby: list[Slot] = []
    if alternatives > 0:
        centre = min(max(instant, earliest), latest)
        window = search(centre - ALTERNATIVES_HORIZON, centre + ALTERNATIVES_HORIZON)
        nearby = nearest_slots(window, instant, alternatives)
    if instant < earliest:
        raise TooSoon(start, earliest, nearby)
    if instant >= latest:
        raise OutsideBookingWindow(start, latest, nearby)
    raise SlotUnavailable(start, nearby)


def nearest_slots(slots: Sequence[Slot], target: datetime, n: int) -> list[Slot]:
    """Return the ``n`` slots whose start is closest to ``target``, in time order.

    Args:
        slots: candidates, any order.
        target: aware datetime; distance is ``abs(slot.start - target)``, ties
            going to the earlier slot.
        n: at most this many slots are returned.

    Raises:
        InvalidTime: if ``target`` is naive.
    """
    require_aware(target, "target")
    closest = heapq.nsmallest(n, slots, key=lambda s: (abs(s.start - target), s.start))
    return sorted(closest, key=lambda s: s.start)


def slots_by_day(slots: Sequence[Slot], tz: str | tzinfo) -> dict[date, list[Slot]]:
    """Group slots by the calendar date of their start in ``tz``, for display.

    Args:
        slots: in time order (as :func:`free_slots` returns them).
        tz: the reader's zone, an IANA name or a ``tzinfo``.

    Returns:
        Local date → that day's slots; keys and lists keep the input order.
    """
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(slot.start.astimezone(zone).date(), []).append(slot)
    return days


def _minutes(event_type: EventType, duration: int | None) -> int:
    minutes = event_type.duration if duration is None else duration
    if minutes <= 0 or event_type.interval <= 0:
        raise ValueError(
            f"duration and slot interval must be positive minutes, got {minutes} and "
            f"{event_type.interval}"
        )
    return minutes


def _limits(event_type: EventType, now: datetime) -> tuple[datetime, datetime]:
    """Earliest allowed start (inclusive) and end of the booking window (exclusive)."""
    now = now.astimezone(UTC)  # absolute arithmetic: a DST change must not shift the notice
    earliest = now + timedelta(minutes=event_type.minimum_notice)
    latest = now + timedelta(days=event_type.booking_window)
    return earliest, latest


def _grid(
    host: Host, step: timedelta, length: timedelta, lo: datetime, hi: datetime
) -> Iterator[datetime]:
    """Yield candidate starts in ``[lo, hi)`` (UTC), ascending and without repeats."""
    zone = host.zone
    overrides = {o.date: o.intervals for o in host.date_overrides}
    weekly: dict[int, list[tuple[time, time]]] = {}
    for rule in host.working_hours:
        weekly.setdefault(rule.weekday, []).append((rule.start, rule.end))
    day = lo.astimezone(zone).date()
    last_day = hi.astimezone(zone).date()
    while day <= last_day:
        intervals = overrides.get(day, weekly.get(day.weekday(), []))
        starts = {
            s
            for local_start, local_end in intervals
            for s in _interval_starts(day, local_start, local_end, zone, step, length)
            if lo <= s < hi
        }
        yield from sorted(starts)
        day += timedelta(days=1)


def _interval_starts(
    day: date,
    local_start: time,
    local_end: time,
    zone: ZoneInfo,
    step: timedelta,
    length: timedelta,
) -> Iterator[datetime]:
    """Starts (UTC) of one working interval: a wall-clock grid that fits ``length``."""
    wall = datetime.combine(day, local_start)
    wall_end = datetime.combine(day + timedelta(days=1) if local_end == time(0) else day, local_end)
    end = wall_end.replace(tzinfo=zone).astimezone(UTC)
    while wall < wall_end:
        instant = wall.replace(tzinfo=zone).astimezone(UTC)
        # A wall time in a DST gap does not exist (fold=0 maps it past the gap): skip it.
        if instant.astimezone(zone).replace(tzinfo=None) == wall:
            if instant + length > end:
                return
            yield instant
        wall += step


@dataclass(frozen=True)
class _Conflicts:
    """Blocking time, indexed once per query.

    ``starts``/``ends`` are the merged, disjoint blocked spans (UTC). Seat
    groups are the same-event-type bookings that share seats: ``seat_counts``
    maps each ``(start, end)`` to its live bookings; ``seat_spans`` holds each
    group's buffered span as ``(span_start, span_end, key)``, sorted, with
    ``longest_seat_span`` bounding how far back a search must look.
    """

    starts: list[datetime]
    ends: list[datetime]
    seats: int
    seat_counts: dict[_Span, int]
    seat_spans: list[tuple[datetime, datetime, _Span]]
    seat_span_starts: list[datetime]
    longest_seat_span: timedelta

    @classmethod
    def build(
        cls,
        host: Host,
        event_type: EventType,
        bookings: Sequence[Booking],
        busy: Sequence[Interval],
        reach: _Span,
    ) -> _Conflicts:
        """Index the live bookings and busy intervals that touch ``reach``.

        ``reach`` covers every candidate's blocked span; time outside it
        cannot block anything, so it is neither sorted nor merged.
        """
        buffers = {
            et.id: (timedelta(minutes=et.buffer_before), timedelta(minutes=et.buffer_after))
            for et in host.event_types
            if et.id is not None
        }
        shares_seats = event_type.seats > 1 and event_type.id is not None
        spans: list[_Span] = [(i.start.astimezone(UTC), i.end.astimezone(UTC)) for i in busy]
        seat_counts: Counter[_Span] = Counter()
        for booking in bookings:
            if not booking.is_live:
                continue
            key = (booking.start.astimezone(UTC), booking.end.astimezone(UTC))
            if shares_seats and booking.event_type_id == event_type.id:
                seat_counts[key] += 1
            else:
                before, after = buffers.get(booking.event_type_id, (timedelta(0), timedelta(0)))
                spans.append((key[0] - before, key[1] + after))
        starts, ends = _merge([(s, e) for s, e in spans if s < reach[1] and reach[0] < e])
        before = timedelta(minutes=event_type.buffer_before)
        after = timedelta(minutes=event_type.buffer_after)
        seat_spans = sorted(
            (s - before, e + after, (s, e))
            for s, e in seat_counts
            if s - before < reach[1] and reach[0] < e + after
        )
        return cls(
            starts=starts,
            ends=ends,
            seats=event_type.seats,
            seat_counts=dict(seat_counts),
            seat_spans=seat_spans,
            seat_span_starts=[span[0] for span in seat_spans],
            longest_seat_span=max((e - s for s, e, _ in seat_spans), default=timedelta(0)),
        )

    def seats_left(self, start: datetime, end: datetime, lo: datetime, hi: datetime) -> int:
        """Seats left in slot ``[start, end)`` whose blocked span is ``[lo, hi)``; 0 if blocked."""
        i = bisect_right(self.ends, lo)
        if i < len(self.starts) and self.starts[i] < hi:
            return 0
        j = bisect_left(self.seat_span_starts, lo - self.longest_seat_span)
        while j < len(self.seat_spans) and self.seat_spans[j][0] < hi:
            _, span_end, key = self.seat_spans[j]
            if span_end > lo and key != (start, end):
                return 0
            j += 1
        return self.seats - self.seat_counts.get((start, end), 0)


def _merge(spans: list[_Span]) -> tuple[list[datetime], list[datetime]]:
    """Union of half-open spans as parallel sorted lists of starts and ends."""
    starts: list[datetime] = []
    ends: list[datetime] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends
