"""Run one job on several threads at once, for tests of what happens concurrently."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def run_together(job: Callable[[], T], threads: int, *, timeout: float = 120) -> list[T]:
    """``job()`` on ``threads`` threads, started together (a barrier); their results.

    Raises:
        AssertionError: a thread raised (the errors are chained in the message) or
            did not finish within ``timeout`` seconds.
    """
    barrier = threading.Barrier(threads, timeout=30)
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(job())
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    running = [threading.Thread(target=run) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(timeout)
    assert not errors, errors
    assert len(results) == threads, "a thread did not finish"
    return results
