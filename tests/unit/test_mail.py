"""Booking emails: golden renderings (text, HTML, ICS), invitations across a chain, SMTP URLs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from bots.delivery import facts
from config.settings import SettingsError, load_settings
from core import services
from core.services import Actor
from mail import SmtpConfig, parse_smtp_url, render_email
from tests.golden import assert_golden

STAMP = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
SENDER = "bookings@slotbot.example"
BASE = {"booking_id": 12, "host": "ana", "host_name": "Ana Lima",
        "host_timezone": "Europe/Berlin", "event_type": "Intro call", "guest_name": "Erin",
        "guest_timezone": "America/New_York", "start": "2026-12-01T15:00:00+00:00",
        "end": "2026-12-01T15:30:00+00:00", "status": "confirmed", "reason": None,
        "host_email": "ana@example.com", "guest_email": "erin@example.com",
        "chain_id": 12, "chain_index": 0}
TO_HOST = {"reader": "host"}
TO_GUEST = {"reader": "guest"}
BY_GUEST = {"reader": "guest", "actor": "guest"}  # the guest's email copy of their own change
CASES = {
    "created_to_host": ("booking_created", "ana@example.com", TO_HOST),
    "requested_to_host": ("booking_requested", "ana@example.com",
                          {**TO_HOST, "status": "pending"}),
    "cancelled_to_host": ("booking_cancelled", "ana@example.com",
                          {**TO_HOST, "status": "cancelled", "reason": "ill"}),
    "cancelled_to_guest": ("booking_cancelled", "erin@example.com",
                           {**TO_GUEST, "status": "cancelled", "chain_id": 10,
                            "chain_index": 1}),
    "rescheduled_to_guest": ("booking_rescheduled", "erin@example.com",
                             {**TO_GUEST, "previous_start": "2026-11-30T15:00:00+00:00",
                              "chain_id": 10, "chain_index": 1}),
    "confirmed_to_guest_de": ("booking_confirmed", "erin@example.com",
                              {**TO_GUEST, "guest_locale": "de-DE"}),
    "declined_to_guest": ("booking_declined", "erin@example.com",
                          {**TO_GUEST, "status": "declined", "reason": "away"}),
    "expired_to_guest_fr": ("booking_expired", "erin@example.com",
                            {**TO_GUEST, "status": "declined", "guest_locale": "fr",
                             "reason": "not confirmed in time"}),
    "booked_by_guest": ("booking_created", "erin@example.com", BY_GUEST),
    "rescheduled_by_guest_de": ("booking_rescheduled", "erin@example.com",
                                {**BY_GUEST, "guest_locale": "de",
                                 "previous_start": "2026-11-30T15:00:00+00:00",
                                 "chain_id": 10, "chain_index": 1}),
    "cancelled_by_guest_es": ("booking_cancelled", "erin@example.com",
                              {**BY_GUEST, "guest_locale": "es", "status": "cancelled",
                               "reason": "viaje", "chain_id": 10, "chain_index": 1}),
    "reminder_to_guest_es": ("reminder", "erin@example.com",
                             {**TO_GUEST, "guest_locale": "es", "minutes_before": 1440}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_email_matches_its_golden_files(name: str) -> None:
    kind, recipient, extra = CASES[name]
    email = render_email(kind, {**BASE, **extra}, recipient=recipient, stamp=STAMP,
                         sender=SENDER)
    assert_golden(f"mail/{name}.txt", f"Subject: {email.subject}\n\n{email.text}")
    assert_golden(f"mail/{name}.html", email.html)
    if kind in ("booking_requested", "reminder"):
        assert email.calendar is None and email.method is None
    else:
        assert email.calendar is not None
        assert_golden(f"mail/{name}.ics", email.calendar)


@pytest.mark.parametrize(("kind", "method", "sequence", "status"), [
    ("booking_created", "REQUEST", 3, "CONFIRMED"),
    ("booking_rescheduled", "REQUEST", 3, "CONFIRMED"),
    ("booking_confirmed", "REQUEST", 4, "CONFIRMED"),
    ("booking_cancelled", "CANCEL", 5, "CANCELLED"),
    ("booking_declined", "CANCEL", 5, "CANCELLED"),
    ("booking_expired", "CANCEL", 5, "CANCELLED"),
])
def test_invitation_method_and_sequence_follow_the_change(kind, method, sequence, status):
    payload = {**BASE, **TO_GUEST, "chain_id": 10, "chain_index": 1}
    email = render_email(kind, payload, recipient="erin@example.com", stamp=STAMP,
                         sender=SENDER)
    calendar = Calendar.from_ical(email.calendar)
    [event] = calendar.walk("VEVENT")
    assert (email.method, str(calendar["METHOD"])) == (method, method)
    assert (event["SEQUENCE"], str(event["STATUS"])) == (sequence, status)
    assert str(event["UID"]) == "slotbot-booking-10@slotbot.example"
    assert event.decoded("DTSTART") == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
    assert str(event["ORGANIZER"]) == "mailto:ana@example.com"
    assert str(event["ATTENDEE"]) == "mailto:erin@example.com"


def test_html_escapes_what_guests_typed_and_the_text_part_keeps_it() -> None:
    payload = {**BASE, **TO_HOST, "guest_name": "<b>Erin</b> & Co"}
    email = render_email("booking_created", payload, recipient="ana@example.com", stamp=STAMP,
                         sender=SENDER)
    assert "&lt;b&gt;Erin&lt;/b&gt; &amp; Co" in email.html and "<b>Erin" not in email.html
    assert "with <b>Erin</b> & Co," in email.text


def test_host_without_address_is_organized_by_the_sender() -> None:
    payload = {**BASE, **TO_GUEST, "host_email": None}
    email = render_email("booking_confirmed", payload, recipient="erin@example.com",
                         stamp=STAMP, sender=SENDER)
    [event] = Calendar.from_ical(email.calendar).walk("VEVENT")
    assert str(event["ORGANIZER"]) == f"mailto:{SENDER}"


def test_a_rescheduled_booking_updates_the_guests_event_until_it_is_cancelled(uow, clock):
    """Guest books, host moves it twice, then cancels it: one UID, rising SEQUENCE."""
    guest = services.ensure_guest("telegram", "7", uow=uow, name="Erin", chat_id="7",
                                  email="erin@example.com", timezone="America/New_York")
    ana = services.get_host("ana", uow=uow)
    host = Actor("host", ana.id or 0)
    first = services.book("ana", "intro", datetime(2026, 12, 1, 9, tzinfo=UTC),
                          guest_id=guest.id or 0, uow=uow, clock=clock)
    second = services.reschedule(first.booking.id or 0, datetime(2026, 12, 2, 9, tzinfo=UTC),
                                 actor=host, uow=uow, clock=clock)
    third = services.reschedule(second.booking.id or 0, datetime(2026, 12, 3, 9, tzinfo=UTC),
                                actor=host, uow=uow, clock=clock)
    services.cancel(third.booking.id or 0, actor=host, uow=uow, clock=clock)

    to_guest = [m for m in uow.outbox.items if m.recipient == "erin@example.com"]
    events = []
    for message in to_guest:
        email = render_email(message.kind, facts(message, lambda: uow),
                             recipient=message.recipient, stamp=message.created_at,
                             sender=SENDER)
        [event] = Calendar.from_ical(email.calendar).walk("VEVENT")
        events.append((email.method, str(event["UID"]), event["SEQUENCE"],
                       event.decoded("DTSTART")))
    uid = f"slotbot-booking-{first.booking.id}@slotbot.example"
    assert events == [
        ("REQUEST", uid, 0, datetime(2026, 12, 1, 9, tzinfo=UTC)),
        ("REQUEST", uid, 3, datetime(2026, 12, 2, 9, tzinfo=UTC)),
        ("REQUEST", uid, 6, datetime(2026, 12, 3, 9, tzinfo=UTC)),
        ("CANCEL", uid, 8, datetime(2026, 12, 3, 9, tzinfo=UTC)),
    ]


def test_facts_fill_in_what_a_row_lacks_and_keep_what_it_has(uow, clock):
    guest = services.ensure_guest("telegram", "8", uow=uow, name="Jonas", chat_id="8",
                                  email="jonas@example.com", locale="de-DE")
    view = services.book("ana", "intro", datetime(2026, 12, 1, 9, tzinfo=UTC),
                         guest_id=guest.id or 0, uow=uow, clock=clock)
    services.cancel(view.booking.id or 0, actor=Actor("host", view.host.id or 0), uow=uow,
                    clock=clock)
    chat, email = [m for m in uow.outbox.items
                   if m.payload["reader"] == "guest" and m.kind == "booking_cancelled"]
    assert facts(chat, lambda: uow)["guest_locale"] == "de-DE"
    assert "guest_email" not in facts(chat, lambda: uow)
    found = facts(email, lambda: uow)
    assert (found["host_email"], found["guest_email"], found["chain_id"],
            found["chain_index"]) == ("ana@example.com", "jonas@example.com",
                                      view.booking.id, 0)
    email.payload["guest_locale"] = "pt"
    assert facts(email, lambda: uow)["guest_locale"] == "pt"


@pytest.mark.parametrize(("url", "config"), [
    ("smtp://mail.example.com", SmtpConfig("mail.example.com", 25)),
    ("smtp://u%40x:p%3Aw@mail.example.com:2525?starttls=true",
     SmtpConfig("mail.example.com", 2525, "starttls", "u@x", "p:w")),
    ("smtp://mail.example.com?starttls=true", SmtpConfig("mail.example.com", 587, "starttls")),
    ("smtps://me:secret@mail.example.com", SmtpConfig("mail.example.com", 465, "tls", "me",
                                                      "secret")),
])
def test_smtp_url_forms(url: str, config: SmtpConfig) -> None:
    assert parse_smtp_url(url) == config


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "mail.example.com"])
def test_smtp_url_without_scheme_or_host_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="smtp://"):
        parse_smtp_url(url)


def test_smtp_url_needs_a_from_address(monkeypatch) -> None:
    monkeypatch.setenv("SMTP_URL", "smtp://127.0.0.1:2525")
    monkeypatch.delenv("SLOTBOT_MAIL_FROM", raising=False)
    with pytest.raises(SettingsError, match=r"SLOTBOT_MAIL_FROM: .*must be set when SMTP_URL"):
        load_settings()
    monkeypatch.setenv("SLOTBOT_MAIL_FROM", "Slotbot <bookings@slotbot.example>")
    assert load_settings().mail_from == "Slotbot <bookings@slotbot.example>"
