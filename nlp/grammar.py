"""Tokens → items: the booking date/time grammar shared by all languages.

:func:`scan` walks the tokens left to right; at each position it tries, in
order, an offset from now ("in 2 hours", "3 days from tomorrow"), a duration
("30 min"), a day ("next Tuesday", "Dec 3", "12/15"), and a clock time or
part of day ("3pm", "half past 4", "afternoon"). Anything else becomes a
:class:`~nlp.items.Mark` that :mod:`nlp.resolve` reads as a connective
("between", "to", "before") or as noise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from nlp.dates import add_months, make_date, monday, month_start, next_date, next_month_day
from nlp.items import Clock, Days, Instant, Item, Length, Mark, Part, Shift, Span
from nlp.lang import DateOrder, Vocabulary
from nlp.text import Tok

#: Tags after which a lone number reads as an hour ("at 4", "between 2 and").
_TIME_CONTEXT = frozenset({"at", "from", "between", "to", "before", "after", "since", "dash",
                           "and", "until"})
#: Month words that are also ordinary words; they need a number next to them.
_AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar", "sat", "jun", "ago", "set", "out"})
_CLOCK_UNITS = {"minute": 1, "hour": 60}
_DAY_UNITS = {"day": 1, "week": 7, "fortnight": 14}
_MONTH_UNITS = {"month": 1, "year": 12}

Result = tuple[list[Item], int] | None


class _Scanner:
    """One pass over the tokens of one message (not reused)."""

    def __init__(self, toks: list[Tok], vocab: Vocabulary, now: datetime, order: DateOrder
                 ) -> None:
        self.toks = toks
        self.vocab = vocab
        self.order = order
        self.now = now
        self.today = now.date()

    # -- token access ---------------------------------------------------
    def tag(self, i: int) -> str:
        return self.toks[i].kind if 0 <= i < len(self.toks) else ""

    def val(self, i: int) -> object:
        return self.toks[i].value if 0 <= i < len(self.toks) else None

    def int_at(self, i: int) -> int | None:
        value = self.val(i)
        if self.tag(i) == "num" and isinstance(value, int):
            return value
        return None

    def quantity(self, i: int) -> tuple[float, int] | None:
        """A count before a unit: "2", "two", "a", "1.5"."""
        kind, value = self.tag(i), self.val(i)
        if kind == "num" and isinstance(value, int | float):
            return float(value), i + 1
        if kind == "art":
            return 1.0, i + 1
        if kind == "dotnum":
            return float(self.toks[i].text.rstrip(".")), i + 1
        return None

    def skip_seps(self, i: int) -> int:
        while self.tag(i) == "sep" or (self.tag(i) == "sym" and self.toks[i].text in "./("):
            i += 1
        return i

    # -- the pass -------------------------------------------------------
    def run(self) -> list[Item]:
        matchers: tuple[Callable[[int], Result], ...] = (
            self.offset, self.duration, self.day, self.time)
        out: list[Item] = []
        i = 0
        while i < len(self.toks):
            for matcher in matchers:
                found = matcher(i)
                if found is not None:
                    items, i = found
                    out.extend(items)
                    break
            else:
                out.append(Mark(self.tag(i)))
                i += 1
        return out

    # -- offsets: "in 2 hours", "3 days later", "a week from today" -----
    def amount(self, i: int) -> tuple[tuple[int, int, int], str, int] | None:
        """``N unit [and N unit]...`` → ((months, days, minutes), last unit, next index)."""
        months = days = minutes = 0
        unit = ""
        first = True
        while True:
            q = self.quantity(i)
            if q is None or self.tag(q[1]) != "unit":
                if first:
                    return None
                break
            n, j = q
            unit = str(self.val(j))
            if unit in _CLOCK_UNITS:
                minutes += round(n * _CLOCK_UNITS[unit])
            elif unit in _DAY_UNITS:
                days += round(n * _DAY_UNITS[unit])
                if n != int(n):
                    minutes += round((n - int(n)) * 24 * 60 * _DAY_UNITS[unit])
            elif unit in _MONTH_UNITS:
                months += round(n * _MONTH_UNITS[unit])
            else:
                return None if first else ((months, days, minutes), unit, i)
            first = False
            i = j + 1
            if self.tag(i) == "and" and self.quantity(i + 1) is not None:
                i += 1
            elif self.quantity(i) is None:
                break
        return (months, days, minutes), unit, i

    def offset(self, i: int) -> Result:
        kind = self.tag(i)
        if kind in ("in", "within"):
            j = i + 1
            upcoming = self.tag(j) == "rel" and self.val(j) in ("next", "coming")
            if upcoming:
                j += 1
            found = self.amount(j)
            if found is None:
                return None
            delta, _, k = found
            if kind == "within" or upcoming:
                return [self.window_ahead(delta)], k
            return [self.shifted(self.now, delta)], k
        found = self.amount(i)
        if found is None:
            return None
        delta, _, k = found
        after = self.tag(k)
        if after == "later":
            return [Shift(*delta)], k + 1
        if after == "earlier":
            return [Shift(-delta[0], -delta[1], -delta[2])], k + 1
        if after == "ago":
            return [self.shifted(self.now, (-delta[0], -delta[1], -delta[2]))], k + 1
        if after in ("from", "after", "before"):
            sign = -1 if after == "before" else 1
            signed = (sign * delta[0], sign * delta[1], sign * delta[2])
            if self.tag(k + 1) == "now":
                return [self.shifted(self.now, signed)], k + 2
            anchor = self.day(k + 1)
            if anchor is not None and isinstance(anchor[0][0], Days):
                first = anchor[0][0].first
                moved = add_months(first, signed[0]) + timedelta(days=signed[1])
                return [Days(moved, moved + timedelta(days=1))], anchor[1]
        return None

    def shifted(self, base: datetime, delta: tuple[int, int, int]) -> Item:
        months, days, minutes = delta
        if months or days:
            day = add_months(base.date(), months) + timedelta(days=days)
            if not minutes:
                return Days(day, day + timedelta(days=1))
            base = base + (day - base.date())
        return Instant(later(base, minutes))

    def window_ahead(self, delta: tuple[int, int, int]) -> Item:
        months, days, minutes = delta
        if months or days:
            stop = add_months(self.today, months) + timedelta(days=days)
            return Days(self.today, max(stop, self.today + timedelta(days=1)))
        return Span(self.now, later(self.now, minutes))

    # -- durations: "30 min", "a 2 hour workshop", "for 1.5h" -----------
    def duration(self, i: int) -> Result:
        j = i + 1 if self.tag(i) == "for" else i
        if self.tag(j) == "art" and self.quantity(j + 1) is not None and self.tag(j + 1) != "art":
            j += 1
        total = 0.0
        start = j
        while True:
            q = self.quantity(j)
            if q is None:
                break
            n, k = q
            if self.tag(k) == "dash":
                k += 1
            if self.tag(k) != "unit" or self.val(k) not in _CLOCK_UNITS:
                break
            total += n * _CLOCK_UNITS[str(self.val(k))]
            j = k + 1
            if self.tag(j) == "and" and self.quantity(j + 1) is not None:
                j += 1
        if j == start or not 0 < total <= 24 * 60:
            return None
        if self.tag(j) in ("past", "to", "tohour", "later", "earlier", "ago", "from", "after",
                           "before"):
            return None
        return [Length(round(total))], j

    # -- days -------------------------------------------------------------
    def day(self, i: int) -> Result:
        kind, value = self.tag(i), self.val(i)
        today = self.today
        if kind == "dayrel" and isinstance(value, int):
            day = today + timedelta(days=value)
            return [Days(day, day + timedelta(days=1))], i + 1
        if kind == "weekoff" and isinstance(value, int):
            first = monday(today) + timedelta(days=7 * value)
            return [Days(first, first + timedelta(days=7))], i + 1
        if kind == "rel":
            return self.relative(i, str(value))
        if kind == "wd" and isinstance(value, int):
            return self.weekday_phrase(i, value, None)
        if kind == "mon":
            return self.month_first(i)
        if kind in ("num", "ord"):
            return self.day_first(i)
        if kind == "date" and isinstance(value, tuple):
            found = make_date(*value)
            return (None if found is None else ([_one(found)], i + 1))
        if kind == "numdate" and isinstance(value, tuple):
            return self.numeric_date(i, value)
        if kind == "dotnum" and isinstance(value, tuple) and self.dotnum_is_date(i):
            return self.numeric_date(i, (*value, None))
        if kind == "unit" and value == "weekend":
            return [self.weekend(0)], i + 1
        if kind == "end":
            return self.end_of(i)
        return None

    def relative(self, i: int, rel: str) -> Result:
        j = i + 1
        kind, value = self.tag(j), self.val(j)
        today = self.today
        if kind == "wd" and isinstance(value, int):
            return self.weekday_phrase(j, value, rel)
        if kind == "unit":
            window = self.period(str(value), rel)
            if window is None:
                return None
            k = self.skip_seps(j + 1)
            weekday = self.val(k)
            if isinstance(weekday, int) and self.tag(k) == "wd" and (
                    window.stop - window.first >= timedelta(days=5)):
                return [self.in_week(window, weekday)], k + 1
            return [window], j + 1
        if kind == "mon" and isinstance(value, int):
            first = month_start(today)
            year = first.year
            if rel == "next" or (rel == "coming" and value <= today.month):
                year += 1 if value <= today.month else 0
            elif rel == "last":
                year -= 1 if value >= today.month else 0
            start = date(year, value, 1)
            return [Days(start, month_start(start, 1))], j + 1
        if kind == "part":
            shift = {"last": -1, "next": 1}.get(rel, 0)
            day = today + timedelta(days=shift)
            return [Days(day, day + timedelta(days=1)), Part(str(value))], j + 1
        found = self.quantity(j)
        if found is not None and rel in ("next", "coming", "last") and self.tag(found[1]) == "unit":
            amount = self.amount(j)
            if amount is None:
                return None
            (months, days, minutes), _, k = amount
            if rel == "last":
                first = add_months(today, -months) - timedelta(days=days)
                return [Days(first, today)], k
            if minutes and not (months or days):
                return [Span(self.now, later(self.now, minutes))], k
            first = today + timedelta(days=1)
            return [Days(first, add_months(first, months) + timedelta(days=days))], k
        return None

    def period(self, unit: str, rel: str) -> Days | None:
        today = self.today
        step = {"next": 1, "last": -1}.get(rel, 0)
        if unit in ("week", "workweek", "fortnight"):
            first = monday(today) + timedelta(days=7 * step)
            length = {"week": 7, "workweek": 5, "fortnight": 14}[unit]
            if step == 0 and unit != "workweek":
                return Days(today, monday(today) + timedelta(days=length))
            return Days(first, first + timedelta(days=length))
        if unit == "weekend":
            return self.weekend(step)
        if unit == "month":
            first = month_start(today, step)
            return Days(today if step == 0 else first, month_start(first, 1))
        if unit == "year":
            first = date(today.year + step, 1, 1)
            return Days(today if step == 0 else first, date(first.year + 1, 1, 1))
        if unit == "day" and step:
            day = today + timedelta(days=step)
            return Days(day, day + timedelta(days=1))
        return None

    def weekend(self, step: int) -> Days:
        today = self.today
        saturday = monday(today) + timedelta(days=5 + 7 * step)
        first = max(saturday, today) if step == 0 else saturday
        return Days(first, saturday + timedelta(days=2))

    def in_week(self, week: Days, weekday: int) -> Days:
        day = monday(week.first) + timedelta(days=weekday)
        return Days(day, day + timedelta(days=1))

    def weekday_date(self, weekday: int, rel: str | None) -> date:
        today = self.today
        ahead = (weekday - today.weekday()) % 7
        if rel == "next":
            if self.vocab.next_is_next_week:
                return monday(today) + timedelta(days=7 + weekday)
            return today + timedelta(days=ahead or 7)
        if rel == "coming":
            return today + timedelta(days=ahead or 7)
        if rel == "last":
            return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        return today + timedelta(days=ahead)

    def weekday_phrase(self, i: int, weekday: int, rel: str | None) -> Result:
        """A weekday, perhaps with a date after it ("Tuesday March 7", "Mon 13th")."""
        j = self.skip_seps(i + 1)
        following = self.day(j) if self.tag(j) in ("mon", "num", "ord", "date", "numdate",
                                                     "dotnum") else None
        if following is not None and isinstance(following[0][0], Days):
            found = following[0][0]
            if found.month_day is not None:
                day = next_month_day(self.today, found.month_day, weekday)
                if day is not None:
                    return [_one(day)], following[1]
            elif found.stop - found.first == timedelta(days=1):
                return [found], following[1]
        if self.tag(j) == "rel" and self.tag(j + 1) == "unit" and self.val(j + 1) in (
                "week", "workweek"):
            week = self.period("week", str(self.val(j)))
            if week is not None:
                return [self.in_week(week, weekday)], j + 2
        day = self.weekday_date(weekday, rel)
        return [Days(day, day + timedelta(days=1), weekday=None if rel else weekday)], i + 1

    def month_first(self, i: int) -> Result:
        """``Dec 3``, ``Dec 3rd 2026``, ``December 2026``, ``December``."""
        month = self.val(i)
        if not isinstance(month, int):
            return None
        j = self.skip_seps(i + 1)
        day = self.month_day_at(j)
        if day is not None:
            k = self.skip_seps(j + 1)
            year = self.year_at(k)
            return self.dated(year, month, day, k + 1 if year else j + 1)
        year = self.year_at(j)
        if year is not None:
            first = date(year, month, 1)
            return [Days(first, month_start(first, 1))], j + 1
        if self.toks[i].text in _AMBIGUOUS_MONTHS and self.tag(i - 1) not in (
                "in", "since", "from", "to", "between", "and", "before", "after", "until"):
            return None
        first = date(self.today.year, month, 1)
        if month < self.today.month:
            first = date(self.today.year + 1, month, 1)
        return [Days(max(first, self.today), month_start(first, 1))], i + 1

    def day_first(self, i: int) -> Result:
        """``3rd December``, ``3 dec 2026``, ``the 30th``, ``3-12 of Sept``."""
        day = self.month_day_at(i)
        if day is None:
            return None
        j = self.skip_seps(i + 1)
        if self.tag(j) in ("dash", "to", "until") or (
                self.tag(j) == "and" and self.tag(i - 1) == "between"):
            ranged = self.day_range(i, day, j + 1)
            if ranged is not None:
                return ranged
        if self.tag(j) == "mon" and isinstance(self.val(j), int):
            k = self.skip_seps(j + 1)
            year = self.year_at(k)
            return self.dated(year, int(self.val(j)), day, k + 1 if year else j + 1)  # type: ignore[arg-type]
        if (self.tag(i) == "ord" and self.toks[i].text[:1].isdigit()) or (
                self.tag(i) == "ord" and self.tag(i + 1) not in ("num", "w", "art", "")):
            found = next_month_day(self.today, day)
            if found is not None:
                return [Days(found, found + timedelta(days=1), month_day=day)], i + 1
        return None

    def day_range(self, i: int, first_day: int, j: int) -> Result:
        """``3-12 of Sept``, ``from 4-23 in next month``: days of one month."""
        last_day = self.month_day_at(j)
        if last_day is None:
            return None
        k = j + 1
        while self.tag(k) in ("in", "sep"):
            k += 1
        month_at = self.day(k) if self.tag(k) in ("mon", "rel") else None
        if month_at is None or not isinstance(month_at[0][0], Days):
            return None
        month = month_at[0][0]
        first = month.first.replace(day=1) if self.tag(k) == "rel" else month.first
        start = make_date(first.year, first.month, first_day)
        stop = make_date(first.year, first.month, last_day)
        if start is None or stop is None or stop < start:
            return None
        return [Days(start, stop + timedelta(days=1))], month_at[1]

    def month_day_at(self, i: int) -> int | None:
        kind, value = self.tag(i), self.val(i)
        if kind in ("num", "ord") and isinstance(value, int) and 1 <= value <= 31:
            if kind == "num" and self.tag(i + 1) in ("ampm", "oclock", "unit"):
                return None
            return value
        return None

    def year_at(self, i: int) -> int | None:
        value = self.int_at(i)
        if value is not None and len(self.toks[i].text) == 4 and 1000 <= value <= 9998:
            return value
        return None

    def dated(self, year: int | None, month: int, day: int, end: int) -> Result:
        found = make_date(year, month, day) if year else next_date(self.today, month, day)
        return None if found is None else ([_one(found)], end)

    def numeric_date(self, i: int, parts: tuple[int, int, int | None]) -> Result:
        a, b, year = parts
        if year is not None and year < 100:
            year += 2000 if year < 50 else 1900
        order = self.order
        readings = [(a, b), (b, a)] if order == "mdy" else [(b, a), (a, b)]
        for month, day in readings:
            found = make_date(year, month, day) if year else next_date(self.today, month, day)
            if found is not None:
                return [_one(found)], i + 1
        return None

    def dotnum_is_date(self, i: int) -> bool:
        if self.tag(i - 1) in _TIME_CONTEXT or self.tag(i + 1) in (
                "ampm", "unit", "oclock", "dash", "to", "part"):
            return False
        a, b = self.val(i)  # type: ignore[misc]
        return b <= 12 or (a <= 12 and self.order == "mdy" and b <= 31)

    def end_of(self, i: int) -> Result:
        j = i + 1
        rel = "this"
        if self.tag(j) == "rel":
            rel = str(self.val(j))
            j += 1
        kind, value = self.tag(j), self.val(j)
        if kind == "unit" and value in ("month", "week", "year"):
            window = self.period(str(value), rel)
            if window is None:
                return None
            first = max(window.first, window.stop - timedelta(days=7 if value != "week" else 3))
            return [Days(first, window.stop)], j + 1
        if kind == "unit" and value == "day":
            return [_one(self.today), Part("end")], j + 1
        found = self.day(j) if kind in ("dayrel", "wd") else None
        if found is not None:
            return [*found[0], Part("end")], found[1]
        return None

    # -- clock times and parts of day -------------------------------------
    def time(self, i: int) -> Result:
        kind, value = self.tag(i), self.val(i)
        if kind == "time" and isinstance(value, tuple):
            h, m, strict = value
            return self.clock(h, m, i + 1, strict=strict)
        if kind == "clock" and isinstance(value, tuple):
            return [Clock(value[0], value[1], strict=True)], i + 1
        if kind == "part":
            return [Part(str(value))], i + 1
        if kind in ("half", "quarter"):
            return self.minutes_past(15 if kind == "quarter" else 30, i + 1)
        if kind == "halbhour":
            hour = self.hour_at(i + 1)
            return None if hour is None else ([Clock((hour - 1) % 24, 30)], i + 2)
        if kind == "dotnum" and isinstance(value, tuple):
            h, m = value
            if h <= 24 and m <= 59 and len(self.toks[i].text.split(".")[1]) == 2:
                return self.clock(h, m, i + 1)
            return None
        if kind == "num" and isinstance(value, int):
            return self.number_time(i, value)
        return None

    def clock(self, h: int, m: int, j: int, *, strict: bool = False, bare: bool = False) -> Result:
        if not (0 <= h <= 24 and 0 <= m <= 59):
            return None
        meridiem = None
        if self.tag(j) == "ampm" and h <= 12:
            meridiem = str(self.val(j))
            j += 1
        elif self.tag(j) == "oclock":
            j += 1
            if self.vocab.h_is_clock:
                strict = True
        return [Clock(h, m, meridiem, strict=strict, bare=bare and meridiem is None)], j

    def number_time(self, i: int, n: int) -> Result:
        nxt = self.tag(i + 1)
        if nxt == "ampm":
            if 100 <= n <= 1259:
                return self.clock(n // 100, n % 100, i + 1)
            return self.clock(n, 0, i + 1)
        if nxt == "oclock" and n <= 24:
            minutes = self.int_at(i + 2)
            if self.vocab.h_is_clock and minutes is not None and minutes < 60 and self.tag(
                    i + 3) != "unit":
                return [Clock(n, minutes, strict=True)], i + 3
            return self.clock(n, 0, i + 1)
        if nxt == "clock" and n == 12:
            return [Clock(12, 0, strict=True)], i + 2
        with_unit = nxt == "unit" and self.val(i + 1) == "minute"
        j = i + 2 if with_unit else i + 1
        if 0 < n < 60 and self.tag(j) in ("past", "to", "until", "tohour"):
            # "5 to 6pm" is a range; "ten to five", "20 min to 5", "25 to 6" are not.
            spelled = with_unit or n > 12 or not self.toks[i].text.isdigit()
            if self.tag(j) in ("past", "tohour") or spelled:
                found = self.minutes_past(n, j)
                if found is not None:
                    return found
        word_minutes = self.int_at(i + 1)
        if (1 <= n <= 12 and word_minutes is not None and 10 <= word_minutes <= 59
                and not self.toks[i + 1].text.isdigit() and self.tag(i + 2) != "unit"
                and (self.tag(i + 2) in ("ampm", "part", "dayrel") or self.tag(i - 1) == "at")):
            return self.clock(n, word_minutes, i + 2)
        if n <= 24 and self.bare_hour(i):
            return self.clock(n, 0, i + 1, bare=True)
        return None

    def bare_hour(self, i: int) -> bool:
        nxt = self.tag(i + 1)
        if nxt in ("unit", "mon", "ord", "ordsuf"):
            return False
        if self.tag(i - 1) in _TIME_CONTEXT:
            return True
        if self.tag(i - 1) == "part" and nxt in ("dash", "to", "until"):
            return True
        return nxt == "part" or (nxt in ("sep", "in") and self.tag(i + 2) == "part")

    def minutes_past(self, minutes: int, j: int) -> Result:
        direction = self.tag(j)
        if direction == "past":
            hour = self.hour_at(j + 1)
            return None if hour is None else self.clock(hour, minutes, j + 2)
        if direction in ("to", "until", "tohour"):
            hour = self.hour_at(j + 1)
            if hour is None:
                return None
            return self.clock((hour - 1) % 24 if hour != 1 else 12, 60 - minutes, j + 2)
        return None

    def hour_at(self, i: int) -> int | None:
        if self.tag(i) == "clock" and isinstance(self.val(i), tuple):
            return int(self.val(i)[0])  # type: ignore[index]
        value = self.int_at(i)
        return value if value is not None and 0 <= value <= 24 else None


def later(instant: datetime, minutes: int) -> datetime:
    """``instant`` plus elapsed ``minutes`` (absolute time, DST-safe), in its own zone."""
    return (instant.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(instant.tzinfo)


def _one(day: date) -> Days:
    return Days(day, day + timedelta(days=1))


def scan(toks: list[Tok], vocab: Vocabulary, now: datetime, order: DateOrder = "dmy"
         ) -> list[Item]:
    """Find the date/time items of one message.

    Args:
        toks: tokens from :func:`nlp.text.tokenize`.
        vocab: the message's language.
        now: aware datetime in the reader's zone.
        order: how ``4/5`` reads when both readings are valid.

    Returns:
        Items in message order; connectives and unknown words as ``Mark``.
    """
    return _Scanner(toks, vocab, now, order).run()
