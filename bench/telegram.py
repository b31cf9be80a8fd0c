"""Telegram adapter throughput: 50 chats in a closed loop (see bench/README.md, "Telegram").

Each chat (a thread) sends a message and waits for the bot's answer before it
sends the next, for ``--seconds`` after a warm-up, against the loopback Bot API
server (``tests/e2e/telegram_server.py``) through the real python-telegram-bot
stack with the adapter's rate limiter (``bots.telegram._pace.Pace``, PTB's
``AIORateLimiter`` evenly spaced: 30 messages/s for the whole bot, the ceiling).
Variants, measured in the same run:

- ``trivial``: the adapter with a handler that answers at once, no inbox;
- ``single lane``: the real conversation and the inbox, one update at a time
  (``Concurrency(workers=1)``: today's single-lane handling on main);
- ``slotbot``: the real conversation and the inbox, ``--workers`` lanes.

The conversation knows one host (``ana``) and answers ``hello`` with its greeting.

Usage::

    .venv/bin/python -m bench.telegram                     # SQLite file, 3 rounds
    .venv/bin/python -m bench.telegram --database postgresql+psycopg://…
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bots.conversation import Conversation
from bots.inbox import Inbox
from bots.messages import Handle, IncomingMessage, KeepAnswer, Reply
from bots.telegram import Concurrency, build_application
from core import services
from core.ports import UnitOfWorkFactory
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.migrate import upgrade
from storage.uow import make_uow_factory
from tests.e2e.telegram_server import TelegramAPIServer, running_bot

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CEILING = 30.0  # the adapter's overall rate (Telegram's), messages/s
SETUP = {"hosts": [{
    "handle": "ana", "name": "Ana Lima", "email": "ana@example.com",
    "timezone": "Europe/Berlin", "working_hours": {"mon-fri": "09:00-17:00"},
    "event_types": [{"slug": "intro", "title": "Intro call", "duration": 30}],
}]}



def trivial(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
    return [Reply(f"Got: {message.text}")]


@contextmanager
def fresh_database(database: str) -> Iterator[UnitOfWorkFactory]:
    """Units of work on an emptied, migrated database with one host (``SETUP``)."""
    engine = make_engine(database)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    uow_factory = make_uow_factory(engine)
    services.load_hosts(parse_setup(SETUP), uow=uow_factory())
    try:
        yield uow_factory
    finally:
        engine.dispose()


@contextmanager
def slotbot(database: str) -> Iterator[tuple[Handle, Inbox]]:
    """The real conversation on an emptied database with one host, and a Telegram inbox."""
    with fresh_database(database) as uow_factory:
        yield (Conversation(uow_factory, lambda: NOW).handle,
               Inbox(uow_factory, lambda: NOW, platform="telegram"))


def closed_loop(handle: Handle, inbox: Inbox | None, *, workers: int, chats: int,
                seconds: float, warmup: float) -> float:
    """Replies per second over ``seconds`` (after ``warmup``) with ``chats`` closed loops."""
    with TelegramAPIServer() as api:
        application = build_application(api.token, handle, base_url=api.base_url, inbox=inbox,
                                        concurrency=Concurrency(workers=workers))
        with running_bot(application):
            stop = threading.Event()
            first_chat = 70_000

            def chat(chat_id: int) -> None:
                seen = 0
                while not stop.is_set():
                    api.push_text(chat_id, "hello")
                    if not api.wait_until(lambda seen=seen: len(api.messages(chat_id)) > seen,
                                          30):
                        return
                    seen = len(api.messages(chat_id))

            threads = [threading.Thread(target=chat, args=(first_chat + n,), daemon=True)
                       for n in range(chats)]
            for thread in threads:
                thread.start()
            time.sleep(warmup)
            before = _sent(api, first_chat, chats)
            started = time.perf_counter()
            time.sleep(seconds)
            count = _sent(api, first_chat, chats) - before
            elapsed = time.perf_counter() - started
            stop.set()
            for thread in threads:
                thread.join(timeout=35)
    return count / elapsed


def _sent(api: TelegramAPIServer, first_chat: int, chats: int) -> int:
    return sum(len(api.messages(first_chat + n)) for n in range(chats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        results: dict[str, list[float]] = {"trivial": [], "single lane": [], "slotbot": []}
        for round_number in range(args.rounds):
            results["trivial"].append(closed_loop(
                trivial, None, workers=args.workers, chats=args.chats, seconds=args.seconds,
                warmup=args.warmup))
            for name, workers in (("single lane", 1), ("slotbot", args.workers)):
                # A fresh database each time: the server numbers its updates from 1 again.
                fresh = Path(folder) / f"bench-{round_number}-{workers}.db"
                with slotbot(args.database or f"sqlite:///{fresh}") as (handle, inbox):
                    results[name].append(closed_loop(
                        handle, inbox, workers=workers, chats=args.chats,
                        seconds=args.seconds, warmup=args.warmup))
    engine = (args.database or "sqlite").split(":")[0]
    print(f"Telegram, {args.chats} chats closed loop, {engine}, median of {args.rounds} "
          f"x {args.seconds:.0f} s (ceiling {CEILING:.0f}/s)")
    trivial_median = statistics.median(results["trivial"])
    for name, values in results.items():
        median = statistics.median(values)
        print(f"  {name:<12} {median:6.1f} msg/s  {median / CEILING:5.2f}x ceiling  "
              f"{median / trivial_median:5.2f}x trivial   runs: "
              + ", ".join(f"{v:.1f}" for v in values))


if __name__ == "__main__":
    main()
