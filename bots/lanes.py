"""Per-key lanes on a thread pool: keys run concurrently, each key's jobs in order.

The Slack adapter queues each guest's messages on that guest's lane: one
guest's flood occupies one worker at most, so it delays nobody else, and a
guest's messages are answered in the order they came.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

_LOGGER = logging.getLogger(__name__)

Job = Callable[[], None]


class Lanes:
    """Runs jobs on ``workers`` threads, in submission order per key.

    Args:
        workers: threads, i.e. keys served at the same time.
        name: prefix of the threads' names.
    """

    def __init__(self, workers: int, *, name: str = "lane") -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._waiting: dict[Hashable, deque[Job]] = {}
        self._pending = 0
        self._closed = False

    def submit(self, key: Hashable, job: Job) -> None:
        """Queue ``job`` behind ``key``'s earlier jobs. Exceptions are logged, not raised.

        Raises:
            RuntimeError: the lanes are closed (after :meth:`close`).
        """
        with self._lock:
            if self._closed:
                raise RuntimeError("the lanes are closed")
            self._pending += 1
            lane = self._waiting.get(key)
            if lane is not None:  # the key is running: queue behind it
                lane.append(job)
                return
            self._waiting[key] = deque()
        self._pool.submit(self._run, key, job)

    def pending(self) -> int:
        """Jobs queued or running."""
        with self._lock:
            return self._pending

    def close(self, timeout: float) -> int:
        """Stop taking jobs; wait up to ``timeout`` seconds for the queued ones.

        Jobs not started by then are dropped (their inbox rows stay for the next
        process); running ones finish in the background.

        Returns:
            How many jobs were dropped.
        """
        with self._lock:
            self._closed = True
            self._idle.wait_for(lambda: self._pending == 0, timeout)
            dropped = sum(len(lane) for lane in self._waiting.values())
            for lane in self._waiting.values():
                lane.clear()
            self._pending -= dropped
        self._pool.shutdown(wait=False)
        return dropped

    def _run(self, key: Hashable, job: Job) -> None:
        try:
            job()
        except Exception:
            _LOGGER.exception("A queued message failed")
        with self._lock:
            self._pending -= 1
            lane = self._waiting[key]
            if not lane:
                del self._waiting[key]
                self._idle.notify_all()
                return
            following = lane.popleft()
        # To the back of the pool's queue: busy keys take turns with the others.
        self._pool.submit(self._run, key, following)
