"""The Slack app manifest in deploy/ grants what the adapter uses, and no more."""

from pathlib import Path

import yaml

from bots.slack import COMMAND

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "slack" / "manifest.yaml"


def test_manifest_subscribes_to_dms_buttons_and_the_slash_command():
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    settings, features = manifest["settings"], manifest["features"]
    assert settings["event_subscriptions"]["bot_events"] == ["message.im", "app_home_opened"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert features["app_home"]["messages_tab_enabled"] is True
    assert features["app_home"]["home_tab_enabled"] is True


def test_manifest_scopes_cover_the_web_api_methods_called():
    scopes = set(yaml.safe_load(MANIFEST.read_text())["oauth_config"]["scopes"]["bot"])
    # chat.postMessage, users.info, conversations.open, message.im events, /slotbot,
    # files_upload_v2 (views.publish needs no scope of its own)
    assert scopes == {"chat:write", "users:read", "im:write", "im:history", "im:read",
                      "commands", "files:write"}
