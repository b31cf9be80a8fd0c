"""``/healthz``, ``/readyz`` and ``/metrics`` through real HTTP requests.

The database really goes away in the PostgreSQL case: the engine talks to it
through a loopback TCP relay that the test closes and opens again.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import insert, select
from sqlalchemy.engine import make_url

from bots.messages import IncomingMessage
from bots.slack import SlackServer, build_app
from config import health
from config.bootstrap import App, bootstrap
from config.metrics import REGISTRY, metered
from config.periodic import PeriodicLoop
from config.settings import Settings
from core import services
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.orm import calendar_sync, calendars, hosts
from tests.e2e.slack_fixtures import BOT_TOKEN, SIGNING_SECRET
from tests.e2e.slack_server import SlackApiServer

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def serving(readiness: health.Readiness) -> Iterator[str]:
    server = health.serve_in_thread(health.make_app(readiness), 0, host="127.0.0.1")
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def make_app(url: str) -> App:
    built = bootstrap(Settings(SLOTBOT_DATABASE_URL=url), now=NOW)
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=built.uow_factory())
    return built


@pytest.fixture
def app(tmp_path) -> App:
    return make_app(f"sqlite:///{tmp_path / 'health.db'}")


@pytest.fixture
def base(app) -> Iterator[str]:
    yield from serving(health.Readiness(app.engine, "memory://"))


def test_healthz_and_readyz_answer_ok(base):
    assert get(f"{base}/healthz") == (200, "ok\n")
    status, body = get(f"{base}/readyz")
    assert status == 200 and json.loads(body) == {"database": "ok", "broker": "ok"}
    assert get(f"{base}/nothing")[0] == 404


def test_metrics_after_a_booking(app, base):
    handle = metered(app.conversation.answer)

    def say(text: str = "", payload: str | None = None) -> None:
        handle(IncomingMessage("console", "g1", "g1", text, display_name="Gil", payload=payload))

    def count(intent: str) -> float:
        return REGISTRY.get_sample_value(
            "slotbot_messages_total", {"platform": "console", "intent": intent}) or 0.0

    before = count("book"), count("button")
    say("30 min with Ana tomorrow at 10am")
    say(payload="yes")
    assert (count("book"), count("button")) == (before[0] + 1, before[1] + 1)
    status, text = get(f"{base}/metrics")
    assert status == 200
    assert 'slotbot_messages_total{intent="book",platform="console"}' in text
    assert 'slotbot_reply_seconds_count{platform="console"}' in text
    assert 'slotbot_bookings{status="confirmed"} 1.0' in text
    assert 'slotbot_outbox_messages{channel="telegram",status="queued"} 1.0' in text
    assert "slotbot_tick_seconds_count" in text


def test_metrics_count_failed_calendar_syncs_by_kind(app, base):
    with app.engine.begin() as connection:
        host_id = connection.execute(select(hosts.c.id).where(hosts.c.handle == "ana")).scalar()
        for position, (kind, failures) in enumerate([("ics", 3), ("caldav", 0)]):
            calendar_id = connection.execute(insert(calendars).values(
                host_id=host_id, kind=kind, address=f"https://example.org/{kind}", write=False,
                busy=True, position=position)).inserted_primary_key[0]
            connection.execute(insert(calendar_sync).values(calendar_id=calendar_id,
                                                            failures=failures))
    text = get(f"{base}/metrics")[1]
    assert 'slotbot_calendar_sync_failures{kind="ics"} 3.0' in text
    assert 'slotbot_calendar_sync_failures{kind="caldav"} 0.0' in text


def test_readyz_fails_on_an_unmigrated_database(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    for base in serving(health.Readiness(engine, "memory://")):
        status, body = get(f"{base}/readyz")
        assert status == 503
        assert json.loads(body)["database"].startswith("not migrated (at None, newest ")
    engine.dispose()


def test_readyz_fails_while_the_broker_is_down(app):
    for base in serving(health.Readiness(app.engine, "redis://:brokerpw@127.0.0.1:9/0")):
        status, body = get(f"{base}/readyz")
        found = json.loads(body)
        assert status == 503 and found["database"] == "ok"
        assert "cannot reach the broker" in found["broker"] and "brokerpw" not in body


def test_periodic_loop_status_is_part_of_readiness(app):
    loop = PeriodicLoop(app)
    assert loop.readiness() == "periodic loop is not running"
    ticked = threading.Event()
    loop = PeriodicLoop(app, on_tick=lambda report: ticked.set()).start()
    try:
        assert ticked.wait(30)
        assert loop.readiness() == "ok"
        last = loop.status().last_success_at
        assert last is not None
        later = last + timedelta(seconds=3 * app.settings.tick_seconds + 1)
        assert loop.readiness(now=later).startswith("no successful tick for")
        for base in serving(health.Readiness(app.engine, "memory://", periodic=loop.readiness)):
            assert json.loads(get(f"{base}/readyz")[1])["periodic"] == "ok"
    finally:
        loop.stop()


def test_slack_http_port_serves_health_beside_events(app):
    with SlackApiServer(token=BOT_TOKEN) as api:
        bot = build_app(token=BOT_TOKEN, signing_secret=SIGNING_SECRET,
                        handle=app.conversation.handle, base_url=api.base_url)
        health_app = health.make_app(health.Readiness(app.engine, "memory://"))
        server = SlackServer(bot, port=0, host="127.0.0.1",
                             mount=dict.fromkeys(health.PATHS, health_app)).start()
        try:
            base = f"http://127.0.0.1:{server.port}"
            assert get(f"{base}/healthz") == (200, "ok\n")
            assert get(f"{base}/readyz")[0] == 200
            assert "slotbot_bookings" in get(f"{base}/metrics")[1]
            request = urllib.request.Request(f"{base}/slack/events", data=b"{}", method="POST")
            try:
                urllib.request.urlopen(request, timeout=10)
            except urllib.error.HTTPError as error:
                assert error.code == 401  # Bolt still answers there: unsigned request
            else:
                raise AssertionError("an unsigned request was accepted")
        finally:
            server.stop()


class Relay:
    """A loopback TCP relay to PostgreSQL that can be cut (the database "goes down")."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self.up = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                if not self.up:
                    client.close()
                    continue
                upstream = socket.create_connection(self._target)
                self._open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                end.close()

    def cut(self, *, up: bool) -> None:
        with self._lock:
            self.up = up
            if not up:
                for end in self._open:
                    end.close()
                self._open.clear()

    def close(self) -> None:
        self.cut(up=False)
        self._listener.close()


@pytest.mark.postgres
def test_readyz_fails_while_postgresql_is_down_and_recovers(engine_url):
    if not engine_url.startswith("postgresql"):
        pytest.skip("the relay is for PostgreSQL")
    url = make_url(engine_url)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    try:
        built = make_app(url.set(host="127.0.0.1", port=relay.port).render_as_string(
            hide_password=False))
        for base in serving(health.Readiness(built.engine, "memory://")):
            assert get(f"{base}/readyz")[0] == 200
            relay.cut(up=False)
            status, body = get(f"{base}/readyz")
            assert status == 503 and json.loads(body)["database"].startswith("unreachable: ")
            assert get(f"{base}/healthz")[0] == 200  # alive, just not ready
            relay.cut(up=True)
            assert get(f"{base}/readyz")[0] == 200
        built.engine.dispose()
    finally:
        relay.close()
