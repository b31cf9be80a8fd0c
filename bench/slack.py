"""Slack adapter under a burst and in a closed loop (see bench/README.md, "Slack").

Three processes, so that the benchmark measures the server and not itself:

- the server under test, as it runs in production: ``slotbot serve slack`` (the
  real Bolt app behind ``SlackServer``: uvicorn, the inbox, the rate limit, the
  workers) — or, for the same-run baseline ``trivial``, the same command with a
  conversation that answers at once (``bench/slack_trivial.py``);
- the loopback Slack Web API (``bench/slack_api.py``), which reports every reply;
- this one, the load generator: one asyncio loop with httpx clients, every
  request signed as Slack signs it (v0 HMAC-SHA256 at the wall clock, which the
  server checks).

1. Burst: ``--guests`` guests (1,000) each send a DM at once over ``--clients``
   (200) pooled connections, and every tenth, once its DM is acknowledged, runs
   ``/slotbot today`` (as Slack sends commands: on connections of their own).
   Reports the slash-command ack latency (p50/p99), HTTP 404s, failed connections
   (refused, reset, timed out) and the throughput: DMs answered per second from
   the first request to the last reply.
2. Closed loop, on the same server afterwards (once every DM and every command of
   the burst is answered): ``--loop-guests`` (20) other guests each send a DM and
   wait for the reply, ``--rounds`` times; reports the reply latency p50/p99 and
   the server's CPU time per reply (user + system, from ``/proc``: it measures the
   work, where the latency also measures the machine's other load).
   ``--guests 0`` runs the closed loop alone.

The two variants alternate ``--repeats`` times, each time on a fresh database and
a fresh server process; medians are printed, with the load average.

Usage::

    .venv/bin/python -m bench.slack --guests 1000 --clients 200 --rounds 5 --repeats 3
    .venv/bin/python -m bench.slack --database postgresql+psycopg://…
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench.slack_api import ANY_POST, ApiProcess
from bench.telegram import SETUP
from core import services
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.migrate import upgrade
from storage.uow import make_uow_factory
from tests.e2e.slack_fixtures import BOT_TOKEN, SIGNING_SECRET, sign
from tests.e2e.slack_server import FakeUser

VARIANTS = ("trivial", "slotbot")
TEAM = "T0SLOTBOT"
LOOP_GUESTS = 20
#: Clock ticks per second of ``/proc/<pid>/stat``.
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
#: The server's start: imports, migrations, ``auth.test``.
START_SECONDS = 90.0
REPLY_SECONDS = 600.0


@dataclass
class Result:
    ack_p50: float
    ack_p99: float
    not_found: int
    failed: int
    per_second: float
    reply_p50: float
    reply_p99: float
    cpu_ms: float
    load: float


# -- the processes ---------------------------------------------------------------------


def _prepare(url: str) -> None:
    """An emptied, migrated database with the benchmark's one host."""
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    upgrade(engine)
    uow_factory = make_uow_factory(engine)  # maps the models: before they are built
    services.load_hosts(parse_setup(SETUP), uow=uow_factory())
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(variant: str, *, database: str, api_url: str, folder: Path,
           profile: str | None = None) -> Iterator[tuple[str, int]]:
    """The server under test in its own process until left; yields its events URL and pid.

    ``profile``: sample the server's first 30 s with py-spy into ``PROFILE-VARIANT.txt``.
    """
    _prepare(database)
    port = _free_port()
    command = ([sys.executable, "-m", "bench.slack_trivial", str(port)] if variant == "trivial"
               else [sys.executable, "-c", "from config.cli import main; main()",
                     "serve", "slack", "--port", str(port)])
    env = {**os.environ, "SLOTBOT_DATABASE_URL": database, "SLACK_BOT_TOKEN": BOT_TOKEN,
           "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": api_url}
    log_path = folder / f"{variant}-serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log,
                                   cwd=Path(__file__).resolve().parent.parent)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", process, log_path)
        if profile:
            subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record",
                              "--nonblocking", "--threads", "--idle", "-r", "100", "-d", "30",
                              "-f", "raw", "-o",
                              f"{profile}-{variant}.txt", "--pid", str(process.pid)])
        yield f"http://127.0.0.1:{port}/slack/events", process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling a process's start-up, not waiting for time
    raise RuntimeError(f"the server did not start:\n{log.read_text(errors='replace')}")


# -- what Slack sends ------------------------------------------------------------------

_ids = itertools.count(1)
#: One TLS context for every client (loading the CA bundle per client is slow); the
#: requests are plain HTTP on the loopback.
_TLS = ssl.create_default_context()


def _dm(user: str) -> tuple[bytes, str]:
    now = int(time.time())
    n = next(_ids)
    event = {"type": "message", "channel": f"D{user}", "channel_type": "im", "user": user,
             "text": "hello", "ts": f"{now}.{n:06d}", "team": TEAM}
    body = {"token": "legacy-verification-token", "team_id": TEAM, "api_app_id": "A0SLOTBOT",
            "event": event, "type": "event_callback", "event_id": f"Ev{n:08d}",
            "event_time": now,
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}]}
    return json.dumps(body).encode(), "application/json"


def _slash(user: str, text: str, response_url: str) -> tuple[bytes, str]:
    n = next(_ids)
    fields = {"token": "legacy-verification-token", "team_id": TEAM,
              "team_domain": "slotbot-test", "channel_id": "C0GENERAL",
              "channel_name": "general", "user_id": user, "user_name": user.lower(),
              "command": "/slotbot", "text": text, "api_app_id": "A0SLOTBOT",
              "response_url": response_url, "trigger_id": f"trigger-{n}"}
    return urlencode(fields).encode(), "application/x-www-form-urlencoded"


async def _send(client: httpx.AsyncClient, url: str, request: tuple[bytes, str]) -> int:
    """POSTs a signed request; its status, or 0 when the connection failed."""
    body, content_type = request
    headers: Mapping[str, str] = {"Content-Type": content_type,
                                  **sign(body, timestamp=int(time.time()))}
    try:
        return (await client.post(url, content=body, headers=headers)).status_code
    except httpx.TransportError:
        return 0  # refused, reset or timed out


# -- the two measurements --------------------------------------------------------------


def _client() -> httpx.AsyncClient:
    """One keep-alive connection (httpcore's pool slows down quadratically with the
    requests queued in it: each connection gets a client of its own instead)."""
    return httpx.AsyncClient(limits=httpx.Limits(max_connections=1), timeout=60, verify=_TLS)


async def burst(url: str, api: ApiProcess, *, guests: int,
                clients: int) -> tuple[list[float], list[int], float]:
    """Acks of the slash commands (s), every status, and DMs answered per second."""
    acks: list[float] = []
    statuses: list[int] = []
    waiting = iter(range(guests))
    commands = [_client() for _ in range(0, guests, 10)]

    async def connection(client: httpx.AsyncClient) -> None:
        slashes = []
        for n in waiting:  # the connections take the guests in turn
            user = f"U{n:05d}"
            statuses.append(await _send(client, url, _dm(user)))
            if n % 10 == 0:
                slashes.append(asyncio.create_task(slash(commands[n // 10], user, n)))
        await asyncio.gather(*slashes)

    async def slash(client: httpx.AsyncClient, user: str, n: int) -> None:
        request = _slash(user, "today", api.base_url.replace("/api/", f"/response/c{n}"))
        started = time.monotonic()
        statuses.append(await _send(client, url, request))
        acks.append(time.monotonic() - started)

    dms = [_client() for _ in range(clients)]
    started = time.monotonic()
    await asyncio.gather(*(connection(client) for client in dms))
    last = await api.replies.wait(ANY_POST, guests, REPLY_SECONDS)
    # The closed loop comes after the burst, not during its last commands' answers.
    await asyncio.gather(*(api.replies.wait(f"c{n}", 1, REPLY_SECONDS)
                           for n in range(0, guests, 10)))
    for client in dms + commands:
        await client.aclose()
    return acks, statuses, guests / (last - started)


async def closed_loop(url: str, api: ApiProcess, *, rounds: int, guests: int) -> list[float]:
    """Reply latencies (s) of ``guests`` guests, each waiting for its reply."""
    latencies: list[float] = []

    async def guest(user: str) -> None:
        async with _client() as client:
            for turn in range(1, rounds + 1):
                started = time.monotonic()
                await _send(client, url, _dm(user))
                arrived = await api.replies.wait(f"D{user}", turn, 60)
                latencies.append(arrived - started)

    await asyncio.gather(*(guest(f"UL{n:04d}") for n in range(guests)))
    return latencies


async def _measure(url: str, pid: int, api: ApiProcess, *, guests: int, clients: int,
                   rounds: int, loop_guests: int) -> Result:
    acks: list[float] = []
    statuses: list[int] = []
    per_second = float("nan")
    api.follow()
    try:
        if guests:
            acks, statuses, per_second = await burst(url, api, guests=guests, clients=clients)
        cpu = _cpu_seconds(pid)
        latencies = await closed_loop(url, api, rounds=rounds, guests=loop_guests)
        cpu_ms = (_cpu_seconds(pid) - cpu) * 1000 / len(latencies)
    finally:
        api.unfollow()
    return Result(_quantile(acks, 0.5), _quantile(acks, 0.99), statuses.count(404),
                  statuses.count(0), per_second, _quantile(latencies, 0.5),
                  _quantile(latencies, 0.99), cpu_ms, os.getloadavg()[0])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux ``/proc``; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _quantile(values: list[float], q: float) -> float:
    """The nearest-rank ``q`` quantile: the smallest value with at least ``q`` of them at
    or below it (the p99 of 100 replies is the 99th, not the largest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def _users(guests: int, loop_guests: int) -> list[FakeUser]:
    return ([FakeUser(f"U{n:05d}", f"Guest {n}", tz="Europe/Berlin") for n in range(guests)]
            + [FakeUser(f"UL{n:04d}", f"Loop {n}") for n in range(loop_guests)])


def _line(name: str, r: Result, baseline: float, loop_guests: int) -> str:
    return (f"  {name:<8} slash ack p50 {r.ack_p50 * 1000:6.0f} ms  p99 {r.ack_p99 * 1000:6.0f} ms"
            f"  404s {r.not_found}  failed connections {r.failed}  {r.per_second:6.1f} DMs/s "
            f"({r.per_second / baseline:.2f}x trivial)  {loop_guests} guests reply p50 "
            f"{r.reply_p50 * 1000:5.0f} ms  p99 {r.reply_p99 * 1000:5.0f} ms  "
            f"server CPU {r.cpu_ms:4.1f} ms/reply  load {r.load:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: temporary SQLite files)")
    parser.add_argument("--guests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5, help="closed-loop turns per guest")
    parser.add_argument("--loop-guests", type=int, default=LOOP_GUESTS,
                        help="guests in the closed loop")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each variant")
    parser.add_argument("--profile", metavar="PREFIX",
                        help="sample each server with py-spy (pip install py-spy) into "
                             "PREFIX-<variant>.txt (collapsed stacks)")
    args = parser.parse_args()
    engine = (args.database or "sqlite").split(":")[0]
    print(f"Slack, {args.guests} guests at once from {args.clients} connections, then "
          f"{args.loop_guests} guests in a closed loop ({args.rounds} rounds), {engine}; "
          f"{os.cpu_count()} cores")
    results: dict[str, list[Result]] = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory() as scratch, \
            ApiProcess(token=BOT_TOKEN, users=_users(args.guests, args.loop_guests)) as api:
        folder = Path(scratch)
        for repeat, name in itertools.product(range(args.repeats), VARIANTS):
            database = args.database or f"sqlite:///{folder / f'{name}-{repeat}.db'}"
            with server(name, database=database, api_url=api.base_url, folder=folder,
                        profile=args.profile) as (url, pid):
                result = asyncio.run(_measure(url, pid, api, guests=args.guests,
                                              clients=args.clients, rounds=args.rounds,
                                              loop_guests=args.loop_guests))
            results[name].append(result)
            print(_line(f"{name}#{repeat + 1}", result, results["trivial"][-1].per_second,
                        args.loop_guests), flush=True)
    medians = {name: Result(*(statistics.median(getattr(r, field) for r in runs)
                              for field in Result.__dataclass_fields__))
               for name, runs in results.items()}
    print(f"Medians of {args.repeats} runs each:")
    for name, result in medians.items():
        print(_line(name, result, medians["trivial"].per_second, args.loop_guests))


if __name__ == "__main__":
    main()
