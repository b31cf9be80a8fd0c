"""The tick keeps calendars warm; ``slotbot slots`` and ``slotbot calendars`` see the feed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from core import services
from storage.calendars.ics import IcsFetcher
from storage.calendars.sync import overview, refresh_due
from tests.integration.calendars.conftest import CalendarApp
from tests.integration.calendars.feeds import FEED, host_setup
from tests.integration.calendars.loopback import Answer, Loopback, Request, serve


def _feed(_: Request) -> Answer:
    return Answer(200, FEED, {"Content-Type": "text/calendar"})


@pytest.fixture
def feed() -> Iterator[Loopback]:
    with serve(_feed) as server:
        yield server


def _ask(app: CalendarApp) -> None:
    start = datetime(2026, 3, 2, tzinfo=UTC)
    services.free_slots("ana", "intro", start, start + timedelta(days=1),
                        uow=app.uow_factory(), clock=app.clock)


def test_tick_refreshes_calendars_in_demand_only_when_due(
        make_app: Callable[..., CalendarApp], feed: Loopback) -> None:
    app = make_app({"ics": IcsFetcher(timeout=5)})
    app.load(host_setup([{"ics": f"{feed.url}/ana.ics"}]))
    assert refresh_due(app.clock(), app.hub).refreshed == 0      # nobody asked yet
    _ask(app)
    assert len(feed.requests) == 1
    app.clock.now += timedelta(minutes=1)
    assert refresh_due(app.clock(), app.hub).refreshed == 0      # fetched a minute ago
    app.clock.now += timedelta(minutes=2)
    assert refresh_due(app.clock(), app.hub).refreshed == 1
    assert len(feed.requests) == 2
    app.clock.now += timedelta(minutes=1)
    _ask(app)                                                     # warm: no request
    assert len(feed.requests) == 2


def test_tick_failures_back_off_and_keep_the_last_busy_time(
        make_app: Callable[..., CalendarApp], feed: Loopback) -> None:
    app = make_app({"ics": IcsFetcher(timeout=5)})
    app.load(host_setup([{"ics": f"{feed.url}/ana.ics"}]))
    _ask(app)
    feed.mode = "500"
    app.clock.now += timedelta(minutes=3)
    assert refresh_due(app.clock(), app.hub).failed == 1
    assert refresh_due(app.clock(), app.hub).failed == 0          # in its backoff
    with app.hub.session_factory() as session:
        [row] = overview(session, "ana")
    assert row["last_error"] == "HTTP 500" and row["busy_count"] > 0
    assert row["last_sync"] == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


ROOT = Path(__file__).resolve().parents[3]


def test_cli_slots_avoid_feed_meetings_and_calendars_reports_them(tmp_path: Path,
                                                                 feed: Loopback) -> None:
    setup = tmp_path / "hosts.yaml"
    setup.write_text(yaml.safe_dump(host_setup([{"ics": f"{feed.url}/ana.ics"}])))
    env = {**os.environ, "SLOTBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    slotbot = Path(sys.executable).parent / "slotbot"

    def run(*args: str) -> str:
        done = subprocess.run([str(slotbot), *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("load", str(setup))
    slots = json.loads(run("slots", "ana", "intro", "--from", "2026-03-02", "--to",
                           "2026-03-02", "--now", "2026-03-01T12:00:00+00:00", "--json"))
    assert [s["start"] for s in slots] == ["2026-03-02T08:00:00Z", "2026-03-02T10:00:00Z"]
    [row] = json.loads(run("calendars", "ana", "--json"))
    assert row["kind"] == "ics" and row["calendar"] == "ics 127.0.0.1"
    assert row["last_sync"] == "2026-03-01T12:00:00Z" and row["busy_count"] > 4
    assert row["last_error"] is None and row["write"] is False
