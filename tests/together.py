"""Run one job on several threads at once, or wait until a thread waits for a lock: for
tests of what happens concurrently."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine, text

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


def wait_until_waiting_or_done(engine: Engine, thread: threading.Thread) -> None:
    """Until ``thread``'s transaction waits for a PostgreSQL lock, or it has returned
    without waiting (any session's wait counts: the test's other sessions hold locks).

    Raises:
        AssertionError: it neither waited nor returned within about 10 seconds.
    """
    with engine.connect() as connection:
        for _ in range(10_000):
            waiting = connection.execute(text(
                "SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar()
            connection.rollback()
            if waiting or not thread.is_alive():
                return
            thread.join(0.001)
    raise AssertionError("the thread neither waited for a lock nor returned")
