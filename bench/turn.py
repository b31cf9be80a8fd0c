"""Benchmark of one conversation turn in-process (see bench/README.md, "Conversation turn").

A turn is ``Conversation.handle(message)``: lock and load the dialog, update
the guest, parse, step, save, commit. Measured with 2 and with 1,000 hosts
(each with working hours and two event types), on SQLite or PostgreSQL:

1. **propose**: "intro with <first name> tomorrow at 10am?" to a random host
   (parse with every host's name known, the slot checked, a question stored),
   by one of 50 guests the bot already knows;
2. **answer**: "no" to that question (nothing booked, the dialog reset);
3. **team**: "anyone free tomorrow between 2 and 3pm?" (every host checked);
4. **first message**: the proposal of 1. from a guest never seen before (the
   guest and the dialog are created too).

Guests have a known timezone (no first-contact note). One team search, one
turn pair by each of the 50 guests and 10 more pairs warm up first (a
long-running bot has read every host once and knows most of its guests);
the setups' turns are interleaved, so the shared machine's load hits them alike.
p50/p95/max wall-clock ms, and the p50 of this process's CPU ms (the
machine is shared: CPU time is steadier; PostgreSQL's own work is not in it).
To measure older code in the same run, run this file with ``PYTHONPATH``
pointing at a checkout of it (it uses only the public API:
``Conversation``, ``services.load_hosts``, ``parse_setup``).

Usage::

    .venv/bin/python -m bench.turn                                      # SQLite file
    .venv/bin/python -m bench.turn --database postgresql+psycopg://…   # drops `public`!
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time as _time
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import product
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bots.conversation import Conversation
from bots.messages import IncomingMessage
from core import services
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.migrate import upgrade
from storage.uow import make_uow_factory

#: Monday 1 Mar 2027, 07:00 UTC.
NOW = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "du", "pe", "bi", "go", "fu")


def names(count: int) -> list[tuple[str, str]]:
    """``count`` distinct (first, last) names made of three syllables each."""
    words = ["".join(p) for p in product(_SYLLABLES, repeat=3)]
    rng = random.Random(7)
    rng.shuffle(words)
    return [(words[2 * n].capitalize(), words[2 * n + 1].capitalize()) for n in range(count)]


def setup(count: int) -> dict[str, Any]:
    return {"hosts": [{
        "handle": f"h{n:04d}", "name": f"{first} {last}", "timezone": "Europe/Berlin",
        "working_hours": {"mon-fri": "09:00-12:00, 13:00-17:00"},
        "event_types": [
            {"slug": "intro", "title": "Intro call", "duration": 30, "booking_window": 60},
            {"slug": "deep", "title": "Deep dive", "duration": 60, "booking_window": 60},
        ],
    } for n, (first, last) in enumerate(names(count))]}


def fresh(url: str | None, tmp: Path, hosts: int) -> tuple[Any, Conversation]:
    """A database with ``hosts`` hosts: a SQLite file, or a PostgreSQL schema ``turn<N>``."""
    if url is None:
        url = f"sqlite:///{tmp / f'turn{hosts}.db'}"
    else:
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS turn{hosts} CASCADE")
            connection.exec_driver_sql(f"CREATE SCHEMA turn{hosts}")
        engine.dispose()
        url = str(make_url(url).update_query_dict({"options": f"-csearch_path=turn{hosts}"}))
    engine = make_engine(url)
    upgrade(engine)
    factory = make_uow_factory(engine)
    services.load_hosts(parse_setup(setup(hosts)), uow=factory())
    return engine, Conversation(factory, lambda: NOW)


def timed(say: Callable[[str, str], str], guest: str, text: str, check: str
          ) -> tuple[float, float]:
    """One turn's wall-clock and CPU time (this process) in ms; its reply must contain ``check``."""
    wall, cpu = _time.perf_counter(), _time.process_time()
    reply = say(guest, text)
    wall, cpu = _time.perf_counter() - wall, _time.process_time() - cpu
    assert check in reply, reply
    return wall * 1000, cpu * 1000


def summary(timings: list[tuple[float, float]]) -> dict[str, float]:
    """p50/p95 of the wall ms and p50 of the CPU ms of ``timings``."""
    wall = sorted(t[0] for t in timings)
    return {"p50_ms": statistics.median(wall), "p95_ms": wall[int(0.95 * (len(wall) - 1))],
            "cpu_p50_ms": statistics.median(t[1] for t in timings)}


def row(label: str, timings: list[tuple[float, float]]) -> str:
    wall = sorted(t[0] for t in timings)
    cpu = sorted(t[1] for t in timings)
    p95 = wall[int(0.95 * (len(wall) - 1))]
    return (f"| {label} | {len(wall)} | {statistics.median(wall):.2f} | {p95:.2f} | "
            f"{wall[-1]:.2f} | {statistics.median(cpu):.2f} |")


class Setup:
    """One database with ``hosts`` hosts, its conversation and its timings."""

    def __init__(self, url: str | None, tmp: Path, hosts: int) -> None:
        self.hosts = hosts
        self.engine, self.bot = fresh(url, tmp, hosts)
        self.firsts = [first for first, _ in names(hosts)]
        self.rng = random.Random(hosts)
        self.timings: dict[str, list[tuple[float, float]]] = {
            "propose": [], "answer": [], "team search": [], "first message": []}

    def say(self, guest: str, text: str) -> str:
        replies = self.bot.handle(IncomingMessage("bench", guest, guest, text=text,
                                                  display_name=guest, timezone="Europe/Berlin"))
        return "\n".join(r.text for r in replies)

    def pair(self, n: int, record: bool) -> None:
        """A proposal and its answer, by guest ``n % GUESTS``."""
        guest, first = f"g{n % GUESTS}", self.rng.choice(self.firsts)
        proposal = timed(self.say, guest, f"intro with {first} tomorrow at 10am?",
                         "shall I book it?")
        answer = timed(self.say, guest, "no", "nothing booked")
        if record:
            self.timings["propose"].append(proposal)
            self.timings["answer"].append(answer)

    def first_message(self, n: int) -> None:
        """A proposal by new guest ``n``, recorded."""
        self.timings["first message"].append(
            timed(self.say, f"new{n}", f"intro with {self.rng.choice(self.firsts)} "
                  "tomorrow at 10am?", "shall I book it?"))

    def team(self, record: bool) -> None:
        timing = timed(self.say, "team", TEAM, "First free then")
        if record:
            self.timings["team search"].append(timing)


TEAM = "anyone free tomorrow between 2 and 3pm?"
GUESTS = 50
WARM = 10


def bench(url: str | None, tmp: Path, counts: list[int], repeat: int, team_repeat: int,
          first_repeat: int) -> list[Setup]:
    """Every setup's turns, interleaved (so the shared machine's load hits them alike)."""
    setups = [Setup(url, tmp, count) for count in counts]
    for setup_ in setups:
        setup_.team(record=False)  # a long-running process has read every host once
    for n in range(GUESTS + WARM + repeat):  # every guest known before any is timed
        for setup_ in setups:
            setup_.pair(n, record=n >= GUESTS + WARM)
    for _ in range(team_repeat):
        for setup_ in setups:
            setup_.team(record=True)
    for n in range(first_repeat):
        for setup_ in setups:
            setup_.first_message(n)
    for setup_ in setups:
        setup_.engine.dispose()
    return setups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: temporary SQLite files)")
    parser.add_argument("--hosts", default="2,1000", help="host counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=200, help="propose/answer pairs")
    parser.add_argument("--team-repeat", type=int, default=40)
    parser.add_argument("--first-repeat", type=int, default=40,
                        help="first messages of new guests")
    parser.add_argument("--dir", help="where the SQLite files go (default: a temp dir; "
                        "/dev/shm leaves the disk's fsync out)")
    parser.add_argument("--json", action="store_true",
                        help='one JSON object: {"propose": {"2": {"p50_ms": …}, …}, …}')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        counts = [int(h) for h in args.hosts.split(",")]
        setups = bench(args.database, Path(tmp), counts, args.repeat, args.team_repeat,
                       args.first_repeat)
    kinds = ("propose", "answer", "team search", "first message")
    if args.json:
        print(json.dumps({kind: {str(s.hosts): summary(s.timings[kind]) for s in setups}
                          for kind in kinds}))
        return
    engine = "sqlite" if args.database is None else "postgresql"
    print(f"## {engine}: one conversation turn in-process ({Conversation.__module__})")
    print("| turn | n | p50 ms | p95 ms | max ms | CPU p50 ms |\n|---|---:|---:|---:|---:|---:|")
    for kind in kinds:
        for setup_ in setups:
            print(row(f"{setup_.hosts:,} hosts, {kind}", setup_.timings[kind]))


if __name__ == "__main__":
    main()
