"""The result of parsing one message: :class:`BookingRequest` (DESIGN 3.4)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from nlp.zones import ZoneMention

#: One window a guest offered: ``(start, end)``, ``end`` None for a point.
Window = tuple[datetime, datetime | None]


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
        zone: the zone the message's times are written in ("4:30pm Chicago
            time", "GMT+1", "EST"), or None when it names none (times are then
            in the reader's ``tz``). ``start``/``end`` are always converted to
            ``tz``. When ``zone.ambiguous`` ("IST", "CST") the times are read as
            the reader's wall clock and ``zone.choices`` lists the readings:
            ask which, then :meth:`in_zone`. ``zone.regional`` marks an
            abbreviation read as its region's local time (EST → New York).
        own_zone: the guest's own zone when the message states it ("I'm based
            in Chicago", "moro em Porto", "I'm on EST" → America/New_York);
            always a region (never a bare offset). Its times, if any, are read
            in it (``zone`` is then the same).
        shift: a move of the slot under discussion or of the guest's booking
            ("45 minutes later" → +45 min, "eine halbe Stunde früher" →
            −30 min), or None. With a ``context`` slot ``start`` is that slot
            moved; without one ``start`` is None and the intent ``reschedule``.
        windows: every alternative when the guest offers several ("Friday or
            Monday morning"), in time order; ``start``/``end`` are the first.
            Empty for a single one.
        instead_of: the day (or time) the guest moves away from or rules out
            ("from Monday to Tuesday", "not Thursday, Friday"), as a window.
        pleasantry: ``"greeting"`` ("good evening", "bom dia") or ``"thanks"``
            ("thank you!", "merci"); never read as a time.
        restart: the guest asked to start over ("start over", "von vorne").
        page: ``"earlier"``, ``"later"`` or ``"other_day"`` when the guest asks
            for other free times without naming one ("anything earlier?",
            "spätere Termine?", "¿otro día?"); None otherwise.
        series: the guest means a whole recurring series ("cancel the whole
            series", "die ganze Serie absagen", "annuler toute la série").
        lang: the language the message was read in: the one given, or the one
            the text is written in when none was given or the text clearly
            disagrees (:func:`nlp.detect.language`). Reply in it.
    """

    intent: Intent
    start: datetime | None = None
    end: datetime | None = None
    duration: timedelta | None = None
    host: str | None = None
    event_type: str | None = None
    choice: int | None = None
    recurrence: str | None = None
    zone: ZoneMention | None = None
    own_zone: ZoneMention | None = None
    shift: timedelta | None = None
    windows: tuple[Window, ...] = ()
    instead_of: Window | None = None
    pleasantry: str | None = None
    restart: bool = False
    lang: str | None = None
    page: str | None = None
    series: bool = False

    @property
    def is_window(self) -> bool:
        return self.start is not None and self.end is not None

    def in_zone(self, zone: str) -> BookingRequest:
        """This request with its wall-clock times re-read in ``zone`` (an IANA id).

        For an ambiguous zone ("IST"): once the guest says which, the same
        wall times are placed in that zone; ``start``/``end`` keep the reader's
        zone as their ``tzinfo`` after conversion.
        """
        from nlp.zones import ZoneMention, zone_info

        target = zone_info(zone)

        def moved(value: datetime | None) -> datetime | None:
            if value is None:
                return None
            return value.replace(tzinfo=target).astimezone(value.tzinfo)

        windows = tuple((moved(a) or a, moved(b)) for a, b in self.windows)
        written = self.zone.written if self.zone is not None else zone
        return replace(self, start=moved(self.start), end=moved(self.end), windows=windows,
                       zone=ZoneMention(zone, written))
