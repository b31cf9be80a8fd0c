"""A clock for the delivery pacer that moves only when the pacer sleeps.

Tests and benchmarks use it so platform rate limits are checked exactly
without anyone waiting in real time.
"""

from __future__ import annotations


class VirtualTime:
    """A monotonic clock in seconds; ``sleeps`` records every sleep asked for."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds
