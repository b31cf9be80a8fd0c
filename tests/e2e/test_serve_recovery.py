"""``slotbot serve`` killed or stopped with a backlog: nothing acknowledged is lost or doubled.

Each test runs the real command in a subprocess against the local protocol
servers, with many guests (one chat each, one ``hello`` each: the real
conversation answers it with exactly one message), kills or stops it while the
backlog is being worked, starts it again and counts the answers per chat.

Nothing acknowledged may be lost. A reply may be sent twice only for the few
updates whose reply had been sent when the kill came but not yet marked done in
the inbox (no platform offers an idempotent send): at most one per worker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from bots.telegram import SECRET_HEADER
from tests.e2e.slack_fixtures import BOT_TOKEN, SIGNING_SECRET, SlackHarness
from tests.e2e.telegram_server import TelegramAPIServer

GUESTS = 150
#: ``SLOTBOT_WORKERS`` of the command (its default): updates in flight at once.
WORKERS = 8
FIRST_CHAT = 50_000
PUBLIC_URL = "https://bot.example.com/telegram"
SECRET = "recovery-test-secret"
#: The webhook kill waits until this many more updates are acknowledged than answered
#: (a fast bot may otherwise answer each one before the next 200, leaving nothing to test).
ACKNOWLEDGED_AHEAD = 4
#: Generous: each start of the command imports, migrates and connects first.
TIMEOUT = 90.0


class Serve:
    """``slotbot serve PLATFORM`` in a subprocess, restartable on the same database."""

    def __init__(self, tmp_path: Path, platform: str, env: dict[str, str]) -> None:
        self._tmp_path = tmp_path
        self._platform = platform
        self._env = {
            **os.environ,
            "SLOTBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
            "SLOTBOT_TICK_SECONDS": "3600",
            "SLOTBOT_INBOX_LEASE_SECONDS": "1",
            **env,
        }
        self._runs = 0
        self.logs: list[Path] = []

    @contextmanager
    def running(self, *args: str) -> Iterator[subprocess.Popen[bytes]]:
        """Starts the command; on leaving, kills it if it is still running."""
        self._runs += 1
        log_path = self._tmp_path / f"serve-{self._runs}.log"
        self.logs.append(log_path)
        with log_path.open("wb") as log:
            process = _start(self._platform, args, self._env, self._tmp_path, log)
            try:
                yield process
            finally:
                if process.poll() is None:
                    process.kill()
                process.wait(timeout=30)

    def output(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.logs)


def _start(platform: str, args: tuple[str, ...], env: dict[str, str], cwd: Path,
           log: IO[bytes]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from config.cli import main; main()", "serve", platform]
    return subprocess.Popen([*command, *args], env=env, cwd=cwd, stdout=log, stderr=log)


def _answers(api: TelegramAPIServer, chats: range) -> dict[int, int]:
    return {chat: len(api.messages(chat)) for chat in chats}


def _all_answered(api: TelegramAPIServer, chats: range) -> bool:
    return all(count >= 1 for count in _answers(api, chats).values())


@pytest.fixture
def chats() -> range:
    return range(FIRST_CHAT, FIRST_CHAT + GUESTS)


def test_sigkill_of_polling_serve_telegram_loses_nothing_acknowledged(
    telegram_api: TelegramAPIServer, tmp_path: Path, chats: range
) -> None:
    serve = Serve(tmp_path, "telegram", {"TELEGRAM_BOT_TOKEN": telegram_api.token,
                                         "TELEGRAM_API_BASE_URL": telegram_api.base_url})
    for chat in chats:
        telegram_api.push_text(chat, "hello")

    with serve.running() as process:
        # Kill once Telegram was told the first batch was received.
        started = telegram_api.wait_until(lambda: bool(telegram_api.confirmed()), TIMEOUT)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    acknowledged = len(telegram_api.confirmed())
    answered_before_restart = sum(1 for n in _answers(telegram_api, chats).values() if n)
    with serve.running():
        recovered = telegram_api.wait_until(lambda: _all_answered(telegram_api, chats), TIMEOUT)

    answers = _answers(telegram_api, chats)
    lost = [chat for chat, count in answers.items() if count == 0]
    doubled = [chat for chat, count in answers.items() if count > 1]
    assert started, serve.output()
    assert acknowledged > answered_before_restart  # the kill hit a confirmed backlog
    report = (f"{len(lost)} of {acknowledged} acknowledged updates lost, {len(doubled)} "
              f"answered twice\n{serve.output()}")
    print(report.splitlines()[0])  # the before/after figure (pytest -s)
    assert (recovered, lost) == (True, []), report
    assert len(doubled) <= WORKERS, report


def test_sigkill_of_webhook_serve_telegram_loses_nothing_acknowledged(
    telegram_api: TelegramAPIServer, tmp_path: Path, chats: range, unused_port: int
) -> None:
    serve = Serve(tmp_path, "telegram", {
        "TELEGRAM_BOT_TOKEN": telegram_api.token, "TELEGRAM_API_BASE_URL": telegram_api.base_url,
        "TELEGRAM_WEBHOOK_URL": PUBLIC_URL, "TELEGRAM_WEBHOOK_SECRET": SECRET})
    updates = {chat: telegram_api.text_update(chat, "hello") for chat in chats}
    url = f"http://127.0.0.1:{unused_port}/telegram"

    with serve.running("--port", str(unused_port)) as process:
        assert telegram_api.wait_until(lambda: telegram_api.webhook is not None, TIMEOUT)
        with ThreadPoolExecutor(8) as pool:
            first = [pool.submit(_post, url, updates[chat]) for chat in chats]

            def acknowledged_ahead() -> bool:
                """Some answered, and some more acknowledged than answered: a kill now
                finds acknowledged updates not yet answered (what the test is about)."""
                answered = sum(1 for n in _answers(telegram_api, chats).values() if n)
                acked = sum(1 for f in first if f.done() and f.result() == 200)
                return answered >= 1 and acked >= answered + ACKNOWLEDGED_AHEAD

            telegram_api.wait_until(acknowledged_ahead, TIMEOUT)
            process.send_signal(signal.SIGKILL)
            statuses = [future.result() for future in first]
    acknowledged = [chat for chat, status in zip(chats, statuses, strict=True) if status == 200]
    answered_before_restart = sum(1 for n in _answers(telegram_api, chats).values() if n)
    with serve.running("--port", str(unused_port)):
        # Telegram sends again whatever did not get a 200.
        with ThreadPoolExecutor(8) as pool:
            again = [pool.submit(_post, url, updates[chat], retries=20)
                     for chat, status in zip(chats, statuses, strict=True) if status != 200]
            assert all(future.result() == 200 for future in again), serve.output()
        recovered = telegram_api.wait_until(lambda: _all_answered(telegram_api, chats), TIMEOUT)

    answers = _answers(telegram_api, chats)
    lost = [chat for chat in acknowledged if answers[chat] == 0]
    doubled = [chat for chat, count in answers.items() if count > 1]
    assert len(acknowledged) > answered_before_restart, serve.output()
    report = (f"{len(lost)} of {len(acknowledged)} acknowledged updates lost, {len(doubled)} "
              f"answered twice\n{serve.output()}")
    print(report.splitlines()[0])  # the before/after figure (pytest -s)
    assert (recovered, lost) == (True, []), report
    assert len(doubled) <= WORKERS, report


def _post(url: str, update: dict[str, Any], retries: int = 0) -> int:
    """POSTs an update as Telegram does; 0 when the connection failed (bot down)."""
    transport = httpx.HTTPTransport(retries=retries)
    try:
        with httpx.Client(transport=transport, timeout=10.0) as client:
            return client.post(url, json=update, headers={SECRET_HEADER: SECRET}).status_code
    except httpx.HTTPError:
        return 0


def test_sigterm_of_serve_slack_answers_the_whole_backlog(
    tmp_path: Path, unused_port: int
) -> None:
    url = f"http://127.0.0.1:{unused_port}/slack/events"
    # The process checks signatures against its own (wall) clock: sign at that time.
    with SlackHarness(_never_called, served_at=url, now=datetime.now(UTC)) as slack:
        serve = Serve(tmp_path, "slack", {"SLACK_BOT_TOKEN": BOT_TOKEN,
                                          "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                                          "SLACK_API_URL": slack.api.base_url})
        guests = [f"U0G{n:04d}" for n in range(GUESTS)]
        with serve.running("--port", str(unused_port)) as process:
            with httpx.Client(transport=httpx.HTTPTransport(retries=30), timeout=10) as client:
                assert client.post(url, content=b"{}").status_code == 401  # up, verifying
            with ThreadPoolExecutor(16) as pool:
                statuses = list(pool.map(lambda guest: slack.send_dm(guest, "hello").status,
                                         guests))
            process.send_signal(signal.SIGTERM)
            answered_at_sigterm = len(slack.api.calls("chat.postMessage"))
            returncode = process.wait(timeout=60)
        posts = [call.args.get("channel") for call in slack.api.calls("chat.postMessage")]
        answers = {guest: posts.count(slack.dm_channel(guest)) for guest in guests}

    lost = [guest for guest, count in answers.items() if count == 0]
    doubled = [guest for guest, count in answers.items() if count > 1]
    print(f"{len(lost)} of {len(guests)} acknowledged DMs lost, {len(doubled)} answered twice; "
          f"{answered_at_sigterm} answered at SIGTERM")
    assert statuses == [200] * len(guests)
    assert (lost, doubled, returncode) == ([], [], 0), serve.output()


def _never_called(message: object) -> list[Any]:
    raise AssertionError("the app runs in the slotbot process")
