"""The changes flow: list, cancel and reschedule the guest's own bookings.

Steps: pick a booking (``CHOOSING_BOOKING``) → confirm the cancellation
(``CONFIRMING_CANCEL``) or ask for / offer a new time (``ASKING_NEW_TIME``,
``CHOOSING_SLOT``) → confirm the move (``CONFIRMING_RESCHEDULE``).
"""

from __future__ import annotations

from datetime import datetime

from bots.conversation import _payment
from bots.conversation._turn import (
    SLOTS_SHOWN,
    State,
    Turn,
    already_booked,
    expired,
    forget,
    instant,
    offer,
    reason,
    same_day,
    yes_no,
)
from bots.messages import Choice
from core import services
from core.errors import (
    AlreadyBooked,
    BookingNotFound,
    BookingNotLive,
    SlotbotError,
    SlotUnavailable,
    TooLateToChange,
)
from core.services import Actor, BookingView
from nlp import BookingRequest


def list_bookings(turn: Turn) -> State:
    """"What do I have booked?": the guest's upcoming bookings."""
    views = services.guest_bookings(turn.guest.id or 0, uow=turn.uow,
                                    clock=turn.clock)
    turn.say(turn.t.your_bookings(views, turn.tz) if views else turn.t.no_bookings())
    return State.IDLE


def pick_booking(turn: Turn, request: BookingRequest) -> State:
    """Which booking to cancel or move: the only one, the one on the day named, or ask."""
    views = services.guest_bookings(turn.guest.id or 0, uow=turn.uow,
                                    clock=turn.clock)
    if not views:
        turn.say(turn.t.no_bookings())
        return State.IDLE
    if turn.data["action"] == "cancel" and request.start is not None:
        on_day = [v for v in views if same_day(v.booking.start, request.start, turn.tz)]
        views = on_day or views
    if len(views) == 1:
        turn.data["booking_id"] = views[0].booking.id
        return booking_chosen(turn, views[0])
    verb = "cancel" if turn.data["action"] == "cancel" else "move"
    turn.say(turn.t.choose_booking(verb),
             [Choice(turn.t.booking_label(v, turn.tz), f"booking:{v.booking.id}")
              for v in views[:SLOTS_SHOWN]])
    return State.CHOOSING_BOOKING


def own_booking(turn: Turn) -> BookingView | None:
    """The chosen booking (``data["booking_id"]``) if it is still the guest's and live."""
    booking_id = turn.data.get("booking_id")
    views = services.guest_bookings(turn.guest.id or 0, uow=turn.uow,
                                    clock=turn.clock)
    return next((v for v in views if v.booking.id == booking_id), None)


def booking_chosen(turn: Turn, view: BookingView | None = None) -> State:
    """The booking is known: ask to confirm the cancellation, or find the new time."""
    view = view or own_booking(turn)
    if view is None:
        turn.say(turn.t.booking_gone(turn.data.get("booking_id")))
        forget(turn)
        return State.IDLE
    if turn.data.get("action") == "cancel" and view.booking.series_id is not None:
        turn.say(turn.t.ask_cancel_scope(view, turn.tz), [
            Choice(turn.t.button("scope_one"), "scope:one"),
            Choice(turn.t.button("scope_following"), "scope:following"),
            Choice(turn.t.button("keep"), "no")])
        return State.CHOOSING_SCOPE
    if turn.data.get("action") == "cancel":
        turn.say(turn.t.confirm_cancel(view, turn.tz), yes_no(turn, "yes_cancel", "keep"))
        return State.CONFIRMING_CANCEL
    request = turn.data.get("request", {})
    start, end = instant(request.get("start")), instant(request.get("end"))
    turn.data.update(host=view.host.handle, event_type=view.event_type.slug)
    if start is None:
        # A bare "3pm" in the answer means that time on the booking's own day.
        turn.data["slot_start"] = view.booking.start.isoformat()
        turn.say(turn.t.ask_new_time(view, turn.tz))
        return State.ASKING_NEW_TIME
    if end is None:
        return propose_move(turn, start, view)
    minutes = int(view.booking.duration.total_seconds() // 60)
    slots = [s for s in services.free_slots(
        view.host.handle, view.event_type.slug, max(start, turn.now), end,
        uow=turn.uow, clock=turn.clock, duration=minutes)]
    return offer(turn, view.host, slots,
                 turn.t.slots_offer(view.host, slots, turn.tz, asked=True))


def propose_move(turn: Turn, start: datetime, view: BookingView | None = None) -> State:
    """Check the new time and ask "Move it?" (or offer the nearest free times)."""
    view = view or own_booking(turn)
    if view is None:
        turn.say(turn.t.booking_gone(turn.data.get("booking_id")))
        return State.IDLE
    minutes = int(view.booking.duration.total_seconds() // 60)
    try:
        slot = services.check_slot(view.host.handle, view.event_type.slug, start,
                                   uow=turn.uow, clock=turn.clock,
                                   duration=minutes, ignore_booking_id=view.booking.id,
                                   guest_id=turn.guest.id)
    except AlreadyBooked as exc:
        return already_booked(turn, exc)
    except SlotUnavailable as exc:
        return offer(turn, view.host, exc.alternatives,
                     turn.t.unavailable(start, turn.tz, reason(exc, turn.tz, turn.t)))
    turn.data["slot_start"] = slot.start.isoformat()
    turn.say(turn.t.confirm_reschedule(view, slot, turn.tz), yes_no(turn, "yes_move", "keep"))
    return State.CONFIRMING_RESCHEDULE


def cancel(turn: Turn) -> State:
    """"Yes" to "Cancel it?"."""
    booking_id = turn.data.get("booking_id")
    try:
        view = services.cancel(int(booking_id or 0), actor=Actor("guest", turn.guest.id or 0),
                               uow=turn.uow, clock=turn.clock)
    except (BookingNotFound, BookingNotLive):
        turn.say(turn.t.booking_gone(booking_id))
    except TooLateToChange as exc:
        too_late(turn, exc)
    else:
        turn.say(turn.t.cancelled(view, _payment.refund_note(turn, view)))
    forget(turn)
    return State.IDLE


def move(turn: Turn) -> State:
    """"Yes" to "Move it?"."""
    booking_id, start = turn.data.get("booking_id"), instant(turn.data.get("slot_start"))
    if booking_id is None or start is None:
        return expired(turn)
    try:
        view = services.reschedule(int(booking_id), start,
                                   actor=Actor("guest", turn.guest.id or 0),
                                   uow=turn.uow, clock=turn.clock)
    except AlreadyBooked as exc:
        return already_booked(turn, exc)
    except SlotUnavailable as exc:
        host = turn.host
        if host is None:
            raise
        return offer(turn, host, exc.alternatives, turn.t.just_taken())
    except TooLateToChange as exc:
        too_late(turn, exc)
    except (BookingNotFound, BookingNotLive, SlotbotError):
        turn.say(turn.t.booking_gone(booking_id))
    else:
        turn.say(turn.t.rescheduled(view, turn.tz))
    forget(turn)
    return State.IDLE


def too_late(turn: Turn, exc: TooLateToChange) -> None:
    """Say until when the booking could have been changed (and that it stands)."""
    view = own_booking(turn)  # still live: the change was refused
    if view is None:
        turn.say(turn.t.booking_gone(exc.booking_id))
    else:
        turn.say(turn.t.too_late_to_change(exc.booking_id, exc.cutoff, view.host, turn.tz))
