"""The changes flow: list, cancel and reschedule the guest's own bookings.

Steps: pick a booking (``CHOOSING_BOOKING``) → confirm the cancellation
(``CONFIRMING_CANCEL``) or ask for / offer a new time (``ASKING_NEW_TIME``,
``CHOOSING_SLOT``) → confirm the move (``CONFIRMING_RESCHEDULE``).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bots.conversation import _payment
from bots.conversation._turn import (
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
    same_day,
    spans,
    windows,
    yes_no,
)
from bots.messages import Choice, Reply
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
    """Which booking to cancel or move: the only one, the one on the day named, or ask.

    The day named is the one moved away from ("from Monday to Tuesday") or, for
    a cancellation, the one given ("cancel Friday's call"). When the guest has
    no booking that day, they are asked which of theirs they meant.
    """
    views = services.guest_bookings(turn.guest.id or 0, uow=turn.uow,
                                    clock=turn.clock)
    if not views:
        turn.say(turn.t.no_bookings())
        return State.IDLE
    day = request.instead_of[0] if request.instead_of is not None else (
        request.start if turn.data["action"] == "cancel" else None)
    on_day = [v for v in views if day is not None and same_day(v.booking.start, day, turn.tz)]
    if len(on_day or views) == 1 and (on_day or request.instead_of is None):
        view = (on_day or views)[0]
        turn.data["booking_id"] = view.booking.id
        return booking_chosen(turn, view)
    verb = "cancel" if turn.data["action"] == "cancel" else "move"
    if day is not None and not on_day:
        turn.replies.append(Reply(turn.t.nothing_booked_on(day, turn.tz)))
    turn.say(turn.t.choose_booking(verb),
             [Choice(turn.t.booking_label(v, turn.tz), f"booking:{v.booking.id}")
              for v in (on_day or views)[:SLOTS_SHOWN]])
    return State.CHOOSING_BOOKING


def shift_booking(turn: Turn, shift: timedelta) -> State:
    """"Half an hour later" with no slot under discussion: the booking being moved,
    else the guest's next one, moved by ``shift`` — proposed, and moved only on "yes"."""
    views = services.guest_bookings(turn.guest.id or 0, uow=turn.uow, clock=turn.clock)
    if not views:
        turn.say(turn.t.no_bookings())
        return State.IDLE
    moving = turn.data.get("booking_id") if turn.data.get("action") == "reschedule" else None
    view = next((v for v in views if v.booking.id == moving), None) or next(
        (v for v in views if v.booking.start >= turn.now), views[0])
    turn.data.update(action="reschedule", booking_id=view.booking.id, request={},
                     host=view.host.handle, event_type=view.event_type.slug)
    return propose_move(turn, view.booking.start + shift, view)


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
    asked = windows(request)
    turn.data.update(host=view.host.handle, event_type=view.event_type.slug)
    if not asked:
        # A bare "3pm" in the answer means that time on the booking's own day.
        turn.data["slot_start"] = view.booking.start.isoformat()
        turn.say(turn.t.ask_new_time(view, turn.tz))
        return State.ASKING_NEW_TIME
    if request.get("instead_of") and len(asked) == 1:
        asked = [_same_time(view, *asked[0], turn.tz)]
    if len(asked) == 1 and asked[0][1] is None:
        return propose_move(turn, asked[0][0], view)
    minutes = int(view.booking.duration.total_seconds() // 60)
    slots = free_in(turn, view.host.handle, view.event_type.slug, spans(asked), minutes)
    return offer(turn, view.host, slots,
                 turn.t.slots_offer(view.host, slots, turn.tz, asked=True))


#: How long a whole local day can be (DST days included).
DAY_LONG = (timedelta(hours=23), timedelta(hours=25))


def _same_time(view: BookingView, start: datetime, end: datetime | None, tz: str
               ) -> tuple[datetime, datetime | None]:
    """A move to a whole day ("from Monday to Tuesday"): the booking's own time that day."""
    zone = ZoneInfo(tz)
    first, local = start.astimezone(zone), view.booking.start.astimezone(zone)
    if end is None or first.time() != time() or not DAY_LONG[0] <= end - start <= DAY_LONG[1]:
        return start, end
    return datetime.combine(first.date(), local.time(), tzinfo=zone), None


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
