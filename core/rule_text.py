"""Weekdays, clock times and hours as people write them in the setup file.

Pure text → values: ``"mon-fri"`` → weekdays, ``"9:30"`` → a time,
``"9-12, 13:00-17:00"`` → local intervals.
"""

from __future__ import annotations

import re
from datetime import time

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_CLOCK = re.compile(r"(\d{1,2})(?::(\d{2}))?")


def parse_weekdays(spec: str) -> list[int]:
    """``"mon-fri"`` → ``[0..4]``, ``"sat"`` → ``[5]``, ``"mon,wed"`` → ``[0, 2]``.

    Raises:
        ValueError: on an unknown day name.
    """
    days: list[int] = []
    for part in spec.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise ValueError(f"unknown weekday in {spec!r} (use mon … sun)")
        a = WEEKDAYS.index(first)
        b = WEEKDAYS.index(last) if last else a
        days.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return days


def parse_clock(text: str) -> time:
    """``"09:00"`` or ``"9"`` → ``time(9)``; ``"24:00"`` → ``time(0)`` (end of day).

    Raises:
        ValueError: if not ``HH:MM`` or ``H``.
    """
    match = _CLOCK.fullmatch(text.strip())
    if not match or int(match[1]) > 24 or int(match[2] or 0) > 59:
        raise ValueError(f"{text!r} is not a time like 09:00")
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour == 24:
        if minute:
            raise ValueError(f"{text!r} is past midnight")
        return time(0)
    return time(hour, minute)


def parse_hours(spec: str) -> list[tuple[time, time]]:
    """``"09:00-12:00, 13-17"`` → local intervals; ``""`` → ``[]`` (off).

    Raises:
        ValueError: if an interval is malformed or ends before it starts.
    """
    intervals: list[tuple[time, time]] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        start_text, sep, end_text = part.partition("-")
        if not sep:
            raise ValueError(f"{part!r} is not an interval like 09:00-17:00")
        start, end = parse_clock(start_text), parse_clock(end_text)
        if end != time(0) and end <= start:
            raise ValueError(f"{part!r} ends before it starts")
        intervals.append((start, end))
    return sorted(intervals)
