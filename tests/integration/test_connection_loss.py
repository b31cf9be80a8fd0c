"""A PostgreSQL server that drops connections (restart, network): idle ones are pinged
and replaced, a busy one's loss is one :class:`ConnectionLost` and the turn runs again."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from bots.conversation import Conversation
from bots.messages import IncomingMessage
from core import services
from core.errors import ConnectionLost
from core.setup_file import parse_setup
from storage.db import PING_AFTER_IDLE_SECONDS, make_engine
from storage.uow import make_uow_factory

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
SETUP = {"hosts": [{"handle": "ana", "name": "Ana Lima", "timezone": "Europe/Berlin",
                    "working_hours": {"mon-fri": "09:00-17:00"},
                    "event_types": [{"slug": "intro", "title": "Intro call", "duration": 30}]}]}


class Clock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def flaky(engine: Engine, clock: Clock) -> Iterator[Engine]:
    """A second engine on ``engine``'s database, one pooled connection, on ``clock``."""
    if engine.dialect.name != "postgresql":
        pytest.skip("pinging and reconnecting concern the PostgreSQL pool")
    flaky = make_engine(engine.url.render_as_string(hide_password=False), pool_size=1,
                        clock=clock)
    yield flaky
    flaky.dispose()


def backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def terminate(admin: Engine, pid: int) -> None:
    """What a server restart does to the connection: the server side ends it."""
    with admin.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"),
                                  {"pid": pid}).scalar_one()


def test_an_idle_connection_that_died_is_replaced_before_use(
        engine: Engine, flaky: Engine, clock: Clock) -> None:
    old = backend(flaky)
    terminate(engine, old)
    clock.now += PING_AFTER_IDLE_SECONDS

    assert backend(flaky) != old  # pinged, found dead, replaced: the caller saw nothing


def test_a_busy_connection_is_not_pinged_and_its_loss_is_one_connection_lost(
        engine: Engine, flaky: Engine, clock: Clock) -> None:
    old = backend(flaky)
    terminate(engine, old)
    clock.now += PING_AFTER_IDLE_SECONDS - 1  # used a moment ago: no ping, no round trip

    with pytest.raises(ConnectionLost):
        backend(flaky)
    assert backend(flaky) != old  # the pool reconnected at once


def test_a_turn_whose_connection_broke_runs_again_on_a_new_one(
        engine: Engine, flaky: Engine, caplog: pytest.LogCaptureFixture) -> None:
    factory = make_uow_factory(flaky)
    services.load_hosts(parse_setup(SETUP), uow=factory())
    bot = Conversation(factory, lambda: NOW)
    terminate(engine, backend(flaky))

    [reply] = bot.handle(IncomingMessage("telegram", "c1", "u1", text="intro with ana "
                                         "tomorrow at 10am?", timezone="Europe/Berlin"))

    assert "shall I book it?" in reply.text
    assert "turn of telegram:u1 runs again" in caplog.text
