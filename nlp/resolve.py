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
from datetime import date, datetime, timedelta

from nlp.dates import add_months, at, later, make_date
from nlp.items import Clock, Days, Instant, Item, Length, Mark, Part, Shift, Span

#: Part of day → [start, end) in minutes after midnight.
PARTS: dict[str, tuple[int, int]] = {
    "morning": (6 * 60, 12 * 60),
    "afternoon": (12 * 60, 18 * 60),
    "evening": (17 * 60, 22 * 60),
    "night": (19 * 60, 24 * 60),
    "tonight": (17 * 60, 24 * 60),
    "end": (17 * 60, 24 * 60),
    # Vague windows (issue 9): "first thing", "after lunch", "after work", ...
    "firstthing": (8 * 60, 10 * 60),
    "earlymorning": (6 * 60, 9 * 60),
    "afterlunch": (13 * 60, 17 * 60),
    "lateafternoon": (15 * 60, 18 * 60),
    "afterwork": (17 * 60, 20 * 60),
}
#: Vague parts win over a plain part of day said with them ("morgen früh als Erstes").
_VAGUE = ("firstthing", "earlymorning", "afterlunch", "lateafternoon", "afterwork")
_RANGE_MARKS = frozenset({"to", "until", "dash", "and"})
#: Marks that open a range whose end may follow "at" ("de 10h à 12h", "das 10 às 12").
_OPENERS = (Mark("from"), Mark("of"), Mark("since"))
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
        self.moment_range: tuple[Days | None, Clock, Days, Clock] | None = None
        self.day_range: tuple[Days, Days] | None = None
        self.before: Clock | Days | None = None
        self.after: Clock | Days | None = None
        self.after_inclusive = False
        self.first_part: str | None = None
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
                moments = self._moment_range(items, i, between)
                if moments is not None:
                    self.moment_range, i = moments
                    continue
                found = self._range_end(items, i, between)
                if found is not None:
                    j, self.first_part = found
                    self._set_range(item, items[j])
                    i = j + 1
                    continue
                nxt = items[i + 1] if i + 1 < len(items) else None
                if mark in _BEFORE or (mark == "until" and not self.clocks):
                    self.before = self.before or item
                elif mark in _AFTER or (isinstance(nxt, Mark) and nxt.kind == "orlater"):
                    if self.after is None:
                        self.after = item
                        self.after_inclusive = mark != "after"
                elif isinstance(item, Clock):
                    self.clocks.append(item)
                else:
                    self.days.append(item)
            elif isinstance(item, Part):
                self.parts.append(item.name)
            elif isinstance(item, Instant):
                nxt = items[i + 1] if i + 1 < len(items) else None
                other = items[i + 2] if i + 2 < len(items) else None
                ranged = isinstance(nxt, Mark) and nxt.kind in _RANGE_MARKS
                if ranged and isinstance(other, Shift):
                    self.spans.append(Span(item.at, _shifted(item.at, other)))
                    i += 3  # "from now until 3 min later"
                    continue
                if ranged and isinstance(other, Clock | Days):
                    self.before = other  # "between now and 8", "from now until Friday"
                    i += 3
                    continue
                self.instants.append(item)
            elif isinstance(item, Span):
                self.spans.append(item)
            elif isinstance(item, Shift):
                self.shifts.append(item)
            i += 1

    @staticmethod
    def _moment(items: list[Item], i: int) -> tuple[Days | None, Clock, int] | None:
        """A clock time with or without its day at ``items[i]``: (day, clock, next index).

        "4:30pm", "tomorrow 4:30pm", "tomorrow at 4:30pm", "4:30pm tomorrow".
        """
        item = items[i] if i < len(items) else None
        nxt = items[i + 1] if i + 1 < len(items) else None
        if isinstance(item, Clock):
            return (nxt, item, i + 2) if isinstance(nxt, Days) else (None, item, i + 1)
        if isinstance(item, Days):
            j = i + 2 if nxt == Mark("at") else i + 1
            clock = items[j] if j < len(items) else None
            if isinstance(clock, Clock):
                return item, clock, j + 1
        return None

    @classmethod
    def _moment_range(cls, items: list[Item], i: int, between: bool
                      ) -> tuple[tuple[Days | None, Clock, Days, Clock], int] | None:
        """A range whose end has its own day and time ("from 2pm till tomorrow 4:30pm",
        "from Monday 9am to Wednesday 5pm"), with the index after it."""
        first = cls._moment(items, i)
        if first is None or first[2] >= len(items):
            return None
        connective = items[first[2]]
        opened = i > 0 and items[i - 1] in _OPENERS
        connectives = _RANGE_MARKS | {"at"} if opened else _RANGE_MARKS  # "de demain 9h à ..."
        if not isinstance(connective, Mark) or connective.kind not in connectives or (
                connective.kind == "and" and not between):
            return None
        last = cls._moment(items, first[2] + 1)
        if last is None or last[0] is None or last[0] == first[0]:
            return None
        if first[0] is None and not isinstance(items[first[2] + 1], Days):
            return None  # "from 2pm till 4:30pm tomorrow": both times are tomorrow
        return (first[0], first[1], last[0], last[1]), last[2]

    @staticmethod
    def _range_end(items: list[Item], i: int, between: bool) -> tuple[int, str | None] | None:
        """The other end of a range starting at ``items[i]``, with the first end's part of day.

        Returns:
            ``(index of the other end, part of day written after the first end or
            None)`` ("from 3 in the morning until 5pm"), or None if no range.
        """
        kind = type(items[i])
        j = i + 1
        first_part = None
        if kind is Clock and j < len(items) and isinstance(items[j], Part):
            first_part = items[j].name  # type: ignore[union-attr]
            j += 1
        if kind is Clock and j + 1 < len(items) and items[j] == Mark("in") and isinstance(
                items[j + 1], Part):
            first_part = items[j + 1].name  # type: ignore[union-attr]
            j += 2
        if j + 1 >= len(items) or not isinstance(items[j], Mark):
            return None
        connective = items[j].kind  # type: ignore[union-attr]
        opened = i > 0 and items[i - 1] in _OPENERS
        if connective == "at" and opened:
            connective = "to"  # "de 10h à 12h", "das 10 às 12"
        if connective not in _RANGE_MARKS or (connective == "and" and not between):
            return None
        if items[j + 1] == Mark("at") and j + 2 < len(items):
            j += 1  # "entre as 2 e as 4"
        return (j + 1, first_part) if isinstance(items[j + 1], kind) else None

    def _set_range(self, first: Clock | Days, last: Item) -> None:
        if isinstance(first, Clock) and isinstance(last, Clock):
            self.time_range = self.time_range or (first, last)
        elif isinstance(first, Days) and isinstance(last, Days):
            self.day_range = self.day_range or (first, last)


def _range_minutes(first: Clock, last: Clock, part: str | None, first_part: str | None = None
                   ) -> tuple[int, int]:
    """Minutes after midnight of a time range, sharing am/pm ("5 to 6pm").

    ``first_part`` is a part of day written right after the first end
    ("from 3 in the morning until 5pm"); ``part`` applies to both ends.
    """
    if first_part is not None and not first.meridiem:
        first = Clock(first.hour, first.minute, "pm" if first.hour24(first_part) >= 12 else "am",
                      strict=first.strict)
    if last.meridiem and not first.meridiem and not first.strict:
        same = Clock(first.hour, first.minute, last.meridiem)
        if (first.hour % 12, first.minute) <= (last.hour % 12, last.minute):
            first = same
        elif last.meridiem == "pm":
            first = Clock(first.hour, first.minute, "am")
    start = first.hour24(part) * 60 + first.minute
    end = last.hour24(part) * 60 + last.minute
    if end <= start and not last.meridiem and not last.strict and end + 720 > start:
        end += 720
    return start, end


class _Resolver:
    def __init__(self, reading: _Reading, now: datetime, context: datetime | None) -> None:
        self.r = reading
        self.now = now
        zone = now.tzinfo
        if zone is None:
            raise ValueError("now must be timezone-aware")
        self.zone = zone
        self.today = now.date()
        self.context = context

    def zoned(self, day: date, minutes: int) -> datetime:
        return at(day, minutes, self.zone)

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
            if last.weekday is not None and last.first < first.first:
                ahead = (last.first.weekday() - first.first.weekday()) % 7
                moved_day = first.first + timedelta(days=ahead)  # "Monday to Wednesday"
                last = Days(moved_day, moved_day + timedelta(days=1))
            if last.origin == "year" and first.origin == "date":
                moved = make_date(last.first.year, first.first.month, first.first.day)
                if moved is not None and moved <= last.first:
                    first = Days(moved, moved + (first.stop - first.first))
                elif moved is not None:
                    moved = make_date(moved.year - 1, moved.month, moved.day)
                    first = Days(moved, moved + (first.stop - first.first)) if moved else first
            start = first.edge or first.first
            stop = last.edge or max(last.stop, first.stop)
            return Days(start, stop) if start < stop else Days(first.first, max(last.stop,
                                                                                first.stop))
        if not r.days:
            return None
        best = r.days[0]
        for other in r.days[1:]:
            best = _merge_days(best, other)
        return best

    def anchor_day(self, minutes: int, day: Days | None) -> date:
        """The day a clock time falls on: the named day, else today or tomorrow.

        A bare weekday naming today whose time has passed means next week
        ("Monday at 9" said on Monday at 4pm).
        """
        if day is not None:
            if (day.weekday is not None and day.first == self.today
                    and self.zoned(self.today, minutes) <= self.now):
                return day.first + timedelta(days=7)
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
        if start is not None and end is not None and end <= start:
            end = None  # an empty window ("before midnight" at midnight) reads as its point
        return When(start, end, length)

    def window(self) -> tuple[datetime | None, datetime | None]:
        r = self.r
        day = self.day()
        part = next((p for p in r.parts if p in _VAGUE), r.parts[0] if r.parts else None)
        if r.spans:
            return r.spans[0].start, r.spans[0].end
        if r.shifts:
            return self.shifted(r.shifts[0], day)
        if r.instants:
            return r.instants[0].at, None
        if r.moment_range is not None:
            return self.moments(*r.moment_range)
        if r.time_range is not None:
            lo, hi = _range_minutes(*r.time_range, part, r.first_part)
            base = self.anchor_day(hi if day is not None else lo, day)
            return self.zoned(base, lo), self.zoned(base, hi)
        if r.before is not None or r.after is not None:
            return self.open_window(day, part)
        if r.same and self.context is not None and not r.clocks:
            local = self.context.astimezone(self.zone)
            minutes = local.hour * 60 + local.minute
            base = day.first if day else local.date()
            if day is not None and day.stop - day.first >= timedelta(days=5):
                # "same time next week": the discussed weekday within that week
                base = day.first + timedelta(days=(local.weekday() - day.first.weekday()) % 7)
            return self.zoned(base, minutes), None
        if r.clocks:
            clock = r.clocks[0]
            minutes = clock.hour24(part) * 60 + clock.minute
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
                base = self.anchor_day(hi, day)
            return self.zoned(base, lo), self.zoned(base, hi)
        if day is not None:
            return self.zoned(day.first, 0), self.zoned(day.stop, 0)
        return None, None

    def moments(self, first_day: Days | None, first: Clock, last_day: Days, last: Clock
                ) -> tuple[datetime, datetime]:
        """From a day and time to another ("from 2pm till tomorrow 4:30pm")."""
        lo, hi = first.hour24() * 60 + first.minute, last.hour24() * 60 + last.minute
        start = self.zoned(self.anchor_day(lo, first_day), lo)
        end = self.zoned(last_day.first, hi)
        if end <= start and last_day.weekday is not None:
            end = self.zoned(last_day.first + timedelta(days=7), hi)  # "Fri 5pm to Mon 9am"
        return start, end

    def open_window(self, day: Days | None, part: str | None) -> tuple[datetime, datetime]:
        r = self.r
        bound = r.before if r.before is not None else r.after
        if isinstance(bound, Days):
            if r.before is not None:
                return self.now, self.zoned(bound.edge or bound.first, 0)
            first = bound.first if r.after_inclusive or day is not None else bound.stop
            first = bound.edge or first  # "after mid-March": from March 16
            return self.zoned(first, 0), self.zoned(first + timedelta(days=OPEN_WINDOW_DAYS), 0)
        assert isinstance(bound, Clock)
        minutes = bound.hour24(part) * 60 + bound.minute
        if r.before is not None:
            ambiguous = not (bound.meridiem or bound.strict or part) and 0 < bound.hour < 12
            if (ambiguous and day is None and self.context is None
                    and self.zoned(self.today, minutes) <= self.now
                    and self.zoned(self.today, minutes + 720) > self.now):
                minutes += 720  # "until 8" said at 10am: 8pm
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
            minutes_of_day = clock.hour24(None) * 60 + clock.minute
        start = self.zoned(moved_day, minutes_of_day)
        return later(start, shift.minutes), None


def _shifted(instant: datetime, shift: Shift) -> datetime:
    moved = add_months(instant.date(), shift.months) + timedelta(days=shift.days)
    return later(instant + (moved - instant.date()), shift.minutes)


def _merge_days(a: Days, b: Days) -> Days:
    """Two day specs in one message.

    A weekday next to a week window is placed in it ("Wednesday next week");
    next to an offset day, in that day's Monday–Sunday week ("Monday two
    weeks from now"). A date with its year beats other single days
    ("tomorrow, 13/04/27"). A vague day ("the day") gives way. Otherwise the
    narrower spec wins.
    """
    if a.origin == "vague" or b.origin == "vague":
        return a if b.origin == "vague" else b
    for other, wd in ((a, b.weekday), (b, a.weekday)):
        if wd is None:
            continue
        if other.stop - other.first >= timedelta(days=5):
            day = other.first + timedelta(days=(wd - other.first.weekday()) % 7)
            if day < other.stop:
                return Days(day, day + timedelta(days=1))
        if other.origin == "offset":
            day = other.first + timedelta(days=wd - other.first.weekday())
            return Days(day, day + timedelta(days=1))
    for first, second in ((a, b), (b, a)):
        if first.origin == "year" and second.origin != "year":
            return first
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
