"""Calendar arithmetic on plain dates, and the two steps that attach a zone."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta, tzinfo


def make_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist (Feb 30, month 13)."""
    if not (1 <= month <= 12 and 1 <= year <= 9998):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9998)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_start(day: date, months: int = 0) -> date:
    """The first day of ``day``'s month, moved by ``months``."""
    return add_months(day.replace(day=1), months)


def monday(day: date) -> date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def next_date(today: date, month: int, day: int) -> date | None:
    """The first ``month``/``day`` on or after ``today`` (skips missing Feb 29)."""
    for year in range(today.year, today.year + 9):
        found = make_date(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def next_month_day(today: date, day: int, weekday: int | None = None) -> date | None:
    """The first ``day``-th of a month on or after ``today``.

    With ``weekday`` the date must also fall on that weekday ("Mon 13th").
    """
    start = today.replace(day=1)
    for months in range(0, 14 * 7 if weekday is not None else 14):
        first = add_months(start, months)
        found = make_date(first.year, first.month, day)
        if found is None or found < today:
            continue
        if weekday is None or found.weekday() == weekday:
            return found
    return None


def at(day: date, minutes: int, zone: tzinfo) -> datetime:
    """Aware datetime ``minutes`` after local midnight of ``day`` (DST gaps pushed forward)."""
    local = datetime.combine(day, time(), tzinfo=zone) + timedelta(minutes=minutes)
    return local.astimezone(UTC).astimezone(zone)


def later(instant: datetime, minutes: int) -> datetime:
    """``instant`` plus elapsed ``minutes`` (absolute time, DST-safe), in its own zone."""
    return (instant.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(instant.tzinfo)
