"""Log lines: one per event, text or JSON, and private whatever the library logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from config import logs

REAL_SHAPED_TOKEN = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"


@pytest.fixture
def capture() -> Iterator[tuple[io.StringIO, logging.Handler]]:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure(level="DEBUG", stream=stream, secrets=["configured-secret-1"])
    yield stream, handler
    root.removeHandler(handler)
    root.setLevel(level)


def test_token_shapes_url_passwords_and_emails_are_cleaned():
    line = logs.redact(
        f"POST https://api.telegram.org/bot{REAL_SHAPED_TOKEN}/getMe xoxb-12-34-abc "
        "xapp-1-A0-99-ff Authorization: Bearer abc.def redis://:pw@host/0 carol@example.org")
    assert REAL_SHAPED_TOKEN not in line and "/bot***/getMe" in line
    assert "xoxb-" not in line and "xapp-" not in line and "abc.def" not in line
    assert "redis://:***@host/0" in line
    assert "car***@example.org" in line


def test_sql_parameters_are_dropped_above_debug_only():
    text = "(psycopg.DataError) bad [SQL: INSERT INTO guests] [parameters: ('Eve\\x00', 1)]"
    assert "Eve" not in logs.redact(text)
    assert "[parameters hidden]" in logs.redact(text)
    assert "Eve" in logs.redact(text, debug=True)


def test_hostile_webhook_payload_is_logged_by_size_only(capture):
    stream, _ = capture
    logging.getLogger("telegram.ext._utils.webhookhandler").critical(
        "Received data was *not* processed! Received data was: %r",
        {"update_id": 5, "message": {"text": "x" * 10_000}})
    line = stream.getvalue()
    assert "<dict of 2 keys>" in line and "x" * 50 not in line


def test_third_party_f_string_dumps_are_cut(capture):
    stream, _ = capture
    logging.getLogger("slack_sdk.web.base_client").debug(
        "Sending a request - url: https://slack.com/api/chat.postMessage, "
        "body_params: {'text': 'my private words'}")
    line = stream.getvalue()
    assert "chat.postMessage" in line and "private words" not in line


def test_own_lines_keep_ids_and_mask_configured_secrets(capture):
    stream, _ = capture
    logging.getLogger("bots.delivery").warning(
        "outbox message %s to %s:%s failed: %s", 7, "email", "dora@example.com",
        "login refused for configured-secret-1")
    line = stream.getvalue()
    assert "outbox message 7 to email:dor***@example.com failed" in line
    assert "configured-secret-1" not in line


def test_text_format_is_one_line_with_timestamp_even_with_a_traceback(capture):
    stream, _ = capture
    try:
        raise RuntimeError(f"boom with {REAL_SHAPED_TOKEN}")
    except RuntimeError:
        logging.getLogger("config.periodic").exception("periodic jobs failed")
    [line] = stream.getvalue().splitlines()
    assert line[:4].isdigit() and line[10] == "T" and " ERROR config.periodic: " in line
    assert "RuntimeError: boom with ***" in line and REAL_SHAPED_TOKEN not in line


def test_json_format_is_one_object_per_line():
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure(level="INFO", fmt="json", stream=stream)
    try:
        logging.getLogger("config.periodic").info("tick: %s", "delivered 1")
        logging.getLogger("config.periodic").debug("not shown")
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    [entry] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert entry["level"] == "INFO" and entry["message"] == "tick: delivered 1"
    assert entry["logger"] == "config.periodic" and entry["ts"].endswith("Z")


def test_unknown_format_or_level_is_refused():
    with pytest.raises(ValueError, match="text, json"):
        logs.configure(fmt="xml")
    with pytest.raises(ValueError, match="DEBUG"):
        logs.configure(level="LOUD")


def test_sentry_events_are_scrubbed_of_personal_data():
    event = {"message": "failed for carol@example.org", "user": {"email": "carol@example.org"},
             "exception": {"values": [{"value": f"url .../bot{REAL_SHAPED_TOKEN}/x"}]},
             "request": {"data": "body text", "url": "https://bot.example.com/telegram"}}
    scrubbed = logs.scrub_event(event)
    assert "user" not in scrubbed and "data" not in scrubbed["request"]
    assert scrubbed["message"] == "failed for car***@example.org"
    assert REAL_SHAPED_TOKEN not in json.dumps(scrubbed)
