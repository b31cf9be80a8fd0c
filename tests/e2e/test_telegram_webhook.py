"""Webhook mode through PTB's real webhook server (tornado) and the local Bot API server.

The test plays Telegram: it POSTs updates to the bot's webhook, with or without
the secret header, and reads the replies the bot sent to the local Bot API server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bots.messages import IncomingMessage
from bots.telegram import ALLOWED_UPDATES, SECRET_HEADER, build_application, start_webhook
from config.settings import SettingsError, load_settings
from tests.e2e.telegram_server import Echo, TelegramAPIServer, running_bot

ANA = 1001
PUBLIC_URL = "https://bot.example.com/telegram"
SECRET = "s3cret_token-for-TESTS"



class Webhook:
    """The bot's local webhook endpoint, as a reverse proxy would forward to it."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/telegram"

    def post(self, update: dict[str, Any], secret: str | None) -> httpx.Response:
        """POSTs one update, as Telegram would, with ``secret`` in the header (None: no header).

        A started process may need a moment between setWebhook and listening, so
        refused connections are retried (at once, then with back-off).
        """
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        transport = httpx.HTTPTransport(retries=5)
        with httpx.Client(transport=transport, timeout=5.0) as client:
            return client.post(self.url, json=update, headers=headers)


@pytest.fixture
def echo() -> Echo:
    return Echo()


@pytest.fixture
def webhook(telegram_api: TelegramAPIServer, echo: Echo) -> Iterator[Webhook]:
    """The real adapter in webhook mode on 127.0.0.1 and a free port, registered at PUBLIC_URL."""
    port = _free_port()
    application = build_application(telegram_api.token, echo, base_url=telegram_api.base_url)
    with running_bot(
        application,
        start_updater=lambda app: start_webhook(
            app, url=PUBLIC_URL, secret_token=SECRET, port=port, listen="127.0.0.1"
        ),
    ):
        yield Webhook(port)


def test_registers_public_url_and_secret_with_telegram(
    telegram_api: TelegramAPIServer, webhook: Webhook
) -> None:
    registered = telegram_api.webhook

    assert registered is not None
    assert registered["url"] == PUBLIC_URL
    assert registered["secret_token"] == SECRET
    assert registered["allowed_updates"] == list(ALLOWED_UPDATES)


def test_update_with_secret_reaches_handle_and_reply_is_sent(
    telegram_api: TelegramAPIServer, webhook: Webhook, echo: Echo
) -> None:
    update = telegram_api.text_update(ANA, "/start ana", name="Ana Lima", language_code="de")

    response = webhook.post(update, SECRET)

    assert response.status_code == 200
    [reply] = telegram_api.wait_for_messages(ANA, 1)
    assert reply.plain_text == "Got: /start ana"
    assert echo.received == [
        IncomingMessage(
            platform="telegram",
            chat_id=str(ANA),
            user_id=str(ANA),
            text="/start ana",
            display_name="Ana Lima",
            locale="de",
        )
    ]


@pytest.mark.parametrize("secret", [None, "wrong-secret", SECRET.upper()], ids=str)
def test_update_without_the_right_secret_is_forbidden_and_never_handled(
    telegram_api: TelegramAPIServer, webhook: Webhook, echo: Echo, secret: str | None
) -> None:
    forged = telegram_api.text_update(ANA, "forged")
    genuine = telegram_api.text_update(ANA, "genuine")

    rejected = webhook.post(forged, secret)
    webhook.post(genuine, SECRET)

    assert rejected.status_code == 403
    # Updates are handled in arrival order: once the genuine one is answered, a
    # forged one that had got through would have been handled already.
    [reply] = telegram_api.wait_for_messages(ANA, 1)
    assert reply.plain_text == "Got: genuine"
    assert [message.text for message in echo.received] == ["genuine"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_telegram_runs_the_webhook_on_port_when_url_is_set(
    telegram_api: TelegramAPIServer, tmp_path: Path
) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "SLOTBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "SLOTBOT_TICK_SECONDS": "3600",
        "TELEGRAM_BOT_TOKEN": telegram_api.token,
        "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        "TELEGRAM_WEBHOOK_URL": PUBLIC_URL,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    log = (tmp_path / "serve.log").open("w+")
    command = [sys.executable, "-c", "from config.cli import main; main()", "serve", "telegram"]
    process = subprocess.Popen(
        [*command, "--port", str(port)], env=env, cwd=tmp_path, stdout=log, stderr=log
    )
    try:
        registered = telegram_api.wait_for_webhook(timeout=30)
        webhook = Webhook(port)
        forbidden = webhook.post(telegram_api.text_update(ANA, "forged"), None)
        accepted = webhook.post(telegram_api.text_update(ANA, "hello"), SECRET)
        [reply] = telegram_api.wait_for_messages(ANA, 1, timeout=10)
    finally:
        process.terminate()
        returncode = process.wait(timeout=10)
        log.seek(0)
        output = log.read()
        log.close()

    assert (registered["url"], registered["secret_token"]) == (PUBLIC_URL, SECRET)
    assert (forbidden.status_code, accepted.status_code) == (403, 200)
    assert reply.plain_text  # the real conversation answered
    assert returncode == 0, output  # SIGTERM stops it cleanly


def test_webhook_url_without_secret_is_a_one_line_settings_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", PUBLIC_URL)
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET", raising=False)

    with pytest.raises(SettingsError) as error:
        load_settings()

    assert str(error.value) == (
        "invalid setting TELEGRAM_WEBHOOK_SECRET: must be set when TELEGRAM_WEBHOOK_URL is set"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("TELEGRAM_WEBHOOK_URL", "http://bot.example.com/telegram"),
     ("TELEGRAM_WEBHOOK_SECRET", "has spaces")],
)
def test_webhook_settings_telegram_would_refuse_are_rejected_at_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", PUBLIC_URL)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError, match=f"^invalid setting {name}: "):
        load_settings()
