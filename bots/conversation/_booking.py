"""The booking flow: find the host and event type, offer free times, propose one, book on "yes".

Steps: ``CHOOSING_HOST`` → ``CHOOSING_EVENT_TYPE`` → ``CHOOSING_SLOT`` →
``CONFIRMING_BOOKING`` (a recurring request goes to :mod:`._series` instead
of the last step). Nothing is booked without an explicit "yes".
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bots.conversation import _changes, _payment, _series
from bots.conversation._turn import (
    SEARCH_DAYS,
    SLOTS_SHOWN,
    State,
    Turn,
    already_booked,
    expired,
    forget,
    free_in,
    instant,
    offer,
    reason,
    spans,
    windows,
    yes_no,
)
from bots.messages import Choice, Reply
from core import services
from core.errors import (
    AlreadyBooked,
    GuestLimitReached,
    PaymentsOff,
    PaymentUnavailable,
    SlotUnavailable,
)
from core.models import BookingStatus, EventType, Host


def plan(turn: Turn) -> State:
    """Fill in what the request lacks (host, event type), then propose or offer times."""
    host = turn.host
    request = turn.data.get("request", {})
    if host is None:
        turn.say(turn.t.choose_host(), [Choice(h.name, f"host:{h.handle}")
                                      for h in turn.directory.entries])
        return State.CHOOSING_HOST
    event_type = _event_type(host, turn.data.get("event_type"), request.get("duration"))
    if event_type is None:
        turn.say(turn.t.choose_event_type(host, request.get("duration")),
                 [Choice(turn.t.kind(e.title, e.duration), f"et:{e.slug}")
                  for e in host.listed_event_types])
        return State.CHOOSING_EVENT_TYPE
    turn.data["event_type"] = event_type.slug
    turn.data["minutes"] = _length(turn, event_type, request)
    asked = windows(request)
    if len(asked) == 1 and asked[0][1] is None:
        return propose(turn, host, event_type, asked[0][0])
    if asked:
        slots = free_in(turn, host.handle, event_type.slug, spans(asked), turn.data["minutes"])
        if slots:
            return offer(turn, host, slots, turn.t.slots_offer(host, slots, turn.tz, asked=True))
    start = max((asked[-1][1] or asked[-1][0]) if asked else turn.now, turn.now)
    slots = services.free_slots(host.handle, event_type.slug, start,
                                start + timedelta(days=SEARCH_DAYS),
                                uow=turn.uow, clock=turn.clock,
                                duration=turn.data["minutes"])
    if not slots:
        turn.say(turn.t.nothing_free(host))
        return State.IDLE
    if asked:
        return offer(turn, host, slots, turn.t.nothing_free_next(host))
    return offer(turn, host, slots, turn.t.slots_offer(host, slots, turn.tz, asked=False))


def _length(turn: Turn, event_type: EventType, request: dict[str, Any]) -> int | None:
    """The length asked for if the event type offers it; else the nearest it offers
    (a tie goes to the longer: "45 min" of 15/30/60 → 60), said to the guest —
    never changed silently."""
    minutes = request.get("duration")
    if not minutes or minutes in event_type.durations:
        return minutes if isinstance(minutes, int) else None
    nearest = min(event_type.durations, key=lambda d: (abs(d - minutes), -d))
    turn.replies.append(Reply(turn.t.length_not_offered(event_type, minutes, nearest)))
    request["duration"] = nearest  # said once: the request now asks for the nearest
    return nearest


def propose(turn: Turn, host: Host, event_type: EventType, start: datetime) -> State:
    """Check ``start`` and ask "Book it?" (or offer the nearest free times)."""
    rule = turn.data.get("request", {}).get("recurrence")
    if turn.data.get("action") == "book" and rule and not event_type.paid:  # paid: one at a time
        return _series.propose(turn, host, event_type, start, rule)
    try:
        slot = services.check_slot(host.handle, event_type.slug, start,
                                   uow=turn.uow, clock=turn.clock,
                                   duration=turn.data.get("minutes"), guest_id=turn.guest.id)
    except AlreadyBooked as exc:
        return already_booked(turn, exc)
    except SlotUnavailable as exc:
        return offer(turn, host, exc.alternatives,
                     turn.t.unavailable(start, turn.tz, reason(exc, turn.tz, turn.t)))
    turn.data["slot_start"] = slot.start.isoformat()
    turn.say(turn.t.propose_booking(host, event_type.title, slot, turn.tz)
             + turn.t.price_note(event_type), yes_no(turn, "yes_book", "no"))
    return State.CONFIRMING_BOOKING


def page(turn: Turn, direction: str) -> State:
    """"Anything earlier / later / another day?": the free times next to the ones offered.

    ``direction`` is :attr:`nlp.BookingRequest.page`: ``earlier`` (the times just
    before the first offered), ``later`` (just after the last) or ``other_day``
    (from the next day on, in the reader's zone). Nothing there: said, and the
    offered times stay.
    """
    host, slug = turn.host, turn.data.get("event_type")
    event_type = host.event_type(slug) if host is not None and slug is not None else None
    first, last = (instant(v) for v in turn.data.get("offered") or (None, None))
    if host is None or event_type is None or first is None or last is None:
        return expired(turn)
    if direction == "earlier":
        begin, end = max(turn.now, first - timedelta(days=SEARCH_DAYS)), first
    elif direction == "later":
        begin = last + timedelta(minutes=1)
        end = begin + timedelta(days=SEARCH_DAYS)
    else:
        zone = ZoneInfo(turn.tz)
        begin = datetime.combine(last.astimezone(zone).date() + timedelta(days=1), time(),
                                 tzinfo=zone)
        end = begin + timedelta(days=SEARCH_DAYS)
    slots = services.free_slots(host.handle, event_type.slug, begin, end, uow=turn.uow,
                                clock=turn.clock, duration=turn.data.get("minutes"))
    if direction == "earlier":
        slots = slots[-SLOTS_SHOWN:]
    if not slots:
        turn.say(turn.t.nothing_free(host), [Choice(str(label), str(payload))
                                             for label, payload in turn.data["choices"]])
        return turn.state
    return offer(turn, host, slots, turn.t.slots_offer(host, slots, turn.tz, asked=False))


def slot_chosen(turn: Turn, start: datetime) -> State:
    """A slot button: propose it (for a new booking, or as the new time of one being moved)."""
    if turn.data.get("action") == "reschedule" and turn.data.get("booking_id"):
        return _changes.propose_move(turn, start)
    host, slug = turn.host, turn.data.get("event_type")
    event_type = host.event_type(slug) if host is not None and slug is not None else None
    if host is None or event_type is None:
        return expired(turn)
    return propose(turn, host, event_type, start)


def book(turn: Turn) -> State:
    """"Yes" to "Book it?"."""
    host, start = turn.host, instant(turn.data.get("slot_start"))
    slug = turn.data.get("event_type")
    if host is None or start is None or slug is None:
        return expired(turn)
    try:
        with turn.uow:  # a savepoint: a hold whose payment cannot start is undone
            view = services.book(host.handle, slug, start, guest_id=turn.guest.id or 0,
                                 uow=turn.uow, clock=turn.clock,
                                 duration=turn.data.get("minutes"))
            paying = (_payment.checkout(turn, view)
                      if view.booking.status is BookingStatus.AWAITING_PAYMENT else None)
            turn.uow.commit()
    except (PaymentsOff, PaymentUnavailable) as exc:
        turn.say(turn.t.text("payments_off" if isinstance(exc, PaymentsOff)
                             else "payment_unavailable", host=host.name))
        forget(turn)
        return State.IDLE
    except AlreadyBooked as exc:
        return already_booked(turn, exc)
    except SlotUnavailable as exc:
        return offer(turn, host, exc.alternatives, turn.t.just_taken())
    except GuestLimitReached as exc:
        turn.say(turn.t.guest_limit(exc.limit, host))
        forget(turn)
        return State.IDLE
    if paying is not None:
        turn.say(paying[0], invoice=paying[1])
    else:
        turn.say(turn.t.booked(view, turn.tz))
    forget(turn)
    return State.IDLE


def _event_type(host: Host, mention: str | None, duration: int | None) -> EventType | None:
    """The event type named (slug, title or alias), else the only one of that length,
    else the host's only one."""
    if mention:
        found = next((e for e in host.event_types if mention.lower() in (
            e.slug, e.title.lower(), *(a.lower() for a in e.aliases))), None)
        if found:
            return found
    if duration:
        matching = [e for e in host.event_types if duration in e.durations]
        if matching:
            return matching[0] if len(matching) == 1 else None
    return host.event_types[0] if len(host.event_types) == 1 else None
