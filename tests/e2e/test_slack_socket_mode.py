"""Slack over Socket Mode, end to end: the real Bolt app and slack-sdk's built-in
Socket Mode client against a loopback Slack (Web API + Socket Mode WebSocket).

``apps.connections.open`` (app token) → WebSocket → ``hello`` → envelopes
(a DM event, a button press, ``/slotbot``) → acks, then the replies through
the Web API — the same conversation as HTTP mode, with no public URL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bots.slack import build_app
from bots.slack.socket_mode import connect
from config.bootstrap import App, bootstrap
from config.settings import Settings
from core import services
from core.setup_file import parse_setup
from tests.e2e.slack_fixtures import BOT_TOKEN, DEFAULT_USERS
from tests.e2e.slack_server import SlackApiServer
from tests.e2e.socket_mode_server import SocketModeServer

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
APP_TOKEN = "xapp-1-A0SLOTBOT-1234-socketmodetoken"
TEAM = "T0SLOTBOT"


@pytest.fixture
def app(tmp_path) -> App:
    built = bootstrap(Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'sm.db'}"), now=NOW)
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=built.uow_factory())
    return built


@pytest.fixture
def slack() -> Iterator[tuple[SlackApiServer, SocketModeServer]]:
    with SocketModeServer() as socket, SlackApiServer(
            token=BOT_TOKEN, users=DEFAULT_USERS, app_token=APP_TOKEN,
            socket_url=socket.url) as api:
        yield api, socket


def dm(user: str, text: str, n: int) -> dict[str, Any]:
    return {"type": "event_callback", "team_id": TEAM, "api_app_id": "A0SLOTBOT",
            "event_id": f"Ev{n:08d}", "event_time": int(NOW.timestamp()),
            "event": {"type": "message", "channel": f"D{user}", "channel_type": "im",
                      "user": user, "text": text, "ts": f"{int(NOW.timestamp())}.{n:06d}"}}


def press(user: str, value: str) -> dict[str, Any]:
    return {"type": "block_actions", "team": {"id": TEAM}, "user": {"id": user},
            "api_app_id": "A0SLOTBOT", "channel": {"id": f"D{user}"},
            "container": {"type": "message", "channel_id": f"D{user}", "is_ephemeral": False},
            "trigger_id": "trigger-1", "response_url": "http://127.0.0.1:9/unused",
            "actions": [{"type": "button", "action_id": "choice_0", "block_id": "b",
                         "value": value, "action_ts": "1.2"}]}


def test_guest_books_and_host_runs_a_command_over_socket_mode(app, slack):
    api, socket = slack
    slack_app = build_app(token=BOT_TOKEN, signing_secret="unused-in-socket-mode",
                          handle=app.conversation.handle, base_url=api.base_url)
    handler = connect(slack_app, APP_TOKEN)
    try:
        socket.wait_for_connection()
        [opened] = api.calls("apps.connections.open")
        assert opened.token == APP_TOKEN  # the app token, not the bot token
        first = socket.send("events_api", dm("U0GUEST", "intro call with Ana tomorrow at 4am", 1))
        assert socket.wait_for_ack(first) == {"envelope_id": first}
        [proposal] = api.wait_for_posts("DU0GUEST", 1)
        assert "Tue 24 Nov, 04:00–04:30 (America/New_York)" in proposal.args["text"]
        second = socket.send("interactive", press("U0GUEST", "yes"))
        socket.wait_for_ack(second)
        done = api.wait_for_posts("DU0GUEST", 2)[-1]
        assert done.args["text"].startswith("Booked #1")
        command = socket.send("slash_commands", {
            "command": "/slotbot", "text": "upcoming", "user_id": "U0ANA", "team_id": TEAM,
            "channel_id": "C0GENERAL", "response_url": api.response_url("cmd-1"),
            "trigger_id": "trigger-2", "api_app_id": "A0SLOTBOT"},
            accepts_response_payload=True)
        socket.wait_for_ack(command)
        [answer] = api.wait_for_responses("cmd-1", 1)
        assert "Intro call with Gina Guest #1" in json.dumps(answer.args, ensure_ascii=False)
    finally:
        handler.close()
    assert [b.booking.status.value for b in services.list_bookings(uow=app.uow_factory())] == [
        "confirmed"]


def test_slotbot_serve_slack_uses_socket_mode_with_an_app_token(tmp_path, slack):
    api, socket = slack
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLOTBOT_", "TELEGRAM_", "SLACK_"))}
    env.update(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
               SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, SLACK_API_URL=api.base_url)
    slotbot = Path(sys.executable).parent / "slotbot"
    subprocess.run([str(slotbot), "load", str(EXAMPLE)], env=env, cwd=tmp_path, check=True,
                   capture_output=True, timeout=60)
    process = subprocess.Popen([str(slotbot), "serve", "slack"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        socket.wait_for_connection(timeout=60)
        envelope = socket.send("events_api", dm("U0GUEST", "hello", 1))
        socket.wait_for_ack(envelope, timeout=30)
        [reply] = api.wait_for_posts("DU0GUEST", 1, timeout=30)
        assert "Ana Lima" in reply.args["text"]
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert APP_TOKEN not in output and BOT_TOKEN not in output
