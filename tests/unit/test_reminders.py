"""Reminders by email and in the guest's language (the chat reminders: test_jobs.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bots import notices
from core import jobs
from core.services import book, ensure_guest

TUESDAY_10 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Berlin


def _reminders(uow):
    return sorted(((m.channel, m.recipient, m.payload["minutes_before"])
                   for m in uow.outbox.items if m.kind == "reminder"), key=str)


def _book(uow, clock, guest):
    return book("ana", "intro", TUESDAY_10, guest_id=guest.id, uow=uow, clock=clock)


def test_guest_with_an_email_gets_each_reminder_by_chat_and_email_once(uow, clock):
    guest = ensure_guest("telegram", "42", uow=uow, name="Carla", chat_id="42",
                         email="carla@example.com", locale="pt-BR")
    _book(uow, clock, guest)
    for at in (TUESDAY_10 - timedelta(hours=24), TUESDAY_10 - timedelta(hours=24),
               TUESDAY_10 - timedelta(hours=1), TUESDAY_10 - timedelta(minutes=30)):
        jobs.run_due(at, uow_factory=lambda: uow)
    assert _reminders(uow) == [("email", "carla@example.com", 1440),
                               ("email", "carla@example.com", 60),
                               ("telegram", "42", 1440), ("telegram", "42", 60)]
    [chat, *_] = [m for m in uow.outbox.items if (m.kind, m.channel) == ("reminder", "telegram")]
    assert chat.payload["guest_locale"] == "pt-BR"
    assert notices.render("reminder", chat.payload).text.startswith(
        "Lembrete: Intro call com Ana Lima daqui a 24 horas, ter. 1 dez., 10:00–10:30")


def test_guest_reachable_only_by_email_still_gets_the_reminder(uow, clock):
    guest = ensure_guest("console", "dana", uow=uow, name="Dana", email="dana@example.com")
    _book(uow, clock, guest)
    report = jobs.run_due(TUESDAY_10 - timedelta(hours=1), uow_factory=lambda: uow)
    assert report.reminders_sent == 1
    assert _reminders(uow) == [("email", "dana@example.com", 60)]


def test_guest_without_chat_or_email_is_skipped(uow, clock):
    guest = ensure_guest("console", "eve", uow=uow, name="Eve")
    _book(uow, clock, guest)
    report = jobs.run_due(TUESDAY_10 - timedelta(hours=1), uow_factory=lambda: uow)
    assert (report.reminders_sent, report.reminders_skipped) == (0, 2)
    assert _reminders(uow) == []
