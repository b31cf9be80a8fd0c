"""Benchmarks of the periodic jobs (see bench/README.md, "Background jobs").

1. Reminder sweep: ``--bookings`` upcoming bookings (default 100,000), of which
   ``--due`` (5,000) have their 1-hour reminder due: time to arm them all, then
   time to claim the due reminders and enqueue them (outbox rows), in reminders/s;
   with ``--sweeps N`` the sweep is repeated on the same data (the reminders made
   due again, the outbox emptied) and the medians reported.
2. Digest fan-out: ``--hosts`` hosts (10,000) on Telegram with a digest due:
   time to write the digests (median of ``--digest-rounds``, one local day
   apart), beside the same run's baseline of inserting the same outbox rows
   alone (the floor: nothing read or built) and the rendering of each digest's
   text; then their delivery through python-telegram-bot to
   the local Bot API server (tests/e2e/telegram_server.py), which here answers 429
   whenever a send breaks Telegram's limits (30/s per bot, 1/s per chat) on a
   virtual clock that the pacer advances instead of sleeping. Reports the 429s
   (the target is none) and the virtual time the fan-out takes at those limits.

Usage::

    .venv/bin/python -m bench.jobs                                    # SQLite file
    .venv/bin/python -m bench.jobs --database postgresql+psycopg://…  # PostgreSQL
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time as _time
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bots import notices
from bots.delivery import DeliverySettings, Pacer, TelegramTransport, deliver_due
from core import daily, digests, reminders
from core.models import OutboxStatus, QueuedMessage
from storage.db import make_engine
from storage.migrate import upgrade
from storage.orm import bookings, event_types, guests, hosts, outbox
from storage.orm import reminders as reminders_table
from storage.uow import make_uow_factory
from tests.e2e.telegram_server import APIError, TelegramAPIServer
from tests.virtual_time import VirtualTime

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
MADE = NOW - timedelta(hours=2)
CHUNK = 5_000
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class LimitedTelegram(TelegramAPIServer):
    """The local Bot API, refusing with 429 what Telegram's limits would refuse.

    Telegram's limits as the project reads them: at most 30 messages in any second
    for the whole bot and one a second per chat. ``time.now`` is the clock (a
    ``VirtualTime``, or ``WallTime`` for a bot paced by its own rate limiter);
    sends may come from several threads. ``refused`` counts every 429, of which
    ``refused_per_chat`` the ones for a chat's pace; ``accepted`` is the clock
    time of every accepted send, per chat.
    """

    def __init__(self, time: VirtualTime | WallTime) -> None:
        super().__init__()
        self.time = time
        self.refused = 0
        self.refused_per_chat = 0
        self.accepted: dict[Any, list[float]] = {}
        self._recent: list[float] = []
        self._limits = threading.Lock()

    def call(self, method: str, params: dict[str, Any]) -> Any:
        if method == "sendMessage":
            with self._limits:
                now, chat = self.time.now, params.get("chat_id")
                self._recent = [t for t in self._recent if t > now - 1.0 + 1e-6]
                last = self.accepted.get(chat, [None])[-1]
                per_chat = last is not None and now - last < 1.0 - 1e-6
                if len(self._recent) >= 30 or per_chat:
                    self.refused += 1
                    self.refused_per_chat += per_chat
                    raise APIError("Too Many Requests: retry after 1", 429, {"retry_after": 1})
                self._recent.append(now)
                self.accepted.setdefault(chat, []).append(now)
        return super().call(method, params)


class WallTime:
    """``LimitedTelegram``'s clock for a bot running in real time (monotonic seconds)."""

    @property
    def now(self) -> float:
        return _time.monotonic()


def _insert(connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(table), rows[start:start + CHUNK])


def _seed_hosts(engine: Any, count: int, *, digest: bool) -> list[tuple[int, int]]:
    """Hosts (UTC, on Telegram) with one event type and one guest each: [(event type, guest)]."""
    with engine.begin() as c:
        first = (c.execute(select(func.max(hosts.c.id))).scalar() or 0) + 1
        _insert(c, hosts, [{"id": first + n, "handle": f"bench{first + n}",
                            "name": f"Host {first + n}", "timezone": "UTC",
                            "telegram_user_id": str(100_000 + first + n),
                            "digest_time": time(8) if digest else None,
                            "digest_enabled": digest} for n in range(count)])
        _insert(c, event_types, [{"id": first + n, "host_id": first + n, "slug": "intro",
                                  "title": "Intro call", "duration": 30, "buffer_before": 0,
                                  "buffer_after": 0, "minimum_notice": 0, "booking_window": 60,
                                  "seats": 1, "requires_confirmation": False,
                                  "reminder_minutes": [1440, 60]} for n in range(count)])
        _insert(c, guests, [{"id": first + n, "platform": "telegram",
                             "platform_user_id": f"g{first + n}", "name": f"Guest {first + n}",
                             "chat_id": str(500_000 + first + n)} for n in range(count)])
    return [(first + n, first + n) for n in range(count)]


def bench_reminders(engine: Any, total: int, due: int, sweeps: int = 1) -> dict[str, Any]:
    hosts_n = max(total // 100, 1)
    pairs = _seed_hosts(engine, hosts_n, digest=False)
    rows = []
    for n in range(total):
        event_type, guest = pairs[n % hosts_n]
        if n < due:  # starts within the hour: only its 1 h reminder, due now
            start = NOW + timedelta(minutes=1 + n % 59)
        else:  # two days to a month ahead: nothing due yet
            start = NOW + timedelta(days=2, minutes=30 * (n % 1300))
        rows.append({"host_id": event_type, "event_type_id": event_type, "guest_id": guest,
                     "start": start, "end": start + timedelta(minutes=30),
                     "status": "confirmed", "created_at": MADE, "reminders_armed": False})
    with engine.begin() as c:
        _insert(c, bookings, rows)
    factory = make_uow_factory(engine)

    began = _time.perf_counter()
    armed = reminders.arm(uow_factory=factory)
    arm_seconds = _time.perf_counter() - began
    runs = [_sweep(engine, factory, due, reset=n > 0) for n in range(sweeps)]
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]
              if runs[0][key] is not None}
    return {"armed": armed, "arm_s": arm_seconds, "due": due, "sweeps": sweeps,
            "reminders_per_s_runs": [run["reminders_per_s"] for run in runs],
            "server_cpu_s": None, "server_cpu_ms_per_1000": None, **median}


def _sweep(engine: Any, factory: Any, due: int, *, reset: bool) -> dict[str, float | None]:
    """One timed ``send_due``; with ``reset``, the due reminders made due again and the
    outbox emptied first (a repeat on the same data)."""
    if reset:
        with engine.begin() as c:
            c.execute(reminders_table.update().where(reminders_table.c.done_at.is_not(None))
                      .values(done_at=None, outcome=None))
            c.execute(outbox.delete())
    if engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk change, done now so it does not run
        # during the sweep (and its CPU is not counted as the sweep's).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM ANALYZE bookings, reminders" + (", outbox" if reset else ""))

    server = ServerCPU(engine)
    began, cpu = _time.perf_counter(), _time.process_time()
    counts = reminders.send_due(NOW, uow_factory=factory)
    sweep_seconds, sweep_cpu = _time.perf_counter() - began, _time.process_time() - cpu
    server_cpu = server.used()
    assert counts.sent == due, counts
    return {"sweep_s": sweep_seconds, "reminders_per_s": counts.sent / sweep_seconds,
            "sweep_cpu_s": sweep_cpu, "reminders_per_cpu_s": counts.sent / sweep_cpu,
            "cpu_ms_per_1000": 1e6 * sweep_cpu / counts.sent,
            "server_cpu_s": server_cpu,
            "server_cpu_ms_per_1000": (None if server_cpu is None
                                       else 1e6 * server_cpu / counts.sent)}


class ServerCPU:
    """CPU seconds the PostgreSQL backends of this database use from now on.

    Read from ``/proc/<pid>/stat`` of every client backend connected to the
    current database (not autovacuum), so only for a server on this machine;
    None otherwise (SQLite's work is in this process's own CPU).
    """

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self._start = self._ticks()

    def used(self) -> float | None:
        end = self._ticks()
        if self._start is None or end is None:
            return None
        return sum(t - self._start.get(pid, 0) for pid, t in end.items()) / _CLOCK_TICKS

    def _ticks(self) -> dict[int, int] | None:
        if self._engine.dialect.name != "postgresql":
            return None
        with self._engine.connect() as c:
            pids = c.exec_driver_sql(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend'").scalars().all()
        ticks = {}
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
        return ticks


def bench_digests(engine: Any, count: int, *, rounds: int = 3,
                  deliver: bool = True) -> dict[str, Any]:
    """Write the digests of ``count`` hosts ``rounds`` times (one local day apart), each
    round beside its same-run baselines, then deliver the last round's through PTB."""
    with engine.begin() as c:
        c.execute(outbox.delete())
    pairs = _seed_hosts(engine, count, digest=True)
    with engine.begin() as c:  # one booking today per host, so each digest has content
        _insert(c, bookings, [{"host_id": et, "event_type_id": et, "guest_id": g,
                               "start": NOW + timedelta(hours=2),
                               "end": NOW + timedelta(hours=2, minutes=30),
                               "status": "confirmed", "created_at": MADE,
                               "reminders_armed": True} for et, g in pairs])
    factory = make_uow_factory(engine)

    write_s, write_cpu_s, floor_s, render_s, written = [], [], [], [], {}
    for day in range(rounds):
        with engine.begin() as c:
            c.execute(outbox.delete())
        began, cpu = _time.perf_counter(), _time.process_time()
        written = digests.send_due(NOW + timedelta(days=day), uow_factory=factory)
        write_s.append(_time.perf_counter() - began)
        write_cpu_s.append(_time.process_time() - cpu)  # steadier on a shared machine
        with factory() as uow:
            rows = [m for m in uow.outbox.list() if m.kind == digests.KIND]
        assert len(rows) == sum(written.values()) >= count, (len(rows), day)
        began = _time.perf_counter()
        for row in rows:  # what the sender renders for each chat
            notices.render(row.kind, row.payload)
        render_s.append(_time.perf_counter() - began)
        with engine.begin() as c:
            c.execute(outbox.delete())
        began = _time.perf_counter()  # baseline: the same rows inserted, nothing read or built
        for start in range(0, len(rows), daily.BATCH):
            with factory() as uow:
                uow.outbox.add_many([QueuedMessage(m.channel, m.recipient, m.kind, m.payload,
                                                   m.created_at)
                                     for m in rows[start:start + daily.BATCH]])
                uow.commit()
        floor_s.append(_time.perf_counter() - began)
    digests_n = sum(written.values())
    result: dict[str, Any] = {
        "digests": digests_n, "rounds": rounds,
        "write_s": statistics.median(write_s), "write_runs_s": write_s,
        "write_cpu_s": statistics.median(write_cpu_s),
        "digests_per_cpu_s": digests_n / statistics.median(write_cpu_s),
        "digests_per_s": digests_n / statistics.median(write_s),
        "insert_only_s": statistics.median(floor_s),
        "render_ms_per_digest": 1000 * statistics.median(render_s) / digests_n,
    }
    if not deliver:
        return result

    virtual = VirtualTime()
    with LimitedTelegram(virtual) as server:
        for et, _ in pairs:
            server.open_chat(100_000 + et)
        pacer = Pacer(clock=virtual.clock, sleep=virtual.sleep)
        began = _time.perf_counter()
        with TelegramTransport(server.token, base_url=server.base_url) as transport:
            report = deliver_due(NOW, uow_factory=factory, transports={"telegram": transport},
                                 pacer=pacer, settings=DeliverySettings(budget=float("inf"),
                                                                        batch=500))
        send_seconds = _time.perf_counter() - began
        refused = server.refused
    with factory() as uow:
        statuses = [m.status for m in uow.outbox.list() if m.kind == "digest"]
    assert statuses.count(OutboxStatus.SENT) == digests_n, (report, len(statuses))
    return {**result, "sent": report.sent, "429s": refused, "virtual_s": virtual.now,
            "wall_s": send_seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=5_000)
    parser.add_argument("--sweeps", type=int, default=1,
                        help="times the due reminders are swept (made due again in between);"
                             " medians")
    parser.add_argument("--hosts", type=int, default=10_000)
    parser.add_argument("--digest-rounds", type=int, default=3,
                        help="times the digests are written (one local day apart); median")
    parser.add_argument("--skip-reminders", action="store_true")
    parser.add_argument("--skip-digests", action="store_true")
    parser.add_argument("--skip-delivery", action="store_true",
                        help="write the digests only (no PTB fan-out)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        if url.startswith("postgresql"):
            with engine.begin() as c:
                c.exec_driver_sql("DROP SCHEMA public CASCADE")
                c.exec_driver_sql("CREATE SCHEMA public")
        upgrade(engine)
        result: dict[str, Any] = {"database": engine.dialect.name}
        if not args.json:
            print(f"database: {engine.dialect.name}")
        if not args.skip_reminders:
            result["reminders"] = r = bench_reminders(engine, args.bookings, args.due,
                                                      args.sweeps)
        if not args.json and not args.skip_reminders:
            print(f"reminders: armed {r['armed']:,} bookings in {r['arm_s']:.2f} s; "
                  f"claimed and enqueued {r['due']:,} due reminders in {r['sweep_s']:.3f} s "
                  f"= {r['reminders_per_s']:,.0f} reminders/s ({r['sweep_cpu_s']:.3f} CPU s "
                  f"in this process = {r['reminders_per_cpu_s']:,.0f}/CPU s)"
                  + ("" if r["sweeps"] == 1 else f", median of {r['sweeps']} sweeps: "
                     + ", ".join(f"{x:,.0f}" for x in r["reminders_per_s_runs"]) + "/s"))
            server = ("" if r["server_cpu_s"] is None else
                      f" + {r['server_cpu_ms_per_1000']:.0f} ms in the PostgreSQL server")
            print(f"reminders: CPU per 1,000 reminders {r['cpu_ms_per_1000']:.0f} ms in this "
                  f"process{server}")
        if not args.skip_digests:
            result["digests"] = d = bench_digests(engine, args.hosts, rounds=args.digest_rounds,
                                                  deliver=not args.skip_delivery)
            if not args.json:
                print(f"digests: wrote {d['digests']:,} in {d['write_s']:.2f} s, median of "
                      f"{d['rounds']} ({d['digests_per_s']:,.0f}/s; this process's CPU "
                      f"{d['write_cpu_s']:.2f} s = {d['digests_per_cpu_s']:,.0f}/CPU s); "
                      f"baseline: the same rows "
                      f"inserted alone {d['insert_only_s']:.2f} s; rendering "
                      f"{d['render_ms_per_digest']:.3f} ms per digest")
                if "sent" in d:
                    print(f"digests: delivered {d['sent']:,} through PTB with {d['429s']} "
                          f"429s, {d['virtual_s']:.1f} s at Telegram's limits (30/s), "
                          f"{d['wall_s']:.1f} s wall")
        engine.dispose()
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
