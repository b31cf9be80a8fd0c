"""Benchmarks of the scheduling core (see bench/README.md, "Scheduling core").

1. Free slots: ``services.free_slots`` for 60 days of one event type, read from
   the database, with 1,000 / 10,000 / 100,000 bookings of the host (spread over
   its past and the next 60 days, in every status) and 2,000 busy intervals from
   an external source. Reports p50/p95/max in ms over ``--repeat`` calls.
2. Booking throughput: ``--clients`` clients (8), each booking distinct free
   slots through ``services.book`` (one unit of work per booking, with the
   host's calendar locked), for ``--seconds``; on one host (every client
   contends for the same calendar lock) and on one host per client; clients
   as threads of one process (sharing its GIL) and as separate processes (as
   several bot processes would be).
3. SQL statements per booking of one client (printed before the throughput table).

The database is emptied first: give it a throwaway database.

Usage::

    .venv/bin/python -m bench.core                                    # SQLite file
    .venv/bin/python -m bench.core --database postgresql+psycopg://…  # PostgreSQL
"""

from __future__ import annotations

import argparse
import multiprocessing
import queue
import random
import statistics
import tempfile
import threading
import time as _time
from bisect import bisect_left, bisect_right
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert

from core import services
from core.errors import SlotbotError
from core.models import Host, Interval
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.migrate import upgrade
from storage.orm import bookings
from storage.uow import make_uow_factory

#: Monday 1 Mar 2027, 07:00 UTC.
NOW = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)
DAYS = 60
SLOT = timedelta(minutes=30)
OFFICE = {"mon-fri": "09:00-12:00, 13:00-18:00", "sat": "10:00-14:00"}
ALWAYS = {"mon-sun": "00:00-24:00"}
STATUSES = ("confirmed", "completed", "cancelled", "declined", "no_show", "pending")


def _setup(hosts: int, hours: dict[str, str]) -> dict[str, Any]:
    return {"hosts": [{
        "handle": f"h{n}", "timezone": "Europe/Berlin", "working_hours": hours,
        "event_types": [
            {"slug": "intro", "title": "Intro", "duration": 30, "buffer_after": 10,
             "booking_window": 90, "slot_interval": 30},
            {"slug": "quick", "title": "Quick", "duration": 15, "booking_window": 90},
        ],
    } for n in range(hosts)]}


class IndexedBusy:
    """An external calendar's busy intervals, sorted once, sliced per query."""

    def __init__(self, intervals: list[Interval]) -> None:
        self._intervals = sorted(intervals, key=lambda i: i.start)
        self._starts = [i.start for i in self._intervals]

    def busy(self, host: Host, start: datetime, end: datetime) -> list[Interval]:
        lo = bisect_left(self._starts, start - timedelta(days=1))
        hi = bisect_right(self._starts, end)
        return [i for i in self._intervals[lo:hi] if i.end > start]


def _fresh(url: str | None, tmp: Path, name: str, hosts: int = 1,
           hours: dict[str, str] = OFFICE) -> tuple[Engine, Any]:
    if url is None:
        url = f"sqlite:///{tmp / name}.db"
    else:
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    engine = make_engine(url, pool_size=16)
    upgrade(engine)
    factory = make_uow_factory(engine)
    services.load_hosts(parse_setup(_setup(hosts, hours)), uow=factory())
    return engine, factory


def _seed_bookings(engine: Engine, factory: Any, total: int, rng: random.Random) -> None:
    """``total`` bookings of host h0: about 300 live ones in the next 60 days, the rest past."""
    host = services.get_host("h0", uow=factory())
    guest = services.ensure_guest("bench", "g0", uow=factory())
    intro = host.event_type("intro")
    assert host.id and guest.id and intro and intro.id
    future = min(300, total // 3)
    rows = []
    taken: set[datetime] = set()
    while len(taken) < future:  # free grid starts of the next 60 days, 09:00-12:00 Berlin
        day = NOW + timedelta(days=rng.randrange(1, DAYS))
        start = day.replace(hour=8, minute=0) + SLOT * rng.randrange(6)
        taken.add(start)
    for start in sorted(taken):
        rows.append(_row(host.id, intro.id, guest.id, start, "confirmed"))
    for n in range(total - future):  # the past, several per working day
        start = NOW - timedelta(hours=2 + n * 3)
        rows.append(_row(host.id, intro.id, guest.id, start, rng.choice(STATUSES)))
    with engine.begin() as connection:
        for i in range(0, len(rows), 5_000):
            connection.execute(insert(bookings), rows[i:i + 5_000])


def _row(host_id: int, et_id: int, guest_id: int, start: datetime, status: str) -> dict:
    live = status in ("confirmed", "pending") and start > NOW
    return {"host_id": host_id, "event_type_id": et_id, "guest_id": guest_id, "start": start,
            "end": start + SLOT, "status": status if live or start < NOW else "confirmed",
            "created_at": start - timedelta(days=3), "reminders_armed": True,
            "exclusive": live}


def _busy(rng: random.Random, count: int) -> IndexedBusy:
    """``count`` busy intervals, a quarter in the 60-day window, the rest in the past year."""
    intervals = []
    for n in range(count):
        if n % 4 == 0:
            start = NOW + timedelta(minutes=30 * rng.randrange(DAYS * 48))
        else:
            start = NOW - timedelta(minutes=30 * rng.randrange(365 * 48))
        intervals.append(Interval(start, start + timedelta(minutes=30 * rng.randrange(1, 4))))
    return IndexedBusy(intervals)


def bench_free_slots(url: str | None, tmp: Path, totals: list[int], repeat: int,
                     busy_count: int) -> list[dict[str, Any]]:
    rows = []
    for total in totals:
        rng = random.Random(total)
        engine, factory = _fresh(url, tmp, f"slots{total}")
        _seed_bookings(engine, factory, total, rng)
        busy = _busy(rng, busy_count)
        timings, count = [], 0
        for _ in range(repeat + 3):
            began = _time.perf_counter()
            slots = services.free_slots("h0", "intro", NOW, NOW + timedelta(days=DAYS),
                                        uow=factory(), clock=lambda: NOW, busy_source=busy)
            timings.append((_time.perf_counter() - began) * 1000)
            count = len(slots)
        timings = sorted(timings[3:])  # the first calls warm caches
        rows.append({"bookings": total, "slots": count,
                     "p50": statistics.median(timings),
                     "p95": timings[int(0.95 * (len(timings) - 1))], "max": timings[-1]})
        engine.dispose()
    return rows


def bench_throughput(url: str | None, tmp: Path, clients: int, seconds: float,
                     *, one_host: bool, processes: bool) -> dict[str, float]:
    """Bookings per second of ``clients`` threads (or processes) booking distinct slots."""
    engine, factory = _fresh(url, tmp, f"tp{int(one_host)}{int(processes)}",
                             hosts=1 if one_host else clients, hours=ALWAYS)
    url = str(engine.url.render_as_string(hide_password=False))
    guests = [services.ensure_guest("bench", f"c{n}", uow=factory()).id or 0
              for n in range(clients)]
    engine.dispose()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(clients + 1) if processes else threading.Barrier(clients + 1)
    results: Any = context.Queue() if processes else queue.Queue()
    workers = [
        (context.Process if processes else threading.Thread)(
            target=_client,
            args=(url, "h0" if one_host else f"h{n}",
                  _grid(n, clients) if one_host else _grid(0, 1), guests[n], seconds,
                  barrier, results),
        )
        for n in range(clients)
    ]
    for worker in workers:
        worker.start()
    barrier.wait()
    began = _time.perf_counter()
    outcomes = [results.get() for _ in workers]
    elapsed = _time.perf_counter() - began
    for worker in workers:
        worker.join()
    booked = sum(o[0] for o in outcomes)
    return {"bookings": booked, "errors": sum(o[1] for o in outcomes), "seconds": elapsed,
            "per_second": booked / elapsed}


def _client(url: str, handle: str, starts: list[datetime], guest_id: int, seconds: float,
            barrier: Any, results: Any) -> None:
    """Book ``starts`` one by one for ``seconds``; report (booked, errors)."""
    engine = make_engine(url, pool_size=1)
    factory = make_uow_factory(engine)
    booked = errors = 0
    barrier.wait()
    deadline = _time.perf_counter() + seconds
    for start in starts:
        if _time.perf_counter() >= deadline:
            break
        try:
            services.book(handle, "quick", start, guest_id=guest_id, uow=factory(),
                          clock=lambda: NOW)
            booked += 1
        except SlotbotError:
            errors += 1
    engine.dispose()
    results.put((booked, errors))


def statements_per_booking(url: str | None, tmp: Path, bookings: int = 50) -> float:
    """SQL statements one client sends per ``services.book`` (after a warm-up booking).

    Counted with a ``before_cursor_execute`` listener: every statement, including
    SQLite's ``BEGIN IMMEDIATE``; PostgreSQL's ``BEGIN`` and both engines'
    ``COMMIT`` are not cursor statements and are not counted.
    """
    engine, factory = _fresh(url, tmp, "statements", hours=ALWAYS)
    guest_id = services.ensure_guest("bench", "s0", uow=factory()).id or 0
    starts = _grid(0, 1)[:bookings + 1]
    services.book("h0", "quick", starts[0], guest_id=guest_id, uow=factory(), clock=lambda: NOW)
    count = 0

    def counted(*_args: Any) -> None:
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", counted)
    for start in starts[1:]:
        services.book("h0", "quick", start, guest_id=guest_id, uow=factory(), clock=lambda: NOW)
    engine.dispose()
    return count / bookings


def _grid(offset: int, step: int) -> list[datetime]:
    """Every 15-minute start of the next 89 days (the throughput hosts work around the clock)."""
    first = NOW + timedelta(hours=1)
    return [first + timedelta(minutes=15 * k) for k in range(offset, 89 * 96, step)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: temporary SQLite files)")
    parser.add_argument("--totals", default="1000,10000,100000",
                        help="bookings of the host, comma-separated")
    parser.add_argument("--busy", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = "sqlite" if args.database is None else "postgresql"
        print(f"## {engine}: free slots, 60 days, {args.busy} busy intervals")
        print("| bookings | slots | p50 ms | p95 ms | max ms |\n|---:|---:|---:|---:|---:|")
        for row in bench_free_slots(args.database, Path(tmp),
                                    [int(t) for t in args.totals.split(",")], args.repeat,
                                    args.busy):
            print(f"| {row['bookings']:,} | {row['slots']} | {row['p50']:.1f} | "
                  f"{row['p95']:.1f} | {row['max']:.1f} |")
        print(f"\n## {engine}: {statements_per_booking(args.database, Path(tmp)):.1f} "
              "SQL statements per booking")
        print(f"\n## {engine}: booking throughput, {args.clients} clients, distinct slots")
        print("| calendars | bookings | errors | seconds | bookings/s |\n|---|---:|---:|---:|---:|")
        for processes in (False, True):
            for one_host in (True, False):
                result = bench_throughput(args.database, Path(tmp), args.clients, args.seconds,
                                          one_host=one_host, processes=processes)
                label = ("one host" if one_host else f"{args.clients} hosts") + (
                    f", {args.clients} processes" if processes else f", {args.clients} threads")
                print(f"| {label} | {result['bookings']} | {result['errors']} | "
                      f"{result['seconds']:.1f} | {result['per_second']:.0f} |")


if __name__ == "__main__":
    main()
