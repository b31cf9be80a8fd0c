"""Benchmark of ``/slotbot stats 90d`` for one host with many bookings (bench/README.md).

Seeds a host (Europe/Berlin, the example working hours) with ``--bookings``
bookings (default 10,000) spread over the last 180 days and the next 30, in
every status, from ``--guests`` guests, then times, ``--rounds`` times each:

* baseline: the one query the report needs (``uow.bookings.activity`` over the
  two periods), nothing else;
* ``stats 90d`` without the chart (the query, the two periods' numbers, the text);
* the chart alone (``bots.charts.render_png`` of that report; matplotlib Agg).

Prints the median and p95 of each, in milliseconds.

Usage::

    .venv/bin/python -m bench.stats [--bookings 10000] [--rounds 30] [--database URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time as _time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import insert

from bots import charts
from bots.host_commands import HostCommands, _stats
from bots.host_commands._base import Ctx
from bots.host_texts import HostTexts
from core import services, stats
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.migrate import upgrade
from storage.orm import bookings, guests
from storage.uow import make_uow_factory

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hosts.yaml"
STATUSES = ["completed"] * 14 + ["cancelled"] * 3 + ["no_show"] + ["declined"] + ["confirmed"]


def seed(factory: Any, engine: Any, count: int, guest_count: int) -> None:
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=factory())
    ana = services.get_host("ana", uow=factory())
    intro = ana.event_type("intro")
    assert ana.id is not None and intro is not None
    rng = random.Random(7)
    with engine.begin() as c:
        c.execute(insert(guests), [{"id": 10_000 + n, "platform": "telegram",
                                    "platform_user_id": f"g{n}", "name": f"Guest {n}"}
                                   for n in range(guest_count)])
        rows = []
        for _ in range(count):
            start = NOW - timedelta(days=180) + timedelta(minutes=30 * rng.randrange(210 * 48))
            status = rng.choice(STATUSES) if start < NOW else rng.choice(["confirmed",
                                                                          "pending"])
            made = start - timedelta(hours=rng.randrange(1, 24 * 20))
            rows.append({"host_id": ana.id, "event_type_id": intro.id,
                         "guest_id": 10_000 + rng.randrange(guest_count), "start": start,
                         "end": start + timedelta(minutes=30), "status": status,
                         "created_at": made, "reminders_armed": True,
                         "cancelled_at": made + timedelta(hours=1)
                         if status in ("cancelled", "declined") else None})
        c.execute(insert(bookings), rows)


def timed(work: Callable[[], object], rounds: int) -> tuple[float, float]:
    """Median and p95 of ``rounds`` runs, in milliseconds (one warm-up run first)."""
    work()
    samples = []
    for _ in range(rounds):
        began = _time.perf_counter()
        work()
        samples.append((_time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bookings", type=int, default=10_000)
    parser.add_argument("--guests", type=int, default=800)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database", help="default: a SQLite file in a temp directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(args.database or f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        factory = make_uow_factory(engine)
        seed(factory, engine, args.bookings, args.guests)
        clock = lambda: NOW  # noqa: E731
        commands = HostCommands(factory, clock)
        ana = services.get_host("ana", uow=factory())

        def query() -> object:
            with factory() as uow:
                return uow.bookings.activity(ana.id or 0, NOW - timedelta(days=180))

        def report_text() -> object:
            return _stats.run(Ctx(ana, ["90d"], factory, clock, commands.links), chart=False)

        report = stats.host_report("ana", 90, uow=factory(), clock=clock)
        series = charts.stats_series(report, HostTexts())
        path = Path(folder) / "chart.png"
        rows = [("baseline: the report's query", timed(query, args.rounds)),
                ("stats 90d without the chart", timed(report_text, args.rounds)),
                ("chart render (PNG)", timed(lambda: charts.render_png(series, path),
                                             args.rounds))]
        engine.dispose()
    print(f"{args.bookings} bookings, {args.rounds} rounds, {engine.dialect.name}")
    print(f"{'':32} {'median ms':>10} {'p95 ms':>10}")
    for name, (median, p95) in rows:
        print(f"{name:32} {median:10.1f} {p95:10.1f}")


if __name__ == "__main__":
    main()
