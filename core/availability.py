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
* **Booking window** (Cal.com "limit future bookings"): rolling, no start at
  or after ``now + booking_window`` days; or, when the event type has a fixed
  range (``window_start``/``window_end``, local dates in the host's zone,
  inclusive), no start outside it (the rolling window is then ignored).
* **Booking limits** (Cal.com "limit booking frequency" and "limit total
  booking duration"): live bookings of the same event type are counted per
  local day and per week (Monday to Sunday) of the host's zone, by their
  start; a start is offered only if one more booking of this length stays
  within every limit set (count and minutes, per day and per week). Callers
  must pass the bookings of the whole weeks concerned.
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

#: How far around a requested range bookings (and busy time) must be read so
#: the buffers of bookings just outside it are seen: longer than any buffer
#: allowed (24 h) plus an hour.
BOOKING_MARGIN = timedelta(days=1, hours=1)

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
    earliest, latest = _limits(host, event_type, now)
    lo = max(start, earliest).astimezone(UTC)
    hi = min(end, latest).astimezone(UTC)
    if lo >= hi:
        return []
    before = timedelta(minutes=event_type.buffer_before)
    after = timedelta(minutes=event_type.buffer_after)
    conflicts = _Conflicts.build(
        host, event_type, bookings, busy, (lo - before, hi + length + after)
    )
    within_limits = _Limits.build(host, event_type, bookings)
    slots = []
    for slot_start in _grid(host, timedelta(minutes=event_type.interval), length, lo, hi):
        slot_end = slot_start + length
        seats_left = conflicts.seats_left(
            slot_start, slot_end, slot_start - before, slot_end + after
        )
        if seats_left > 0 and within_limits(slot_start, length):
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

    earliest, latest = _limits(host, event_type, now)
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


def working_intervals(host: Host, start: datetime, end: datetime) -> list[Interval]:
    """The host's open hours within ``[start, end)``, as UTC intervals in time order.

    Working hours of each local date in the host's zone, or that date's
    override (none: a day off), clipped to the range; bookings and busy time
    are not subtracted. The wall-clock times are resolved with :mod:`zoneinfo`
    (an interval across a DST change has its real length).

    Args:
        start, end: aware datetimes (any zone).
    """
    require_aware(start, "start")
    require_aware(end, "end")
    zone = host.zone
    overrides = {o.date: o.intervals for o in host.date_overrides}
    weekly: dict[int, list[tuple[time, time]]] = {}
    for rule in host.working_hours:
        weekly.setdefault(rule.weekday, []).append((rule.start, rule.end))
    found: list[Interval] = []
    day, last_day = start.astimezone(zone).date(), end.astimezone(zone).date()
    while day <= last_day:
        for local_start, local_end in sorted(overrides.get(day, weekly.get(day.weekday(), []))):
            end_day = day + timedelta(days=1) if local_end == time(0) else day
            lo = max(datetime.combine(day, local_start, tzinfo=zone).astimezone(UTC), start)
            hi = min(datetime.combine(end_day, local_end, tzinfo=zone).astimezone(UTC), end)
            if lo < hi:
                found.append(Interval(lo, hi))
        day += timedelta(days=1)
    return found


def booking_reach(event_type: EventType) -> timedelta:
    """How far beyond a range the bookings deciding its slots can lie.

    :data:`BOOKING_MARGIN` for the buffers, plus a whole week when the event
    type has a weekly limit (its bookings are counted per week).

    Args:
        event_type: the event type whose slots are wanted.

    Returns:
        A positive duration: read bookings overlapping ``[start - reach, end + reach)``.
    """
    if event_type.max_per_week is not None or event_type.max_minutes_per_week is not None:
        return BOOKING_MARGIN + timedelta(days=7)
    return BOOKING_MARGIN


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


def _limits(host: Host, event_type: EventType, now: datetime) -> tuple[datetime, datetime]:
    """Earliest allowed start (inclusive) and end of the booking window (exclusive), UTC."""
    now = now.astimezone(UTC)  # absolute arithmetic: a DST change must not shift the notice
    earliest = now + timedelta(minutes=event_type.minimum_notice)
    latest = now + timedelta(days=event_type.booking_window)
    if event_type.window_start is not None:
        earliest = max(earliest, _local_midnight(event_type.window_start, host.zone))
    if event_type.window_end is not None:
        latest = _local_midnight(event_type.window_end + timedelta(days=1), host.zone)
    return earliest, latest


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of local ``day`` in ``zone``, as UTC."""
    return datetime.combine(day, time(0)).replace(tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class _Limits:
    """Per-day and per-week use of one event type, checked against its booking limits.

    ``days``/``weeks`` map a local date (a week by its Monday) to
    ``(bookings, minutes)`` of live bookings of the event type starting then.
    """

    event_type: EventType
    zone: ZoneInfo
    days: dict[date, tuple[int, int]]
    weeks: dict[date, tuple[int, int]]
    active: bool

    @classmethod
    def build(cls, host: Host, event_type: EventType, bookings: Sequence[Booking]) -> _Limits:
        days: dict[date, tuple[int, int]] = {}
        weeks: dict[date, tuple[int, int]] = {}
        active = _has_limits(event_type)
        if active:
            zone = host.zone
            for booking in bookings:
                if not booking.is_live or booking.event_type_id != event_type.id:
                    continue
                day = booking.start.astimezone(zone).date()
                week = day - timedelta(days=day.weekday())
                minutes = int(booking.duration.total_seconds() // 60)
                count, total = days.get(day, (0, 0))
                days[day] = (count + 1, total + minutes)
                count, total = weeks.get(week, (0, 0))
                weeks[week] = (count + 1, total + minutes)
        return cls(event_type, host.zone, days, weeks, active)

    def __call__(self, start: datetime, length: timedelta) -> bool:
        """Whether one more booking starting at ``start`` (aware) keeps every limit."""
        if not self.active:
            return True
        et = self.event_type
        minutes = int(length.total_seconds() // 60)
        day = start.astimezone(self.zone).date()
        week = day - timedelta(days=day.weekday())
        for (count, total), max_count, max_minutes in (
            (self.days.get(day, (0, 0)), et.max_per_day, et.max_minutes_per_day),
            (self.weeks.get(week, (0, 0)), et.max_per_week, et.max_minutes_per_week),
        ):
            if max_count is not None and count + 1 > max_count:
                return False
            if max_minutes is not None and total + minutes > max_minutes:
                return False
        return True


def _has_limits(event_type: EventType) -> bool:
    return any(
        limit is not None
        for limit in (event_type.max_per_day, event_type.max_per_week,
                      event_type.max_minutes_per_day, event_type.max_minutes_per_week)
    )


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
            for s in _interval_starts(day, local_start, local_end, zone, step, length, lo, hi)
            if lo <= s
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
    lo: datetime,
    hi: datetime,
) -> Iterator[datetime]:
    """Starts (UTC) of one working interval: a wall-clock grid that fits ``length``.

    Starts before ``hi`` only; whole steps well before ``lo`` are skipped
    (with 3 hours to spare for any UTC offset change), not walked. When the
    zone's offset is the same at both ends of the interval (every day but a
    few), starts are plain UTC arithmetic; otherwise each wall time is resolved.
    """
    wall = datetime.combine(day, local_start)
    wall_end = datetime.combine(day + timedelta(days=1) if local_end == time(0) else day, local_end)
    end = wall_end.replace(tzinfo=zone).astimezone(UTC)
    ahead = lo.astimezone(zone).replace(tzinfo=None) - timedelta(hours=3) - wall
    if ahead > step:
        wall += step * (ahead // step)
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    offset = instant.astimezone(zone).utcoffset()
    if offset == end.astimezone(zone).utcoffset() == wall.replace(tzinfo=zone).utcoffset():
        while instant + length <= end and instant < hi:
            yield instant
            instant += step
        return
    while wall < wall_end:
        instant = wall.replace(tzinfo=zone).astimezone(UTC)
        # A wall time in a DST gap does not exist (fold=0 maps it past the gap): skip it.
        if instant.astimezone(zone).replace(tzinfo=None) == wall:
            if instant + length > end or instant >= hi:  # real times only ascend
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
