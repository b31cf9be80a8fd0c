"""The per-guest rate limit counted in Redis: shared by every bot process."""

from __future__ import annotations

import uuid

from bots.messages import IncomingMessage, KeepAnswer, Reply
from bots.ratelimit import GuestRateLimit


def test_two_processes_share_one_guest_budget(redis_url: str) -> None:
    def echo(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        return [Reply("ok")]

    # Two limiters on one Redis stand for two bot processes.
    first, second = (GuestRateLimit("4/minute", redis_url).wrap(echo) for _ in range(2))
    guest = IncomingMessage(platform="slack", chat_id="D1", user_id=f"U{uuid.uuid4().hex}")

    answers = [handle(guest) for handle in (first, second) * 3]

    assert answers[:4] == [[Reply("ok")]] * 4
    assert answers[4] != [Reply("ok")] and len(answers[4]) == 1  # the one notice
    assert answers[5] == []
