"""The Telegram adapter's pure parts: rendering a Reply and translating an Update."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from telegram import Update

from bots.messages import Choice, IncomingMessage, Reply
from bots.telegram import (
    MAX_TEXT_LENGTH,
    build_application,
    render,
    render_parts,
    split_text,
    to_incoming,
)

USER: dict[str, Any] = {
    "id": 1001,
    "is_bot": False,
    "first_name": "Ana",
    "last_name": "Lima",
    "language_code": "pt-BR",
}
CHAT: dict[str, Any] = {"id": 1001, "type": "private", "first_name": "Ana"}


def _keyboard(reply: Reply) -> list[list[tuple[str, str]]]:
    markup = render(reply)["reply_markup"]
    return [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- render ----------------------------------------------------------------------------


def test_render_escapes_all_markup_in_plain_text_as_html() -> None:
    rendered = render(Reply('Booked for <b>Ana & "Co"</b>'))

    assert rendered == {
        "text": 'Booked for &lt;b&gt;Ana &amp; "Co"&lt;/b&gt;',
        "parse_mode": "HTML",
        "reply_markup": None,
    }


def test_render_lays_short_labels_out_two_per_row() -> None:
    reply = Reply("Pick one", (Choice("Mon 10:00", "s:1"), Choice("Mon 11:00", "s:2"),
                               Choice("Later times", "more")))  # fmt: skip

    assert _keyboard(reply) == [[("Mon 10:00", "s:1"), ("Mon 11:00", "s:2")],
                                [("Later times", "more")]]  # fmt: skip


def test_render_puts_each_long_label_on_its_own_row() -> None:
    reply = Reply("Sure?", (Choice("Yes, cancel it", "y"), Choice("No, keep my booking", "n")))

    assert _keyboard(reply) == [[("Yes, cancel it", "y")], [("No, keep my booking", "n")]]


def test_render_accepts_a_payload_of_exactly_64_bytes() -> None:
    payload = "é" * 32  # 64 bytes in UTF-8

    assert _keyboard(Reply("Pick", (Choice("A", payload),))) == [[("A", payload)]]


@pytest.mark.parametrize("payload", ["é" * 33, "x" * 65, ""])
def test_render_refuses_a_payload_telegram_would_reject(payload: str) -> None:
    with pytest.raises(ValueError, match="payload"):
        render(Reply("Pick", (Choice("A", payload),)))


@pytest.mark.parametrize("text", ["", "  \n"])
def test_render_refuses_an_empty_text(text: str) -> None:
    with pytest.raises(ValueError, match="without text"):
        render(Reply(text))


def test_render_refuses_a_text_over_the_limit() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        render(Reply("x" * (MAX_TEXT_LENGTH + 1)))


def test_render_parts_keeps_a_fitting_reply_whole() -> None:
    reply = Reply("x" * MAX_TEXT_LENGTH, (Choice("OK", "ok"),))

    assert render_parts(reply) == [render(reply)]


def test_render_parts_splits_at_line_breaks_and_puts_buttons_last() -> None:
    lines = [f"{n:03} " + "y" * 95 for n in range(60)]  # 60 lines of 99 characters
    reply = Reply("\n".join(lines), (Choice("OK", "ok"),))

    parts = render_parts(reply)

    assert [p["text"] for p in parts] == ["\n".join(lines[:40]), "\n".join(lines[40:])]
    assert [p["reply_markup"] is None for p in parts] == [True, False]


def test_split_text_falls_back_to_spaces_then_to_a_hard_cut() -> None:
    assert split_text("aaa bbb cc", limit=5) == ["aaa", "bbb", "cc"]
    assert split_text("abcdefghij", limit=4) == ["abcd", "efgh", "ij"]


def test_split_text_counts_utf16_units_and_never_cuts_a_surrogate_pair() -> None:
    text = "🙂" * 5  # each emoji is 2 UTF-16 units

    chunks = split_text(text, limit=3)

    assert chunks == ["🙂", "🙂", "🙂", "🙂", "🙂"]
    assert all(_utf16(chunk) <= 3 for chunk in chunks)


def test_render_parts_drops_blank_parts() -> None:
    reply = Reply("a" + "\n" * (MAX_TEXT_LENGTH + 10), (Choice("OK", "ok"),))

    parts = render_parts(reply)

    assert len(parts) == 1  # the rest was only line breaks
    assert parts[0]["text"].startswith("a\n")
    assert parts[0]["reply_markup"] is not None


# --- to_incoming -----------------------------------------------------------------------


def test_text_message_translates_to_incoming_message() -> None:
    update = Update.de_json(
        {
            "update_id": 1,
            "message": {"message_id": 5, "date": 0, "chat": CHAT, "from": USER,
                        "text": "/start ana"},
        },
        None,
    )  # fmt: skip

    assert to_incoming(update) == IncomingMessage(
        platform="telegram",
        chat_id="1001",
        user_id="1001",
        text="/start ana",
        display_name="Ana Lima",
        locale="pt-BR",
    )


def test_button_press_translates_to_payload_without_text() -> None:
    update = Update.de_json(
        {
            "update_id": 2,
            "callback_query": {
                "id": "q1",
                "from": USER,
                "chat_instance": "c",
                "data": "slot:42",
                "message": {"message_id": 6, "date": 0, "chat": CHAT, "text": "Pick"},
            },
        },
        None,
    )

    incoming = to_incoming(update)

    assert incoming is not None
    assert (incoming.chat_id, incoming.text, incoming.payload) == ("1001", "", "slot:42")


def test_button_press_on_inline_message_is_answered_in_private_chat() -> None:
    update = Update.de_json(
        {
            "update_id": 3,
            "callback_query": {"id": "q2", "from": USER, "chat_instance": "c",
                               "inline_message_id": "im", "data": "yes"},
        },
        None,
    )  # fmt: skip

    incoming = to_incoming(update)

    assert incoming is not None
    assert incoming.chat_id == "1001"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/slotbot@SlotBot today", "/slotbot today"),
        ("/start@slotbot", "/start"),
        ("/slotbot@OtherBot today", "/slotbot@OtherBot today"),
        ("mail me at ana@slotbot", "mail me at ana@slotbot"),
    ],
)
def test_only_commands_addressed_to_this_bot_lose_the_mention(text: str, expected: str) -> None:
    update = Update.de_json(
        {"update_id": 4, "message": {"message_id": 7, "date": 0, "chat": CHAT, "from": USER,
                                     "text": text}},
        None,
    )  # fmt: skip

    incoming = to_incoming(update, bot_username="slotbot")

    assert incoming is not None
    assert incoming.text == expected


def test_message_without_text_is_not_translated() -> None:
    update = Update.de_json(
        {"update_id": 5, "message": {"message_id": 8, "date": 0, "chat": CHAT, "from": USER,
                                     "caption": "me", "photo": [{"file_id": "f",
                                     "file_unique_id": "u", "width": 1, "height": 1}]}},
        None,
    )  # fmt: skip

    assert to_incoming(update) is None


# --- build_application -----------------------------------------------------------------


def test_build_application_derives_the_file_url_and_quiets_httpx() -> None:
    logging.getLogger("httpx").setLevel(logging.INFO)

    application = build_application("1:T", lambda _: [], base_url="http://127.0.0.1:8081/bot")

    assert application.bot.base_url == "http://127.0.0.1:8081/bot1:T"
    assert application.bot.base_file_url == "http://127.0.0.1:8081/file/bot1:T"
    assert logging.getLogger("httpx").level == logging.WARNING
