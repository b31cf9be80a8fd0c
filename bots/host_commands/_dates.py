"""Reading dates, days, hours and amounts in host command arguments.

Exact forms first (``dec 24-26``, ``2026-12-24``, ``mon-fri``, ``9-12``), then
:func:`nlp.parse` in the host's language and zone for the rest ("25. Dezember",
"next week", "friday 3pm").
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import cache

from babel import Locale

import nlp
from core.models import Host
from core.rule_text import WEEKDAYS

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_DAYS = re.compile(
    r"(?P<m1>[a-z]{3})[a-z]*\.?\s*(?P<d1>\d{1,2})"
    r"(?:\s*(?:-|–|to)\s*(?:(?P<m2>[a-z]{3})[a-z]*\.?\s*)?(?P<d2>\d{1,2}))?"
)
_DAYS_MONTH = re.compile(
    r"(?P<d1>\d{1,2})(?:\s*(?:-|–|to)\s*(?P<d2>\d{1,2}))?\s*(?P<m1>[a-z]{3})[a-z]*\.?"
)
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm|h)?$")
_AMOUNT = re.compile(r"^(\d{1,5}(?:[.,]\d+)?)\s*([a-z]*)$")
_UNITS = {"": 1, "m": 1, "min": 1, "mins": 1, "minutes": 1, "h": 60, "hr": 60, "hrs": 60,
          "hours": 60, "hour": 60, "std": 60, "d": 1440, "day": 1440, "days": 1440,
          "tage": 1440, "t": 1440, "j": 1440, "w": 10080, "week": 10080, "weeks": 10080}


def day_range(text: str, today: date) -> tuple[date, date] | None:
    """``"dec 24-26"``, ``"24-26 dec"``, ``"dec 30 - jan 2"``, ``"2026-12-24 2026-12-26"``.

    Dates without a year are the next ones on or after ``today``. Returns None
    if the text is none of these.
    """
    text = text.strip().lower()
    try:
        iso = [date.fromisoformat(part) for part in re.split(r"\s+|\.\.|–|\bto\b", text)
               if part.strip(" -")]
    except ValueError:
        iso = []
    if len(iso) in (1, 2):
        return iso[0], iso[-1]
    match = _MONTH_DAYS.fullmatch(text) or _DAYS_MONTH.fullmatch(text)
    if match is None or match["m1"] not in _MONTHS:
        return None
    groups = match.groupdict()
    month1 = _MONTHS.index(match["m1"]) + 1
    month2 = _MONTHS.index(groups["m2"]) + 1 if groups.get("m2") in _MONTHS else month1
    try:
        first = date(today.year, month1, int(match["d1"]))
        if first < today:
            first = first.replace(year=today.year + 1)
        last = date(first.year, month2, int(match["d2"] or match["d1"]))
    except ValueError:
        return None
    if last < first:
        last = last.replace(year=last.year + 1)
    return first, last


def days(text: str, host: Host, now: datetime, lang: str) -> tuple[date, date] | None:
    """Local dates (inclusive) a host means: exact forms, else what ``nlp.parse`` reads."""
    today = now.astimezone(host.zone).date()
    exact = day_range(text, today)
    if exact is not None:
        return exact
    request = nlp.parse(text, now=now, tz=host.timezone, lang=lang)
    if request.start is None:
        return None
    first = request.start.astimezone(host.zone).date()
    if request.end is None:
        return first, first
    last = (request.end - timedelta(microseconds=1)).astimezone(host.zone).date()
    return first, max(first, last)


def moment(text: str, host: Host, now: datetime, lang: str) -> datetime | None:
    """A point in time the host means ("friday 10:00", "2026-12-04 10:00"), or None."""
    try:
        exact = datetime.fromisoformat(text.strip())
    except ValueError:
        exact = None
    if exact is not None:
        return exact if exact.tzinfo else exact.replace(tzinfo=host.zone)
    request = nlp.parse(text, now=now, tz=host.timezone, lang=lang)
    return request.start if request.start is not None and request.end is None else None


@cache
def _weekday_names(lang: str) -> dict[str, int]:
    """Lower-case weekday names and abbreviations of English and ``lang`` -> 0..6."""
    names = {name: index for index, name in enumerate(WEEKDAYS)}
    for code in {"en", lang}:
        locale = Locale.parse(code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated", "short"):
                for index, name in locale.days[context][width].items():
                    names.setdefault(name.lower().rstrip("."), index)
    return names


def weekdays(text: str, lang: str) -> list[int] | None:
    """``mon-fri``, ``sat``, ``mon,wed``, ``Mo-Fr``, ``samedi`` -> weekdays (0 = Monday)."""
    names = _weekday_names(lang)
    found: list[int] = []
    for part in filter(None, text.lower().replace(" ", "").split(",")):
        first, _, last = part.partition("-")
        a, b = names.get(first.rstrip(".")), names.get(last.rstrip(".")) if last else None
        if a is None or (last and b is None):
            return None
        b = a if b is None else b
        found.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return sorted(set(found)) or None


def clock(text: str) -> time | None:
    """``9``, ``09:30``, ``5pm``, ``17h``, ``24`` -> local time (24 = end of day), or None."""
    match = _CLOCK.match(text.strip().lower())
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3] == "pm" and hour < 12:
        hour += 12
    elif match[3] == "am" and hour == 12:
        hour = 0
    if hour == 24 and minute == 0:
        return time(0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def intervals(text: str) -> list[tuple[time, time]]:
    """``9-12, 13-17`` -> local intervals; ``off`` or nothing -> ``[]``.

    Raises:
        ValueError: its argument is the part that is not an interval.
    """
    if text.strip().lower() in ("", "off", "frei", "libre", "livre", "fermé", "closed", "aus"):
        return []
    found = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;]|\s+and\s+", text))):
        pieces = re.split(r"\s*(?:-|–|\bto\b|\bbis\b)\s*", part)
        start, end = (clock(pieces[0]), clock(pieces[1])) if len(pieces) == 2 else (None, None)
        if start is None or end is None:
            raise ValueError(part)
        found.append((start, end))
    return sorted(found)


def minutes(text: str, default_unit: str = "") -> int | None:
    """``45``, ``45m``, ``2h``, ``1.5h``, ``30d`` -> minutes (``default_unit`` for bare numbers)."""
    match = _AMOUNT.match(text.strip().lower())
    if match is None:
        return None
    unit = match[2] or default_unit
    if unit not in _UNITS:
        return None
    return round(float(match[1].replace(",", ".")) * _UNITS[unit])
