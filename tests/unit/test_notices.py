"""Golden texts of the outbox notices, in the reader's zone."""

from __future__ import annotations

import pytest

from bots import notices

BASE = {"booking_id": 12, "host": "ana", "host_name": "Ana Lima",
        "host_timezone": "Europe/Berlin", "event_type": "Intro call", "guest_name": "Erin",
        "guest_timezone": "America/New_York", "start": "2026-12-01T15:00:00+00:00",
        "end": "2026-12-01T15:30:00+00:00", "status": "confirmed", "reason": None}
HOST_WHEN = "Tue 1 Dec, 16:00–16:30 (Europe/Berlin) = Tue 1 Dec, 10:00–10:30 (America/New_York)"
GUEST_WHEN = "Tue 1 Dec, 10:00–10:30 (America/New_York) = Tue 1 Dec, 16:00–16:30 (Europe/Berlin)"


@pytest.mark.parametrize(("kind", "extra", "text"), [
    ("booking_created", {"reader": "host"}, f"New booking #12: Intro call with Erin, {HOST_WHEN}."),
    ("booking_requested", {"reader": "host"},
     f"Booking request #12: Intro call with Erin, {HOST_WHEN}. It waits for your confirmation."),
    ("booking_cancelled", {"reader": "host", "reason": "ill"},
     f"Erin cancelled #12: Intro call, {HOST_WHEN}. Reason: ill."),
    ("booking_cancelled", {"reader": "guest"},
     f"Ana Lima cancelled your Intro call #12, {GUEST_WHEN}."),
    ("booking_rescheduled", {"reader": "host", "previous_start": "2026-11-30T15:00:00+00:00"},
     f"Erin moved #12 Intro call from Mon 30 Nov 16:00 to {HOST_WHEN}."),
    ("booking_confirmed", {"reader": "guest"},
     f"Ana Lima confirmed your Intro call #12, {GUEST_WHEN}."),
    ("booking_declined", {"reader": "guest", "reason": "away"},
     f"Ana Lima declined your request #12 (Intro call, {GUEST_WHEN}). Reason: away."),
    ("booking_expired", {"reader": "guest"},
     f"Your request #12 (Intro call with Ana Lima, {GUEST_WHEN}) was not confirmed in time, "
     "so the time is free again. Tell me if you'd like another time."),
    ("booking_created", {"reader": "host", "occurrences": ["a", "b", "c"]},
     f"New booking #12: Intro call with Erin, {HOST_WHEN} (and 2 more occurrences)."),
    ("something_new", {"reader": "host"}, "Update on booking #12: something new."),
])
def test_notice_text_for_its_reader(kind: str, extra: dict, text: str) -> None:
    assert notices.render(kind, {**BASE, **extra}).text == text


def test_guest_without_zone_reads_the_hosts_zone_only() -> None:
    payload = {**BASE, "guest_timezone": None, "reader": "guest"}
    assert notices.render("booking_confirmed", payload).text == (
        "Ana Lima confirmed your Intro call #12, Tue 1 Dec, 16:00–16:30 (Europe/Berlin).")


@pytest.mark.parametrize(("minutes", "words"), [
    (1440, "in 24 hours"), (60, "in 1 hour"), (30, "in 30 minutes"), (2880, "in 2 days"),
    (90, "in 90 minutes")])
def test_reminder_lead_time_in_words(minutes: int, words: str) -> None:
    assert notices.in_words(minutes) == words


@pytest.mark.parametrize(("locale", "text"), [
    ("de-DE", "Ana Lima hat deinen Termin Intro call #12 abgesagt, Di. 1 Dez., 10:00–10:30 "
              "(America/New_York) = Di. 1 Dez., 16:00–16:30 (Europe/Berlin). Grund: ill."),
    ("pt_BR", "Ana Lima cancelou a sua Intro call #12, ter. 1 dez., 10:00–10:30 "
              "(America/New_York) = ter. 1 dez., 16:00–16:30 (Europe/Berlin). Motivo: ill."),
    ("ja", "Ana Lima cancelled your Intro call #12, Tue 1 Dec, 10:00–10:30 (America/New_York) "
           "= Tue 1 Dec, 16:00–16:30 (Europe/Berlin). Reason: ill."),
])
def test_guest_reads_notices_in_their_language(locale: str, text: str) -> None:
    payload = {**BASE, "reader": "guest", "reason": "ill", "guest_locale": locale}
    assert notices.render("booking_cancelled", payload).text == text


def test_host_reads_english_whatever_the_guests_language() -> None:
    payload = {**BASE, "reader": "host", "guest_locale": "de"}
    assert notices.render("booking_created", payload).text == \
        f"New booking #12: Intro call with Erin, {HOST_WHEN}."


def test_german_reminder_has_german_lead_time_and_buttons() -> None:
    payload = {**BASE, "reader": "guest", "guest_locale": "de", "minutes_before": 60,
               "status": "pending"}
    reply = notices.render("reminder", payload)
    assert reply.text == (
        "Erinnerung: Intro call mit Ana Lima in 1 Stunde, Di. 1 Dez., 10:00–10:30 "
        "(America/New_York) = Di. 1 Dez., 16:00–16:30 (Europe/Berlin) (#12). "
        "Die Bestätigung von Ana Lima steht noch aus.")
    assert [(c.label, c.payload) for c in reply.choices] == [
        ("Absagen", "cancel:12"), ("Verschieben", "move:12")]


def test_subject_is_one_line_in_the_readers_zone_and_language() -> None:
    assert notices.subject("booking_confirmed", {**BASE, "reader": "guest",
                                                 "guest_locale": "fr"}) == \
        "Confirmé : Intro call avec Ana Lima, mar. 1 déc. 10:00"
    assert notices.subject("something_new", {**BASE, "reader": "host"}) == \
        "Update on booking #12"


@pytest.mark.parametrize(("locale", "booked", "moved", "cancelled"), [
    ("en", "Your booking is confirmed: #12", "You moved your Intro call",
     "You cancelled your Intro call"),
    ("de", "Deine Buchung ist bestätigt: #12",
     "Du hast deinen Termin Intro call mit Ana Lima (jetzt #12) auf",
     "Du hast deinen Termin Intro call mit Ana Lima #12 abgesagt"),
    ("fr", "Votre réservation est confirmée : #12", "Vous avez déplacé votre Intro call",
     "Vous avez annulé votre Intro call"),
    ("es", "Tu reserva está confirmada: #12", "Moviste tu Intro call",
     "Cancelaste tu Intro call"),
    ("pt", "A sua reserva está confirmada: #12", "Mudou a sua Intro call",
     "Cancelou a sua Intro call"),
])
def test_guests_own_changes_are_worded_as_theirs(locale, booked, moved, cancelled) -> None:
    payload = {**BASE, "reader": "guest", "actor": "guest", "guest_locale": locale}
    assert notices.render("booking_created", payload).text.startswith(booked)
    assert notices.render("booking_rescheduled", payload).text.startswith(moved)
    assert notices.render("booking_cancelled", payload).text.startswith(cancelled)
    # The host's notice of the same change keeps its wording.
    assert notices.render("booking_cancelled", {**payload, "reader": "host"}).text == \
        f"Erin cancelled #12: Intro call, {HOST_WHEN}."


def test_subject_of_a_guests_own_booking_names_the_host() -> None:
    payload = {**BASE, "reader": "guest", "actor": "guest"}
    assert notices.subject("booking_created", payload) == \
        "Booked: Intro call with Ana Lima, Tue 1 Dec 10:00"
