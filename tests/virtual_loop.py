"""An asyncio event loop on a virtual clock: when nothing is ready, time jumps to the next timer.

``asyncio.sleep``, ``loop.call_later`` and anything reading ``loop.time()``
(python-telegram-bot's limiter, ``bots.telegram._pace.Pace``) then run in
virtual seconds: exact, and without anyone waiting in real time. There is no
I/O: a loop left with nothing ready and no timer raises instead of hanging.
"""

from __future__ import annotations

import asyncio
import selectors
from typing import Any


class VirtualLoop(asyncio.SelectorEventLoop):
    """A selector event loop whose ``time()`` starts at 0.0 and moves only between timers."""

    def __init__(self) -> None:
        self.now = 0.0
        super().__init__(_Skipping(self))

    def time(self) -> float:
        return self.now


class _Skipping(selectors.DefaultSelector):
    """Never waits: a select with a timeout moves the loop's clock by it instead."""

    def __init__(self, loop: VirtualLoop) -> None:
        super().__init__()
        self._loop = loop

    def select(self, timeout: float | None = None) -> list[tuple[Any, int]]:
        if timeout is None:
            raise RuntimeError("virtual loop: nothing ready and no timer (a deadlock)")
        self._loop.now += timeout
        return []
