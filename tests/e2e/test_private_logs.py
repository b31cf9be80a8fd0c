"""Logs stay private at DEBUG: whole flows through the real stacks, then a grep.

Telegram (python-telegram-bot + httpx) and Slack (slack-bolt + slack-sdk) run
whole booking conversations against the loopback servers with the root logger
at DEBUG and Slotbot's logging set up as ``slotbot serve`` sets it up; the
captured lines must not contain the bot token, the signing secret, the guest's
email or the guest's message text.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from config import logs
from config.bootstrap import App, bootstrap
from config.periodic import tick
from config.settings import Settings, secret_values
from core import services
from core.setup_file import parse_setup
from tests.e2e.slack_fixtures import BOT_TOKEN, SIGNING_SECRET, SlackHarness
from tests.e2e.telegram_server import TOKEN as TELEGRAM_TOKEN

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
EMAIL = "carol.private@example.org"
#: A word only the guest's messages contain.
PRIVATE_WORD = "zebrafinch"
SMTP_PASSWORD = "smtp-pass-0xdeadbeef"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure(level="DEBUG", stream=stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def app(tmp_path, captured) -> App:
    settings = Settings(
        SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'logs.db'}",
        TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN, SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET, SLOTBOT_OUTBOX_MAX_ATTEMPTS=1,
        SMTP_URL=f"smtp://slotbot:{SMTP_PASSWORD}@127.0.0.1:9", SLOTBOT_MAIL_FROM="b@example.com",
    )
    logs.configure(level="DEBUG", stream=captured, secrets=secret_values(settings))
    built = bootstrap(settings, now=NOW)
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=built.uow_factory())
    return built


def assert_private(text: str) -> None:
    for secret in (TELEGRAM_TOKEN, BOT_TOKEN, SIGNING_SECRET, EMAIL, PRIVATE_WORD, SMTP_PASSWORD):
        assert secret not in text, f"{secret!r} was logged"


def test_telegram_flow_and_failed_email_at_debug_log_nothing_private(
        app, captured, telegram_api, telegram_bot):
    services.ensure_guest("telegram", "42", uow=app.uow_factory(), name="Carol", email=EMAIL,
                          chat_id="42")
    telegram_bot(app.conversation.handle)
    logging.getLogger("httpx").setLevel(logging.NOTSET)  # the adapter quiets it; not here
    telegram_api.push_text(42, "/start ana")
    telegram_api.wait_for_messages(42, 1)
    telegram_api.push_text(42, f"30 min tomorrow at 10am please, {PRIVATE_WORD} here")
    [proposal] = telegram_api.wait_for_messages(42, 1)
    telegram_api.press_button(42, proposal, "yes")
    [done] = telegram_api.wait_for_messages(42, 1)
    assert done.plain_text.startswith("Booked #1")
    report = tick(app, NOW, console=io.StringIO())  # the SMTP server is not there: fails
    assert report.delivery.failed >= 1
    text = captured.getvalue()
    assert "getUpdates" in text and "sendMessage" in text  # PTB's debug lines are there
    assert "HTTP Request: POST" in text  # and httpx's, with the token masked
    assert "car***@example.org" in text  # the failed email's recipient, masked
    assert_private(text)


def test_slack_flow_at_debug_logs_nothing_private(app, captured):
    with SlackHarness(app.conversation.handle, now=NOW) as slack:
        slack.send_dm("U0GUEST", f"intro call with Ana tomorrow at 4am, {PRIVATE_WORD}")
        channel = slack.dm_channel("U0GUEST")
        slack.api.wait_for_posts(channel, 1)
        slack.press("U0GUEST", "yes")
        done = slack.api.wait_for_posts(channel, 2)[-1]
        assert done.args["text"].startswith("Booked #1")
    text = captured.getvalue()
    assert "slack_sdk" in text and "slack_bolt" in text  # their debug lines are there
    assert_private(text)
