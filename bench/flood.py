"""One guest floods, another writes: the other's reply delay (see bench/README.md, "Flood").

Through the real python-telegram-bot stack against the loopback Bot API server
(``tests/e2e/telegram_server.py``), with the real conversation, the inbox, 8
lanes and the per-guest rate limit as ``slotbot serve`` wires them (refusals
counted in the database). A quiet guest sends ``--samples`` messages one after
the other (each waits for its answer) and we time each reply. Variants, in turn
in every round and each on a fresh database:

- ``no flood``: the quiet guest alone (the baseline);
- ``flood``: a flooding guest's ``--flood`` messages are queued at once just
  before the quiet guest starts, behind the rate limit (``--limit``);
- ``flood, no limit``: the same flood with no rate limit in front of the dialog.

The quiet guest's first reply is the bound: its message is behind the whole
flood in Telegram's queue, and every update is stored in the inbox (one
transaction each) before the next ``getUpdates``; the rest go at once.

Usage::

    .venv/bin/python -m bench.flood                      # SQLite file, 3 rounds
    .venv/bin/python -m bench.flood --database postgresql+psycopg://…
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.telegram import NOW, fresh_database
from bots.conversation import Conversation
from bots.inbox import Inbox
from bots.messages import IncomingMessage, Reply
from bots.ratelimit import GuestRateLimit, RefusalCounter
from bots.telegram import Concurrency, build_application
from tests.e2e.telegram_server import TelegramAPIServer, running_bot

Handle = Callable[[IncomingMessage], list[Reply]]
FLOODER, QUIET = 80_001, 80_002


def delays(url: str, *, flood: int, limit: str | None, samples: int,
           workers: int) -> tuple[list[float], int]:
    """The quiet guest's reply delays (seconds) and how many refusals were counted."""
    with fresh_database(url) as uow_factory, TelegramAPIServer() as api:
        handle: Handle = Conversation(uow_factory, lambda: NOW).handle
        counter = RefusalCounter(uow_factory, lambda: NOW)
        if limit is not None:
            handle = GuestRateLimit(limit, on_refused=counter).wrap(handle)
        inbox = Inbox(uow_factory, lambda: NOW, platform="telegram")
        application = build_application(api.token, handle, base_url=api.base_url, inbox=inbox,
                                         concurrency=Concurrency(workers=workers))
        with running_bot(application):
            for n in range(flood):
                api.push_text(FLOODER, f"hello {n}")
            found = []
            for n in range(samples):
                seen = len(api.messages(QUIET))
                started = time.perf_counter()
                api.push_text(QUIET, f"hello again {n}")
                if not api.wait_until(lambda seen=seen: len(api.messages(QUIET)) > seen, 120):
                    raise RuntimeError("the quiet guest got no answer within 120 s")
                found.append(time.perf_counter() - started)
            _until_handled(api, inbox)
        counter.flush()
        with uow_factory() as uow:
            refused = uow.refusals.total(NOW.date(), NOW.date())
    return found, refused


def _until_handled(api: TelegramAPIServer, inbox: Inbox, timeout: float = 600) -> None:
    """Wait until the flood is fetched and every stored update is done (before stopping)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if api.pending_updates() == 0 and inbox.unfinished() == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the flood was not handled within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--flood", type=int, default=400)
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--limit", default="20/minute")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    variants = {"no flood": (0, args.limit), "flood": (args.flood, args.limit),
                "flood, no limit": (args.flood, None)}
    results: dict[str, list[float]] = {name: [] for name in variants}
    firsts: dict[str, list[float]] = {name: [] for name in variants}
    refusals: dict[str, list[int]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory() as folder:
        for round_number in range(args.rounds):
            for index, (name, (flood, limit)) in enumerate(variants.items()):
                url = args.database or f"sqlite:///{Path(folder) / f'f{round_number}-{index}.db'}"
                found, refused = delays(url, flood=flood, limit=limit, samples=args.samples,
                                        workers=args.workers)
                results[name] += found
                firsts[name].append(found[0])
                refusals[name].append(refused)
    engine = (args.database or "sqlite").split(":")[0]
    print(f"Flood: one guest queues {args.flood} messages, another sends {args.samples} "
          f"one by one; {engine}, {args.workers} lanes, limit {args.limit}, "
          f"{args.rounds} rounds")
    for name, values in results.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"  {name:<16} reply delay median {statistics.median(values) * 1000:7.0f} ms  "
              f"p95 {p95 * 1000:6.0f} ms  max {ordered[-1] * 1000:6.0f} ms  first reply per "
              f"round: {', '.join(f'{v * 1000:.0f}' for v in firsts[name])} ms  "
              f"refusals counted: {refusals[name]}")


if __name__ == "__main__":
    main()
