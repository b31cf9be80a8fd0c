"""A row taken over from a killed process sends only the parts not yet delivered, image included.

A "dead" process (an inbox whose clock is an hour behind, so its lease has run
out for the live one) stored an answer of several parts — a text long enough
to be split, a short text and a chart — delivered the first parts, and died.
The live process's sweep takes the row over and sends the rest: no part twice,
and the chart from the bytes kept in the row (its file is gone).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bots import charts
from bots.charts import Chart
from bots.inbox import Inbox, drawn
from bots.messages import Attachment, IncomingMessage, KeepAnswer, Reply
from bots.telegram import build_application, render_parts
from storage.uow import SqlAlchemyUnitOfWork
from tests.e2e.conftest import FIXED_NOW
from tests.e2e.slack_fixtures import SlackHarness
from tests.e2e.telegram_server import TelegramAPIServer, running_bot

PNG = b"\x89PNG\r\n\x1a\n" + b"chart bytes" * 100
LONG = "\n".join(f"Line {n}: " + "x" * 90 for n in range(60))  # two Telegram messages
GUEST = "U0GUEST"


def never(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
    raise AssertionError("an answered row is only sent again, never handled again")


@pytest.fixture(autouse=True)
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temp directory, watched: sending a stored chart must leave no file in it."""
    watched = tmp_path / "tmp"
    watched.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(watched))
    return watched


def answer(tmp_path: Path) -> list[Reply]:
    """The stored answer: drawn (kept as bytes; the drawn file is removed)."""
    chart = tmp_path / "chart.png"
    chart.write_bytes(PNG)
    replies = drawn([Reply(LONG), Reply("Your numbers", attachment=Attachment(
        "Bookings per day", lambda: str(chart)))])
    assert not chart.exists()
    return replies


def dead_inbox(uow_factory: Callable[[], SqlAlchemyUnitOfWork], platform: str) -> Inbox:
    return Inbox(uow_factory, lambda: FIXED_NOW - timedelta(hours=1), platform=platform)


def test_telegram_takeover_sends_only_the_undelivered_parts_with_the_chart(
        telegram_api: TelegramAPIServer, telegram_inbox: Inbox, inbox_uow_factory, tmp_path,
        temp_dir):
    assert len(render_parts(Reply(LONG))) == 2  # parts: LONG 1/2, LONG 2/2, text, photo
    dead = dead_inbox(inbox_uow_factory, "telegram")
    update = telegram_api.text_update(1001, "stats")
    entry = dead.accept(str(update["update_id"]), update)
    assert entry is not None
    dead.answered(entry, answer(tmp_path))
    dead.sent(entry, 2)  # both parts of the long text were delivered, then the kill

    application = build_application(telegram_api.token, never, base_url=telegram_api.base_url,
                                    inbox=telegram_inbox)
    with running_bot(application):
        text, photo = telegram_api.wait_for_messages(1001, 2)
        assert telegram_api.wait_until(lambda: telegram_inbox.unfinished() == 0)

    assert text.plain_text == "Your numbers"
    assert (photo.photo, photo.plain_text) == (PNG, "Bookings per day")
    assert len(telegram_api.messages(1001)) == 2
    assert list(temp_dir.iterdir()) == []  # the resend wrote no file


def test_slack_takeover_sends_only_the_undelivered_parts_with_the_chart(
        inbox_uow_factory, tmp_path, temp_dir):
    live = Inbox(inbox_uow_factory, lambda: FIXED_NOW, platform="slack")
    dead = dead_inbox(inbox_uow_factory, "slack")
    channel = SlackHarness.dm_channel(GUEST)
    entry = dead.accept("Ev0DEAD", {"kind": "message", "channel": channel, "user": GUEST,
                                    "text": "stats"})
    assert entry is not None
    dead.answered(entry, answer(tmp_path))
    dead.sent(entry, 1)  # the first message was posted, then the kill

    with SlackHarness(never, inbox=live) as slack:
        [post] = slack.api.wait_for_posts(channel, 1)
        [upload] = slack.api.wait_for_calls(
            lambda c: c.method == "files.completeUploadExternal", 1)

    assert live.unfinished() == 0
    assert post.args["text"] == "Your numbers"
    files = upload.args["files"]
    file_id = (files if isinstance(files, list) else json.loads(files))[0]["id"]
    assert slack.api.uploaded(file_id) == PNG
    assert len(slack.api.calls("chat.postMessage")) == 1
    assert list(temp_dir.iterdir()) == []  # the resend wrote no file


@pytest.mark.parametrize("stored", [True, False], ids=["inbox", "no-inbox"])
def test_a_drawn_stats_chart_is_sent_and_leaves_no_file(
        telegram_api: TelegramAPIServer, telegram_inbox: Inbox, temp_dir: Path,
        stored: bool) -> None:
    chart = Chart("Bookings per day", ("Mon", "Tue"), (("Booked", (1, 2)),))

    def stats(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        return [Reply("Your numbers", attachment=Attachment(
            chart.title, lambda: str(charts.render_png(chart))))]

    application = build_application(telegram_api.token, stats, base_url=telegram_api.base_url,
                                    inbox=telegram_inbox if stored else None)
    with running_bot(application):
        telegram_api.push_text(1001, "stats")
        _, photo = telegram_api.wait_for_messages(1001, 2)

    assert photo.photo is not None and photo.photo.startswith(b"\x89PNG")
    assert list(temp_dir.iterdir()) == []
