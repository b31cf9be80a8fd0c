"""The Telegram adapter through the real python-telegram-bot stack and a local Bot API server.

A scripted stand-in conversation replaces the real one: these tests are about
translation, rendering and failure handling, not about booking.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import httpx
import pytest
from telegram.error import InvalidToken
from telegram.ext import Application

from bots import texts
from bots.messages import Choice, IncomingMessage, KeepAnswer, Reply
from bots.telegram import MAX_TEXT_LENGTH, Handle, build_application
from tests.e2e.telegram_server import TelegramAPIServer, running_bot

ANA = 1001
LONG_TEXT = "\n".join(f"Line {n}: " + "x" * 90 for n in range(100))


class ScriptedConversation:
    """Greets by name with two choices, echoes button payloads, fails on ``boom``."""

    def __init__(self) -> None:
        self.received: list[IncomingMessage] = []
        self._lock = threading.Lock()

    def __call__(self, message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        with self._lock:
            self.received.append(message)
        if message.payload is not None:
            return [Reply(f"You chose {message.payload}")]
        if message.text == "boom":
            raise RuntimeError("the conversation broke")
        if message.text == "long":
            return [Reply(LONG_TEXT, (Choice("Done", "done"),))]
        return [
            Reply(
                f"Hello {message.display_name}, you said: {message.text}",
                (Choice("Yes", "yes"), Choice("No", "no")),
            )
        ]


@pytest.fixture
def conversation(telegram_bot: Callable[[Handle], Application]) -> ScriptedConversation:
    script = ScriptedConversation()
    telegram_bot(script)
    return script


def test_text_message_reaches_handle_with_telegram_identity(
    telegram_api: TelegramAPIServer, conversation: ScriptedConversation
) -> None:
    telegram_api.push_text(ANA, "/start ana", name="Ana Lima", language_code="de")

    telegram_api.wait_for_messages(ANA, 1)

    assert conversation.received == [
        IncomingMessage(
            platform="telegram",
            chat_id=str(ANA),
            user_id=str(ANA),
            text="/start ana",
            display_name="Ana Lima",
            locale="de",
        )
    ]


def test_markup_in_display_name_arrives_escaped(
    telegram_api: TelegramAPIServer, conversation: ScriptedConversation
) -> None:
    telegram_api.push_text(ANA, "hi", name="<b>& Co")

    [message] = telegram_api.wait_for_messages(ANA, 1)

    assert message.parse_mode == "HTML"
    assert message.text == "Hello &lt;b&gt;&amp; Co, you said: hi"
    assert message.plain_text == "Hello <b>& Co, you said: hi"


def test_choices_arrive_as_inline_keyboard_with_payloads(
    telegram_api: TelegramAPIServer, conversation: ScriptedConversation
) -> None:
    telegram_api.push_text(ANA, "hi")

    [message] = telegram_api.wait_for_messages(ANA, 1)

    assert message.buttons == [[("Yes", "yes"), ("No", "no")]]


def test_button_press_reaches_handle_with_payload_and_is_answered(
    telegram_api: TelegramAPIServer, conversation: ScriptedConversation
) -> None:
    telegram_api.push_text(ANA, "hi", name="Ana Lima")
    [question] = telegram_api.wait_for_messages(ANA, 1)

    query_id = telegram_api.press_button(ANA, question, "no", name="Ana Lima")

    telegram_api.wait_for_callback_answer(query_id)
    [answer] = telegram_api.wait_for_messages(ANA, 1)
    assert answer.text == "You chose no"
    assert conversation.received[-1] == IncomingMessage(
        platform="telegram",
        chat_id=str(ANA),
        user_id=str(ANA),
        text="",
        display_name="Ana Lima",
        payload="no",
        locale="en",
    )


def test_pressed_keyboard_is_removed_so_stale_buttons_cannot_be_pressed_again(
    telegram_api: TelegramAPIServer, conversation: ScriptedConversation
) -> None:
    telegram_api.push_text(ANA, "hi")
    [question] = telegram_api.wait_for_messages(ANA, 1)

    telegram_api.press_button(ANA, question, "yes")
    telegram_api.wait_for_messages(ANA, 1)

    assert question.buttons == []
    with pytest.raises(AssertionError, match="no button"):
        telegram_api.press_button(ANA, question, "yes")


def test_exception_in_handle_yields_apology_and_is_logged(
    telegram_api: TelegramAPIServer,
    conversation: ScriptedConversation,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="bots.telegram")

    telegram_api.push_text(ANA, "boom")

    [message] = telegram_api.wait_for_messages(ANA, 1)
    assert message.plain_text == texts.apology()
    [record] = [r for r in caplog.records if r.name.startswith("bots.telegram")]
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)


def test_long_text_is_split_into_messages_telegram_accepts(
    telegram_api: TelegramAPIServer, conversation: ScriptedConversation
) -> None:
    telegram_api.push_text(ANA, "long")

    first, second, third = telegram_api.wait_for_messages(ANA, 3)

    parts = [first, second, third]
    assert all(len(m.plain_text) <= MAX_TEXT_LENGTH for m in parts)
    assert "\n".join(m.plain_text for m in parts) == LONG_TEXT
    assert [m.buttons for m in parts] == [[], [], [[("Done", "done")]]]


# PTB itself reads RetryAfter.retry_after, which warns about its coming type change.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_send_refused_with_429_is_retried_after_the_servers_delay(
    telegram_api: TelegramAPIServer, conversation: ScriptedConversation
) -> None:
    telegram_api.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 0.01", {"retry_after": 0.01}
    )

    telegram_api.push_text(ANA, "hi")

    [message] = telegram_api.wait_for_messages(ANA, 1)
    assert message.plain_text.startswith("Hello")
    assert len(telegram_api.calls("sendMessage")) == 2


def test_command_addressed_to_this_bot_loses_the_mention(
    telegram_api: TelegramAPIServer, conversation: ScriptedConversation
) -> None:
    telegram_api.push_text(ANA, "/slotbot@slotbot_test_bot today")

    telegram_api.wait_for_messages(ANA, 1)

    assert conversation.received[-1].text == "/slotbot today"


def test_bot_with_wrong_token_fails_to_start(telegram_api: TelegramAPIServer) -> None:
    application = build_application(
        "42:WRONG", ScriptedConversation(), base_url=telegram_api.base_url
    )

    with pytest.raises(InvalidToken), running_bot(application):
        pass


def test_server_refuses_unescaped_html_like_telegram(telegram_api: TelegramAPIServer) -> None:
    telegram_api.push_text(ANA, "hi")
    url = f"{telegram_api.base_url}{telegram_api.token}/sendMessage"

    refused = httpx.post(url, data={"chat_id": ANA, "text": "<b>& Co", "parse_mode": "HTML"})
    accepted = httpx.post(url, json={"chat_id": ANA, "text": "&lt;b&gt;&amp; Co"})

    assert refused.status_code == 400
    assert "can't parse entities" in refused.json()["description"]
    assert accepted.json()["result"]["text"] == "&lt;b&gt;&amp; Co"
    telegram_api.errors.clear()  # the refusal was this test's point
