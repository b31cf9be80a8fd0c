"""The host setup file (DESIGN 3.2) as data → domain objects. Pure: no file I/O.

The caller reads and YAML-decodes the file; :func:`parse_setup` validates the
mapping and returns hosts, raising :class:`SetupError` with the path of the
faulty entry (``hosts[0].working_hours.mon-fri``) so the operator can fix it.

Optional keys beyond DESIGN 3.2 (all may be left out)::

    hosts:
      - tags: [projector]              # for finding time across hosts or rooms
        capacity: 8                    # people a room holds
        max_active_per_guest: 2        # upcoming bookings one guest may hold
        time_off: [{from: 2026-12-24, to: 2026-12-26}]   # local dates, inclusive
        event_types:
          - durations: [30, 60]        # lengths a guest may pick; `duration` is the default
            booking_dates: {from: 2026-12-01, to: 2026-12-20}  # fixed window (local dates)
            limits: {per_day: 4, per_week: 10, minutes_per_day: 240, minutes_per_week: 600}
            confirmation_timeout: 1440 # minutes a pending request waits for the host
            cancel_notice: 1440        # guests change or cancel up to this many minutes before
            reminders: [1440, 60]      # minutes before the start; [] for none (default 24 h, 1 h)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import SlotbotError
from core.models import DateOverride, EventType, Host, WorkingHours

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HANDLE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


class SetupError(SlotbotError):
    """The setup file is malformed; the message names the entry."""


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
    """``"09:00"`` → ``time(9)``; ``"24:00"`` → ``time(0)`` (end of day).

    Raises:
        ValueError: if not ``HH:MM``.
    """
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match[1]) > 24 or int(match[2]) > 59:
        raise ValueError(f"{text!r} is not a time like 09:00")
    hour, minute = int(match[1]), int(match[2])
    if hour == 24:
        if minute:
            raise ValueError(f"{text!r} is past midnight")
        return time(0)
    return time(hour, minute)


def parse_hours(spec: str) -> list[tuple[time, time]]:
    """``"09:00-12:00, 13:00-17:00"`` → local intervals; ``""`` → ``[]`` (off).

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


def parse_setup(data: Mapping[str, Any]) -> list[Host]:
    """Validate a decoded setup file and build its hosts.

    Raises:
        SetupError: naming the first faulty entry.
    """
    raw_hosts = data.get("hosts") if isinstance(data, Mapping) else None
    if not isinstance(raw_hosts, list) or not raw_hosts:
        raise SetupError("the file needs a non-empty 'hosts:' list")
    hosts = [_host(raw, f"hosts[{i}]") for i, raw in enumerate(raw_hosts)]
    handles = [h.handle for h in hosts]
    duplicates = sorted({h for h in handles if handles.count(h) > 1})
    if duplicates:
        raise SetupError(f"host handle used twice: {', '.join(duplicates)}")
    return hosts


def _host(raw: Any, where: str) -> Host:
    if not isinstance(raw, Mapping):
        raise SetupError(f"{where}: expected a mapping")
    handle = str(raw.get("handle", ""))
    if not _HANDLE.match(handle):
        raise SetupError(f"{where}.handle: {handle!r} must be lowercase letters, digits, - or _")
    zone = str(raw.get("timezone", ""))
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SetupError(f"{where}.timezone: {zone!r} is not an IANA zone") from None
    try:
        digest = parse_clock(str(raw["digest_time"])) if raw.get("digest_time") else None
    except ValueError as exc:
        raise SetupError(f"{where}.digest_time: {exc}") from None
    event_types = [
        _event_type(e, f"{where}.event_types[{i}]")
        for i, e in enumerate(raw.get("event_types") or [])
    ]
    if not event_types:
        raise SetupError(f"{where}.event_types: a host needs at least one event type")
    overrides = _overrides(raw.get("date_overrides") or [], f"{where}.date_overrides")
    off = _time_off(raw.get("time_off") or [], f"{where}.time_off")
    overrides = [o for o in overrides if o.date not in off] + [
        DateOverride(date=day, intervals=[]) for day in sorted(off)
    ]
    tags = raw.get("tags") or []
    if not isinstance(tags, list):
        raise SetupError(f"{where}.tags: expected a list like [projector, whiteboard]")
    return Host(
        handle=handle,
        name=str(raw.get("name") or handle),
        timezone=zone,
        email=raw.get("email"),
        telegram_user_id=_optional_str(raw.get("telegram_user_id")),
        slack_user_id=_optional_str(raw.get("slack_user_id")),
        digest_time=digest,
        working_hours=_working_hours(raw.get("working_hours") or {}, f"{where}.working_hours"),
        date_overrides=sorted(overrides, key=lambda o: o.date),
        event_types=event_types,
        tags=sorted({str(t).lower() for t in tags}),
        capacity=_whole(raw, "capacity", 1, 100_000, where),
        max_active_per_guest=_whole(raw, "max_active_per_guest", 1, 1000, where),
        locale=_locale(raw.get("locale"), f"{where}.locale"),
    )


#: Languages of host texts; a region may follow (``en-US``, ``pt-BR``).
LOCALES = ("en", "de", "es", "fr", "pt")
_LOCALE = re.compile(r"^(?P<lang>[a-z]{2})(?:[-_][A-Za-z]{2})?$")


def _locale(value: Any, where: str) -> str | None:
    """The host's language tag (``de``, ``en-US``), or None if not given."""
    if value is None:
        return None
    match = _LOCALE.match(str(value))
    if match is None or match["lang"] not in LOCALES:
        raise SetupError(f"{where}: {value!r} must be one of {', '.join(LOCALES)} "
                         "(optionally with a region, like en-US)")
    return str(value).replace("_", "-")


def _whole(raw: Mapping[str, Any], name: str, low: int, high: int, where: str) -> int | None:
    """An optional whole number ``raw[name]`` in ``[low, high]``."""
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise SetupError(f"{where}.{name}: {value!r} must be a whole number {low}–{high}")
    return value


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _date_range(raw: Any, where: str) -> tuple[date, date]:
    """``{from: 2026-12-24, to: 2026-12-26}`` → both dates (inclusive)."""
    try:
        first, last = _date(raw["from"]), _date(raw.get("to", raw["from"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise SetupError(
            f"{where}: expected {{from: YYYY-MM-DD, to: YYYY-MM-DD}} ({exc})"
        ) from None
    if last < first:
        raise SetupError(f"{where}: 'to' ({last}) is before 'from' ({first})")
    return first, last


def _time_off(raw: Any, where: str) -> set[date]:
    if not isinstance(raw, list):
        raise SetupError(f"{where}: expected a list of {{from, to}}")
    days: set[date] = set()
    for i, item in enumerate(raw):
        first, last = _date_range(item, f"{where}[{i}]")
        if (last - first).days >= 366:
            raise SetupError(f"{where}[{i}]: at most 366 days at a time")
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return days


def _working_hours(raw: Any, where: str) -> list[WorkingHours]:
    if not isinstance(raw, Mapping):
        raise SetupError(f"{where}: expected a mapping like mon-fri: \"09:00-17:00\"")
    rules: list[WorkingHours] = []
    for days, hours in raw.items():
        try:
            rules.extend(
                WorkingHours(weekday=day, start=start, end=end)
                for day in parse_weekdays(str(days))
                for start, end in parse_hours(str(hours or ""))
            )
        except ValueError as exc:
            raise SetupError(f"{where}.{days}: {exc}") from None
    return sorted(rules, key=lambda r: (r.weekday, r.start))


def _overrides(raw: Any, where: str) -> list[DateOverride]:
    if not isinstance(raw, list):
        raise SetupError(f"{where}: expected a list of {{date, hours}}")
    overrides = []
    for i, item in enumerate(raw):
        try:
            day = item["date"]
            if not isinstance(day, date):
                day = date.fromisoformat(str(day))
            hours = parse_hours(str(item.get("hours") or ""))
            overrides.append(DateOverride(date=day, intervals=hours))
        except (KeyError, TypeError, ValueError) as exc:
            raise SetupError(f"{where}[{i}]: {exc}") from None
    return overrides


_EVENT_INTS = {
    "duration": (1, 24 * 60),
    "buffer_before": (0, 24 * 60),
    "buffer_after": (0, 24 * 60),
    "minimum_notice": (0, 365 * 24 * 60),
    "booking_window": (1, 3650),
    "slot_interval": (1, 24 * 60),
    "seats": (1, 10_000),
    "confirmation_timeout": (1, 30 * 24 * 60),
    "cancel_notice": (0, 30 * 24 * 60),
}


def _event_type(raw: Any, where: str) -> EventType:
    if not isinstance(raw, Mapping) or not raw.get("slug"):
        raise SetupError(f"{where}: needs at least a slug, a title and a duration")
    numbers: dict[str, int] = {}
    for name, (low, high) in _EVENT_INTS.items():
        if raw.get(name) is None:
            continue
        value = raw[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise SetupError(f"{where}.{name}: {value!r} must be a whole number {low}–{high}")
        numbers[name] = value
    if "duration" not in numbers:
        raise SetupError(f"{where}.duration: required (minutes)")
    durations = raw.get("durations") or []
    low, high = _EVENT_INTS["duration"]
    if not isinstance(durations, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and low <= d <= high for d in durations
    ):
        raise SetupError(f"{where}.durations: a list of minutes {low}–{high}, like [30, 60]")
    reminders = _reminders(raw.get("reminders"), f"{where}.reminders")
    window = raw.get("booking_dates")
    first, last = _date_range(window, f"{where}.booking_dates") if window else (None, None)
    limits = raw.get("limits") or {}
    if not isinstance(limits, Mapping) or set(limits) - set(_LIMITS):
        raise SetupError(f"{where}.limits: keys are {', '.join(_LIMITS)}")
    event_type = EventType(
        slug=str(raw["slug"]).lower(),
        title=str(raw.get("title") or raw["slug"]),
        duration=numbers["duration"],
        requires_confirmation=bool(raw.get("requires_confirmation", False)),
        location=raw.get("location"),
        other_durations=[d for d in dict.fromkeys(durations) if d != numbers["duration"]],
        window_start=first,
        window_end=last,
    )
    if reminders is not None:
        event_type.reminder_minutes = reminders
    for key, field in _LIMITS.items():
        setattr(event_type, field, _whole(limits, key, 1, 100_000, f"{where}.limits"))
    for name, value in numbers.items():
        setattr(event_type, name, value)
    return event_type


def _reminders(raw: Any, where: str) -> list[int] | None:
    """``[1440, 60]`` → minutes before the start, largest first; None if not given."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(
        isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 30 * 24 * 60 for m in raw
    ):
        raise SetupError(f"{where}: a list of minutes before the start, like [1440, 60]")
    return sorted(set(raw), reverse=True)


#: Keys of an event type's ``limits`` → :class:`EventType` fields.
_LIMITS = {
    "per_day": "max_per_day",
    "per_week": "max_per_week",
    "minutes_per_day": "max_minutes_per_day",
    "minutes_per_week": "max_minutes_per_week",
}


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)
