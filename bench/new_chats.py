"""1,000 new chats at once on Telegram: pace, 429s, sends per first message, per-chat order.

See bench/README.md, "Telegram — new chats". ``--chats`` chats never seen before
(no guest row) each send two or three messages in quick succession (``hi``,
``intro tomorrow 10am?``, and every other chat ``what times tomorrow?``), all
queued at once in the loopback Bot API server (``tests/e2e/telegram_server.py``)
before the bot starts polling. The bot is the real python-telegram-bot stack
as ``slotbot serve`` builds it: its rate limiter, 8 lanes, the inbox, the
per-guest rate limit (``20/minute``) in front of the real conversation. The
server answers 429 to any ``sendMessage`` beyond Telegram's limits (30 a
second for the bot, one a second per chat; ``bench.jobs.LimitedTelegram`` on
the wall clock: python-telegram-bot's limiter runs in real time, so the run
takes real time, about ``sends / 30`` seconds).

Measured, per variant, in the same run (each round: ``trivial``, then ``slotbot``,
each on a fresh server and database):

- ``trivial``: the same adapter with a handler that answers ``Got: <text>`` at
  once, no inbox (the baseline: the adapter and limiter alone);
- ``slotbot``: the real conversation and the inbox.

Reported: seconds until every message is answered, sends per second against
the ceiling (30/s), 429s (overall / per chat), sends for a chat's first message
(the timezone note folded into the reply: 1), and whether every chat got its
answers in the order of its messages (each turn's replies recorded as the
conversation returns them, in the order the conversation saw the messages,
compared with what the server received per chat).

Usage::

    .venv/bin/python -m bench.new_chats                      # SQLite file, 3 rounds
    .venv/bin/python -m bench.new_chats --database postgresql+psycopg://…
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.jobs import LimitedTelegram, WallTime
from bench.telegram import CEILING, NOW, fresh_database, trivial
from bots.conversation import Conversation
from bots.inbox import Inbox
from bots.messages import Handle, IncomingMessage, KeepAnswer, Reply
from bots.ratelimit import GuestRateLimit, RefusalCounter
from bots.telegram import Concurrency, build_application
from tests.e2e.telegram_server import running_bot

TEXTS = ("hi", "intro tomorrow 10am?", "what times tomorrow?")
FIRST_CHAT = 500_000
GUEST_RATE = "20/minute"  # slotbot serve's default (SLOTBOT_GUEST_RATE_LIMIT)


class Recorder:
    """Wraps the handler: per chat, each message's text and its replies, in handling order."""

    def __init__(self, handle: Handle) -> None:
        self._handle = handle
        self._lock = threading.Lock()
        self.turns: dict[int, list[tuple[str, list[str]]]] = {}

    def __call__(self, message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        replies = self._handle(message, keep)
        with self._lock:
            self.turns.setdefault(int(message.chat_id), []).append(
                (message.text, [reply.text for reply in replies]))
        return replies

    def handled(self) -> int:
        with self._lock:
            return sum(len(turns) for turns in self.turns.values())


@dataclass(frozen=True)
class Run:
    """One variant's run: how long, how many sends, refusals, first-turn sends, order."""

    seconds: float
    sends: int
    refused: int
    refused_per_chat: int
    first_sends: list[int]
    out_of_order: int

    @property
    def rate(self) -> float:
        return self.sends / self.seconds


def sent_texts(chat: int) -> list[str]:
    """The messages chat ``chat`` sends (two, or three for every other chat)."""
    return list(TEXTS[:2 + chat % 2])


def new_chats(handle: Handle, inbox: Inbox | None, *, chats: int, workers: int,
              timeout: float) -> Run:
    """Queues every chat's messages at once, starts the bot, waits until all are answered."""
    recorder = Recorder(handle)
    with LimitedTelegram(WallTime()) as api:
        for n in range(chats):
            for text in sent_texts(FIRST_CHAT + n):
                api.push_text(FIRST_CHAT + n, text, name=f"Guest {n}")
        expected = sum(len(sent_texts(FIRST_CHAT + n)) for n in range(chats))
        application = build_application(api.token, recorder, base_url=api.base_url,
                                         inbox=inbox, concurrency=Concurrency(workers=workers))
        started = time.monotonic()
        with running_bot(application):
            def answered() -> bool:
                if recorder.handled() < expected:
                    return False
                replies = sum(len(r) for t in recorder.turns.values() for _, r in t)
                return sum(len(v) for v in api.accepted.values()) >= replies

            if not _wait(answered, timeout):
                raise RuntimeError(f"not every message was answered within {timeout:.0f} s")
            seconds = max(t for v in api.accepted.values() for t in v) - started
        received = {n: [m.plain_text for m in api.messages(n)] for n in api.accepted}
    out_of_order = 0
    for chat, turns in recorder.turns.items():
        in_order = [text for text, _ in turns] == sent_texts(chat)
        out_of_order += not in_order or received.get(chat) != [r for _, rs in turns for r in rs]
    return Run(seconds, sum(len(v) for v in received.values()), api.refused,
               api.refused_per_chat, [len(turns[0][1]) for turns in recorder.turns.values()],
               out_of_order)


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@contextmanager
def slotbot(url: str) -> Iterator[tuple[Handle, Inbox]]:
    """The real conversation behind the per-guest rate limit, and the Telegram inbox."""
    with fresh_database(url) as uow_factory:
        counter = RefusalCounter(uow_factory, lambda: NOW)
        conversation = Conversation(uow_factory, lambda: NOW)
        yield (GuestRateLimit(GUEST_RATE, on_refused=counter).wrap(conversation.handle),
               Inbox(uow_factory, lambda: NOW, platform="telegram"))
        counter.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    runs: dict[str, list[Run]] = {"trivial": [], "slotbot": []}
    with tempfile.TemporaryDirectory() as folder:
        for round_number in range(args.rounds):
            runs["trivial"].append(new_chats(trivial, None, chats=args.chats,
                                             workers=args.workers, timeout=args.timeout))
            url = args.database or f"sqlite:///{Path(folder) / f'new-{round_number}.db'}"
            with slotbot(url) as (handle, inbox):
                runs["slotbot"].append(new_chats(handle, inbox, chats=args.chats,
                                                 workers=args.workers, timeout=args.timeout))
    engine = (args.database or "sqlite").split(":")[0]
    messages = sum(len(sent_texts(FIRST_CHAT + n)) for n in range(args.chats))
    print(f"Telegram, {args.chats} new chats x 2-3 messages ({messages} messages) at once, "
          f"{engine}, {args.workers} lanes, median of {args.rounds} (ceiling {CEILING:.0f}/s), "
          f"load average {os.getloadavg()[0]:.1f}")
    trivial_rate = statistics.median(run.rate for run in runs["trivial"])
    for name, values in runs.items():
        rate = statistics.median(run.rate for run in values)
        first = [n for run in values for n in run.first_sends]
        print(f"  {name:<8} all answered in {statistics.median(r.seconds for r in values):5.1f} s"
              f"  {rate:5.1f} sends/s  {rate / CEILING:4.2f}x ceiling  "
              f"{rate / trivial_rate:4.2f}x trivial  429s {[r.refused for r in values]} "
              f"(per chat {[r.refused_per_chat for r in values]})  sends per first message: "
              f"mean {statistics.mean(first):.2f} max {max(first)}  chats out of order "
              f"{[r.out_of_order for r in values]}  sends/s runs: "
              + ", ".join(f"{r.rate:.1f}" for r in values))


if __name__ == "__main__":
    main()
