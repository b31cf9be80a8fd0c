"""Booking emails: subject, plain text and HTML from Jinja2 templates, plus the invitation.

The wording is the chat notice's (:mod:`bots.notices`, in the reader's
language and zone); the templates in ``mail/templates`` lay it out with the
booking's details. A kind uses ``<kind>.txt``/``<kind>.html`` when present and
the shared ``layout.txt``/``layout.html`` otherwise. HTML is autoescaped; the
plain text is not. A host's own templates and branding (:class:`HostMail`)
come first; when one of them fails at sending, the email goes out with the
defaults (and a warning is logged) rather than not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import Environment

from bots import notices
from bots.texts import Texts
from mail import ics
from mail.host_mail import HostMail, environment

_LOGGER = logging.getLogger(__name__)


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
    host: HostMail | None = None,
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
        host: the host's branding and templates (None: the defaults).

    Returns:
        Subject, text, HTML and, for kinds in :data:`mail.ics.METHODS`, the invitation.
    """
    texts = notices.texts_for(payload)
    host = host or HostMail()
    variables = context(kind, payload, texts, host)
    itip = ics.method(kind) if variables["details"] else None
    calendar = None
    if itip is not None:
        reader_is_host = payload.get("reader") == "host"
        organizer = recipient if reader_is_host else str(payload.get("host_email") or sender)
        attendee = payload.get("guest_email") if reader_is_host else recipient
        calendar = ics.invitation(
            kind, payload, stamp=stamp, organizer=organizer,
            attendee=str(attendee) if attendee else None, domain=sender.rpartition("@")[2],
            summary=f"{payload['event_type']}: {variables['host_name']} & "
                    f"{variables['guest_name']}")
    try:
        subject, text, html = _bodies(environment(host.templates), kind, variables,
                                      own_subject=f"{kind}.subject.txt" in host.templates)
    except Exception as exc:  # a host's template that fails now: the defaults, not a lost email
        if not host.templates:
            raise
        _LOGGER.warning("the email templates of host %s failed on %s (%s); sent with the "
                        "defaults", payload.get("host"), kind, type(exc).__name__)
        subject, text, html = _bodies(environment(), kind, variables, own_subject=False)
    return Email(subject, text, html, calendar, itip)


def _bodies(env: Environment, kind: str, variables: Mapping[str, Any], *, own_subject: bool
            ) -> tuple[str, str, str]:
    """(subject, text, html): the kind's own templates, else the layouts.

    The subject is the default one unless the host has ``<kind>.subject.txt``
    (``own_subject``); the bodies see the subject sent as ``subject``.
    """
    subject = str(variables["subject"])
    if own_subject:
        subject = " ".join(env.get_template(f"{kind}.subject.txt").render(variables).split())
        variables = {**variables, "subject": subject}
    text = env.select_template([f"{kind}.txt", "layout.txt"]).render(variables)
    html = env.select_template([f"{kind}.html", "layout.html"]).render(variables)
    return subject, text, html


def context(kind: str, payload: Mapping[str, Any], texts: Texts,
            host: HostMail | None = None) -> dict[str, Any]:
    """The variables of ``kind``'s templates (docs/email-templates.md, :data:`VARIABLES`).

    Args:
        kind: the notice kind; ``payload``: its facts; ``texts``: the reader's language.
        host: the host's branding (None: unbranded; ``brand_name`` is then the host's name).
    """
    host = host or HostMail()
    host_name = str(payload.get("host_name") or "Slotbot")
    guest_name = str(payload.get("guest_name") or texts.text("notice_a_guest"))
    booking = "start" in payload and "booking_id" in payload
    details: list[tuple[str, str]] = []
    if booking:
        details = [
            (texts.text("mail_what"), str(payload["event_type"])),
            (texts.text("mail_when"), notices.when(payload, texts)),
            (texts.text("mail_with"), host_name if payload.get("reader") == "guest"
             else guest_name),
            (texts.text("mail_booking"), f"#{payload['booking_id']}"),
        ]
    itip = ics.method(kind) if details else None
    brand_name = host.name or host_name
    variables: dict[str, Any] = {
        "lang": texts.lang,
        "reader": str(payload.get("reader") or "guest"),
        "subject": notices.subject(kind, payload),
        "notice": notices.render(kind, payload).text,
        "details": details,
        "booking_id": payload.get("booking_id"),
        "event_type": str(payload.get("event_type") or ""),
        "host_name": host_name,
        "guest_name": guest_name,
        "when": notices.when(payload, texts) if booking else "",
        "status": str(payload.get("status") or ""),
        "action_links": _action_links(payload, texts),
        "calendar_note": texts.text("mail_cancel" if itip == "CANCEL" else "mail_invite")
        if itip else None,
        "footer": texts.text("mail_footer", host=brand_name),
        "brand_name": brand_name,
        "brand_color": host.color,
        "brand_logo_url": host.logo_url,
    }
    if kind in ("booking_cancelled", "booking_declined", "booking_expired"):
        reason = payload.get("reason")
        variables["reason"] = str(reason) if reason and reason != "rescheduled" else ""
    elif kind == "booking_rescheduled":
        previous = payload.get("previous_start")
        variables["previous_when"] = _moment(str(previous), notices.zones(payload)[0], texts) \
            if previous else ""
    elif kind == "reminder":
        variables["lead"] = notices.in_words(int(payload.get("minutes_before", 60)), texts)
        variables["change_hint"] = texts.text("mail_reminder_hint")
    return variables


def _moment(instant: str, tz: str, texts: Texts) -> str:
    """``Tue 1 Dec 10:00``: an ISO instant in ``tz``, in ``texts``' language."""
    moment = datetime.fromisoformat(instant)
    return f"{texts.day(moment, tz)} {texts.clock(moment, tz)}"


def _action_links(payload: Mapping[str, Any], texts: Texts) -> list[tuple[str, str]]:
    """``payload["links"]`` (``{"cancel": url, "move": url}``, added at sending) as lines."""
    links = payload.get("links") if payload.get("reader") == "guest" else None
    if not isinstance(links, Mapping):
        return []
    return [(texts.text(f"mail_link_{action}", url=links[action]), str(links[action]))
            for action in ("move", "cancel") if isinstance(links.get(action), str)]
