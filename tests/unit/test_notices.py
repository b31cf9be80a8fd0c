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
