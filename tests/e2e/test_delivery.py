"""Outbox delivery through the real python-telegram-bot and slack_sdk clients against
the local servers, with the servers answering 429 and 500 for a while: everything
arrives afterwards, once, in order per chat."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bots.delivery import (
    DeliverySettings,
    Pacer,
    SlackTransport,
    TelegramTransport,
    Transport,
    deliver_due,
)
from core.models import OutboxMessage, OutboxStatus
from storage.db import make_engine
from storage.migrate import upgrade
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory
from tests.e2e.slack_server import SlackApiServer
from tests.e2e.telegram_server import TelegramAPIServer
from tests.virtual_time import VirtualTime

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
SLACK_TOKEN = "xoxb-test-delivery"
ROOT = Path(__file__).resolve().parents[2]
UowFactory = Callable[[], SqlAlchemyUnitOfWork]


@pytest.fixture
def uow_factory(tmp_path: Path) -> Iterator[UowFactory]:
    engine = make_engine(f"sqlite:///{tmp_path / 'delivery.db'}")
    upgrade(engine)
    yield make_uow_factory(engine)
    engine.dispose()


def _queue(uow_factory: UowFactory, channel: str, chats: list[str], per_chat: int) -> None:
    with uow_factory() as uow:
        for n in range(per_chat):
            for chat in chats:
                payload = {"text": f"message {n} to {chat}"}
                uow.outbox.add(OutboxMessage(channel, chat, "note", payload, created_at=NOW))
        reminder = {"booking_id": 7, "host_name": "Ana <Lima>", "host_timezone": "Europe/Berlin",
                    "event_type": "Intro & chat", "guest_timezone": "Europe/Berlin",
                    "start": "2026-12-01T09:00:00+00:00", "end": "2026-12-01T09:30:00+00:00",
                    "status": "confirmed", "reader": "guest", "minutes_before": 60}
        uow.outbox.add(OutboxMessage(channel, chats[0], "reminder", reminder, created_at=NOW))
        uow.commit()


def _deliver_until_done(uow_factory: UowFactory, channel: str, transport: Transport) -> int:
    """Ticks once a minute (fixed instants) until nothing is queued; returns the passes."""
    time = VirtualTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    for minute in range(15):
        deliver_due(NOW + timedelta(minutes=minute), uow_factory=uow_factory,
                    transports={channel: transport}, pacer=pacer,
                    settings=DeliverySettings(base_delay=timedelta(seconds=30)))
        with uow_factory() as uow:
            if all(m.status is OutboxStatus.SENT for m in uow.outbox.list()):
                return minute + 1
    raise AssertionError("messages still queued after 15 passes")


def test_telegram_outage_delays_messages_then_all_arrive_in_order(
    telegram_api: TelegramAPIServer, uow_factory: UowFactory
) -> None:
    chats = ["1001", "1002"]
    for chat in chats:
        telegram_api.open_chat(int(chat))
    _queue(uow_factory, "telegram", chats, per_chat=3)
    telegram_api.fail_next("sendMessage", 429, "Too Many Requests: retry after 2",
                           {"retry_after": 2})
    for _ in range(3):
        telegram_api.fail_next("sendMessage", 500, "Internal Server Error")

    with TelegramTransport(telegram_api.token, base_url=telegram_api.base_url) as transport:
        passes = _deliver_until_done(uow_factory, "telegram", transport)

    assert passes > 1  # the outage delayed them
    first = [m.plain_text for m in telegram_api.messages(1001)]
    assert first[:3] == [f"message {n} to 1001" for n in range(3)]
    assert first[3] == ("Reminder: Intro & chat with Ana <Lima> in 1 hour, Tue 1 Dec, "
                        "10:00–10:30 (Europe/Berlin) (#7).")
    assert telegram_api.messages(1001)[3].buttons == [
        [("Cancel it", "cancel:7"), ("Reschedule", "move:7")]]
    assert [m.plain_text for m in telegram_api.messages(1002)] == [
        f"message {n} to 1002" for n in range(3)]
    assert len(telegram_api.calls("sendMessage")) == 7 + 4  # every message once, 4 refused


def test_slack_429_and_500_delay_messages_then_all_arrive_in_order(
    uow_factory: UowFactory,
) -> None:
    chats = ["U0ANA", "U0BRUNO"]
    _queue(uow_factory, "slack", chats, per_chat=3)
    with SlackApiServer(token=SLACK_TOKEN) as slack:
        slack.rate_limit("chat.postMessage", times=2, retry_after=3)
        slack.fail("chat.postMessage", times=2)
        transport = SlackTransport(SLACK_TOKEN, base_url=slack.base_url)
        passes = _deliver_until_done(uow_factory, "slack", transport)
        posts = slack.calls("chat.postMessage")

    assert passes > 1
    delivered: dict[str, list[str]] = {}
    for call in posts[4:]:  # the first four were refused
        delivered.setdefault(call.args["channel"], []).append(call.args["text"])
    assert delivered["U0BRUNO"] == [f"message {n} to U0BRUNO" for n in range(3)]
    assert delivered["U0ANA"][:3] == [f"message {n} to U0ANA" for n in range(3)]
    assert delivered["U0ANA"][3].startswith("Reminder: Intro &amp; chat with Ana &lt;Lima&gt;")
    assert len(posts) == 7 + 4


def test_unknown_chat_is_marked_failed_and_shown_as_such(
    telegram_api: TelegramAPIServer, uow_factory: UowFactory
) -> None:
    with uow_factory() as uow:
        uow.outbox.add(OutboxMessage("telegram", "555", "note", {"text": "hi"}, created_at=NOW))
        uow.commit()
    with TelegramTransport(telegram_api.token, base_url=telegram_api.base_url) as transport:
        report = deliver_due(NOW, uow_factory=uow_factory, transports={"telegram": transport},
                             pacer=Pacer(clock=VirtualTime().clock, sleep=lambda s: None))
    telegram_api.errors.clear()  # the refusal was the point
    assert report.failed == 1
    with uow_factory() as uow:
        [message] = uow.outbox.list()
    assert message.status is OutboxStatus.FAILED
    assert message.last_error == "telegram: Chat not found"


_SENDER = """
import sys
from datetime import datetime
from bots.delivery import Pacer, TelegramTransport, deliver_due
from storage.db import make_engine
from storage.uow import make_uow_factory

factory = make_uow_factory(make_engine(sys.argv[1]))
with TelegramTransport(sys.argv[2], base_url=sys.argv[3]) as transport:
    deliver_due(datetime.fromisoformat(sys.argv[4]), uow_factory=factory,
                transports={"telegram": transport}, pacer=Pacer({}))
"""


def test_sender_killed_mid_pass_resends_at_most_the_message_in_flight(
    telegram_api: TelegramAPIServer, uow_factory: UowFactory, tmp_path: Path
) -> None:
    """Delivery is at least once: a SIGKILL between a send and its record makes that one
    message go again once the claim's lease ends; nothing is lost, order holds."""
    chats = ["2001", "2002", "2003"]
    for chat in chats:
        telegram_api.open_chat(int(chat))
    _queue(uow_factory, "telegram", chats, per_chat=10)
    sender = subprocess.Popen(
        [sys.executable, "-c", _SENDER, f"sqlite:///{tmp_path / 'delivery.db'}",
         telegram_api.token, telegram_api.base_url, NOW.isoformat()],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
    )
    try:
        telegram_api.wait_for_messages(chats[0], 4, timeout=20)
    finally:
        sender.send_signal(signal.SIGKILL)
        sender.wait(10)

    lease_over = NOW + DeliverySettings().lease
    with TelegramTransport(telegram_api.token, base_url=telegram_api.base_url) as transport:
        deliver_due(lease_over, uow_factory=uow_factory, transports={"telegram": transport},
                    pacer=Pacer({}))

    texts = {chat: [m.plain_text for m in telegram_api.messages(chat)] for chat in chats}
    duplicates = sum(len(t) - len(set(t)) for t in texts.values())
    assert duplicates <= 1
    for chat in chats:
        expected = [f"message {n} to {chat}" for n in range(10)]
        assert list(dict.fromkeys(t for t in texts[chat] if t.startswith("message"))) == expected
    with uow_factory() as uow:
        assert {m.status for m in uow.outbox.list()} == {OutboxStatus.SENT}


class _RefusesSecondSend(TelegramAPIServer):
    """The local Bot API answering 429 (retry after 1 s) to the second ``sendMessage``."""

    def call(self, method: str, params: dict[str, Any]) -> Any:
        if method == "sendMessage" and len(self.calls("sendMessage")) == 1:
            self.fail_next(method, 429, "Too Many Requests: retry after 1", {"retry_after": 1})
        return super().call(method, params)


def test_a_message_split_for_length_is_sent_once_in_parts_after_a_429(
    uow_factory: UowFactory,
) -> None:
    lines = [f"line {n:04d} of a long digest" for n in range(450)]  # ~12,600 characters
    with uow_factory() as uow:
        uow.outbox.add(OutboxMessage("telegram", "3001", "note", {"text": "\n".join(lines)},
                                     created_at=NOW))
        uow.outbox.add(OutboxMessage("telegram", "3001", "note", {"text": "after it"},
                                     created_at=NOW))
        uow.commit()
    with _RefusesSecondSend() as server:
        server.open_chat(3001)
        with TelegramTransport(server.token, base_url=server.base_url) as transport:
            passes = _deliver_until_done(uow_factory, "telegram", transport)
        texts = [m.plain_text for m in server.messages(3001)]

    assert passes == 2  # the 429 on the second part put the rest off to the next pass
    assert len(texts) == 4 and texts[-1] == "after it"  # three parts, each once, then the next
    assert "\n".join(texts[:-1]) == "\n".join(lines)
