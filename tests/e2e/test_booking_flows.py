"""Whole booking conversations through the real Telegram and Slack stacks.

The real conversation, services and SQLite storage run behind the real
python-telegram-bot Application and slack-bolt App, which talk to local
servers speaking the Bot API and the Slack Web API.
"""

from datetime import UTC, datetime

import pytest

from config.bootstrap import App
from core import services
from core.models import BookingStatus
from tests.e2e.example_app import NOW, example_app
from tests.e2e.slack_fixtures import SlackHarness


@pytest.fixture
def app(tmp_path) -> App:
    return example_app(tmp_path)


def bookings(app: App):
    return [v.booking for v in services.list_bookings(uow=app.uow_factory())]


def test_guest_books_on_telegram_with_buttons(app, telegram_api, telegram_bot):
    telegram_bot(app.conversation.handle)
    telegram_api.push_text(42, "/start ana", name="Carla <Test>")
    [greeting] = telegram_api.wait_for_messages(42, 1)  # the time-zone note folded in
    assert greeting.plain_text.startswith("(Times are in Europe/Berlin")
    assert "I book time with Ana Lima" in greeting.plain_text
    telegram_api.push_text(42, "30 min tomorrow at 10am please")
    [proposal] = telegram_api.wait_for_messages(42, 1)
    assert "Tue 24 Nov, 10:00–10:30 (Europe/Berlin)" in proposal.plain_text
    assert proposal.buttons == [[("Yes, book it", "yes"), ("No", "no")]]
    assert bookings(app) == []
    telegram_api.press_button(42, proposal, "yes")
    [done] = telegram_api.wait_for_messages(42, 1)
    assert done.plain_text.startswith("Booked #1")
    [booking] = bookings(app)
    assert booking.start == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert booking.status is BookingStatus.CONFIRMED


def test_taken_slot_on_telegram_offers_alternatives_then_cancel(app, telegram_api, telegram_bot):
    telegram_bot(app.conversation.handle)
    telegram_api.push_text(1, "intro call with Ana tomorrow at 10am")
    [proposal] = telegram_api.wait_for_messages(1, 1)
    telegram_api.press_button(1, proposal, "yes")
    telegram_api.wait_for_messages(1, 1)
    telegram_api.push_text(2, "intro call with Ana tomorrow at 10am")
    [offer] = telegram_api.wait_for_messages(2, 1)
    assert "isn't available" in offer.plain_text
    first_label, first_payload = offer.buttons[0][0]
    assert first_label != "Tue 24 Nov 10:00"
    assert first_payload.startswith("slot:")
    telegram_api.press_button(2, offer, first_payload)
    [proposal] = telegram_api.wait_for_messages(2, 1)
    telegram_api.press_button(2, proposal, "yes")
    telegram_api.wait_for_messages(2, 1)
    assert len([b for b in bookings(app) if b.is_live]) == 2
    telegram_api.push_text(2, "cancel my booking")
    [question] = telegram_api.wait_for_messages(2, 1)
    telegram_api.press_button(2, question, "yes")
    [answer] = telegram_api.wait_for_messages(2, 1)
    assert answer.plain_text.startswith("Cancelled #")
    assert len([b for b in bookings(app) if b.is_live]) == 1


def test_host_command_on_telegram_only_for_the_mapped_host(app, telegram_api, telegram_bot):
    telegram_bot(app.conversation.handle)
    telegram_api.push_text(1001, "/slotbot today", name="Ana Lima")
    [reply] = telegram_api.wait_for_messages(1001, 1)
    assert "Nothing booked today" in reply.plain_text
    telegram_api.push_text(7, "/slotbot today")
    [refused] = telegram_api.wait_for_messages(7, 1)
    assert "only for hosts" in refused.plain_text


def test_guest_books_on_slack_in_their_own_zone(app):
    with SlackHarness(app.conversation.handle, now=NOW) as slack:
        slack.send_dm("U0GUEST", "intro call with Ana tomorrow at 4am")
        channel = slack.dm_channel("U0GUEST")
        [proposal] = slack.api.wait_for_posts(channel, 1)
        # Gina's zone comes from users.info: 04:00 in New York is 10:00 in Berlin.
        assert "Tue 24 Nov, 04:00–04:30 (America/New_York)" in proposal.args["text"]
        assert "10:00–10:30 (Europe/Berlin)" in proposal.args["text"]
        assert bookings(app) == []
        slack.press("U0GUEST", "yes")
        done = slack.api.wait_for_posts(channel, 2)[-1]
        assert done.args["text"].startswith("Booked #1")
        [booking] = bookings(app)
        assert booking.start == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_host_slash_command_on_slack(app):
    with SlackHarness(app.conversation.handle, now=NOW) as slack:
        http, target = slack.slash("U0ANA", "upcoming")
        assert http.status == 200
        [response] = slack.api.wait_for_responses(target, 1)
        assert "Nothing booked in the next 7 days" in str(response.args)
        http, target = slack.slash("U0GUEST", "today")
        [response] = slack.api.wait_for_responses(target, 1)
        assert "only for hosts" in str(response.args)
