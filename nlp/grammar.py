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
from dataclasses import replace
from datetime import date, datetime, timedelta

from nlp.dates import (
    add_months,
    at,
    later,
    make_date,
    monday,
    month_start,
    next_date,
    next_month_day,
)
from nlp.items import Clock, Days, Instant, Item, Length, Mark, Part, Shift, Span
from nlp.lang import DateOrder, Vocabulary
from nlp.text import Tok

#: Tags after which a lone number reads as an hour ("at 4", "between 2 and").
_TIME_CONTEXT = frozenset({"at", "from", "between", "to", "before", "after", "since", "dash",
                           "and", "until"})
#: Tags before a number that make it a length ("for 2h", "in 2h", "pendant 1h30").
_LENGTH_CUES = frozenset({"for", "in", "within"})
#: Tags of a day or date: a clock time may lean on them ("demain 9h").
_DAY_TAGS = frozenset({"wd", "dayrel", "date", "numdate", "mon"})
#: The hour letter after a number: "15h" (a clock time) or "2h" (a length).
_HOUR_LETTERS = frozenset({"h", "hs"})
#: Hours of a written "9h" read as a clock time without any other cue.
_BUSINESS_HOURS = range(7, 13)
#: Month words that are also ordinary words; they need a number next to them.
_AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar"})
#: Parts of one amount of time at most ("1 year 2 months 3 days 4 hours 5 minutes").
_MAX_PARTS = 5
#: Larger counts are not amounts of time ("in 99999999 days").
_MAX_COUNT = 10_000
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
        zone = now.tzinfo
        if zone is None:
            raise ValueError("now must be timezone-aware")
        self.zone = zone

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
        """A count before a unit: "2", "two", "a", "1.5" (at most :data:`_MAX_COUNT`)."""
        kind, value = self.tag(i), self.val(i)
        if kind == "num" and isinstance(value, int | float) and 0 < value <= _MAX_COUNT:
            return float(value), i + 1
        if kind == "art":
            return 1.0, i + 1
        if kind == "dotnum" and float(self.toks[i].text.rstrip(".")) > 0:
            return float(self.toks[i].text.rstrip(".")), i + 1
        return None

    def h_form(self, i: int) -> tuple[int, int, int] | None:
        """``N h [MM]`` at ``i`` ("15h", "1h30", "2 h"): (hours, minutes, next index)."""
        n = self.int_at(i)
        if n is None or not self.toks[i].text.isdigit() or self.tag(i + 1) not in (
                "unit", "oclock") or self.toks[i + 1].text not in _HOUR_LETTERS:
            return None
        minutes = self.int_at(i + 2)
        if minutes is not None and minutes < 60 and len(self.toks[i + 2].text) == 2 and (
                self.tag(i + 3) not in ("unit", "oclock", "ampm", "counted")):
            return n, minutes, i + 3
        return n, 0, i + 2

    def h_reads_clock(self, i: int) -> bool:
        """Whether the ``N h [MM]`` at ``i`` is a clock time rather than a length.

        An hour of 13–23 (or 0) is a clock time; otherwise a length cue before it
        ("for", "in", "pendant") makes it a length and a time cue ("at", "à",
        "um", "a las", "às", "from", "between", ...) a clock time. Without cues
        English reads ``h`` as hours ("2h call"); languages that write "15h" for
        15:00 read it as a clock time next to a day ("demain 1h30") or for an
        hour of business hours ("10h30", "le rdv de 10h"), and as a length
        otherwise ("1h30 avec Ana", "une réunion de 2h").
        """
        found = self.h_form(i)
        if found is None:
            return False
        hour, _, end = found
        if hour >= 24:
            return False
        if hour >= 13 or hour == 0:
            return True
        before, after = self.tag(i - 1), self.tag(end)
        if before in _LENGTH_CUES:
            return False
        if before in _TIME_CONTEXT:
            return True
        opens_range = after in ("dash", "to", "until") or (
            after == "at" and self.h_form(end + 1) is not None)
        if not self.vocab.h_is_clock:
            return False
        if before == "of" and not opens_range:
            return hour in _BUSINESS_HOURS  # "une réunion de 2h" but "le rdv de 10h"
        return opens_range or before in _DAY_TAGS or after in _DAY_TAGS or (
            hour in _BUSINESS_HOURS)

    def skip_seps(self, i: int) -> int:
        while self.tag(i) in ("sep", "of") or (
                self.tag(i) == "sym" and self.toks[i].text in "./("):
            i += 1
        return i

    # -- the pass -------------------------------------------------------
    def run(self) -> list[Item]:
        matchers: tuple[Callable[[int], Result], ...] = (
            self.headcount, self.offset, self.duration, self.day, self.time)
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

    # -- head counts: "3 people", "2-3 Personen" are no time ---------------
    def headcount(self, i: int) -> Result:
        """``3 people``, ``2-3 Personen``, ``2 to 3 guests``: one mark, never a time."""
        if self.tag(i) != "num":
            return None
        j = i + 1
        if self.tag(j) in ("dash", "to", "until", "and") and self.tag(j + 1) == "num":
            j += 2
        return ([Mark("counted")], j + 1) if self.tag(j) == "counted" else None

    # -- offsets: "in 2 hours", "3 days later", "a week from today" -----
    def amount(self, i: int) -> tuple[tuple[int, int, int], str, int] | None:
        """``N unit [and N unit]...`` → ((months, days, minutes), last unit, next index)."""
        months = days = minutes = 0
        unit = ""
        first = True
        for _ in range(_MAX_PARTS):
            written = self.h_form(i)
            if written is not None and not self.h_reads_clock(i):
                minutes += written[0] * 60 + written[1]
                unit, first, i = "hour", False, written[2]
                if self.tag(i) == "and" and self.quantity(i + 1) is not None:
                    i += 1
                elif self.quantity(i) is None:
                    break
                continue
            q = self.quantity(i)
            if q is None and first and self.tag(i) == "unit" and self.tag(i - 1) == "rel":
                q = (1.0, i)  # "within the next day and 5 hours"
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

    @staticmethod
    def amount_of(n: float, unit: str) -> tuple[int, int, int] | None:
        """``n`` units as (months, days, minutes), or None for a unit that is no length."""
        if unit in _CLOCK_UNITS:
            return 0, 0, round(n * _CLOCK_UNITS[unit])
        if unit in _DAY_UNITS:
            return 0, round(n * _DAY_UNITS[unit]), 0
        if unit in _MONTH_UNITS:
            return round(n * _MONTH_UNITS[unit]), 0, 0
        return None

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
            if kind == "within" and self.tag(k) in ("after", "from") and not delta[2]:
                anchor = self.day(k + 1)  # "less than 3 days after tomorrow"
                if anchor is not None and isinstance(anchor[0][0], Days):
                    first = anchor[0][0].first
                    stop = add_months(first, delta[0]) + timedelta(days=delta[1])
                    return [Days(first, max(stop, first + timedelta(days=1)))], anchor[1]
            if kind == "within" or upcoming:
                return [self.window_ahead(delta, from_tomorrow=upcoming)], k
            return [self.shifted(self.now, delta)], k
        q = self.quantity(i)
        if q is not None and self.tag(q[1]) == "rel" and self.val(q[1]) in ("next", "coming"):
            # "3 next weeks", "5 coming minutes": the same as "the next 3 weeks".
            unit_at = q[1] + 1
            if self.tag(unit_at) == "unit" and self.toks[unit_at].text.endswith("s"):
                ahead = self.amount_of(q[0], str(self.val(unit_at)))
                if ahead is not None:
                    return [self.window_ahead(ahead, from_tomorrow=True)], unit_at + 1
        found = self.amount(i)
        if found is None:
            return None
        delta, _, k = found
        after = self.tag(k)
        if after == "fromnow":
            return [self.shifted(self.now, delta)], k + 1
        if after == "later":
            return [Shift(*delta)], k + 1
        if after == "earlier":
            return [Shift(-delta[0], -delta[1], -delta[2])], k + 1
        if after == "ago":
            return [self.shifted(self.now, (-delta[0], -delta[1], -delta[2]))], k + 1
        if after == "since" or (after == "from" and self.tag(i - 1) == "for"):
            k += 2 if self.tag(k + 1) == "from" else 1
            anchor = self.day(k)
            if anchor is None or not isinstance(anchor[0][0], Days):
                return None
            first = anchor[0][0].first
            k = anchor[1] + 1 if self.tag(anchor[1]) == "at" else anchor[1]
            clock = self.time(k)
            if clock is not None and isinstance(clock[0][0], Clock) and not delta[2]:
                # "a day starting this Friday at 5 pm": [Friday 17:00, Saturday 17:00)
                c = clock[0][0]
                begin = at(first, c.hour24() * 60 + c.minute, self.zone)
                moved = add_months(first, delta[0]) + timedelta(days=delta[1])
                return [Span(begin, begin + (moved - first))], clock[1]
            stop = add_months(first, delta[0]) + timedelta(days=delta[1])
            return [Days(first, max(stop, first + timedelta(days=1)))], anchor[1]
        if after in ("from", "after", "before"):
            sign = -1 if after == "before" else 1
            signed = (sign * delta[0], sign * delta[1], sign * delta[2])
            if self.tag(k + 1) == "now":
                return [self.shifted(self.now, signed)], k + 2
            anchor = self.day(k + 1)
            if anchor is not None and isinstance(anchor[0][0], Days):
                first = anchor[0][0].first
                moved = add_months(first, signed[0]) + timedelta(days=signed[1])
                return [Days(moved, moved + timedelta(days=1), origin="offset")], anchor[1]
            if after != "from" and self.tag(k + 1) in ("", "sep", "sym", "w"):
                return [Shift(*signed)], k + 1  # "una hora después"
        return None

    def shifted(self, base: datetime, delta: tuple[int, int, int]) -> Item:
        months, days, minutes = delta
        if months or days:
            day = add_months(base.date(), months) + timedelta(days=days)
            if not minutes:
                return Days(day, day + timedelta(days=1), origin="offset")
            base = base + (day - base.date())
        return Instant(later(base, minutes))

    def window_ahead(self, delta: tuple[int, int, int], *, from_tomorrow: bool = False) -> Item:
        months, days, minutes = delta
        if minutes and (months or days):
            end = later(self.now + (add_months(self.today, months) - self.today), minutes)
            return Span(self.now, end + timedelta(days=days))
        if months or days:
            first = self.today + timedelta(days=1 if from_tomorrow else 0)
            stop = add_months(first, months) + timedelta(days=days)
            return Days(first, max(stop, first + timedelta(days=1)))
        return Span(self.now, later(self.now, minutes))

    # -- durations: "30 min", "a 2 hour workshop", "for 1.5h" -----------
    def duration(self, i: int) -> Result:
        j = i + 1 if self.tag(i) == "for" else i
        if self.tag(j) == "art" and self.quantity(j + 1) is not None and self.tag(j + 1) != "art":
            j += 1
        if self.tag(j - 1) == "at" or self.tag(i - 1) == "at":
            return None  # "at 15 heures" is a clock time
        total = 0.0
        start = j
        for _ in range(_MAX_PARTS):
            written = self.h_form(j)
            if written is not None:
                if self.h_reads_clock(j):
                    break
                total += written[0] * 60 + written[1]
                j = written[2]
                if self.tag(j) == "and" and self.quantity(j + 1) is not None:
                    j += 1
                continue
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
        if self.tag(j) in ("past", "tohour", "later", "earlier", "ago", "after", "before"):
            return None
        if self.tag(j) in ("to", "until") and self.hour_at(j + 1) is not None:
            return None  # "20 minutes to 5" is a clock time
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
        if kind == "rel" and not (value == "last" and (
                self.period_at(i + 2) is not None or self.period_at(i + 3) is not None)):
            return self.relative(i, str(value))
        if kind == "wd" and isinstance(value, int):
            if self.tag(i + 1) == "rel" and self.tag(i + 2) != "unit":  # "lundi prochain"
                found = self.weekday_phrase(i, value, str(self.val(i + 1)))
                return None if found is None else (found[0], i + 2)
            return self.weekday_phrase(i, value, None)
        if kind == "unit" and self.tag(i + 1) == "rel" and value in (
                "week", "month", "year", "weekend", "workweek", "fortnight"):
            window = self.period(str(value), str(self.val(i + 1)))
            if window is not None:
                return [window], i + 2
        if kind == "mon":
            return self.cluster(i)
        if kind in ("num", "ord"):
            return self.day_first(i)
        if kind == "rel" and value == "last" and self.tag(i + 1) in ("wd", "unit", "num") and (
                self.period_at(i + 2) is not None or self.period_at(i + 3) is not None):
            return self.nth_of(i, -1)
        if kind == "date" and isinstance(value, tuple):
            written = make_date(*value)
            return None if written is None else ([_one(written)], i + 1)
        if kind == "numdate" and isinstance(value, tuple):
            return self.numeric_date(i, value)
        if kind == "dotnum" and isinstance(value, tuple) and self.dotnum_is_date(i):
            return self.numeric_date(i, (*value, None))
        if kind == "unit" and value == "weekend":
            return [self.weekend(0)], i + 1
        if kind == "unit" and value == "week":
            found = self.week_of(i)
            if found is not None:
                return found
        if kind == "unit" and value in ("day", "week") and self.toks[i].after_the:
            return self.the_period(i, str(value))
        if kind == "rest":
            return [self.rest_of(str(value))], i + 1
        if kind == "end":
            return self.end_of(i)
        if kind == "mid":
            return self.middle_of(i)
        return None

    def week_of(self, i: int) -> Result:
        """``the week of April 10th``, ``week commencing Feb 4``: Monday to Monday."""
        number = self.int_at(i + 1)
        if number is not None and 1 <= number <= 53 and self.tag(i + 2) not in (
                "unit", "ampm", "oclock"):
            in_year = self.period_at(i + 2)
            year = in_year[0].first.year if in_year else self.today.year
            try:
                first = date.fromisocalendar(year, number, 1)
            except ValueError:
                return None
            return [Days(first, first + timedelta(days=7))], in_year[1] if in_year else i + 2
        j = self.skip_seps(i + 1)
        j = j + 1 if self.tag(j) == "since" else j
        if self.tag(j) not in ("mon", "num", "ord", "date", "numdate", "wd", "dayrel"):
            return None
        found = self.day(j)
        if found is None or not isinstance(found[0][0], Days):
            return None
        first = monday(found[0][0].first)
        return [Days(first, first + timedelta(days=7))], found[1]

    def the_period(self, i: int, unit: str) -> Result:
        """``the day`` (today), ``the week`` (this week), ``the day after``/``before``.

        "The day after" moves the slot under discussion (a :class:`Shift`).
        """
        nxt = self.tag(i + 1)
        if nxt in ("num", "ord", "mon", "wd", "dayrel", "date", "numdate", "rel"):
            return None
        if unit == "day" and nxt in ("after", "before") and self.tag(i + 2) in ("", "sep", "w",
                                                                            "sym"):
            return [Shift(days=1 if nxt == "after" else -1)], i + 2  # from the slot discussed
        if unit == "day":
            return [Days(self.today, self.today + timedelta(days=1), origin="vague")], i + 1
        first = monday(self.today)
        return [Days(first, first + timedelta(days=7), origin="vague")], i + 1

    def rest_of(self, period: str) -> Days:
        """``later this week`` (from Thursday on), ``rest of the week``/``month``."""
        today = self.today
        if period == "month":
            return Days(today, month_start(today, 1))
        week = monday(today)
        first = max(today, week + timedelta(days=3)) if period == "laterweek" else today
        return Days(first, week + timedelta(days=7))

    def business_days(self, n: int, j: int) -> Result:
        """``the next 4 business days``: from the next weekday, ``n`` Monday–Friday days."""
        day = self.today
        first = None
        while n > 0:
            day += timedelta(days=1)
            if day.weekday() < 5:
                first = first or day
                n -= 1
        return ([Days(first, day + timedelta(days=1))], j) if first else None

    def relative(self, i: int, rel: str) -> Result:
        j = i + 1
        kind, value = self.tag(j), self.val(j)
        today = self.today
        if kind == "wd" and isinstance(value, int):
            return self.weekday_phrase(j, value, rel)
        if kind == "unit" and value in _CLOCK_UNITS and rel in ("next", "coming"):
            return [Span(self.now, later(self.now, _CLOCK_UNITS[str(value)]))], j + 1
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
        if found is not None and rel in ("next", "coming") and self.tag(found[1]) == "unit" and (
                self.val(found[1]) == "bday") and 0 < found[0] <= 366:
            return self.business_days(int(found[0]), found[1] + 1)
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
            # Fortnights run from this week's Monday: the next one starts in two weeks.
            length = {"week": 7, "workweek": 5, "fortnight": 14}[unit]
            first = monday(today) + timedelta(days=(14 if unit == "fortnight" else 7) * step)
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
        if rel == "next":  # the weekday of next calendar week, in every language
            return monday(today) + timedelta(days=7 + weekday)
        if rel == "coming":
            return today + timedelta(days=ahead or 7)
        if rel == "last":
            return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        return today + timedelta(days=ahead)

    def weekday_phrase(self, i: int, weekday: int, rel: str | None) -> Result:
        """A weekday, perhaps with a date after it ("Tuesday March 7", "Mon 13th")."""
        j = self.skip_seps(i + 1)
        if self.tag(j) in ("num", "ord"):
            following = self.day_first(j, word_ordinals=True)
        elif self.tag(j) in ("mon", "date", "numdate", "dotnum"):
            following = self.day(j)
        else:
            following = None
        if following is not None and isinstance(following[0][0], Days):
            found = following[0][0]
            if found.month_day is not None:
                day = next_month_day(self.today, found.month_day, weekday)
                if day is not None:
                    return [_one(day)], following[1]
            elif found.stop - found.first == timedelta(days=1):
                return [found], following[1]
        paired = self.dashed_date(j, weekday, rel)
        if paired is not None:
            return paired
        month_day = self.int_at(j)
        if month_day is not None and 12 < month_day <= 31 and self.tag(j + 1) not in (
                "ampm", "oclock", "unit", "dash", "to", "until") and not self.timeish(j):
            day = next_month_day(self.today, month_day, weekday)
            if day is not None:
                return [_one(day)], j + 1
        if self.tag(j) == "rel" and self.tag(j + 1) == "unit" and self.val(j + 1) in (
                "week", "workweek"):
            week = self.period("week", str(self.val(j)))
            if week is not None:
                return [self.in_week(week, weekday)], j + 2
        day = self.weekday_date(weekday, rel)
        return [Days(day, day + timedelta(days=1), weekday=None if rel else weekday)], i + 1

    def dashed_date(self, j: int, weekday: int, rel: str | None) -> Result:
        """``Friday 7-6``: a dashed pair after a weekday that dates that very weekday.

        "Friday 9-5" stays a time range: the pair must name the coming Friday
        (or the one after) as a date in the reader's order.
        """
        a, b = self.int_at(j), self.int_at(j + 2)
        if a is None or b is None or self.tag(j + 1) != "dash" or self.tag(j + 3) in (
                "ampm", "oclock", "unit", "part", "dash"):
            return None
        soonest = self.weekday_date(weekday, rel)
        readings = [(a, b), (b, a)] if self.order == "mdy" else [(b, a), (a, b)]
        for month, day in readings:
            found = next_date(self.today, month, day) if 1 <= month <= 12 else None
            if found is not None and found in (soonest, soonest + timedelta(days=7)):
                return [_one(found)], j + 3
        return None

    def skip_date_seps(self, i: int) -> int:
        while self.tag(i) in ("sep", "dash", "of") or (
                self.tag(i) == "sym" and self.toks[i].text in "./(,"):
            i += 1
        return i

    def cluster(self, i: int) -> Result:
        """A month name with a day and/or year, in any order and with any separators.

        ``Dec 3``, ``3rd of December``, ``Dec 3rd, 2026``, ``2020/Sep/23``,
        ``23-2020-September``, ``December 2026``, or a lone ``December``.
        """
        month = day = year = None
        j, end = i, i
        while True:
            kind, value = self.tag(j), self.val(j)
            if kind == "in" and year is None and self.year_at(j + 1) is not None:
                j += 1
                continue
            found_year = self.year_at(j) if year is None else None
            if kind == "mon" and month is None and isinstance(value, int):
                month = value
            elif found_year is not None:
                year = found_year
            elif day is None and self.month_day_at(j) is not None and not (
                    self.tag(j - 1) == "sym" and self.toks[j - 1].text in "$€£¥"):
                day = self.month_day_at(j)
            else:
                break
            end = j + 1
            j = self.skip_date_seps(j + 1)
        if month is None:
            return None
        if day is not None:
            return self.dated(year, month, day, end)
        if year is not None:
            first = date(year, month, 1)
            return [Days(first, month_start(first, 1), origin="year")], end
        cue = i - 1
        while self.tag(cue) == "of":
            cue -= 1  # "the end of March"
        if self.toks[i].text in _AMBIGUOUS_MONTHS and self.tag(cue) not in (
                "in", "since", "from", "to", "between", "and", "before", "after", "until", "end",
                "mid"):
            return None
        first = date(self.today.year, month, 1)
        if month < self.today.month:
            first = date(self.today.year + 1, month, 1)
        return [Days(max(first, self.today), month_start(first, 1), origin="date")], end

    def period_at(self, j: int) -> tuple[Days, int] | None:
        """A month or year window: ``Jan``, ``June 2027``, ``next month``, ``2027``."""
        j = self.skip_date_seps(j)
        if self.tag(j) == "mon":
            found = self.cluster(j)
        elif self.tag(j) == "rel" and self.tag(j + 1) == "unit" and self.val(j + 1) in (
                "month", "year"):
            window = self.period(str(self.val(j + 1)), str(self.val(j)))
            found = None if window is None else ([window], j + 2)
        else:
            year = self.year_at(j)
            found = None if year is None else ([Days(date(year, 1, 1), date(year + 1, 1, 1))],
                                               j + 1)
        if found is None or not isinstance(found[0][0], Days):
            return None
        window = found[0][0]
        if self.tag(j) == "rel" or (window.first.day != 1 and window.stop.day == 1):
            window = Days(window.first.replace(day=1), window.stop)
        return window, found[1]

    def first_units_of(self, i: int, n: int) -> Result:
        """``the first 2 weeks of 2021``, ``the last four months of 2021``."""
        count = self.quantity(i + 1)
        if count is None or self.tag(count[1]) != "unit" or not 0 < count[0] <= 366:
            return None
        unit = str(self.val(count[1]))
        window_at = self.period_at(count[1] + 1)
        if window_at is None or unit not in ("day", "week", "month"):
            return None
        window, end = window_at
        k = int(count[0])
        if unit == "month":
            first = window.first if n > 0 else add_months(window.stop, -k)
            return [Days(first, add_months(first, k))], end
        step = 7 if unit == "week" else 1
        if n > 0:
            first = window.first
            if unit == "week":  # weeks holding their Thursday in the period
                first = window.first + timedelta(days=(3 - window.first.weekday()) % 7 - 3)
            return [Days(first, first + timedelta(days=step * k))], end
        stop = window.stop
        if unit == "week":
            last = window.stop - timedelta(days=1)
            stop = last - timedelta(days=(last.weekday() - 3) % 7) + timedelta(days=4)
        return [Days(stop - timedelta(days=step * k), stop)], end

    def nth_of(self, i: int, n: int) -> Result:
        """``first Monday of next month``, ``the 15th day of June``, ``3rd week of Jan``."""
        j = i + 1
        kind, value = self.tag(j), self.val(j)
        if kind in ("num", "art") and n in (1, -1):
            return self.first_units_of(i, n)
        part = None
        if kind == "wd" and self.tag(j + 1) == "part":
            part = Part(str(self.val(j + 1)))
        window_at = self.period_at(j + (2 if part else 1))
        if window_at is None:
            return None
        window, end = window_at
        if kind == "wd" and isinstance(value, int):
            first = window.first + timedelta(days=(value - window.first.weekday()) % 7)
            if n < 0:
                last = window.stop - timedelta(days=1)
                day = last - timedelta(days=(last.weekday() - value) % 7)
            else:
                day = first + timedelta(days=7 * (n - 1))
            if day >= window.stop:
                return None
            return [_one(day), *([part] if part else [])], end
        if kind == "unit" and value == "month" and 0 < n <= 12 and (
                window.stop - window.first).days > 31:
            first = date(window.first.year, n, 1)
            return [Days(first, month_start(first, 1))], end
        if kind == "unit" and value == "day" and n > 0:
            day = window.first + timedelta(days=n - 1)
            return (None if day >= window.stop else ([_one(day)], end))
        if kind == "unit" and value == "week":
            # Weeks belong to the month/year holding their Thursday (ISO 8601 style).
            thursday = window.first + timedelta(days=(3 - window.first.weekday()) % 7)
            if n < 0:
                last = window.stop - timedelta(days=1)
                thursday = last - timedelta(days=(last.weekday() - 3) % 7)
                n = 1
            week = thursday - timedelta(days=3) + timedelta(days=7 * (n - 1))
            return [Days(week, week + timedelta(days=7))], end
        return None

    def day_first(self, i: int, *, word_ordinals: bool = False) -> Result:
        """``3rd December``, ``the 30th``, ``3-12 of Sept``, ``first Monday of May``.

        A spelled ordinal alone ("the second") is a day only with
        ``word_ordinals`` (after a weekday); otherwise it is a choice.
        """
        found = self.cluster(i)
        if found is not None:
            return found
        kind, value = self.tag(i), self.val(i)
        if kind == "ord" and isinstance(value, int) and self.tag(i + 1) in ("wd", "unit", "num"):
            found = self.nth_of(i, value)
            if found is not None:
                return found
        day = self.month_day_at(i)
        if day is None:
            return None
        j = self.skip_seps(i + 1)
        if self.tag(j) in ("dash", "to", "until") or (
                self.tag(j) == "and" and self.tag(i - 1) == "between"):
            ranged = self.day_range(i, day, j + 1)
            if ranged is not None:
                return ranged
        nxt = self.toks[i + 1] if i + 1 < len(self.toks) else None
        if kind == "num" and self.toks[i].after_the and self.tag(i - 1) not in _TIME_CONTEXT and (
                nxt is None or nxt.kind not in ("unit", "ampm", "oclock", "w", "num", "art", "dash",
                                                "to", "and", "part")):
            found_day = next_month_day(self.today, day)  # "on the 17"
            if found_day is not None:
                return [Days(found_day, found_day + timedelta(days=1), month_day=day)], i + 1
        spelled_ok = word_ordinals and (nxt is None or not (
            nxt.kind == "w" or nxt.kind == "art" or (nxt.kind == "num" and nxt.value == 1)))
        if kind == "ord" and (self.toks[i].text[:1].isdigit() or spelled_ok):
            found_day = next_month_day(self.today, day)
            if found_day is not None:
                return [Days(found_day, found_day + timedelta(days=1), month_day=day)], i + 1
        return None

    def day_range(self, i: int, first_day: int, j: int) -> Result:
        """``3-12 of Sept``, ``from 4-23 in next month``: days of one month."""
        last_day = self.month_day_at(j)
        if last_day is None:
            return None
        k = j + 1
        while self.tag(k) in ("in", "sep", "of"):
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

    def military(self, i: int) -> Clock | None:
        """A 24-hour time written as four digits ("2115", "0800-0930", "Dec 3 1430").

        It is a time when it starts with 0, is below 1900 (never a year a
        guest books in), or sits next to a time cue or a day; otherwise
        ("in 2030") it stays a number.
        """
        text = self.toks[i].text if 0 <= i < len(self.toks) else ""
        if len(text) != 4 or not text.isdigit() or self.tag(i + 1) in (
                "unit", "ampm", "counted"):
            return None
        hour, minute = int(text[:2]), int(text[2:])
        if hour > 23 or minute > 59:
            return None
        beside = {self.tag(i - 1), self.tag(i + 1)}
        cue = self.tag(i - 1) in _TIME_CONTEXT or bool(beside & _DAY_TAGS) or self.tag(
            i - 1) in ("dotnum", "num", "ord", "wd")
        if text[0] == "0" or int(text) < 1900 or cue:
            return Clock(hour, minute, strict=True)
        return None

    def year_at(self, i: int) -> int | None:
        value = self.int_at(i)
        if value is not None and self.military(i) is not None and (value < 1900 or (
                self.tag(i - 1) == "at" and self.tag(i + 1) not in ("sym", "mon", "dash"))):
            return None  # "Dec 3 1430", "a las 2115": a time, never a year
        if value is not None and (len(self.toks[i].text) == 4 or not self.toks[i].text[
                :1].isdigit()) and 1000 <= value <= 9998:
            return value  # "2032", "two thousand and thirty two"
        return None

    def dated(self, year: int | None, month: int, day: int, end: int) -> Result:
        found = make_date(year, month, day) if year else next_date(self.today, month, day)
        if found is None:
            return None
        return [Days(found, found + timedelta(days=1), origin="year" if year else "date")], end

    def numeric_date(self, i: int, parts: tuple[int, int, int | None]) -> Result:
        a, b, year = parts
        end = i + 1
        if year is None and self.tag(i + 1) == "sep" and self.year_at(i + 2) is not None:
            year, end = self.year_at(i + 2), i + 3  # "5/7, 2020"
        if year is not None and year < 100:
            year += 2000 if year < 50 else 1900
        order = self.order
        readings = [(a, b), (b, a)] if order == "mdy" else [(b, a), (a, b)]
        for month, day in readings:
            found = make_date(year, month, day) if year else next_date(self.today, month, day)
            if found is not None:
                origin = "year" if year else "date"
                return [Days(found, found + timedelta(days=1), origin=origin)], end
        return None

    def dotnum_is_date(self, i: int) -> bool:
        if self.tag(i - 1) in _TIME_CONTEXT or self.tag(i + 1) in (
                "ampm", "unit", "oclock", "dash", "to", "part"):
            return False
        value = self.val(i)
        if not isinstance(value, tuple):
            return False
        a, b = value
        return b <= 12 or (a <= 12 and self.order == "mdy" and b <= 31)

    def end_of(self, i: int) -> Result:
        j = self.skip_seps(i + 1)
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
            return [Days(first, window.stop, edge=window.stop)], j + 1
        if kind == "unit" and value == "day":
            stop = self.today + timedelta(days=1)
            return [Days(self.today, stop, edge=stop), Part("end")], j + 1
        found = self.day(j) if kind in ("dayrel", "wd") else None
        if found is not None and isinstance(found[0][0], Days):
            day = found[0][0]
            return [replace(day, edge=day.stop), *found[0][1:], Part("end")], found[1]
        whole = self.whole_period(j)
        if whole is None:
            return None
        window, end = whole
        return [Days(window.stop - timedelta(days=7), window.stop, edge=window.stop)], end

    def middle_of(self, i: int) -> Result:
        """``the middle of March``, ``mid-June 2027``, ``Mitte nächsten Monats``.

        The ten days around the middle of the month (or year); as a range end,
        the middle day itself (March 16).
        """
        whole = self.whole_period(self.skip_seps(i + 1))
        if whole is None:
            return None
        window, end = whole
        middle = window.first + timedelta(days=(window.stop - window.first).days // 2)
        return [Days(middle - timedelta(days=5), middle + timedelta(days=5), edge=middle)], end

    def whole_period(self, j: int) -> tuple[Days, int] | None:
        """A whole month or year at ``j``: ``March``, ``June 2027``, ``next month``, ``month``."""
        kind, value = self.tag(j), self.val(j)
        if kind == "unit" and value in ("month", "year"):
            if value == "month":
                first = month_start(self.today)
                return Days(first, month_start(first, 1)), j + 1
            return Days(date(self.today.year, 1, 1), date(self.today.year + 1, 1, 1)), j + 1
        found = self.period_at(j)
        if found is None or found[0].first.day != 1 or (found[0].stop - found[0].first).days < 28:
            return None
        return found

    # -- clock times and parts of day -------------------------------------
    def time(self, i: int) -> Result:
        kind, value = self.tag(i), self.val(i)
        if kind == "time" and isinstance(value, tuple):
            h, m, strict = value
            return self.clock(h, m, i + 1, strict=strict)
        if kind == "clock" and isinstance(value, tuple):
            after = self.hour_first(value[0], i + 1)  # "midi et demi", "meio-dia e meia"
            if after is not None and isinstance(after[0][0], Clock):
                c = after[0][0]
                return [Clock(c.hour, c.minute, strict=True)], after[1]
            return [Clock(value[0], value[1], strict=True)], i + 1
        if kind == "part":
            return [Part(str(value))], i + 1
        if kind == "now" or kind == "fromnow":  # "from now until 5pm"
            return [Instant(self.now)], i + 1
        if kind in ("half", "quarter"):
            found = self.minutes_past(15 if kind == "quarter" else 30, i + 1)
            hour = self.hour_at(i + 1)
            if found is None and kind == "half" and hour is not None and self.tag(i + 2) != "unit":
                return self.clock(hour, 30, i + 2)  # British "half 3" = 3:30
            return found
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
        military = self.military(i)
        if military is not None:
            j = i + 2 if self.tag(i + 1) == "oclock" else i + 1
            return [military], j
        written = self.h_form(i)
        if written is not None:
            if not self.h_reads_clock(i):
                return None
            after = self.hour_first(n, i + 2) if written[2] == i + 2 else None
            return after or ([Clock(written[0], written[1], strict=True)], written[2])
        nxt = self.tag(i + 1)
        if nxt == "ampm":
            if 100 <= n <= 1259:
                return self.clock(n // 100, n % 100, i + 1)
            return self.clock(n, 0, i + 1)
        hour_word = nxt == "unit" and self.val(i + 1) == "hour" and self.tag(i - 1) == "at"
        if (nxt == "oclock" or (hour_word and self.vocab.h_is_clock)) and n <= 24:
            after = self.hour_first(n, i + 2)
            if after is not None:
                return after
            minutes = self.int_at(i + 2)
            if self.vocab.h_is_clock and minutes is not None and minutes < 60 and self.tag(
                    i + 3) != "unit":
                return [Clock(n, minutes, strict=True)], i + 3
            return self.clock(n, 0, i + 1)
        if nxt == "clock" and n == 12:
            return [Clock(12, 0, strict=True)], i + 2
        with_unit = nxt == "unit" and self.val(i + 1) == "minute"
        j = i + 2 if with_unit else i + 1
        if 0 < n < 60 and self.tag(j) in ("past", "to", "until", "tohour", "after", "before"):
            # "5 to 6pm" is a range; "ten to five", "20 min to 5", "25 to 6" are not.
            spelled = with_unit or n > 12 or not self.toks[i].text.isdigit()
            if self.tag(j) in ("past", "tohour") or spelled:
                found = self.minutes_past(n, j)
                if found is not None:
                    return found
        if n <= 24 and (self.bare_hour(i) or self.tag(i - 1) == "at"):
            after = self.hour_first(n, i + 1)
            if after is not None:
                return after
        word_minutes = self.int_at(i + 1)
        if (1 <= n <= 12 and word_minutes is not None and 10 <= word_minutes <= 59
                and not self.toks[i + 1].text.isdigit() and self.tag(i + 2) != "unit"
                and (self.tag(i + 2) in ("ampm", "part", "dayrel") or self.tag(i - 1) == "at")):
            return self.clock(n, word_minutes, i + 2)
        if n <= 24 and self.bare_hour(i):
            return self.clock(n, 0, i + 1, bare=True)
        return None

    def hour_first(self, hour: int, j: int) -> Result:
        """Minutes after the hour: "4 y media", "4 heures et quart", "5 menos cuarto"."""
        kind = self.tag(j)
        if kind not in ("and", "past", "tohour"):
            return None
        what = self.tag(j + 1)
        minutes = {"half": 30, "quarter": 15}.get(what)
        if minutes is None:
            value = self.int_at(j + 1)
            if value is None or self.toks[j + 1].text.isdigit() or not 0 < value < 60:
                return None
            minutes = value
        if kind == "tohour":
            return self.clock((hour - 1) % 24, 60 - minutes, j + 2)
        if kind == "past" and what != "half" and self.vocab.code == "en":
            return None  # English puts minutes first: "ten past 4"
        return self.clock(hour, minutes, j + 2)

    def bare_hour(self, i: int) -> bool:
        nxt, n = self.tag(i + 1), self.int_at(i) or 0
        if nxt in ("unit", "mon", "ordsuf") or (nxt == "ord" and not self.toks[i + 1].after_the):
            return False
        if self.tag(i - 1) in _TIME_CONTEXT or (
                self.tag(i - 1) in ("wd", "dayrel") and n <= 12 and nxt not in ("dash", "to")):
            return True
        if nxt in ("dash", "to", "until") and (
                self.tag(i - 1) in ("part", "of") or self.timeish(i + 2)):
            return True
        other = self.int_at(i + 2)
        if nxt in ("dash", "to", "until") and other is not None and other <= 24 and self.tag(
                i + 3) not in ("unit", "mon", "of", "ord", "ordsuf", "dash", "sym", "in"):
            return True  # "9-5 on Friday", "1 to 2 tomorrow"
        return nxt == "part" or (nxt in ("sep", "in") and self.tag(i + 2) == "part")

    def timeish(self, i: int) -> bool:
        """Token ``i`` starts an unmistakable clock time ("6pm", "11:30", "7 in the morning")."""
        kind, nxt = self.tag(i), self.tag(i + 1)
        if kind in ("time", "clock"):
            return True
        if kind in ("num", "dotnum"):
            return nxt in ("ampm", "oclock", "part") or (nxt == "in" and self.tag(i + 2) == "part")
        return False

    def minutes_past(self, minutes: int, j: int) -> Result:
        """Minutes before the hour: "ten past 4", "quarter to 10", "viertel nach 4"."""
        direction = self.tag(j)
        at = j + 2 if self.tag(j + 1) == "at" else j + 1
        if direction in ("past", "after"):
            hour = self.hour_at(at)
            return None if hour is None else self.clock(hour, minutes, at + 1)
        if direction in ("to", "until", "tohour", "before"):
            hour = self.hour_at(at)
            if hour is None:
                return None
            return self.clock((hour - 1) % 24 if hour != 1 else 12, 60 - minutes, at + 1)
        return None

    def hour_at(self, i: int) -> int | None:
        if self.tag(i) == "clock" and isinstance(self.val(i), tuple):
            return int(self.val(i)[0])  # type: ignore[index]
        value = self.int_at(i)
        return value if value is not None and 0 <= value <= 24 else None


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
