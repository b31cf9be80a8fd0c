"""Every user-facing string of the conversation and host commands (English).

Small functions, one per message, so wording is reviewed, tested and later
translated in one place (STYLE point 11). Times are always shown in the
reader's zone, with the other party's zone beside them when it differs.
Texts are plain: renderers escape them for their platform.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from core.models import Host, Slot
from core.services import BookingView

MAX_MESSAGE_CHARS = 2000


def day(moment: datetime, tz: str) -> str:
    """``Wed 2 Dec``, in ``tz``."""
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%a} {local.day} {local:%b}"


def clock(moment: datetime, tz: str) -> str:
    """``09:30``, in ``tz``."""
    return f"{moment.astimezone(ZoneInfo(tz)):%H:%M}"


def span(start: datetime, end: datetime, tz: str, other_tz: str | None = None) -> str:
    """``Wed 2 Dec, 10:00–10:30 (Europe/Berlin)``, plus the other zone if it differs.

    Args:
        start, end: aware datetimes.
        tz: the reader's IANA zone; ``other_tz`` the other party's.
    """
    text = f"{day(start, tz)}, {clock(start, tz)}–{clock(end, tz)} ({tz})"
    if other_tz and other_tz != tz and start.astimezone(ZoneInfo(other_tz)).utcoffset() != (
        start.astimezone(ZoneInfo(tz)).utcoffset()
    ):
        text += f" = {day(start, other_tz)}, {clock(start, other_tz)}–{clock(end, other_tz)}"
        text += f" ({other_tz})"
    return text


def slot_label(slot: Slot, tz: str) -> str:
    """A short button label: ``Wed 2 Dec 10:00``."""
    return f"{day(slot.start, tz)} {clock(slot.start, tz)}"


def booking_label(view: BookingView, tz: str) -> str:
    return f"#{view.booking.id} {view.event_type.title} – {day(view.booking.start, tz)} " \
           f"{clock(view.booking.start, tz)}"


# --- guest conversation ----------------------------------------------------------------


def help_text(hosts: Sequence[Host]) -> str:
    names = ", ".join(h.name for h in hosts) or "nobody yet"
    return (
        f"I book meetings with {names}. Just write what you need, for example:\n"
        "• “30 min with Ana next Tuesday afternoon?”\n"
        "• “anything free tomorrow before 10?”\n"
        "• “my bookings”\n"
        "• “move my call to Friday 3pm”\n"
        "• “cancel my booking”\n"
        "• “my timezone is America/New_York”"
    )


def greeting(host: Host) -> str:
    kinds = ", ".join(f"{e.title} ({e.duration} min)" for e in host.event_types)
    return (
        f"Hi! I book time with {host.name}: {kinds}.\n"
        "Tell me when suits you, e.g. “tomorrow afternoon” or “Friday 10am”."
    )


def timezone_note(tz: str, host: Host) -> str:
    return (
        f"(Times are in {tz}, {host.name}'s zone. If you're elsewhere, tell me, "
        "e.g. “my timezone is America/New_York”.)"
    )


def timezone_set(tz: str) -> str:
    return f"Got it: I'll show times in {tz}."


def timezone_unknown(text: str) -> str:
    return f"I don't know the timezone “{text}”. Use a name like Europe/Berlin or America/New_York."


def too_long() -> str:
    return f"That message is too long for me (over {MAX_MESSAGE_CHARS} characters). " \
           "Please send a shorter one."


def choose_host(hosts: Sequence[Host]) -> str:
    return "Who would you like to meet?"


def choose_event_type(host: Host, duration_minutes: int | None) -> str:
    if duration_minutes:
        return f"{host.name} has no {duration_minutes}-minute meetings. Which would you like?"
    return f"Which kind of meeting with {host.name}?"


def propose_booking(host: Host, title: str, slot: Slot, tz: str) -> str:
    when = span(slot.start, slot.end, tz, host.timezone)
    return f"{title} with {host.name} on {when} — shall I book it?"


def slots_offer(host: Host, slots: Sequence[Slot], tz: str, *, asked: bool) -> str:
    if not slots:
        return f"{host.name} has nothing free then."
    first = slots[0]
    intro = "Here's what's free" if asked else "Free times"
    return f"{intro} with {host.name} (times in {tz}), starting {day(first.start, tz)}:"


def nothing_free(host: Host) -> str:
    return f"Sorry, {host.name} has nothing free in that period. Try another day or week."


def nothing_free_next(host: Host) -> str:
    return f"Sorry, {host.name} has nothing free then. The nearest free times:"


def unavailable(start: datetime, tz: str, reason: str) -> str:
    return f"{day(start, tz)} {clock(start, tz)} isn't available ({reason}). " \
           "Nearest free times:"


def reason_too_soon(earliest: datetime, tz: str) -> str:
    return f"too short notice; the earliest is {day(earliest, tz)} {clock(earliest, tz)}"


def reason_too_far(latest: datetime, tz: str) -> str:
    return f"bookings open only until {day(latest, tz)}"


REASON_TAKEN = "it's taken or outside working hours"


def just_taken() -> str:
    return "Sorry, that time was just taken. Nearest free times:"


def booked(view: BookingView, tz: str) -> str:
    b = view.booking
    when = span(b.start, b.end, tz, view.host.timezone)
    if b.status.value == "pending":
        return f"Requested #{b.id}: {view.event_type.title} with {view.host.name}, {when}. " \
               f"{view.host.name} will confirm it; I'll let you know."
    return f"Booked #{b.id}: {view.event_type.title} with {view.host.name}, {when}. " \
           "To move or cancel it, just tell me."


def not_booked() -> str:
    return "OK, nothing booked. Tell me another time whenever you like."


def offer_expired() -> str:
    return "That offer has expired. Tell me again what you'd like to book."


def no_bookings() -> str:
    return "You have no upcoming bookings."


def your_bookings(views: Sequence[BookingView], tz: str) -> str:
    lines = ["Your upcoming bookings:"]
    lines += [f"• #{v.booking.id} {v.event_type.title} with {v.host.name}, "
              f"{span(v.booking.start, v.booking.end, tz, v.host.timezone)}"
              + (" (awaiting confirmation)" if v.booking.status.value == "pending" else "")
              for v in views]
    return "\n".join(lines)


def choose_booking(action: str) -> str:
    return f"Which booking would you like to {action}?"


def confirm_cancel(view: BookingView, tz: str) -> str:
    b = view.booking
    return f"Cancel #{b.id} {view.event_type.title} with {view.host.name}, " \
           f"{span(b.start, b.end, tz, view.host.timezone)}?"


def cancelled(view: BookingView) -> str:
    return f"Cancelled #{view.booking.id}. {view.host.name} has been told."


def kept() -> str:
    return "OK, I've left it as it is."


def ask_new_time(view: BookingView, tz: str) -> str:
    return f"When would you like to move #{view.booking.id} " \
           f"({day(view.booking.start, tz)} {clock(view.booking.start, tz)}) to?"


def confirm_reschedule(view: BookingView, slot: Slot, tz: str) -> str:
    b = view.booking
    return f"Move #{b.id} {view.event_type.title} with {view.host.name} from " \
           f"{day(b.start, tz)} {clock(b.start, tz)} to " \
           f"{span(slot.start, slot.end, tz, view.host.timezone)}?"


def rescheduled(view: BookingView, tz: str) -> str:
    b = view.booking
    return f"Moved: #{b.id} {view.event_type.title} with {view.host.name} is now " \
           f"{span(b.start, b.end, tz, view.host.timezone)} " \
           f"(it replaces #{b.rescheduled_from_id})."


def booking_gone(booking_id: int | None) -> str:
    return f"I can't find an upcoming booking #{booking_id} of yours."


def not_understood(hosts: Sequence[Host]) -> str:
    return "Sorry, I didn't get that. " + help_text(hosts)


def apology() -> str:
    return "Sorry, something went wrong on my side. Please try again in a moment."


YES_BOOK = "Yes, book it"
YES_CANCEL = "Yes, cancel it"
YES_MOVE = "Yes, move it"
NO = "No"
KEEP = "No, keep it"
MORE = "Later times"
