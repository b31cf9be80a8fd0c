"""Hostile names and stale group chats on real storage (SQLite and PostgreSQL)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from bots.conversation import Conversation
from bots.messages import IncomingMessage
from core import services
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.migrate import upgrade

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)

HOSTILE = [
    "Eve\x00Null",
    "\x1b[31mRed\x07 \x7fAlert\r\n",
    "x" * 10_000,
    "\u202eevil.exe\u202c\u2066Bob\u2069",
    "\ud800lonely surrogate",
    "\u200b\u200b\ufeff",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_display_name_never_locks_the_guest_out(uow_factory, name):
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=uow_factory())
    bot = Conversation(uow_factory, lambda: NOW)

    def send(text: str) -> str:
        replies = bot.handle(IncomingMessage("telegram", "555", "555", text=text,
                                             display_name=name))
        return "\n".join(r.text for r in replies)

    send("30 min with Ana tomorrow at 10am")
    assert "Booked #" in send("yes")
    with uow_factory() as uow:
        guest = uow.guests.get("telegram", "555")
        assert guest is not None
        stored = guest.name
    assert stored is None or (len(stored) <= 100 and stored.isprintable())
    assert "Booked #" not in send("what do I have?")  # still answered, not an apology
    assert "went wrong" not in send("help").lower()


def test_group_chats_stored_before_are_replaced_by_the_private_chat(engine_url):
    engine = make_engine(engine_url)
    try:
        upgrade(engine, "0006")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO guests (platform, platform_user_id, chat_id) VALUES "
                "('telegram', '42', '-100777'), ('telegram', '43', '43'), "
                "('slack', 'U1', 'C0GENERAL'), ('slack', 'U2', 'D0DM'), ('console', 'c', 'c')"))
        upgrade(engine)
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT platform_user_id, chat_id FROM guests ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("42", "42"), ("43", "43"), ("U1", "U1"),
                                        ("U2", "D0DM"), ("c", "c")]
