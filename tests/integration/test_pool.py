"""The bot's connection pool: as many connections kept open as run at once."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, event

from config.bootstrap import BACKGROUND_CONNECTIONS, bootstrap
from config.settings import Settings
from tests.together import run_together

WORKERS = 6


def _hold_together(engine: Engine, threads: int) -> None:
    """``threads`` threads each check a connection out, all at the same time."""
    holding = threading.Barrier(threads, timeout=30)

    def hold() -> None:
        with engine.connect():
            holding.wait()

    run_together(hold, threads)


def test_every_worker_and_the_background_keep_their_connection_between_turns(
        engine_url: str) -> None:
    app = bootstrap(Settings(SLOTBOT_DATABASE_URL=engine_url, SLOTBOT_WORKERS=WORKERS))
    opened: list[object] = []
    event.listen(app.engine, "connect", lambda *_: opened.append(1))
    at_once = WORKERS + BACKGROUND_CONNECTIONS
    try:
        for _ in range(3):
            _hold_together(app.engine, at_once)
    finally:
        app.engine.dispose()
    # opened in the first round and kept for the next two, none opened and closed per turn
    assert len(opened) <= at_once
