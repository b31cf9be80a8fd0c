"""Telegram's command menus (``setMyCommands``) and the answer to an unmapped ``/slotbot``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bots.telegram import GUEST_COMMANDS, HOST_COMMANDS, set_command_menus
from config.bootstrap import bootstrap
from config.settings import Settings
from core import services
from core.setup_file import parse_setup

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"


def decoded(call: dict[str, Any], key: str) -> Any:
    value = call.get(key)
    return json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value


def test_guests_get_a_menu_per_language_and_hosts_get_slotbot_in_their_chat(telegram_api):
    set_command_menus(telegram_api.token, [("1001", "de"), ("1002", None)],
                      base_url=telegram_api.base_url)
    calls = telegram_api.calls("setMyCommands")
    default, *by_language = [c for c in calls if not c.get("scope")]
    assert [c["command"] for c in decoded(default, "commands")] == list(GUEST_COMMANDS)
    assert "language_code" not in default
    assert sorted(c["language_code"] for c in by_language) == ["de", "es", "fr", "pt"]
    german = next(c for c in by_language if c["language_code"] == "de")
    assert decoded(german, "commands")[0] == {"command": "start",
                                              "description": "Wählen, mit wem du buchst"}
    hosts = [c for c in calls if c.get("scope")]
    assert [decoded(c, "scope") for c in hosts] == [{"type": "chat", "chat_id": 1001},
                                                   {"type": "chat", "chat_id": 1002}]
    ana, other = (decoded(c, "commands") for c in hosts)
    assert [c["command"] for c in ana] == list(HOST_COMMANDS)
    assert ana[-1]["description"].startswith("Befehle für Gastgeber")  # the host's language
    assert other[-1]["description"].startswith("Host commands")


def test_unmapped_user_typing_slotbot_learns_their_user_id(tmp_path, telegram_api, telegram_bot):
    app = bootstrap(Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'c.db'}"),
                    now=datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=app.uow_factory())
    telegram_bot(app.conversation.handle)
    telegram_api.push_text(4242, "/slotbot today")
    [answer] = telegram_api.wait_for_messages(4242, 1)
    assert "only for hosts" in answer.plain_text
    assert "Your Telegram user id is 4242" in answer.plain_text
    assert "“telegram_user_id: 4242”" in answer.plain_text
