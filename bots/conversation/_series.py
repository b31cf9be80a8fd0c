"""The series flow: a recurring booking ("every Tuesday at 10 for 6 weeks") and its cancellation.

Steps: list the dates and ask "Book all N?" (``CONFIRMING_SERIES``); on a
clash, ask for another time (``ASKING_SERIES_TIME``); cancelling one
occurrence asks "this one or this and the following?" (``CHOOSING_SCOPE``);
"cancel the whole series" lists what is left of it and asks "Cancel all N?"
(``CONFIRMING_SERIES_CANCEL``).
"""

from __future__ import annotations

from datetime import datetime

from bots.conversation._changes import own_booking, pick_booking, too_late
from bots.conversation._turn import State, Turn, expired, forget, instant, same_day, yes_no
from core import series, services
from core.errors import (
    BookingNotFound,
    BookingNotLive,
    GuestLimitReached,
    SeriesClash,
    TooLateToChange,
)
from core.models import EventType, Host
from core.recurrence import MAX_OCCURRENCES, InvalidRecurrence, occurrences
from core.services import Actor
from nlp import BookingRequest
from nlp.recurrence import DEFAULT_COUNT


def propose(turn: Turn, host: Host, event_type: EventType, start: datetime, rule: str) -> State:
    """List every date of the series from ``start`` and ask "Book all N?"."""
    try:
        starts = occurrences(rule, start, host.timezone)
    except InvalidRecurrence:
        turn.say(turn.t.series_invalid(MAX_OCCURRENCES))
        forget(turn)
        return State.IDLE
    minutes = turn.data.get("minutes") or event_type.duration
    turn.data.update(slot_start=starts[0].isoformat(), series=rule)
    default = f"COUNT={DEFAULT_COUNT}" in rule.upper().split(";")
    turn.say(turn.t.propose_series(host, event_type.title, starts, minutes, turn.tz,
                                   default_count=default),
             yes_no(turn, "yes_book_all", "no"))
    return State.CONFIRMING_SERIES


def book(turn: Turn) -> State:
    """"Yes" to "Book all N?": every occurrence at once, or none."""
    host, start = turn.host, instant(turn.data.get("slot_start"))
    slug, rule = turn.data.get("event_type"), turn.data.get("series")
    if host is None or start is None or slug is None or not rule:
        return expired(turn)
    try:
        booked = series.book_series(host.handle, slug, start, rule,
                                    guest_id=turn.guest.id or 0, uow=turn.uow,
                                    clock=turn.clock, duration=turn.data.get("minutes"))
    except SeriesClash as exc:
        total = len(occurrences(rule, start, host.timezone))
        turn.say(turn.t.series_clash(exc.clashes, total, turn.tz))
        return State.ASKING_SERIES_TIME
    except GuestLimitReached as exc:
        turn.say(turn.t.guest_limit(exc.limit, host))
    except InvalidRecurrence:
        turn.say(turn.t.series_invalid(MAX_OCCURRENCES))
    else:
        turn.say(turn.t.series_booked(booked.occurrences, turn.tz))
    forget(turn)
    return State.IDLE


def cancel(turn: Turn, scope: str) -> State:
    """Cancel the chosen occurrence only (``one``) or it and the rest (``following``)."""
    view = own_booking(turn)
    if view is None:
        turn.say(turn.t.booking_gone(turn.data.get("booking_id")))
        forget(turn)
        return State.IDLE
    try:
        cancelled = series.cancel_series(
            view.booking.id or 0, "one" if scope == "one" else "following",
            actor=Actor("guest", turn.guest.id or 0), uow=turn.uow,
            clock=turn.clock)
    except (BookingNotFound, BookingNotLive):
        turn.say(turn.t.booking_gone(view.booking.id))
    except TooLateToChange as exc:
        too_late(turn, exc)
    else:
        turn.say(turn.t.series_cancelled(cancelled, view.host, turn.tz))
    forget(turn)
    return State.IDLE


def propose_cancel(turn: Turn, request: BookingRequest) -> State:
    """"Cancel the whole series": the rest of the guest's series (the one on the day
    named, else the next), listed, and "Cancel all N?"; no series: which booking."""
    views = [v for v in services.guest_bookings(turn.guest.id or 0, uow=turn.uow,
                                                clock=turn.clock)
             if v.booking.series_id is not None and v.booking.start >= turn.now]
    named = [v for v in views if request.start is not None
             and same_day(v.booking.start, request.start, turn.tz)]
    if not views:
        return pick_booking(turn, request)
    first = (named or views)[0]
    rest = [v.booking for v in views if v.booking.series_id == first.booking.series_id]
    turn.data["booking_id"] = first.booking.id
    turn.say(turn.t.confirm_cancel_series(rest, first.host, turn.tz),
             yes_no(turn, "yes_cancel_all", "keep"))
    return State.CONFIRMING_SERIES_CANCEL
