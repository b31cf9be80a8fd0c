"""Every notification text sent from the outbox: booking notices, reminders, digests.

``render(message)`` turns an outbox row's payload (facts written by
``core.services``, ``core.reminders`` and ``core.digests``) into a neutral
``Reply`` for its reader, with times in the reader's zone and the other
party's zone beside them when it differs. Texts are plain; renderers escape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bots.messages import Choice, Reply

Payload = Mapping[str, Any]

CANCEL = "Cancel it"
RESCHEDULE = "Reschedule"


def render(kind: str, payload: Payload) -> Reply:
    """The message of one outbox row for its reader.

    Args:
        kind: the row's kind (``booking_created``, ``reminder``, ``digest``, …).
        payload: the row's payload; ``reader`` is ``host`` or ``guest``.

    Returns:
        The reply; unknown kinds get a short generic notice (or ``payload["text"]``).
    """
    renderer = _RENDERERS.get(kind)
    if renderer is not None:
        return renderer(payload)
    if isinstance(payload.get("text"), str):
        return Reply(payload["text"])
    return Reply(f"Update on booking #{payload.get('booking_id')}: {kind.replace('_', ' ')}.")


def reminder_shortcuts(booking_id: object) -> tuple[Choice, ...]:
    """The buttons under a reminder: payloads ``cancel:ID`` and ``move:ID``."""
    return (Choice(CANCEL, f"cancel:{booking_id}"), Choice(RESCHEDULE, f"move:{booking_id}"))


def in_words(minutes: int) -> str:
    """``in 24 hours``, ``in 1 hour``, ``in 2 days``, ``in 30 minutes``."""
    if minutes >= 2 * 1440 and minutes % 1440 == 0:
        return f"in {minutes // 1440} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"in {hours} hour{'s' if hours != 1 else ''}"
    return f"in {minutes} minute{'s' if minutes != 1 else ''}"


# --- booking notices ----------------------------------------------------------------------


def _zones(p: Payload) -> tuple[str, str]:
    """(reader's zone, other party's zone)."""
    host_tz = str(p.get("host_timezone") or "UTC")
    guest_tz = str(p.get("guest_timezone") or host_tz)
    return (host_tz, guest_tz) if p.get("reader") == "host" else (guest_tz, host_tz)


def _when(p: Payload) -> str:
    tz, other = _zones(p)
    return span(_instant(p["start"]), _instant(p["end"]), tz, other)


def _guest(p: Payload) -> str:
    return str(p.get("guest_name") or "A guest")


def _reason(p: Payload) -> str:
    reason = p.get("reason")
    return f" Reason: {reason}." if reason and reason != "rescheduled" else ""


def _more(p: Payload) -> str:
    """`` (and 9 more, weekly)`` for a series: ``occurrences`` lists every start."""
    occurrences = p.get("occurrences") or []
    if len(occurrences) <= 1:
        return ""
    return f" (and {len(occurrences) - 1} more occurrences)"


def _created(p: Payload) -> Reply:
    return Reply(f"New booking #{p['booking_id']}: {p['event_type']} with {_guest(p)}, "
                 f"{_when(p)}{_more(p)}.")


def _requested(p: Payload) -> Reply:
    return Reply(f"Booking request #{p['booking_id']}: {p['event_type']} with {_guest(p)}, "
                 f"{_when(p)}{_more(p)}. It waits for your confirmation.")


def _cancelled(p: Payload) -> Reply:
    if p.get("reader") == "host":
        return Reply(f"{_guest(p)} cancelled #{p['booking_id']}: {p['event_type']}, "
                     f"{_when(p)}{_more(p)}.{_reason(p)}")
    return Reply(f"{p['host_name']} cancelled your {p['event_type']} #{p['booking_id']}, "
                 f"{_when(p)}{_more(p)}.{_reason(p)}")


def _confirmed(p: Payload) -> Reply:
    return Reply(f"{p['host_name']} confirmed your {p['event_type']} #{p['booking_id']}, "
                 f"{_when(p)}.")


def _declined(p: Payload) -> Reply:
    return Reply(f"{p['host_name']} declined your request #{p['booking_id']} "
                 f"({p['event_type']}, {_when(p)}).{_reason(p)}")


def _expired(p: Payload) -> Reply:
    return Reply(f"Your request #{p['booking_id']} ({p['event_type']} with {p['host_name']}, "
                 f"{_when(p)}) was not confirmed in time, so the time is free again. "
                 "Tell me if you'd like another time.")


def _rescheduled(p: Payload) -> Reply:
    tz, _ = _zones(p)
    before = ""
    if p.get("previous_start"):
        previous = _instant(p["previous_start"])
        before = f" from {day(previous, tz)} {clock(previous, tz)}"
    who = _guest(p) if p.get("reader") == "host" else str(p["host_name"])
    what = f"#{p['booking_id']} {p['event_type']}" if p.get("reader") == "host" \
        else f"your {p['event_type']} (now #{p['booking_id']})"
    return Reply(f"{who} moved {what}{before} to {_when(p)}.")


def _reminder(p: Payload) -> Reply:
    waiting = (f" It still awaits {p['host_name']}'s confirmation."
               if p.get("status") == "pending" else "")
    text = (f"Reminder: {p['event_type']} with {p['host_name']} "
            f"{in_words(int(p['minutes_before']))}, {_when(p)} (#{p['booking_id']}).{waiting}")
    return Reply(text, reminder_shortcuts(p["booking_id"]))


# --- the daily digest ----------------------------------------------------------------------


def _digest(p: Payload) -> Reply:
    tz = str(p["host_timezone"])
    today = date.fromisoformat(str(p["date"]))
    lines = [f"Your Slotbot digest for {today:%a} {today.day} {today:%b} ({tz})", ""]
    items: Sequence[Payload] = p.get("today") or []
    if items:
        lines.append(f"Today ({len(items)}):")
        lines += [f"• {_digest_item(i, tz, with_day=False)}" for i in items]
    else:
        lines.append("Nothing booked today.")
    pending: Sequence[Payload] = p.get("pending") or []
    if pending:
        lines += ["", f"Awaiting your confirmation ({len(pending)}):"]
        lines += [f"• {_digest_item(i, tz)}" for i in pending]
    made: Sequence[Payload] = p.get("made") or []
    cancelled: Sequence[Payload] = p.get("cancelled") or []
    lines += ["", f"Since the last digest: {_count(len(made), 'new booking')}, "
                  f"{_count(len(cancelled), 'cancellation')}."]
    lines += [f"• new: {_digest_item(i, tz)}" for i in made]
    lines += [f"• cancelled: {_digest_item(i, tz)}" for i in cancelled]
    week: Mapping[str, int] = p.get("week") or {}
    lines += ["", f"Last 7 days: {_count(week.get('bookings', 0), 'booking')}, "
                  f"{_count(week.get('cancellations', 0), 'cancellation')}, "
                  f"{_count(week.get('no_shows', 0), 'no-show')}."]
    return Reply("\n".join(lines))


def _digest_item(item: Payload, tz: str, *, with_day: bool = True) -> str:
    start, end = _instant(item["start"]), _instant(item["end"])
    when = f"{clock(start, tz)}–{clock(end, tz)}"
    if with_day:
        when = f"{day(start, tz)} {when}"
    status = " (pending)" if item.get("status") == "pending" else ""
    guest = item.get("guest_name") or "a guest"
    return f"{when} {item['event_type']} with {guest} #{item['booking_id']}{status}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def day(moment: datetime, tz: str) -> str:
    """``Tue 1 Dec``, in ``tz``."""
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%a} {local.day} {local:%b}"


def clock(moment: datetime, tz: str) -> str:
    """``09:30``, in ``tz``."""
    return f"{moment.astimezone(ZoneInfo(tz)):%H:%M}"


def span(start: datetime, end: datetime, tz: str, other_tz: str | None = None) -> str:
    """``Tue 1 Dec, 10:00–10:30 (Europe/Berlin)``, plus the other zone when its offset differs."""
    text = f"{day(start, tz)}, {clock(start, tz)}–{clock(end, tz)} ({tz})"
    if other_tz and other_tz != tz and (
        start.astimezone(ZoneInfo(other_tz)).utcoffset()
        != start.astimezone(ZoneInfo(tz)).utcoffset()
    ):
        text += f" = {day(start, other_tz)}, {clock(start, other_tz)}–{clock(end, other_tz)}"
        text += f" ({other_tz})"
    return text


def _instant(value: object) -> datetime:
    return datetime.fromisoformat(str(value))


_RENDERERS: dict[str, Callable[[Payload], Reply]] = {
    "booking_created": _created,
    "booking_requested": _requested,
    "booking_cancelled": _cancelled,
    "booking_rescheduled": _rescheduled,
    "booking_confirmed": _confirmed,
    "booking_declined": _declined,
    "booking_expired": _expired,
    "reminder": _reminder,
    "digest": _digest,
}
