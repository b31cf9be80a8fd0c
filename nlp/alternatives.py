"""Several windows in one message, and moves from one day to another. Pure.

* **Alternatives** — "Friday or Monday morning", "tomorrow at 10 or Thursday
  at 2", "Monday, Wednesday or Friday after 3pm": the items are split at "or"
  (and at the commas of such a list). A time of day said once, after the last
  day, holds for every day of the list ("Friday or Monday morning" = Friday
  morning or Monday morning); a day said once holds for every time ("either
  9am or 11am on Friday").
* **Moves** — "from Thursday to Friday", "von Montag auf Dienstag", "del
  lunes al martes", "switch my Monday appointment to Wednesday": of two days
  in a change request the first is the day moved away from, the second the
  new one, which is the first such day after the old one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from nlp.items import Clock, Days, Item, Mark, Part

_TIMES = (Clock, Part)
_SPLIT = frozenset({"or"})
#: Marks between the old and the new day of a move ("to", "auf", "al", "para").
_TO = frozenset({"to", "until", "dash", "at", "for"})


def _has(items: list[Item], kinds: tuple[type, ...]) -> bool:
    return any(isinstance(it, kinds) for it in items)


def split(items: list[Item]) -> list[list[Item]]:
    """The alternatives of a message's items; a single list when it offers one.

    Returns:
        One item list per alternative, each completed with the day or the
        time of day the others share.
    """
    if Mark("or") not in items:
        return [items]
    parts: list[list[Item]] = [[]]
    for item in items:
        if isinstance(item, Mark) and (item.kind in _SPLIT or (
                item.kind == "sep" and _has(parts[-1], (Days, Clock)))):
            if parts[-1]:
                parts.append([])
            continue
        parts[-1].append(item)
    parts = [p for p in parts if _has(p, (Days, Clock, Part))]
    if len(parts) > 2 and not _has(parts[-1], (Days,)):
        parts = [*parts[:-2], parts[-2] + parts[-1]]  # "Monday or Tuesday, mornings"
    if len(parts) < 2:
        return [items]
    last = parts[-1]
    shared_time = _after_last_day(last)
    shared_day = next((p for p in reversed(parts) if _has(p, (Days,))), None)
    out = []
    for part in parts:
        if shared_time and not _has(part, _TIMES) and part is not last:
            part = [*part, *shared_time]
        if shared_day is not None and not _has(part, (Days,)):
            part = [*part, *(it for it in shared_day if isinstance(it, Days))]
        elif shared_day is not None and part is not shared_day:
            weeks = [it for it in shared_day if isinstance(it, Days) and _week(it)]
            if weeks and not any(isinstance(it, Days) and _week(it) for it in part):
                part = [*part, *weeks]  # "Monday or Tuesday next week"
        out.append(part)
    return out


def _week(days: Days) -> bool:
    return (days.stop - days.first).days >= 5


def _after_last_day(items: list[Item]) -> list[Item]:
    """The time-of-day words after the last day of ``items`` ("morning", "after 3pm")."""
    last_day = max((i for i, it in enumerate(items) if isinstance(it, Days)), default=-1)
    if last_day < 0:
        return []
    tail = items[last_day + 1:]
    return tail if _has(tail, _TIMES) else []


def move(items: list[Item]) -> tuple[Days, list[Item]] | None:
    """For a change request naming two days: (the old day, the items of the new one).

    The new day, when it is a weekday, is the first one after the old day
    ("from Friday to Monday": the Monday after that Friday).
    """
    at = [i for i, it in enumerate(items) if isinstance(it, Days)]
    if len(at) != 2:
        return None
    old_at, new_at = at
    old, new = items[old_at], items[new_at]
    assert isinstance(old, Days) and isinstance(new, Days)
    if new.weekday is not None:
        first = new.first
        while first <= old.first:
            first += timedelta(days=7)
        new = replace(new, first=first, stop=first + (new.stop - new.first))
    before = items[:old_at]
    if before and before[-1] in (Mark("from"), Mark("of")):
        before = before[:-1]
    between = items[old_at + 1:new_at]
    while between and isinstance(between[-1], Mark) and between[-1].kind in _TO:
        between = between[:-1]
    return old, [*before, *between, new, *items[new_at + 1:]]
