"""Names and texts from platforms are cleaned at the edge (IncomingMessage)."""

import pytest

from bots.messages import IncomingMessage
from core.clean_text import MAX_NAME_CHARS, clean_name, clean_text


@pytest.mark.parametrize(("raw", "clean"), [
    ("Eve\x00Null", "EveNull"),
    ("  Ana\n\tLima  ", "Ana Lima"),
    ("\u202eexe.txt\u202c", "exe.txt"),
    ("\u2066Bob\u2069 \u200bSmith\ufeff", "Bob Smith"),
    ("\x1b[31mRed\x07", "[31mRed"),
    ("\ud800Ana", "Ana"),
    ("Zoë", "Zoë"),
    ("\u0645\u200c\u062d\u0645\u062f", "\u0645\u200c\u062d\u0645\u062f"),  # ZWNJ stays
    ("👩\u200d💻 Dev", "👩\u200d💻 Dev"),  # ZWJ emoji stays
    ("\x00\u200b", None),
    (None, None),
])
def test_clean_name(raw, clean):
    assert clean_name(raw) == clean


def test_long_names_are_capped_without_a_dangling_combining_mark():
    assert clean_name("x" * 10_000) == "x" * MAX_NAME_CHARS
    name = clean_name("a" * (MAX_NAME_CHARS - 1) + "e\u0301\u0301")  # é plus a stray accent
    assert name is not None and len(name) <= MAX_NAME_CHARS
    assert not name.endswith("\u0301\u0301")


def test_clean_text_keeps_lines_and_drops_controls():
    assert clean_text("book\x00 friday\r\n3pm\u202e") == "book friday\n3pm"


def test_incoming_messages_are_cleaned_for_every_adapter():
    message = IncomingMessage("slack", "D1", "U1", text="hi\x00", display_name="\u202eEve\x00",
                              payload="yes\x00", locale="x" * 50, timezone="Europe/Berlin")
    assert (message.text, message.display_name, message.payload) == ("hi", "Eve", "yes")
    assert message.locale is None and message.timezone == "Europe/Berlin"
