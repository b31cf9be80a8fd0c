"""The result of parsing one message: :class:`BookingRequest` (DESIGN 3.4)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta


class Intent(enum.StrEnum):
    BOOK = "book"
    AVAILABILITY = "availability"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"
    LIST = "list"
    CONFIRM = "confirm"
    DENY = "deny"
    HELP = "help"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class BookingRequest:
    """What a guest asked for.

    Attributes:
        intent: what the guest wants.
        start: aware datetime in the reader's zone, or None. A point in time
            ("Friday 3pm") sets ``start`` only.
        end: aware, exclusive end of a window ("tomorrow afternoon",
            "next week", "between 2 and 4pm"), or None for a point.
        duration: length asked for ("30 min"), or None.
        host: the host's name or handle as mentioned, lower-cased, or None.
        event_type: an event type slug or title as mentioned, or None.
        choice: a 1-based ordinal ("the second one") or None.
        recurrence: an RFC 5545 RRULE body without DTSTART for a repeated
            meeting ("every Tuesday at 10" → ``FREQ=WEEKLY;BYDAY=TU;COUNT=4``),
            or None. It always ends (``COUNT`` or ``UNTIL``, a local date at
            23:59:59); without an end said it has
            :data:`nlp.recurrence.DEFAULT_COUNT` occurrences. ``start``/``end``
            are then the first occurrence (the next such day at that time).
    """

    intent: Intent
    start: datetime | None = None
    end: datetime | None = None
    duration: timedelta | None = None
    host: str | None = None
    event_type: str | None = None
    choice: int | None = None
    recurrence: str | None = None

    @property
    def is_window(self) -> bool:
        return self.start is not None and self.end is not None
