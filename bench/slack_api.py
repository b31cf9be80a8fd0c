"""The loopback Slack Web API in its own process, for ``bench/slack.py``.

The child process serves ``tests/e2e/slack_server.SlackApiServer`` (its own GIL,
so neither the load generator nor the server under test slows it) and streams
every reply it receives — ``chat.postMessage`` by channel, ``response_url`` posts
by target — with its arrival time (``time.monotonic``: one clock for every
process on Linux) over a pipe. The parent reads the pipe from its asyncio loop
(:class:`Replies`), so guests await their replies without threads or polling.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections import defaultdict
from collections.abc import Iterable
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Self

from tests.e2e.slack_server import RESPONSE_METHOD, FakeUser, SlackApiServer

POST_METHOD = "chat.postMessage"
#: Every ``chat.postMessage``, whatever its channel (see :meth:`Replies.wait`).
ANY_POST = "*"


def _serve(pipe: Connection, token: str, users: list[FakeUser]) -> None:
    """The child: serve the API, send its URL, then forward replies until the pipe closes."""
    with SlackApiServer(token=token, users=users) as api:
        pipe.send(api.base_url)
        seen = 0
        while not pipe.poll():  # the parent sends anything (or closes) to stop us
            calls = api.calls_after(seen, timeout=0.2)
            seen += len(calls)
            now = time.monotonic()
            replies = [(call.method, call.target if call.method == RESPONSE_METHOD
                        else str(call.args.get("channel")), now)
                       for call in calls if call.method in (POST_METHOD, RESPONSE_METHOD)]
            if replies:
                pipe.send(replies)


class Replies:
    """Arrival times of the replies, by channel (posts) or target (``response_url``)."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self._waiting: dict[str, list[tuple[int, asyncio.Future[float]]]] = defaultdict(list)

    def arrived(self, key: str, at: float) -> None:
        times = self.times[key]
        times.append(at)
        still = []
        for count, future in self._waiting.pop(key, []):
            if len(times) >= count:
                if not future.done():
                    future.set_result(times[count - 1])
            else:
                still.append((count, future))
        if still:
            self._waiting[key] = still

    async def wait(self, key: str, count: int, timeout: float) -> float:
        """When the ``count``-th reply to ``key`` arrived (``ANY_POST``: any post).

        Raises:
            TimeoutError: it did not arrive within ``timeout`` seconds.
        """
        times = self.times[key]
        if len(times) >= count:
            return times[count - 1]
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[key].append((count, future))
        return await asyncio.wait_for(future, timeout)


class ApiProcess:
    """The child process; a context manager. Read ``base_url``; ``follow()`` in the loop."""

    def __init__(self, *, token: str, users: Iterable[FakeUser]) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, token, list(users)),
                                        name="slack-api", daemon=True)
        self.base_url = ""
        self.replies = Replies()

    def __enter__(self) -> Self:
        self._process.start()
        if not self._pipe.poll(60):
            raise RuntimeError("the loopback Slack Web API did not start")
        self.base_url = self._pipe.recv()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._pipe.send("stop")
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
        self._pipe.close()

    def follow(self) -> None:
        """Start delivering replies into a new ``replies`` in the running asyncio loop
        (the ones forwarded before are dropped)."""
        while self._pipe.poll():
            self._pipe.recv()
        self.replies = Replies()
        asyncio.get_running_loop().add_reader(self._pipe.fileno(), self._read)

    def unfollow(self) -> None:
        asyncio.get_running_loop().remove_reader(self._pipe.fileno())

    def _read(self) -> None:
        while self._pipe.poll():
            for method, key, at in self._pipe.recv():
                self.replies.arrived(key, at)
                if method == POST_METHOD:
                    self.replies.arrived(ANY_POST, at)
