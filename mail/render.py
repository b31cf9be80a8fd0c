"""Booking emails: subject, plain text and HTML from Jinja2 templates, plus the invitation.

The wording is the chat notice's (:mod:`bots.notices`, in the reader's
language and zone); the templates in ``mail/templates`` lay it out with the
booking's details. A kind uses ``<kind>.txt``/``<kind>.html`` when present and
the shared ``layout.txt``/``layout.html`` otherwise. HTML is autoescaped; the
plain text is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from bots import notices
from bots.texts import Texts
from mail import ics

_ENV = Environment(
    loader=PackageLoader("mail", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Email:
    """A rendered email. ``calendar`` is iCalendar bytes with its ``method``, or None."""

    subject: str
    text: str
    html: str
    calendar: bytes | None = None
    method: str | None = None


def render_email(
    kind: str,
    payload: Mapping[str, Any],
    *,
    recipient: str,
    stamp: datetime,
    sender: str,
) -> Email:
    """The email of one outbox row for its reader.

    Args:
        kind: the notice kind (``booking_confirmed``, ``reminder``, …).
        payload: the notice payload; besides the fields of :mod:`bots.notices`
            it may carry ``host_email``, ``guest_email``, ``chain_id`` and
            ``chain_index`` (the invitation's organizer, attendee, UID and
            sequence) and, for a guest, ``links`` (signed move/cancel URLs).
        recipient: the address the email goes to (the reader's).
        stamp: aware instant of the change (the row's ``created_at``).
        sender: the From address (bare ``addr@domain``); the organizer when the
            host has no address, and the UID's domain.

    Returns:
        Subject, text, HTML and, for kinds in :data:`mail.ics.METHODS`, the invitation.
    """
    texts = notices.texts_for(payload)
    notice = notices.render(kind, payload).text
    subject = notices.subject(kind, payload)
    host = str(payload.get("host_name") or "Slotbot")
    details: list[tuple[str, str]] = []
    if "start" in payload and "booking_id" in payload:
        other = host if payload.get("reader") == "guest" else \
            str(payload.get("guest_name") or texts.text("notice_a_guest"))
        details = [
            (texts.text("mail_what"), str(payload["event_type"])),
            (texts.text("mail_when"), notices.when(payload, texts)),
            (texts.text("mail_with"), other),
            (texts.text("mail_booking"), f"#{payload['booking_id']}"),
        ]
    itip = ics.method(kind) if details else None
    calendar = None
    if itip is not None:
        reader_is_host = payload.get("reader") == "host"
        organizer = recipient if reader_is_host else str(payload.get("host_email") or sender)
        attendee = payload.get("guest_email") if reader_is_host else recipient
        calendar = ics.invitation(
            kind, payload, stamp=stamp, organizer=organizer,
            attendee=str(attendee) if attendee else None, domain=sender.rpartition("@")[2],
            summary=f"{payload['event_type']}: {host} & "
                    f"{payload.get('guest_name') or texts.text('notice_a_guest')}")
    context = {
        "lang": texts.lang,
        "subject": subject,
        "notice": notice,
        "details": details,
        "calendar_note": texts.text("mail_cancel" if itip == "CANCEL" else "mail_invite")
        if itip else None,
        "change_hint": texts.text("mail_reminder_hint"),
        "action_links": _action_links(payload, texts),
        "footer": texts.text("mail_footer", host=host),
    }
    text = _ENV.select_template([f"{kind}.txt", "layout.txt"]).render(context)
    html = _ENV.select_template([f"{kind}.html", "layout.html"]).render(context)
    return Email(subject, text, html, calendar, itip)


def _action_links(payload: Mapping[str, Any], texts: Texts) -> list[tuple[str, str]]:
    """``payload["links"]`` (``{"cancel": url, "move": url}``, added at sending) as lines."""
    links = payload.get("links") if payload.get("reader") == "guest" else None
    if not isinstance(links, Mapping):
        return []
    return [(texts.text(f"mail_link_{action}", url=links[action]), str(links[action]))
            for action in ("move", "cancel") if isinstance(links.get(action), str)]
