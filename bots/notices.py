"""Every notification text sent from the outbox: booking notices, reminders, digests.

``render(kind, payload)`` turns an outbox row's payload (facts written by
``core.services``, ``core.reminders`` and ``core.digests``) into a neutral
``Reply`` for its reader, in the reader's language and zone, with the other
party's zone beside it when it differs. Wording comes from the catalogs
(:mod:`bots.locales`) and dates from :class:`bots.texts.Texts`, the one
formatter the conversation uses too. Guests read their own language
(``guest_locale``); hosts read English, as there is no host language setting
yet (``host_locale`` is honoured should a payload carry one). The daily digest
is for hosts only and stays English. Texts are plain; renderers escape.
A guest's email copy of a change they made themselves (``actor: guest``) is
worded as their own ("You moved …").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from bots.messages import Choice, Reply
from bots.texts import Texts, language

Payload = Mapping[str, Any]

#: Subject catalog ids by notice kind (the rest use ``subject_update``).
_SUBJECTS = {
    "booking_created": "subject_created",
    "booking_requested": "subject_requested",
    "booking_cancelled": "subject_cancelled",
    "booking_rescheduled": "subject_rescheduled",
    "booking_confirmed": "subject_confirmed",
    "booking_declined": "subject_declined",
    "booking_expired": "subject_expired",
    "reminder": "subject_reminder",
}


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
        return renderer(payload, texts_for(payload))
    if isinstance(payload.get("text"), str):
        return Reply(payload["text"])
    return Reply(texts_for(payload).text("notice_update", id=payload.get("booking_id"),
                                      what=kind.replace("_", " ")))


def subject(kind: str, payload: Payload) -> str:
    """A one-line summary of a booking notice for its reader (an email's subject).

    ``Confirmed: Intro call with Ana Lima, Tue 1 Dec 10:00`` — the start in the
    reader's zone and language.
    """
    texts = texts_for(payload)
    if kind not in _SUBJECTS or "start" not in payload:
        return texts.text("subject_update", id=payload.get("booking_id"))
    start = _instant(payload["start"])
    key = "subject_booked" if kind == "booking_created" and _own(payload) else _SUBJECTS[kind]
    return texts.text(key, title=payload["event_type"], host=payload.get("host_name"),
                   guest=_guest(payload, texts), **texts.moment(start, zones(payload)[0]))


def texts_for(payload: Payload) -> Texts:
    """The texts in the reader's language: the guest's locale, else English."""
    tag = payload.get("guest_locale") if payload.get("reader") == "guest" \
        else payload.get("host_locale")
    return Texts(language(tag if isinstance(tag, str) else None))


def zones(payload: Payload) -> tuple[str, str]:
    """(reader's zone, other party's zone); a guest without a zone reads the host's."""
    host_tz = str(payload.get("host_timezone") or "UTC")
    guest_tz = str(payload.get("guest_timezone") or host_tz)
    return (host_tz, guest_tz) if payload.get("reader") == "host" else (guest_tz, host_tz)


def when(payload: Payload, texts: Texts) -> str:
    """The booking's time span for its reader: ``Tue 1 Dec, 10:00–10:30 (Europe/Berlin)``…"""
    tz, other = zones(payload)
    return texts.span(_instant(payload["start"]), _instant(payload["end"]), tz, other)


def reminder_shortcuts(booking_id: object, texts: Texts | None = None) -> tuple[Choice, ...]:
    """The buttons under a reminder: payloads ``cancel:ID`` and ``move:ID``."""
    texts = texts or Texts()
    return (Choice(texts.button("cancel_it"), f"cancel:{booking_id}"),
            Choice(texts.button("reschedule"), f"move:{booking_id}"))


def in_words(minutes: int, texts: Texts | None = None) -> str:
    """``in 24 hours``, ``in 1 hour``, ``in 2 days``, ``in 30 minutes`` (in ``texts``' language).

    Args:
        minutes: lead time in minutes (> 0).
    """
    texts = texts or Texts()
    if minutes >= 2 * 1440 and minutes % 1440 == 0:
        return texts.text("in_days", count=minutes // 1440)
    if minutes % 60 == 0:
        hours = minutes // 60
        return texts.text("in_hour" if hours == 1 else "in_hours", count=hours)
    return texts.text("in_minute" if minutes == 1 else "in_minutes", count=minutes)


# --- booking notices ----------------------------------------------------------------------


def _own(p: Payload) -> bool:
    """Whether the reader made the change (a guest's email copy of their own change)."""
    return p.get("reader") == "guest" and p.get("actor") == "guest"


def _guest(p: Payload, texts: Texts) -> str:
    return str(p.get("guest_name") or texts.text("notice_a_guest"))


def _fields(p: Payload, texts: Texts) -> dict[str, object]:
    """The fields every notice template may use."""
    reason = p.get("reason")
    occurrences = p.get("occurrences") or []
    return {
        "id": p["booking_id"],
        "title": p["event_type"],
        "host": p.get("host_name"),
        "guest": _guest(p, texts),
        "when": when(p, texts),
        "reason": texts.text("notice_reason", reason=reason)
        if reason and reason != "rescheduled" else "",
        "more": texts.text("notice_more", count=len(occurrences) - 1)
        if len(occurrences) > 1 else "",
    }


def _simple(key: str) -> Callable[[Payload, Texts], Reply]:
    def render_one(p: Payload, texts: Texts) -> Reply:
        return Reply(texts.text(key, **_fields(p, texts)))

    return render_one


def _by_reader(host_key: str, guest_key: str, own_key: str) -> Callable[[Payload, Texts], Reply]:
    """A notice worded for the host (the guest did it) or the guest (the host did it).

    ``own_key`` words the guest's email copy of a change they made themselves.
    """
    def render_one(p: Payload, texts: Texts) -> Reply:
        key = own_key if _own(p) else host_key if p.get("reader") == "host" else guest_key
        return Reply(texts.text(key, **_fields(p, texts)))

    return render_one


def _rescheduled(p: Payload, texts: Texts) -> Reply:
    before = ""
    if p.get("previous_start"):
        before = texts.text("notice_moved_from",
                         **texts.moment(_instant(p["previous_start"]), zones(p)[0]))
    key = ("notice_moved_by_you" if _own(p) else
           "notice_moved_by_guest" if p.get("reader") == "host" else "notice_moved_by_host")
    return Reply(texts.text(key, before=before, **_fields(p, texts)))


def _reminder(p: Payload, texts: Texts) -> Reply:
    waiting = (texts.text("notice_awaiting", host=p["host_name"])
               if p.get("status") == "pending" else "")
    text = texts.text("notice_reminder", lead=in_words(int(p["minutes_before"]), texts),
                   **_fields(p, texts)) + waiting
    return Reply(text, reminder_shortcuts(p["booking_id"], texts))


# --- the daily digest ----------------------------------------------------------------------


def _digest(p: Payload, texts: Texts) -> Reply:
    """The host's daily summary (English: hosts have no language setting yet)."""
    tz = str(p["host_timezone"])
    today = date.fromisoformat(str(p["date"]))
    lines = [f"Your Slotbot digest for {today:%a} {today.day} {today:%b} ({tz})", ""]
    items: Sequence[Payload] = p.get("today") or []
    if items:
        lines.append(f"Today ({len(items)}):")
        lines += [f"• {_digest_item(i, tz, texts, with_day=False)}" for i in items]
    else:
        lines.append("Nothing booked today.")
    pending: Sequence[Payload] = p.get("pending") or []
    if pending:
        lines += ["", f"Awaiting your confirmation ({len(pending)}):"]
        lines += [f"• {_digest_item(i, tz, texts)}" for i in pending]
    made: Sequence[Payload] = p.get("made") or []
    cancelled: Sequence[Payload] = p.get("cancelled") or []
    lines += ["", f"Since the last digest: {_count(len(made), 'new booking')}, "
                  f"{_count(len(cancelled), 'cancellation')}."]
    lines += [f"• new: {_digest_item(i, tz, texts)}" for i in made]
    lines += [f"• cancelled: {_digest_item(i, tz, texts)}" for i in cancelled]
    week: Mapping[str, int] = p.get("week") or {}
    lines += ["", f"Last 7 days: {_count(week.get('bookings', 0), 'booking')}, "
                  f"{_count(week.get('cancellations', 0), 'cancellation')}, "
                  f"{_count(week.get('no_shows', 0), 'no-show')}."]
    return Reply("\n".join(lines))


def _digest_item(item: Payload, tz: str, texts: Texts, *, with_day: bool = True) -> str:
    start, end = _instant(item["start"]), _instant(item["end"])
    when = f"{texts.clock(start, tz)}–{texts.clock(end, tz)}"
    if with_day:
        when = f"{texts.day(start, tz)} {when}"
    status = " (pending)" if item.get("status") == "pending" else ""
    guest = item.get("guest_name") or "a guest"
    return f"{when} {item['event_type']} with {guest} #{item['booking_id']}{status}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _instant(value: object) -> datetime:
    return datetime.fromisoformat(str(value))


def _calendar_down(p: Payload, texts: Texts) -> Reply:
    return Reply(texts.text("notice_calendar_down", calendar=p.get("calendar"),
                            error=p.get("error")))


def _calendar_reconnect(p: Payload, texts: Texts) -> Reply:
    return Reply(texts.text("notice_calendar_reconnect", calendar=p.get("calendar"),
                            handle=p.get("host")))


def _calendar_changed(p: Payload, texts: Texts) -> Reply:
    """A booking's event was deleted or moved in the host's calendar: keep or cancel?"""
    fields = _fields(p, texts)
    if p.get("change") == "moved":
        tz, other = zones(p)
        moved = texts.span(_instant(p["moved_start"]), _instant(p["moved_end"]), tz, other)
        text = texts.text("notice_calendar_moved", moved=moved, **fields)
    else:
        text = texts.text("notice_calendar_deleted", **fields)
    booking_id = p["booking_id"]
    return Reply(text, (Choice(texts.text("calendar_keep"), f"calendar-keep:{booking_id}"),
                        Choice(texts.text("calendar_cancel"), f"calendar-cancel:{booking_id}")))


_RENDERERS: dict[str, Callable[[Payload, Texts], Reply]] = {
    "calendar_down": _calendar_down,
    "calendar_reconnect": _calendar_reconnect,
    "calendar_event_changed": _calendar_changed,
    "booking_created": _by_reader("notice_created", "notice_created", "notice_booked_by_you"),
    "booking_requested": _simple("notice_requested"),
    "booking_cancelled": _by_reader("notice_cancelled_by_guest", "notice_cancelled_by_host",
                                    "notice_cancelled_by_you"),
    "booking_rescheduled": _rescheduled,
    "booking_confirmed": _simple("notice_confirmed"),
    "booking_declined": _simple("notice_declined"),
    "booking_expired": _simple("notice_expired"),
    "reminder": _reminder,
    "digest": _digest,
}
