"""Signed guest action links: short, signed, scoped, expiring and single-use."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from core import services
from core.action_links import Action, LinkAction, LinkProblem, issue, verify
from core.errors import BookingNotLive
from core.guest_links import LinkRefused, open_link, use_link
from core.models import BookingStatus
from tests.unit.conftest import NOW

KEY = "k" * 40
LATER = NOW + timedelta(days=2)


def test_a_token_fits_a_telegram_start_parameter_and_round_trips():
    token = issue(Action.CANCEL, 123456, LATER, keys=[KEY])
    assert len(token) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert verify(token, NOW, keys=[KEY]) == LinkAction(Action.CANCEL, 123456, LATER, token)


@pytest.mark.parametrize("tamper", [
    lambda t: t[:5] + ("A" if t[5] != "A" else "B") + t[6:],  # payload changed
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
    lambda t: t + "x",
    lambda t: "",
    lambda t: "../../etc/passwd",
])
def test_a_forged_token_is_refused(tamper):
    token = issue(Action.RESCHEDULE, 7, LATER, keys=[KEY])
    assert verify(tamper(token), NOW, keys=[KEY]) is LinkProblem.FORGED


def test_another_key_or_purpose_does_not_verify():
    token = issue(Action.CANCEL, 7, LATER, keys=["x" * 40])
    assert verify(token, NOW, keys=[KEY]) is LinkProblem.FORGED
    cancel = issue(Action.CANCEL, 7, LATER, keys=[KEY])
    move = issue(Action.RESCHEDULE, 7, LATER, keys=[KEY])
    assert cancel[12:] != move[12:]  # the action is signed: one cannot become the other
    assert verify(move[:12] + cancel[12:], NOW, keys=[KEY]) is LinkProblem.FORGED


def test_an_expired_token_is_refused_and_old_keys_still_verify():
    token = issue(Action.CANCEL, 7, LATER, keys=["old" * 12])
    assert verify(token, LATER, keys=["old" * 12]) is LinkProblem.EXPIRED
    assert isinstance(verify(token, LATER - timedelta(seconds=1), keys=["old" * 12, KEY]),
                      LinkAction)


def booked(uow, clock):
    guest = services.ensure_guest("telegram", "g1", uow=uow, name="Gil", chat_id="g1")
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    return services.book("ana", "intro", start, guest_id=guest.id or 0, uow=uow, clock=clock)


def test_a_cancel_link_works_once_and_a_replay_does_nothing(uow, clock):
    view = booked(uow, clock)
    token = issue(Action.CANCEL, view.booking.id or 0, view.booking.start, keys=[KEY])
    done = use_link(token, keys=[KEY], uow_factory=lambda: uow, clock=clock)
    assert done.booking.status is BookingStatus.CANCELLED
    with pytest.raises(LinkRefused) as replay:
        use_link(token, keys=[KEY], uow_factory=lambda: uow, clock=clock)
    assert replay.value.problem is LinkProblem.USED


def test_a_reschedule_link_moves_the_booking_and_a_failed_try_keeps_it_usable(uow, clock):
    view = booked(uow, clock)
    token = issue(Action.RESCHEDULE, view.booking.id or 0, view.booking.start, keys=[KEY])
    opened = open_link(token, keys=[KEY], uow_factory=lambda: uow, clock=clock)
    assert opened.view.guest.name == "Gil"
    services.cancel(view.booking.id or 0, actor=opened.actor, uow=uow, clock=clock)
    with pytest.raises(BookingNotLive):
        use_link(token, keys=[KEY], uow_factory=lambda: uow, clock=clock,
                 new_start=view.booking.start + timedelta(hours=1))
    assert uow.links.records == {}  # nothing happened, so the link is not spent


def test_an_expired_link_changes_nothing(uow, clock):
    view = booked(uow, clock)
    token = issue(Action.CANCEL, view.booking.id or 0, NOW, keys=[KEY])
    with pytest.raises(LinkRefused) as refused:
        use_link(token, keys=[KEY], uow_factory=lambda: uow, clock=clock)
    assert refused.value.problem is LinkProblem.EXPIRED
    assert view.booking.status is BookingStatus.CONFIRMED


def test_guest_reminder_emails_carry_signed_links_and_host_emails_do_not():
    from bots.link_page import email_links
    from mail.render import render_email

    payload = {"booking_id": 12, "host": "ana", "host_name": "Ana Lima",
               "host_timezone": "Europe/Berlin", "event_type": "Intro call",
               "guest_name": "Erin", "guest_timezone": "America/New_York",
               "start": "2026-12-01T15:00:00+00:00", "end": "2026-12-01T15:30:00+00:00",
               "status": "confirmed", "reason": None, "minutes_before": 60, "reader": "guest"}
    links = email_links("reminder", payload, keys=[KEY], public_url="https://bot.example.com/")
    assert links is not None
    email = render_email("reminder", {**payload, "links": links}, recipient="erin@example.org",
                         stamp=NOW, sender="bookings@example.com")
    move = links["move"].rsplit("/", 1)[1]
    assert f"Move it: https://bot.example.com/links/{move}" in email.text
    assert f'href="https://bot.example.com/links/{move}"' in email.html
    assert "write to me in the chat" not in email.text
    checked = verify(move, NOW, keys=[KEY])
    assert isinstance(checked, LinkAction) and checked.action is Action.RESCHEDULE
    assert checked.expires_at == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    host_copy = {**payload, "reader": "host"}
    assert email_links("reminder", host_copy, keys=[KEY], public_url="https://x.example") is None


def test_a_telegram_start_link_becomes_the_reminder_button_once(uow, clock):
    from bots.link_start import start_payload, telegram_start_link

    view = booked(uow, clock)
    token = issue(Action.RESCHEDULE, view.booking.id or 0, view.booking.start, keys=[KEY])
    link = telegram_start_link("SlotBot", token)
    assert link == f"https://t.me/SlotBot?start={token}"

    def start(argument):
        return start_payload(argument, keys=[KEY], uow_factory=lambda: uow, clock=clock)

    assert start("ana") is None  # a host handle: the usual greeting
    assert start(token) == f"move:{view.booking.id}"
    assert start(token) is LinkProblem.USED
    assert start(token[:-1] + ("A" if token[-1] != "A" else "B")) is LinkProblem.FORGED
    assert start_payload(token, keys=[], uow_factory=lambda: uow, clock=clock) is None
