"""Slack adapter under a burst and in a closed loop (see bench/README.md, "Slack").

The real Bolt app behind ``SlackServer`` (uvicorn) with its inbox, against the
loopback Slack Web API (``tests/e2e/slack_server.py``); requests are signed as
Slack signs them. Two variants in the same run: ``slotbot`` (the real
conversation, one host) and ``trivial`` (the same adapter and inbox, a handler
that answers at once).

1. Burst: ``--guests`` guests (1,000) each send a DM at once, and every tenth
   also runs ``/slotbot today``, from ``--clients`` concurrent connections.
   Reports the slash-command ack latency (p50/p99), HTTP 404s and failed
   connections, and the throughput: DMs answered per second from the first
   request to the last reply.
2. Closed loop: 20 guests each send a DM and wait for the reply, ``--rounds``
   times; reports the reply latency p50/p99.

Usage::

    .venv/bin/python -m bench.slack                       # SQLite file
    .venv/bin/python -m bench.slack --database postgresql+psycopg://…
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import urllib.error
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.telegram import SETUP
from bots.conversation import Conversation
from bots.inbox import Inbox
from bots.messages import IncomingMessage, Reply
from core import services
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.migrate import upgrade
from storage.uow import make_uow_factory
from tests.e2e.slack_fixtures import SlackHarness
from tests.e2e.slack_server import FakeUser

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
Handle = Callable[[IncomingMessage], list[Reply]]


def trivial(message: IncomingMessage) -> list[Reply]:
    return [Reply(f"Got: {message.text}")]


@contextmanager
def database(url: str) -> Iterator[tuple[Handle, Inbox]]:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    upgrade(engine)
    uow_factory = make_uow_factory(engine)
    services.load_hosts(parse_setup(SETUP), uow=uow_factory())
    try:
        yield (Conversation(uow_factory, lambda: NOW).handle,
               Inbox(uow_factory, lambda: NOW, platform="slack"))
    finally:
        engine.dispose()


@dataclass
class Burst:
    ack_p50: float
    ack_p99: float
    not_found: int
    failed: int
    per_second: float


def burst(handle: Handle, inbox: Inbox, *, guests: int, clients: int) -> Burst:
    users = [FakeUser(f"U{n:05d}", f"Guest {n}", tz="Europe/Berlin") for n in range(guests)]
    with SlackHarness(handle, now=NOW, users=users, inbox=inbox) as slack:
        acks: list[float] = []
        statuses: list[int] = []

        def guest(n: int) -> None:
            user = users[n].id
            statuses.append(_status(lambda: slack.send_dm(user, "hello")))
            if n % 10 == 0:
                started = time.perf_counter()
                statuses.append(_status(lambda: slack.slash(user, "today")[0]))
                acks.append(time.perf_counter() - started)

        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(guest, range(guests)))
        answered = slack.api.wait_for_calls(lambda call: call.method == "chat.postMessage",
                                            guests, timeout=600)
        elapsed = time.perf_counter() - started
    return Burst(_quantile(acks, 0.5), _quantile(acks, 0.99), statuses.count(404),
                 statuses.count(0), len(answered) / elapsed)


def closed_loop(handle: Handle, inbox: Inbox, *, guests: int, rounds: int) -> list[float]:
    users = [FakeUser(f"UL{n:04d}", f"Loop {n}") for n in range(guests)]
    with SlackHarness(handle, now=NOW, users=users, inbox=inbox) as slack:
        latencies: list[float] = []

        def guest(user: FakeUser) -> None:
            channel = slack.dm_channel(user.id)
            for turn in range(1, rounds + 1):
                started = time.perf_counter()
                slack.send_dm(user.id, "hello")
                slack.api.wait_for_posts(channel, turn, timeout=60)
                latencies.append(time.perf_counter() - started)

        with ThreadPoolExecutor(guests) as pool:
            list(pool.map(guest, users))
    return latencies


def _status(request: Callable[[], object]) -> int:
    try:
        return int(request().status)  # type: ignore[attr-defined]
    except (urllib.error.URLError, OSError):
        return 0  # connection refused, reset or timed out


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: temporary SQLite files)")
    parser.add_argument("--guests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        def url(name: str) -> str:
            return args.database or f"sqlite:///{Path(folder) / name}"

        print(f"Slack, {args.guests} guests at once from {args.clients} connections, "
              f"{(args.database or 'sqlite').split(':')[0]}")
        results = {}
        for name in ("trivial", "slotbot"):
            with database(url(f"{name}-burst.db")) as (handle, inbox):
                results[name] = burst(trivial if name == "trivial" else handle, inbox,
                                      guests=args.guests, clients=args.clients)
        for name, result in results.items():
            ratio = result.per_second / results["trivial"].per_second
            print(f"  {name:<8} slash ack p50 {result.ack_p50 * 1000:6.0f} ms  "
                  f"p99 {result.ack_p99 * 1000:6.0f} ms  404s {result.not_found}  "
                  f"failed connections {result.failed}  {result.per_second:6.1f} DMs/s "
                  f"({ratio:.2f}x trivial)")
        print(f"Slack, 20 guests in a closed loop, {args.rounds} rounds")
        for name in ("trivial", "slotbot"):
            with database(url(f"{name}-loop.db")) as (handle, inbox):
                latencies = closed_loop(trivial if name == "trivial" else handle, inbox,
                                        guests=20, rounds=args.rounds)
            print(f"  {name:<8} reply p50 {statistics.median(latencies) * 1000:6.0f} ms  "
                  f"p99 {_quantile(latencies, 0.99) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
