"""Items → the start and end of what was asked, in the reader's zone.

Conventions (DESIGN 3.4): a point has ``end=None``; a window has an exclusive
end; a whole day runs midnight to midnight. A clock time without a day is
today when still ahead, else tomorrow (or on the day of the slot under
discussion, when there is one). A bare hour without am/pm is read in business
hours: 1–6 → afternoon, 7–12 → morning. "before T" runs from the start of the
day (or now) to T; "after T" from T to the end of the day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from nlp.dates import add_months, make_date
from nlp.grammar import later
from nlp.items import Clock, Days, Instant, Item, Length, Mark, Part, Shift, Span

#: Part of day → [start, end) in minutes after midnight.
PARTS: dict[str, tuple[int, int]] = {
    "morning": (6 * 60, 12 * 60),
    "afternoon": (12 * 60, 18 * 60),
    "evening": (17 * 60, 22 * 60),
    "night": (19 * 60, 24 * 60),
    "tonight": (17 * 60, 24 * 60),
    "end": (17 * 60, 24 * 60),
}
_RANGE_MARKS = frozenset({"to", "until", "dash", "and"})
_BEFORE = frozenset({"before"})
_AFTER = frozenset({"after", "since"})
#: Days a window opened by "after Friday" / "since Monday" spans.
OPEN_WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class When:
    """The resolved time of a message: aware ``start``/``end`` or None."""

    start: datetime | None = None
    end: datetime | None = None
    duration_minutes: int | None = None


class _Reading:
    """Sorts items into the roles resolution needs (one message)."""

    def __init__(self, items: list[Item]) -> None:
        self.clocks: list[Clock] = []
        self.days: list[Days] = []
        self.parts: list[str] = []
        self.instants: list[Instant] = []
        self.spans: list[Span] = []
        self.shifts: list[Shift] = []
        self.lengths: list[Length] = []
        self.time_range: tuple[Clock, Clock] | None = None
        self.day_range: tuple[Days, Days] | None = None
        self.before: Clock | Days | None = None
        self.after: Clock | Days | None = None
        self.same = False
        self._read([it for it in items if not isinstance(it, Length)])
        self.lengths = [it for it in items if isinstance(it, Length)]

    def _read(self, items: list[Item]) -> None:
        between = False
        i = 0
        while i < len(items):
            item = items[i]
            prev = items[i - 1] if i else None
            mark = prev.kind if isinstance(prev, Mark) else ""
            if isinstance(item, Mark):
                between = between or item.kind == "between"
                self.same = self.same or item.kind == "same"
            elif isinstance(item, Clock | Days):
                j = self._range_end(items, i, between)
                if j is not None:
                    self._set_range(item, items[j])
                    i = j + 1
                    continue
                nxt = items[i + 1] if i + 1 < len(items) else None
                if mark in _BEFORE or (mark == "until" and not self.clocks):
                    self.before = self.before or item
                elif mark in _AFTER or (isinstance(nxt, Mark) and nxt.kind == "orlater"):
                    self.after = self.after or item
                elif isinstance(item, Clock):
                    self.clocks.append(item)
                else:
                    self.days.append(item)
            elif isinstance(item, Part):
                self.parts.append(item.name)
            elif isinstance(item, Instant):
                self.instants.append(item)
            elif isinstance(item, Span):
                self.spans.append(item)
            elif isinstance(item, Shift):
                self.shifts.append(item)
            i += 1

    def _range_end(self, items: list[Item], i: int, between: bool) -> int | None:
        """Index of the other end of a range starting at ``items[i]``, or None."""
        kind = type(items[i])
        j = i + 1
        if kind is Clock and j + 1 < len(items) and items[j] == Mark("in") and isinstance(
                items[j + 1], Part):
            self.parts.append(items[j + 1].name)  # type: ignore[union-attr]
            j += 2
        if j + 1 >= len(items) or not isinstance(items[j], Mark):
            return None
        connective = items[j].kind  # type: ignore[union-attr]
        if connective not in _RANGE_MARKS or (connective == "and" and not between):
            return None
        return j + 1 if isinstance(items[j + 1], kind) else None

    def _set_range(self, first: Clock | Days, last: Item) -> None:
        if isinstance(first, Clock) and isinstance(last, Clock):
            self.time_range = self.time_range or (first, last)
        elif isinstance(first, Days) and isinstance(last, Days):
            self.day_range = self.day_range or (first, last)


def hour_of(clock: Clock, part: str | None) -> int:
    """The 0–24 hour ``clock`` means, reading am/pm from ``part`` or business hours."""
    h = clock.hour
    if clock.meridiem == "pm":
        return h + 12 if h < 12 else h
    if clock.meridiem == "am":
        return 0 if h == 12 else h
    if clock.strict or h == 0 or h > 12:
        return h
    if part in ("afternoon", "evening", "end"):
        return h + 12 if h < 12 else h
    if part in ("night", "tonight"):
        return h + 12 if 5 <= h < 12 else (0 if h == 12 else h)
    if part == "morning":
        return h
    return h + 12 if 1 <= h <= 6 else h


def _range_minutes(first: Clock, last: Clock, part: str | None) -> tuple[int, int]:
    """Minutes after midnight of a time range, sharing am/pm ("5 to 6pm")."""
    if last.meridiem and not first.meridiem and not first.strict:
        same = Clock(first.hour, first.minute, last.meridiem)
        if (first.hour % 12, first.minute) <= (last.hour % 12, last.minute):
            first = same
        elif last.meridiem == "pm":
            first = Clock(first.hour, first.minute, "am")
    start = hour_of(first, part) * 60 + first.minute
    end = hour_of(last, part) * 60 + last.minute
    if end <= start and not last.meridiem and not last.strict and end + 720 > start:
        end += 720
    return start, end


def at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """Aware datetime ``minutes`` after local midnight of ``day`` (DST gaps pushed forward)."""
    local = datetime.combine(day, time(), tzinfo=zone) + timedelta(minutes=minutes)
    return local.astimezone(UTC).astimezone(zone)


class _Resolver:
    def __init__(self, reading: _Reading, now: datetime, context: datetime | None) -> None:
        self.r = reading
        self.now = now
        self.zone = now.tzinfo  # type: ignore[assignment]
        self.today = now.date()
        self.context = context

    def zoned(self, day: date, minutes: int) -> datetime:
        return at(day, minutes, self.zone)  # type: ignore[arg-type]

    def day(self) -> Days | None:
        r = self.r
        if r.day_range is not None:
            first, last = r.day_range
            if last.month_day is not None and first.stop - first.first == timedelta(days=1):
                month = first.first
                found = make_date(month.year, month.month, last.month_day)
                if found is None or found < first.first:
                    nxt = add_months(month.replace(day=1), 1)
                    found = make_date(nxt.year, nxt.month, last.month_day)
                if found is not None:
                    last = Days(found, found + timedelta(days=1))
            return Days(first.first, max(last.stop, first.stop))
        if not r.days:
            return None
        best = r.days[0]
        for other in r.days[1:]:
            best = _merge_days(best, other)
        return best

    def anchor_day(self, minutes: int, day: Days | None) -> date:
        """The day a clock time falls on when the message names none."""
        if day is not None:
            return day.first
        if self.context is not None:
            return self.context.date()
        if self.zoned(self.today, minutes) > self.now:
            return self.today
        return self.today + timedelta(days=1)

    def resolve(self) -> When:
        r = self.r
        length = r.lengths[0].minutes if r.lengths else None
        start, end = self.window()
        return When(start, end, length)

    def window(self) -> tuple[datetime | None, datetime | None]:
        r = self.r
        day = self.day()
        part = r.parts[0] if r.parts else None
        if r.spans:
            return r.spans[0].start, r.spans[0].end
        if r.shifts:
            return self.shifted(r.shifts[0], day)
        if r.instants:
            return r.instants[0].at, None
        if r.time_range is not None:
            lo, hi = _range_minutes(*r.time_range, part)
            base = self.anchor_day(lo, day)
            return self.zoned(base, lo), self.zoned(base, hi)
        if r.before is not None or r.after is not None:
            return self.open_window(day, part)
        if r.same and self.context is not None and not r.clocks:
            local = self.context.astimezone(self.zone)
            minutes = local.hour * 60 + local.minute
            return self.zoned(day.first if day else local.date(), minutes), None
        if r.clocks:
            clock = r.clocks[0]
            minutes = hour_of(clock, part) * 60 + clock.minute
            return self.zoned(self.anchor_day(minutes, day), minutes), None
        if part is not None:
            lo, hi = PARTS[part]
            if day is None:
                if self.context is not None:
                    base = self.context.date()
                elif part == "tonight" or self.zoned(self.today, hi) > self.now:
                    base = self.today
                else:
                    base = self.today + timedelta(days=1)
            else:
                base = day.first
            return self.zoned(base, lo), self.zoned(base, hi)
        if day is not None:
            return self.zoned(day.first, 0), self.zoned(day.stop, 0)
        return None, None

    def open_window(self, day: Days | None, part: str | None) -> tuple[datetime, datetime]:
        r = self.r
        bound = r.before if r.before is not None else r.after
        if isinstance(bound, Days):
            if r.before is not None:
                return self.now, self.zoned(bound.first, 0)
            first = bound.stop if r.after is not None and day is None else bound.first
            return self.zoned(first, 0), self.zoned(first + timedelta(days=OPEN_WINDOW_DAYS), 0)
        assert isinstance(bound, Clock)
        minutes = hour_of(bound, part) * 60 + bound.minute
        if r.before is not None:
            base = self.anchor_day(minutes, day)
            start = self.zoned(base, 0)
            return (max(start, self.now) if base == self.today else start), self.zoned(
                base, minutes)
        if day is not None:
            base = day.first
        elif self.context is not None:
            base = self.context.date()
        else:
            base = self.today
        start = self.zoned(base, minutes)
        return max(start, self.now) if base == self.today else start, self.zoned(
            base + timedelta(days=1), 0)

    def shifted(self, shift: Shift, day: Days | None) -> tuple[datetime, datetime | None]:
        base = self.context.astimezone(self.zone) if self.context is not None else self.now
        moved_day = add_months(base.date(), shift.months) + timedelta(days=shift.days)
        whole_days = (shift.months or shift.days) and not shift.minutes
        if self.context is None and whole_days and not self.r.clocks:
            return self.zoned(moved_day, 0), self.zoned(moved_day + timedelta(days=1), 0)
        minutes_of_day = base.hour * 60 + base.minute
        if self.r.clocks:
            clock = self.r.clocks[0]
            minutes_of_day = hour_of(clock, None) * 60 + clock.minute
        start = self.zoned(moved_day, minutes_of_day)
        return later(start, shift.minutes), None


def _merge_days(a: Days, b: Days) -> Days:
    """Two day specs in one message: place a weekday in a week, else keep the narrower."""
    for week, wd in ((a, b.weekday), (b, a.weekday)):
        if wd is not None and week.stop - week.first >= timedelta(days=5):
            day = week.first + timedelta(days=(wd - week.first.weekday()) % 7)
            if day < week.stop:
                return Days(day, day + timedelta(days=1))
    return b if (b.stop - b.first) < (a.stop - a.first) else a


def resolve(items: list[Item], *, now: datetime, context: datetime | None = None) -> When:
    """Turn the items of one message into a start/end.

    Args:
        items: from :func:`nlp.grammar.scan`.
        now: aware datetime in the reader's zone.
        context: aware start of the slot under discussion, or None.

    Returns:
        ``When`` with aware datetimes in ``now``'s zone.
    """
    local_context = context.astimezone(now.tzinfo) if context is not None else None
    return _Resolver(_Reading(items), now, local_context).resolve()
