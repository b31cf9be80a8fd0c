"""Recurring bookings: RFC 5545 RRULEs expanded in the host's zone. Pure.

A rule is expanded on wall-clock time (python-dateutil's ``rrule`` on a naive
local DTSTART), then each occurrence is put in the host's IANA zone, so a
weekly 10:00 meeting stays at 10:00 local across DST changes while its UTC
instant moves. Every rule must end (``COUNT`` or ``UNTIL``) and yield at most
:data:`MAX_OCCURRENCES` occurrences.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from core.errors import SlotbotError
from core.models import require_aware

#: The most occurrences one series may have.
MAX_OCCURRENCES = 100

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class InvalidRecurrence(SlotbotError, ValueError):
    """The rule is malformed, never ends, or has more than :data:`MAX_OCCURRENCES`."""


@dataclass(frozen=True)
class Recurrence:
    """A recurrence in plain terms; :meth:`rule` gives its RRULE.

    ``interval``: every N days/weeks/months. ``weekdays``: 0=Monday … 6=Sunday
    (weekly rules; default the first occurrence's weekday). ``until``: last
    local date (inclusive) in the host's zone; or ``count`` occurrences.
    """

    freq: Literal["daily", "weekly", "monthly"]
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    until: date | None = None
    count: int | None = None

    def rule(self) -> str:
        """``FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6``.

        Raises:
            InvalidRecurrence: if neither or both of ``until`` and ``count`` are
                set, or the interval or a weekday is out of range.
        """
        if (self.until is None) == (self.count is None):
            raise InvalidRecurrence("a series ends on a date or after a number of occurrences")
        if self.interval < 1 or any(not 0 <= d <= 6 for d in self.weekdays):
            raise InvalidRecurrence("interval must be ≥ 1 and weekdays 0 (Mon) … 6 (Sun)")
        parts = [f"FREQ={self.freq.upper()}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.weekdays:
            parts.append("BYDAY=" + ",".join(_DAYS[d] for d in sorted(set(self.weekdays))))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}T235959")
        return ";".join(parts)


def occurrences(rule: str, first_start: datetime, tz: str) -> list[datetime]:
    """Every start of the series, as aware UTC datetimes in time order.

    Args:
        rule: an RRULE body (``FREQ=…;…``, optionally prefixed ``RRULE:``);
            ``UNTIL`` is read as local wall time in ``tz`` (a trailing ``Z``
            means UTC and is converted).
        first_start: aware; the first occurrence (DTSTART), taken as wall
            time in ``tz``.
        tz: the host's IANA zone.

    Returns:
        At least one start (``first_start`` itself when the rule includes it).

    Raises:
        InvalidTime: if ``first_start`` is naive.
        InvalidRecurrence: if the rule is malformed, unbounded, or yields more
            than :data:`MAX_OCCURRENCES` starts (or none).
    """
    zone = ZoneInfo(tz)
    local_start = require_aware(first_start, "first_start").astimezone(zone).replace(tzinfo=None)
    body = _local_until(rule.strip().removeprefix("RRULE:"), zone)
    if "COUNT=" not in body.upper() and "UNTIL=" not in body.upper():
        raise InvalidRecurrence("a series needs COUNT or UNTIL")
    try:
        expanded = rrulestr(body, dtstart=local_start)
    except (ValueError, TypeError) as exc:
        raise InvalidRecurrence(f"bad RRULE {rule!r}: {exc}") from None
    starts: list[datetime] = []
    for wall in expanded:
        if len(starts) == MAX_OCCURRENCES:
            raise InvalidRecurrence(f"a series has at most {MAX_OCCURRENCES} occurrences")
        starts.append(wall.replace(tzinfo=zone).astimezone(UTC))
    if not starts:
        raise InvalidRecurrence(f"{rule!r} has no occurrence")
    return starts


def _local_until(body: str, zone: ZoneInfo) -> str:
    """Rewrite a UTC ``UNTIL=…Z`` as the same instant in local wall time (dateutil needs
    UNTIL and DTSTART alike: both naive here)."""
    parts = []
    for part in body.split(";"):
        key, _, value = part.partition("=")
        if key.upper() == "UNTIL" and value.upper().endswith("Z"):
            try:
                instant = datetime.strptime(value[:-1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            except ValueError:
                raise InvalidRecurrence(f"bad UNTIL {value!r}") from None
            value = f"{instant.astimezone(zone):%Y%m%dT%H%M%S}"
        parts.append(f"{key}={value}" if value else key)
    return ";".join(parts)
