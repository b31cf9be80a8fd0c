"""Rate-limit refusals counted in the database, shared by every process, shown in ``stats``."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bots.host_commands import HostCommands
from bots.messages import IncomingMessage, KeepAnswer, Reply
from bots.ratelimit import GuestRateLimit, RefusalCounter
from core import services
from core.setup_file import parse_setup

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def echo(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
    return [Reply("ok")]


def test_two_processes_on_one_redis_count_their_refusals_in_one_database(
        uow_factory, redis_url):
    def clock() -> datetime:
        return NOW

    # Two limiters on one Redis and one database stand for two bot processes.
    counters = [RefusalCounter(uow_factory, clock, interval=3600) for _ in range(2)]
    first, second = (GuestRateLimit("4/minute", redis_url, on_refused=counter).wrap(echo)
                     for counter in counters)
    guest = IncomingMessage(platform="telegram", chat_id="9", user_id=uuid.uuid4().hex)
    answers = [handle(guest) for handle in (first, second) * 5]
    with uow_factory() as uow:
        assert uow.refusals.total(NOW.date(), NOW.date()) == 0  # not yet written
    for counter in counters:
        counter.flush()

    assert answers.count([Reply("ok")]) == 4
    with uow_factory() as uow:
        assert uow.refusals.total(NOW.date(), NOW.date()) == 6


def test_stats_says_how_many_messages_the_limit_refused(uow_factory):
    def clock() -> datetime:
        return NOW

    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=uow_factory())
    with uow_factory() as uow:
        uow.refusals.add(datetime(2026, 11, 20).date(), "telegram", 5)
        uow.refusals.add(datetime(2026, 11, 20).date(), "slack", 2)
        uow.refusals.add(datetime(2026, 10, 1).date(), "slack", 100)  # before the 30 days
        uow.commit()
    with uow_factory() as uow:
        ana = uow.hosts.get("ana")
    reply = HostCommands(uow_factory, clock).run(ana, "stats", platform="console")
    assert "Messages refused by the rate limit (all guests): 7" in reply.text
