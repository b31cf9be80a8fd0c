"""The Telegram message path: inbox (duplicates dropped), chats concurrent, each chat in order."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from telegram.ext import Application

from bots.conversation import Conversation
from bots.inbox import Inbox
from bots.messages import IncomingMessage, KeepAnswer, Reply
from bots.telegram import SECRET_HEADER, Concurrency, build_application, start_webhook
from storage.db import make_engine
from storage.uow import make_uow_factory
from tests.e2e.conftest import FIXED_NOW
from tests.e2e.telegram_server import Echo, TelegramAPIServer, running_bot
from tests.e2e.transactions import answering, committed_transactions

PUBLIC_URL = "https://bot.example.com/telegram"
SECRET = "inbox-test-secret"



@pytest.fixture
def bot(telegram_api: TelegramAPIServer, telegram_inbox: Inbox) -> Iterator[Echo]:
    recorder = Echo()
    application = build_application(telegram_api.token, recorder, base_url=telegram_api.base_url,
                                    inbox=telegram_inbox)
    with running_bot(application):
        yield recorder


def test_a_redelivered_update_id_is_handled_and_answered_once(
    telegram_api: TelegramAPIServer, telegram_inbox: Inbox, bot: Echo
) -> None:
    first = telegram_api.push_text(1001, "yes")
    telegram_api.wait_for_messages(1001, 1)
    telegram_api.redeliver(first)
    telegram_api.push_text(1001, "after")

    replies = telegram_api.wait_for_messages(1001, 1)

    assert [r.plain_text for r in replies] == ["Got: after"]
    assert [m.text for m in bot.received] == ["yes", "after"]
    assert [m.plain_text for m in telegram_api.messages(1001)] == ["Got: yes", "Got: after"]


def test_webhook_posts_of_one_update_are_handled_once_and_both_get_200(
    telegram_api: TelegramAPIServer, telegram_inbox: Inbox, unused_port: int
) -> None:
    recorder = Echo()
    application = build_application(telegram_api.token, recorder, base_url=telegram_api.base_url,
                                    inbox=telegram_inbox)
    update = telegram_api.text_update(1001, "yes")
    later = telegram_api.text_update(1001, "later")
    with running_bot(application, start_updater=lambda app: start_webhook(
            app, url=PUBLIC_URL, secret_token=SECRET, port=unused_port, listen="127.0.0.1")):
        url = f"http://127.0.0.1:{unused_port}/telegram"
        with httpx.Client(transport=httpx.HTTPTransport(retries=5), timeout=5) as client:
            statuses = [client.post(url, json=body, headers={SECRET_HEADER: SECRET}).status_code
                        for body in (update, update, later)]
        telegram_api.wait_for_messages(1001, 2)

    assert statuses == [200, 200, 200]
    assert [m.text for m in recorder.received] == ["yes", "later"]
    assert telegram_inbox.unfinished() == 0  # stopping drained it


def test_chats_are_handled_concurrently_and_each_chat_in_order(
    telegram_api: TelegramAPIServer,
) -> None:
    other_chat_done = threading.Event()
    order: list[str] = []
    lock = threading.Lock()

    def handle(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        if message.text == "slow 0":
            # Single-lane handling would wait here forever: chat 2 comes after.
            assert other_chat_done.wait(5), "chat 2 was not handled while chat 1 waited"
        with lock:
            order.append(message.text)
        if message.chat_id == "2":
            other_chat_done.set()
        return [Reply(f"Got: {message.text}")]

    application = build_application(telegram_api.token, handle, base_url=telegram_api.base_url,
                                    concurrency=Concurrency(workers=4))
    with running_bot(application):
        for n in range(4):  # a chat's answers go a second apart (Telegram's pace)
            telegram_api.push_text(1, f"slow {n}")
        telegram_api.push_text(2, "quick")
        chat_1 = telegram_api.wait_for_messages(1, 4, timeout=10)
        telegram_api.wait_for_messages(2, 1)

    assert order[0] == "quick"
    assert [m.plain_text for m in chat_1] == [f"Got: slow {n}" for n in range(4)]
    assert [text for text in order if text != "quick"] == [f"slow {n}" for n in range(4)]


def test_a_flooding_chat_holds_one_worker_at_most(telegram_api: TelegramAPIServer) -> None:
    release = threading.Event()

    def handle(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        if message.chat_id == "1":
            release.wait(5)
        return [Reply(f"Got: {message.text}")]

    application: Application = build_application(
        telegram_api.token, handle, base_url=telegram_api.base_url,
        concurrency=Concurrency(workers=2))
    with running_bot(application):
        for n in range(5):  # more than the workers; answered a second apart
            telegram_api.push_text(1, f"flood {n}")
        telegram_api.push_text(2, "hello")
        [reply] = telegram_api.wait_for_messages(2, 1)  # while chat 1 is stuck
        release.set()
        telegram_api.wait_for_messages(1, 5, timeout=10)

    assert reply.plain_text == "Got: hello"


def test_an_update_is_answered_in_the_transaction_of_its_turn(
        telegram_api: TelegramAPIServer, tmp_path: Path,
        sqlite_at_head: Callable[[Path], str]) -> None:
    engine = make_engine(sqlite_at_head(tmp_path / "telegram.db"))
    uow_factory = make_uow_factory(engine)
    inbox = Inbox(uow_factory, lambda: FIXED_NOW, platform="telegram")
    application = build_application(
        telegram_api.token, Conversation(uow_factory, lambda: FIXED_NOW).handle,
        base_url=telegram_api.base_url, inbox=inbox)
    try:
        with committed_transactions(engine) as transactions, running_bot(application):
            telegram_api.push_text(1001, "hello")
            [reply] = telegram_api.wait_for_messages(1001, 1)
        assert inbox.unfinished() == 0  # stopping wrote the done mark
    finally:
        engine.dispose()
    assert reply.plain_text
    [turn] = answering(transactions)  # written once, by the turn's own transaction
    assert any(s.startswith("UPDATE conversation_states") for s in turn)
