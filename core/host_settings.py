"""What a host changes from chat: working hours, time off, event types, language.

Each change is one unit of work with the host's calendar locked, and records
what it changed in ``chat_owned`` (on the host or the event type), so that
``slotbot load`` of the setup file keeps it (see :func:`core.services.load_hosts`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time, timedelta
from itertools import pairwise

from core.booking_rules import find_event_type, find_host
from core.errors import SlotbotError
from core.models import EventType, Host, WorkingHours
from core.ports import UnitOfWork

#: Event type settings a host may change from chat -> (lowest, highest) allowed.
EVENT_TYPE_LIMITS: dict[str, tuple[int, int]] = {
    "duration": (1, 24 * 60),
    "buffer_after": (0, 24 * 60),
    "buffer_before": (0, 24 * 60),
    "minimum_notice": (0, 365 * 24 * 60),
    "booking_window": (1, 3650),
    "seats": (1, 10_000),
}
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class EventTypeExists(SlotbotError):
    """The host has an event type with this slug already."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"event type {slug!r} exists")
        self.slug = slug


def set_working_hours(
    handle: str, weekdays: Sequence[int], intervals: Sequence[tuple[time, time]], *,
    uow: UnitOfWork,
) -> Host:
    """Replace the weekly hours of ``weekdays`` (0 = Monday) with ``intervals`` (local).

    ``intervals`` empty makes the days off. The days become chat-owned.

    Raises:
        HostNotFound.
        ValueError: a weekday outside 0–6, or an interval that ends before it
            starts or overlaps another.
    """
    days = sorted(set(weekdays))
    if not days or not all(0 <= d <= 6 for d in days):
        raise ValueError(f"weekdays must be 0–6, got {list(weekdays)}")
    ordered = sorted(intervals)
    for start, end in ordered:
        if end != time(0) and end <= start:
            raise ValueError(f"{start:%H:%M}-{end:%H:%M} ends before it starts")
    for (start, end), (following, _) in pairwise(ordered):
        if end == time(0) or following < end:
            raise ValueError(f"{start:%H:%M}-{end:%H:%M} overlaps {following:%H:%M}")
    with uow:
        host = find_host(uow, handle)
        uow.hosts.lock(host)
        host.working_hours[:] = sorted(
            [*(r for r in host.working_hours if r.weekday not in days),
             *(WorkingHours(weekday=d, start=s, end=e) for d in days for s, e in ordered)],
            key=lambda r: (r.weekday, r.start))
        _own(host.chat_owned, *(f"hours:{d}" for d in days))
        uow.commit()
        return host


def remove_time_off(handle: str, first: date, last: date, *, uow: UnitOfWork) -> list[date]:
    """Make the local dates ``first`` … ``last`` follow the weekly hours again.

    Days off added from chat are dropped. A day off from the setup file gets
    a chat override with that weekday's hours, so the next ``slotbot load``
    does not bring it back. A date with other hours keeps them.

    Returns:
        The dates that were off and are not any more, in order.

    Raises:
        HostNotFound; ValueError if ``last`` is before ``first``.
    """
    if last < first:
        raise ValueError(f"{last} is before {first}")
    with uow:
        host = find_host(uow, handle)
        uow.hosts.lock(host)
        freed = [o for o in host.date_overrides if first <= o.date <= last and not o.intervals]
        weekly: dict[int, list[tuple[time, time]]] = {}
        for rule in host.working_hours:
            weekly.setdefault(rule.weekday, []).append((rule.start, rule.end))
        for override in freed:
            if override.source == "command":
                host.date_overrides.remove(override)
            else:
                override.intervals = list(weekly.get(override.date.weekday(), []))
                override.source = "command"
        uow.commit()
        return sorted(o.date for o in freed)


def time_off(host: Host, since: date) -> list[tuple[date, date]]:
    """The host's days off from ``since`` on, as inclusive runs of consecutive dates."""
    days = sorted(o.date for o in host.date_overrides if not o.intervals and o.date >= since)
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def update_event_type(
    handle: str, slug: str, *, uow: UnitOfWork, **changes: int | bool
) -> EventType:
    """Change settings of one event type; each changed field becomes chat-owned.

    Args:
        changes: fields of :data:`EVENT_TYPE_LIMITS` (whole numbers in range),
            ``requires_confirmation`` or ``hidden`` (booleans).

    Raises:
        HostNotFound, EventTypeNotFound; ValueError for an unknown field or a
        value out of range.
    """
    for name, value in changes.items():
        if name in ("requires_confirmation", "hidden"):
            if not isinstance(value, bool):
                raise ValueError(f"{name} is on or off")
            continue
        if name not in EVENT_TYPE_LIMITS:
            raise ValueError(f"unknown setting {name!r}")
        low, high = EVENT_TYPE_LIMITS[name]
        if isinstance(value, bool) or not low <= value <= high:
            raise ValueError(f"{name} must be {low}–{high}")
    with uow:
        host = find_host(uow, handle)
        uow.hosts.lock(host)
        event_type = find_event_type(host, slug)
        for name, value in changes.items():
            setattr(event_type, name, value)
        _own(event_type.chat_owned, *changes)
        uow.commit()
        return event_type


def create_event_type(handle: str, slug: str, title: str, duration: int, *,
                      uow: UnitOfWork) -> EventType:
    """A new event type from chat (``/slotbot new type``), wholly chat-owned.

    Raises:
        HostNotFound; EventTypeExists; ValueError for a bad slug, an empty
        title or a duration outside 1–1440 minutes.
    """
    if not SLUG.match(slug):
        raise ValueError(f"{slug!r} is not a slug")
    low, high = EVENT_TYPE_LIMITS["duration"]
    if not low <= duration <= high:
        raise ValueError(f"duration must be {low}–{high}")
    if not title.strip():
        raise ValueError("the title is empty")
    with uow:
        host = find_host(uow, handle)
        uow.hosts.lock(host)
        if host.event_type(slug) is not None:
            raise EventTypeExists(slug)
        event_type = EventType(slug=slug, title=title.strip()[:200], duration=duration,
                               chat_owned=["*"])
        host.event_types.append(event_type)
        uow.commit()
        return event_type


def set_locale(handle: str, locale: str, *, uow: UnitOfWork) -> Host:
    """The host's language for host commands, notices and the digest (chat-owned).

    Raises:
        HostNotFound.
    """
    with uow:
        host = find_host(uow, handle)
        host.locale = locale
        _own(host.chat_owned, "locale")
        uow.commit()
        return host


def _own(owned: list[str], *keys: str) -> None:
    """Add ``keys`` to a ``chat_owned`` list in place (so the ORM sees the change)."""
    for key in keys:
        if key not in owned:
            owned.append(key)
