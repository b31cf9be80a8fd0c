"""Every notification text sent from the outbox: booking notices, reminders, digests.

``render(kind, payload)`` turns an outbox row's payload (facts written by
``core.services``, ``core.reminders`` and ``core.digests``) into a neutral
``Reply`` for its reader, in the reader's language and zone, with the other
party's zone beside it when it differs. Wording comes from the catalogs
(:mod:`bots.locales`) and dates from :class:`bots.texts.Texts`, the one
formatter the conversation uses too. Guests read their own language
(``guest_locale``); hosts read theirs (``host_locale``, from ``Host.locale``),
with clock times in the host's locale (:class:`bots.host_texts.HostTexts`);
the daily digest is for hosts. Chat notices carry buttons (:func:`buttons`).
Texts are plain; renderers escape.
A guest's email copy of a change they made themselves (``actor: guest``) is
worded as their own ("You moved …").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from babel.dates import format_date

from bots.host_texts import HostTexts
from bots.messages import Attachment, Choice, Reply
from bots.texts import Texts, language

Payload = Mapping[str, Any]
#: Pending requests the digest offers Confirm/Decline buttons for.
DIGEST_BUTTONS = 5
#: The code of the cancel button under "your calendar changed" and the reason it records.
CALENDAR_REASON_CODE = "calendar"
CALENDAR_REASON = "removed from the host's calendar"

#: Subject catalog ids by notice kind (the rest use ``subject_update``).
_SUBJECTS = {
    "booking_created": "subject_created",
    "booking_requested": "subject_requested",
    "booking_cancelled": "subject_cancelled",
    "booking_rescheduled": "subject_rescheduled",
    "booking_confirmed": "subject_confirmed",
    "booking_declined": "subject_declined",
    "booking_expired": "subject_expired",
    "booking_paid": "subject_confirmed",
    "reminder": "subject_reminder",
}


def render(kind: str, payload: Payload) -> Reply:
    """The message of one outbox row for its reader.

    Args:
        kind: the row's kind (``booking_created``, ``reminder``, ``digest``, …).
        payload: the row's payload; ``reader`` is ``host`` or ``guest``.

    Returns:
        The reply, with the :func:`buttons` of its kind (a guest's cancel / move
        buttons become :func:`link_buttons` when the payload carries ``links``,
        added at sending); unknown kinds get a short generic notice (or
        ``payload["text"]``).
    """
    renderer = _RENDERERS.get(kind)
    if renderer is not None:
        texts = texts_for(payload)
        reply = renderer(payload, texts)
        reply = reply if reply.choices else replace(reply, choices=buttons(kind, payload, texts))
        links = payload.get("links") if payload.get("reader") == "guest" else None
        if isinstance(links, Mapping) and links:
            kept = tuple(c for c in reply.choices if not c.payload.startswith(("cancel:", "move:")))
            reply = replace(reply, choices=kept + link_buttons(links, texts))
        return reply
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
    """The texts in the reader's language: the guest's or the host's locale, else English.

    A host reads :class:`bots.host_texts.HostTexts` (clock times in the host's locale).
    """
    if payload.get("reader") == "guest":
        tag = payload.get("guest_locale")
        return Texts(language(tag if isinstance(tag, str) else None))
    tag = payload.get("host_locale")
    return HostTexts(tag if isinstance(tag, str) else None)


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


def link_buttons(links: Mapping[str, object], texts: Texts) -> tuple[Choice, ...]:
    """Link buttons opening signed links: ``{"cancel": url, "move": url}`` (either may lack).

    The payloads (``cancel:`` / ``move:``) are only the fallback of a platform
    without link buttons; the signed link carries the booking.
    """
    labels = {"cancel": texts.button("cancel_it"), "move": texts.button("reschedule")}
    return tuple(Choice(label, f"{name}:", url=str(links[name]))
                 for name, label in labels.items() if isinstance(links.get(name), str))


def in_words(minutes: int, texts: Texts | None = None) -> str:
    """``in 24 hours``, ``in 1 hour``, ``in 2 days``, ``in 30 minutes`` (in ``texts``' language).

    Args:
        minutes: lead time in minutes (> 0).
    """
    texts = texts or Texts()
    if minutes >= 2 * 1440 and minutes % 1440 == 0:
        return texts.plural("in_days", minutes // 1440)
    if minutes % 60 == 0:
        return texts.plural("in_hours", minutes // 60)
    return texts.plural("in_minutes", minutes)


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
        "more": texts.plural("host_more", len(occurrences) - 1)
        if len(occurrences) > 1 else "",
    }


def _simple(key: str) -> Callable[[Payload, Texts], Reply]:
    def render_one(p: Payload, texts: Texts) -> Reply:
        return Reply(texts.text(key, **_fields(p, texts)))

    return render_one


def buttons(kind: str, p: Payload, texts: Texts) -> tuple[Choice, ...]:
    """Buttons under a chat notice: the host decides a request or cancels a booking; a guest
    whose booking the host moved accepts the new time or picks another.

    Payloads: ``h:confirm:ID``, ``h:decline:ID``, ``h:cancel:ID`` (host only, checked when
    pressed: :mod:`bots.host_commands`), ``ack:ID`` and ``move:ID`` (the guest's dialog).
    """
    booking_id, status = p.get("booking_id"), p.get("status")
    host_kinds = ("booking_requested", "booking_created", "booking_rescheduled")
    if p.get("reader") == "host" and kind in host_kinds and status == "pending":
        return (Choice(texts.text("host_button_confirm"), f"h:confirm:{booking_id}"),
                Choice(texts.text("host_button_decline"), f"h:decline:{booking_id}"))
    if p.get("reader") == "host" and kind in host_kinds and status == "confirmed":
        return (Choice(texts.text("host_button_cancel"), f"h:cancel:{booking_id}"),)
    if (p.get("reader") == "guest" and kind == "booking_rescheduled" and not _own(p)
            and status in ("confirmed", "pending")):
        return (Choice(texts.text("moved_accept"), f"ack:{booking_id}"),
                Choice(texts.text("moved_other_time"), f"move:{booking_id}"))
    return ()


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
    """The host's daily summary, in the host's language (``host_locale``), with Confirm and
    Decline buttons for the first :data:`DIGEST_BUTTONS` pending requests."""
    t = texts
    tz = str(p["host_timezone"])
    today = date.fromisoformat(str(p["date"]))
    day = format_date(today, "EEE d MMM", locale=t.lang)
    lines = [t.text("host_digest_title", day=day, tz=tz), ""]
    items: Sequence[Payload] = p.get("today") or []
    if items:
        lines.append(t.text("host_digest_today", count=len(items)))
        lines += [f"• {_digest_item(i, tz, t, with_day=False)}" for i in items]
    else:
        lines.append(t.text("host_digest_nothing"))
    pending: Sequence[Payload] = p.get("pending") or []
    if pending:
        lines += ["", t.text("host_digest_pending", count=len(pending))]
        lines += [f"• {_digest_item(i, tz, t)}" for i in pending]
    made: Sequence[Payload] = p.get("made") or []
    cancelled: Sequence[Payload] = p.get("cancelled") or []
    lines += ["", t.text("host_digest_since", made=t.plural("host_n_new_bookings", len(made)),
                         cancelled=t.plural("host_n_cancellations", len(cancelled)))]
    lines += [t.text("host_digest_new", item=_digest_item(i, tz, t)) for i in made]
    lines += [t.text("host_digest_cancelled", item=_digest_item(i, tz, t)) for i in cancelled]
    week: Mapping[str, int] = p.get("week") or {}
    lines += ["", t.text("host_digest_week",
                         bookings=t.plural("host_n_bookings", week.get("bookings", 0)),
                         cancellations=t.plural("host_n_cancellations",
                                                week.get("cancellations", 0)),
                         no_shows=t.plural("host_n_no_shows", week.get("no_shows", 0)))]
    money: Sequence[Payload] = p.get("revenue") or []
    if money:
        lines.append(t.text(
            "host_digest_revenue",
            net=" + ".join(t.money(int(m["paid"]) - int(m["refunded"]), str(m["currency"]))
                           for m in money),
            payments=t.plural("host_n_payments", sum(int(m["payments"]) for m in money)),
            refunded=" + ".join(t.money(int(m["refunded"]), str(m["currency"]))
                                for m in money)))
    choices = tuple(choice for item in pending[:DIGEST_BUTTONS] for choice in (
        Choice(t.text("host_button_confirm_id", id=item["booking_id"]),
               f"h:confirm:{item['booking_id']}"),
        Choice(t.text("host_button_decline_id", id=item["booking_id"]),
               f"h:decline:{item['booking_id']}")))
    return Reply("\n".join(lines), choices, attachment=_week_chart(p, t))


def _week_chart(p: Payload, texts: Texts) -> Attachment | None:
    """Monday's chart of the week before (payload ``week_chart``), drawn when it is sent."""
    rows = p.get("week_chart")
    if not rows:
        return None
    from bots import charts  # matplotlib only where a chart is drawn

    host_texts = texts if isinstance(texts, HostTexts) else HostTexts()
    chart = charts.week_series(rows, host_texts)
    return Attachment(chart.title, lambda: str(charts.render_png(chart)))


def _digest_item(item: Payload, tz: str, texts: Texts, *, with_day: bool = True) -> str:
    start, end = _instant(item["start"]), _instant(item["end"])
    status = item.get("status")
    text = texts.text("host_line", start=texts.clock(start, tz), end=texts.clock(end, tz),
                      title=item["event_type"],
                      guest=item.get("guest_name") or texts.text("host_a_guest"),
                      id=item["booking_id"],
                      status=texts.text("host_status", status=texts.text("host_status_pending"))
                      if status == "pending" else "")
    return f"{texts.day(start, tz)} {text}" if with_day else text


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
    return Reply(text, (Choice(texts.text("calendar_keep"), f"h:keep:{booking_id}"),
                        Choice(texts.text("calendar_cancel"),
                               f"h:cancel!:{booking_id}:{CALENDAR_REASON_CODE}")))


# --- payments -----------------------------------------------------------------------------


def _amount(p: Payload, texts: Texts, key: str = "amount") -> str:
    return texts.money(int(p[key]), str(p["currency"]))


def _with_money(render_one: Callable[[Payload, Texts], Reply]) -> Callable[[Payload, Texts], Reply]:
    """A booking notice, plus what was paid (``amount``) or refunded (``refunded``)."""
    def with_money(p: Payload, texts: Texts) -> Reply:
        reply = render_one(p, texts)
        for key, suffix in (("amount", "host_paid_suffix"), ("refunded", "host_refunded_suffix")):
            if p.get(key) and p.get("currency"):
                reply = replace(reply, text=reply.text + texts.text(
                    suffix, amount=_amount(p, texts, key)))
        return reply

    return with_money


def _paid(p: Payload, texts: Texts) -> Reply:
    key = "notice_paid_pending" if p.get("status") == "pending" else "notice_paid"
    return Reply(texts.text(key, amount=_amount(p, texts), **_fields(p, texts)))


def _refunded(p: Payload, texts: Texts) -> Reply:
    fields = {**_fields(p, texts), "amount": _amount(p, texts)}
    text = texts.text(f"notice_refund_{p.get('refund_reason') or 'host'}", **fields)
    if p.get("manual"):
        text += texts.text("notice_refund_manual", **fields)
    return Reply(text)


def _host_refund(key: str) -> Callable[[Payload, Texts], Reply]:
    def render_one(p: Payload, texts: Texts) -> Reply:
        return Reply(texts.text(key, amount=_amount(p, texts), error=p.get("error") or "",
                                **_fields(p, texts)))

    return render_one


_RENDERERS: dict[str, Callable[[Payload, Texts], Reply]] = {
    "booking_paid": _paid,
    "payment_expired": _simple("notice_payment_expired"),
    "payment_refunded": _refunded,
    "refund_manual": _host_refund("notice_host_refund_manual"),
    "refund_failed": _host_refund("notice_host_refund_failed"),
    "calendar_down": _calendar_down,
    "calendar_reconnect": _calendar_reconnect,
    "calendar_event_changed": _calendar_changed,
    "booking_created": _with_money(_by_reader("notice_created", "notice_created",
                                              "notice_booked_by_you")),
    "booking_requested": _with_money(_simple("notice_requested")),
    "booking_cancelled": _with_money(_by_reader("notice_cancelled_by_guest",
                                                "notice_cancelled_by_host",
                                                "notice_cancelled_by_you")),
    "booking_rescheduled": _rescheduled,
    "booking_confirmed": _simple("notice_confirmed"),
    "booking_declined": _simple("notice_declined"),
    "booking_expired": _simple("notice_expired"),
    "reminder": _reminder,
    "digest": _digest,
}
