"""Host commands and host-notice buttons through the real Telegram and Slack stacks.

The real conversation, host commands and SQLite storage run behind
python-telegram-bot and slack-bolt, against the local Bot API and Web API
servers: a stats chart arrives as ``sendPhoto`` / ``files_upload_v2``, a
pending request's notice carries Confirm/Decline, the host's press acts and
anyone else's is refused.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from bots.delivery import (
    DeliverySettings,
    Pacer,
    SlackTransport,
    TelegramTransport,
    deliver_due,
)
from config.bootstrap import App
from core import host_settings, jobs, services
from core.models import BookingStatus
from tests.e2e.example_app import NOW, example_app
from tests.e2e.slack_fixtures import DEFAULT_USERS, SlackHarness
from tests.e2e.slack_server import SlackApiServer
from tests.e2e.telegram_server import TelegramAPIServer
from tests.virtual_time import VirtualTime

ANA = 1001  # Ana's Telegram id in the example setup file
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def app(tmp_path) -> App:
    return example_app(tmp_path)


def request_booking(app: App, user: str = "42", platform: str = "telegram") -> int:
    """A guest's request for Ana's intro call (which needs her confirmation)."""
    host_settings.update_event_type("ana", "intro", uow=app.uow_factory(),
                                    requires_confirmation=True)
    guest = services.ensure_guest(platform, user, uow=app.uow_factory(), name="Carla",
                                  chat_id=user)
    view = services.book("ana", "intro", NOW + timedelta(days=1), guest_id=guest.id or 0,
                         uow=app.uow_factory(), clock=app.clock)
    return view.booking.id or 0


def deliver_telegram(app: App, api: TelegramAPIServer) -> None:
    time = VirtualTime()
    with TelegramTransport(api.token, base_url=api.base_url) as transport:
        deliver_due(NOW, uow_factory=app.uow_factory, transports={"telegram": transport},
                    pacer=Pacer(clock=time.clock, sleep=time.sleep), settings=DeliverySettings())


def status(app: App, booking_id: int) -> BookingStatus:
    with app.uow_factory() as uow:
        booking = uow.bookings.get(booking_id)
        assert booking is not None
        return booking.status


def test_stats_on_telegram_sends_the_text_then_the_chart_as_a_photo(app, telegram_api,
                                                                     telegram_bot):
    telegram_bot(app.conversation.handle)
    telegram_api.push_text(ANA, "/slotbot stats 7d", name="Ana Lima")
    text, photo = telegram_api.wait_for_messages(ANA, 2, timeout=60)  # matplotlib loads
    assert text.plain_text.startswith("Your numbers, the last 7 days up to Mon 23 Nov")
    assert photo.photo is not None and photo.photo.startswith(PNG)
    assert photo.plain_text == "Bookings made and cancellations per day"
    assert [call["chat_id"] for call in telegram_api.calls("sendPhoto")] == [ANA]


def test_request_notice_on_telegram_has_buttons_and_the_hosts_press_confirms(
        app, telegram_api, telegram_bot, caplog):
    telegram_bot(app.conversation.handle)
    number = request_booking(app)
    telegram_api.open_chat(ANA)
    deliver_telegram(app, telegram_api)
    [notice] = telegram_api.wait_for_messages(ANA, 1)
    assert notice.plain_text.startswith(f"Booking request #{number}: Intro call with Carla")
    assert notice.buttons == [[("Confirm", f"h:confirm:{number}"),
                               ("Decline", f"h:decline:{number}")]]
    caplog.set_level(logging.WARNING, logger="bots.host_commands")
    telegram_api.press_button(7, notice, f"h:confirm:{number}", name="Mallory")
    [refused] = telegram_api.wait_for_messages(ANA, 1)
    assert refused.plain_text == "That button is for the host only."
    assert status(app, number) is BookingStatus.PENDING
    assert "refused host button" in caplog.text
    telegram_api.push_text(ANA, "/slotbot booking " + str(number), name="Ana Lima")
    [detail] = telegram_api.wait_for_messages(ANA, 1)  # a fresh keyboard to press
    telegram_api.press_button(ANA, detail, f"h:confirm:{number}", name="Ana Lima")
    [done] = telegram_api.wait_for_messages(ANA, 1)
    assert done.plain_text.startswith(f"Confirmed #{number}")
    assert status(app, number) is BookingStatus.CONFIRMED


def test_decline_on_telegram_asks_the_reason_with_buttons(app, telegram_api, telegram_bot):
    telegram_bot(app.conversation.handle)
    number = request_booking(app)
    telegram_api.open_chat(ANA)
    deliver_telegram(app, telegram_api)
    [notice] = telegram_api.wait_for_messages(ANA, 1)
    telegram_api.press_button(ANA, notice, f"h:decline:{number}", name="Ana Lima")
    [question] = telegram_api.wait_for_messages(ANA, 1)
    assert question.plain_text.startswith(f"Why decline #{number}")
    telegram_api.press_button(ANA, question, f"h:decline:{number}:busy", name="Ana Lima")
    [done] = telegram_api.wait_for_messages(ANA, 1)
    assert done.plain_text == f"Declined #{number}. Carla will be told (not available then)."
    assert status(app, number) is BookingStatus.DECLINED


def test_other_reason_on_telegram_is_the_hosts_next_message_and_reaches_the_guest(
        app, telegram_api, telegram_bot):
    telegram_bot(app.conversation.handle)
    number = request_booking(app)
    telegram_api.open_chat(ANA)
    telegram_api.open_chat(42)
    deliver_telegram(app, telegram_api)
    [notice] = telegram_api.wait_for_messages(ANA, 1)
    telegram_api.press_button(ANA, notice, f"h:decline:{number}", name="Ana Lima")
    [question] = telegram_api.wait_for_messages(ANA, 1)
    assert question.buttons[-1] == [("Other reason…", f"h:decline:{number}:other")]
    telegram_api.press_button(ANA, question, f"h:decline:{number}:other", name="Ana Lima")
    [write] = telegram_api.wait_for_messages(ANA, 1)
    assert write.plain_text.startswith(f"Write the reason for declining #{number}")
    assert status(app, number) is BookingStatus.PENDING
    telegram_api.push_text(ANA, "I am at a conference that day", name="Ana Lima")
    [done] = telegram_api.wait_for_messages(ANA, 1)
    assert done.plain_text == \
        f"Declined #{number}. Carla will be told (I am at a conference that day)."
    assert status(app, number) is BookingStatus.DECLINED
    deliver_telegram(app, telegram_api)
    [told] = telegram_api.wait_for_messages(42, 1)
    assert told.plain_text.startswith(f"Ana Lima declined your request #{number}")
    assert told.plain_text.endswith("Reason: I am at a conference that day.")


def test_other_reason_on_slack_is_the_hosts_next_dm(app):
    number = request_booking(app, "U0GUEST", "slack")
    with SlackHarness(app.conversation.handle, now=NOW) as slack:
        slack.press("U0ANA", f"h:decline:{number}:other")
        [write] = slack.api.wait_for_posts(slack.dm_channel("U0ANA"), 1)
        assert write.args["text"].startswith(f"Write the reason for declining #{number}")
        slack.send_dm("U0ANA", "Fully booked with a workshop")
        _, done = slack.api.wait_for_posts(slack.dm_channel("U0ANA"), 2)
        assert done.args["text"] == \
            f"Declined #{number}. Carla will be told (Fully booked with a workshop)."
    with app.uow_factory() as uow:
        booking = uow.bookings.get(number)
        assert booking is not None
        assert (booking.status, booking.cancel_reason) == \
            (BookingStatus.DECLINED, "Fully booked with a workshop")


def test_stats_on_slack_uploads_the_chart_to_the_hosts_dm(app):
    with SlackHarness(app.conversation.handle, now=NOW) as slack:
        http, target = slack.slash("U0ANA", "stats 7d")
        assert http.status == 200
        [response] = slack.api.wait_for_responses(target, 1, timeout=60)
        assert "Your numbers, the last 7 days" in response.args["text"]
        [complete] = slack.api.wait_for_calls(
            lambda c: c.method == "files.completeUploadExternal", 1, timeout=60)
        assert complete.args["channel_id"] == slack.dm_channel("U0ANA")  # never the channel
        [upload] = slack.api.calls("upload")
        assert slack.api.uploaded(upload.args["file_id"]).startswith(PNG)
        [url_call] = slack.api.calls("files.getUploadURLExternal")
        assert url_call.args["filename"].endswith(".png")


def test_notice_buttons_on_slack_act_for_the_host_only(app):
    number = request_booking(app, "U0GUEST", "slack")
    with SlackHarness(app.conversation.handle, now=NOW) as slack:
        slack.press("U0GUEST", f"h:confirm:{number}")
        [refused] = slack.api.wait_for_posts(slack.dm_channel("U0GUEST"), 1)
        assert refused.args["text"] == "That button is for the host only."
        assert status(app, number) is BookingStatus.PENDING
        slack.press("U0ANA", f"h:confirm:{number}")
        [done] = slack.api.wait_for_posts(slack.dm_channel("U0ANA"), 1)
        assert done.args["text"].startswith(f"Confirmed #{number}")
        assert status(app, number) is BookingStatus.CONFIRMED


def test_slack_app_home_shows_the_dashboard_and_its_buttons_answer_in_the_dm(app):
    number = request_booking(app, "U0GUEST", "slack")
    with SlackHarness(app.conversation.handle, now=NOW) as slack:
        event = {"type": "app_home_opened", "user": "U0ANA", "channel": "DU0ANA",
                 "tab": "home", "event_ts": f"{int(NOW.timestamp())}.000100"}
        assert slack.post_json(slack.event_callback(event)).status == 200
        [publish] = slack.api.wait_for_calls(lambda c: c.method == "views.publish", 1)
        assert publish.args["user_id"] == "U0ANA"
        view = publish.args["view"]
        view = json.loads(view) if isinstance(view, str) else view
        assert view["type"] == "home"
        assert "Awaiting your confirmation (1)" in view["blocks"][0]["text"]["text"]
        values = [e["value"] for b in view["blocks"] if b["type"] == "actions"
                  for e in b["elements"]]
        assert values[:2] == [f"h:confirm:{number}", f"h:decline:{number}"]
        body = {"type": "block_actions", "user": {"id": "U0ANA", "team_id": slack.api.team_id},
                "team": {"id": slack.api.team_id}, "api_app_id": "A0SLOTBOT",
                "container": {"type": "view", "view_id": "V0HOME"},
                "trigger_id": "trigger-home", "view": {"id": "V0HOME", "type": "home"},
                "actions": [{"type": "button", "action_id": "choice_0", "block_id": "b",
                             "value": f"h:confirm:{number}",
                             "action_ts": f"{int(NOW.timestamp())}.000200"}]}
        assert slack.post_form({"payload": json.dumps(body)}).status == 200
        [done] = slack.api.wait_for_posts(slack.dm_channel("U0ANA"), 1)
        assert done.args["text"].startswith(f"Confirmed #{number}")
        assert status(app, number) is BookingStatus.CONFIRMED


def monday_digest_with_chart(app: App) -> None:
    """Last week Carla booked (on Thursday); the tick at NOW (Monday 10:00 in Berlin, after
    Ana's 08:00 digest time) writes Monday's digest with the chart setting on."""
    guest = services.ensure_guest("telegram", "42", uow=app.uow_factory(), name="Carla",
                                  chat_id="42")
    services.book("ana", "intro", NOW + timedelta(days=1), guest_id=guest.id or 0,
                  uow=app.uow_factory(), clock=lambda: NOW - timedelta(days=4))
    jobs.run_due(NOW, uow_factory=app.uow_factory, settings=jobs.JobSettings(digest_chart=True))


def test_monday_digest_on_telegram_has_the_weeks_chart_as_a_photo(app, telegram_api):
    monday_digest_with_chart(app)
    telegram_api.open_chat(ANA)
    telegram_api.open_chat(42)  # Carla's own notices
    deliver_telegram(app, telegram_api)
    *_, digest, photo = telegram_api.messages(ANA)
    assert digest.plain_text.startswith("Your Slotbot digest for Mon 23 Nov")
    assert photo.photo is not None and photo.photo.startswith(PNG)
    assert photo.plain_text == "Last week: bookings made and cancellations per day"
    assert [c["chat_id"] for c in telegram_api.calls("sendPhoto")] == [ANA]


def test_monday_digest_on_slack_uploads_the_weeks_chart_to_the_hosts_dm(app):
    monday_digest_with_chart(app)
    time = VirtualTime()
    with SlackApiServer(token="xoxb-digest", users=DEFAULT_USERS) as slack:
        deliver_due(NOW, uow_factory=app.uow_factory,
                    transports={"slack": SlackTransport("xoxb-digest", base_url=slack.base_url)},
                    pacer=Pacer(clock=time.clock, sleep=time.sleep), settings=DeliverySettings())
        [post] = [c for c in slack.calls("chat.postMessage")
                  if c.args["text"].startswith("Your Slotbot digest")]
        assert post.args["channel"] == "U0ANA"
        [complete] = slack.calls("files.completeUploadExternal")
        [opened] = slack.calls("conversations.open")
        assert opened.args["users"] == "U0ANA"
        [upload] = slack.calls("upload")
        assert slack.uploaded(upload.args["file_id"]).startswith(PNG)
        assert "Last week" in json.dumps(complete.args)
