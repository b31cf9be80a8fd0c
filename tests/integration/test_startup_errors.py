"""Start-up errors as a user meets them: ``slotbot`` run as a subprocess.

Each case stops with one line on stderr naming what failed and what to check,
a non-zero exit, no traceback, and no secret anywhere in the output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.slack_server import SlackApiServer
from tests.e2e.telegram_server import TelegramAPIServer

SLOTBOT = Path(sys.executable).parent / "slotbot"
#: A token of Telegram's shape that the loopback server does not accept.
WRONG_TELEGRAM_TOKEN = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
WRONG_SLACK_TOKEN = "xoxb-1111-2222-wrongwrongwrong"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
DB_PASSWORD = "hunter2-db-secret"
STARTUP_EXIT = 3


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {key: value for key, value in os.environ.items()
            if not key.startswith(("SLOTBOT_", "TELEGRAM_", "SLACK_"))}
    full["SLOTBOT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'start.db'}"
    full.update(env)
    return subprocess.run([str(SLOTBOT), *args], capture_output=True, text=True, env=full,
                          cwd=tmp_path, timeout=60)


def one_clear_line(result: subprocess.CompletedProcess[str], *secrets: str) -> str:
    """The single stderr line, after checking exit, traceback and secrets."""
    output = result.stdout + result.stderr
    assert result.returncode == STARTUP_EXIT, output
    assert "Traceback" not in output
    for secret in secrets:
        assert secret not in output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("slotbot: ")
    return lines[0]


def test_wrong_telegram_token_is_named_without_the_token(tmp_path):
    with TelegramAPIServer() as api:
        result = run(tmp_path, "serve", "telegram", TELEGRAM_BOT_TOKEN=WRONG_TELEGRAM_TOKEN,
                     TELEGRAM_API_BASE_URL=api.base_url)
        assert not api.calls("getUpdates")  # nothing started polling
    line = one_clear_line(result, WRONG_TELEGRAM_TOKEN, WRONG_TELEGRAM_TOKEN.split(":")[1])
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in line and "@BotFather" in line


def test_unreachable_telegram_api_names_the_setting(tmp_path):
    result = run(tmp_path, "serve", "telegram", TELEGRAM_BOT_TOKEN=WRONG_TELEGRAM_TOKEN,
                 TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot")
    line = one_clear_line(result, WRONG_TELEGRAM_TOKEN)
    assert "cannot reach the Telegram Bot API" in line and "TELEGRAM_API_BASE_URL" in line


def test_wrong_slack_token_is_named_without_token_or_secret(tmp_path):
    with SlackApiServer(token="xoxb-right") as api:
        result = run(tmp_path, "serve", "slack", "--port", "0", SLACK_BOT_TOKEN=WRONG_SLACK_TOKEN,
                     SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=api.base_url)
    line = one_clear_line(result, WRONG_SLACK_TOKEN, SIGNING_SECRET)
    assert "Slack rejected SLACK_BOT_TOKEN (auth.test: invalid_auth)" in line


def test_wrong_slack_app_token_is_named(tmp_path):
    with SlackApiServer(token="xoxb-right") as api:
        result = run(tmp_path, "serve", "slack", SLACK_BOT_TOKEN="xoxb-right",
                     SLACK_APP_TOKEN="xapp-1-wrong-app-token", SLACK_API_URL=api.base_url)
    line = one_clear_line(result, "xoxb-right", "xapp-1-wrong-app-token")
    assert "Slack rejected SLACK_APP_TOKEN" in line


def test_unreachable_slack_api_names_the_setting(tmp_path):
    result = run(tmp_path, "serve", "slack", SLACK_BOT_TOKEN=WRONG_SLACK_TOKEN,
                 SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL="http://127.0.0.1:9/api/")
    line = one_clear_line(result, WRONG_SLACK_TOKEN, SIGNING_SECRET)
    assert "cannot reach the Slack Web API" in line and "SLACK_API_URL" in line


def test_unreachable_database_hides_its_password(tmp_path):
    result = run(tmp_path, "bookings", SLOTBOT_DATABASE_URL=(
        f"postgresql+psycopg://slotbot:{DB_PASSWORD}@127.0.0.1:9/slotbot"))
    line = one_clear_line(result, DB_PASSWORD)
    assert "cannot open the database postgresql+psycopg://slotbot:***@127.0.0.1:9" in line
    assert "SLOTBOT_DATABASE_URL" in line


@pytest.mark.parametrize("broker", ["garbage", "redis://:brokerpw99@127.0.0.1:9/0"])
def test_bad_or_unreachable_broker_stops_before_the_bots(tmp_path, broker):
    with TelegramAPIServer() as api:
        result = run(tmp_path, "serve", "telegram", TELEGRAM_BOT_TOKEN=api.token,
                     TELEGRAM_API_BASE_URL=api.base_url, SLOTBOT_BROKER_URL=broker)
        assert not api.calls("getUpdates")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert api.token not in output and "brokerpw99" not in output
    assert "SLOTBOT_BROKER_URL" in output
