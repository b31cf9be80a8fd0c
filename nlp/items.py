"""What the grammar finds in a message: days, clock times, parts of day, ...

These are the intermediate results between :mod:`nlp.grammar` (tokens →
items) and :mod:`nlp.resolve` (items → start/end). Calendar days are plain
``date`` objects in the reader's zone; absolute instants are aware datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Days:
    """Calendar days ``[first, stop)`` in the reader's zone.

    ``weekday`` is set for a bare weekday ("Wednesday") so that a week window
    next to it ("next week") can place it; ``month_day`` is set for a day of
    month without a month ("the 17th"), which a range inherits the month for.
    ``origin`` says how the days were written where merging needs it:
    ``"date"`` (month and day, year inferred), ``"year"`` (with its year),
    ``"offset"`` ("3 days from now"), ``"vague"`` ("the day", which any other
    day in the message overrides), or ``""``. ``edge`` is the boundary a
    part of a period stands for as the end of a range: "the end of March" is
    the last days of March alone, but April 1 in "from the end of March";
    "mid-September" is September 16 in "until mid-September"; "the end of
    Friday" is Saturday 00:00 in "by the end of Friday".
    """

    first: date
    stop: date
    weekday: int | None = None
    month_day: int | None = None
    origin: str = ""
    edge: date | None = None


@dataclass(frozen=True, slots=True)
class Clock:
    """A clock time as written: ``meridiem`` is "am"/"pm"/None.

    ``strict`` marks a 24-hour form ("08:00", "15h") that needs no am/pm
    reading; ``bare`` marks a lone number read as an hour ("at 4").
    """

    hour: int
    minute: int
    meridiem: str | None = None
    strict: bool = False
    bare: bool = False

    def hour24(self, part: str | None = None) -> int:
        """The 0–24 hour meant, reading am/pm from ``part`` or else business hours.

        Without am/pm, a 24-hour form or a part of day, 1–6 is afternoon and
        7–12 morning ("at 4" → 16, "at 9" → 9).
        """
        h = self.hour
        if self.meridiem == "pm":
            return h + 12 if h < 12 else h
        if self.meridiem == "am":
            return 0 if h == 12 else h
        if self.strict or h == 0 or h > 12:
            return h
        if part in ("afternoon", "evening", "end", "afterlunch", "lateafternoon", "afterwork"):
            return h + 12 if h < 12 else h
        if part in ("night", "tonight"):
            return h + 12 if 5 <= h < 12 else (0 if h == 12 else h)
        if part == "morning":
            return h
        return h + 12 if 1 <= h <= 6 else h


@dataclass(frozen=True, slots=True)
class Part:
    """A part of day: morning, afternoon, evening, night or tonight."""

    name: str


@dataclass(frozen=True, slots=True)
class Instant:
    """An exact instant (aware), e.g. "in 2 hours" or "now"."""

    at: datetime


@dataclass(frozen=True, slots=True)
class Span:
    """An exact window ``[start, end)`` (aware), e.g. "within 2 hours"."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Length:
    """A duration asked for, in minutes ("30 min", "1.5h")."""

    minutes: int


@dataclass(frozen=True, slots=True)
class Shift:
    """An offset from the slot under discussion ("an hour later").

    Without a slot in context it applies to now. ``months``/``days``/``minutes``
    may be negative ("an hour earlier").
    """

    months: int = 0
    days: int = 0
    minutes: int = 0


@dataclass(frozen=True, slots=True)
class Mark:
    """A token that is not part of an item: a connective ("to", "before") or noise ("w")."""

    kind: str


Item = Days | Clock | Part | Instant | Span | Length | Shift | Mark
