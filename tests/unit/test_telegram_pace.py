"""The adapter's sending pace (``bots.telegram._pace.Pace``) over python-telegram-bot's limiter.

Requests go through ``Pace.process_request`` as PTB's ``Bot`` sends them; the
callback records when each one left (the event loop's clock). Intervals are
shortened (``Limits``) so the pacing itself takes a fraction of a second; only
lower bounds of the spacing are asserted, or upper bounds far from it.
"""

from __future__ import annotations

import asyncio
import itertools

from bots.delivery import Limits
from bots.telegram._pace import Pace

Left = list[tuple[float, int, str]]


def send_all(limits: Limits, chats: dict[int, list[str]], endpoint: str = "sendMessage") -> Left:
    """Each chat sends its texts one after another (as its lane does), all chats at once."""

    async def main() -> Left:
        pace = Pace(limits)
        await pace.initialize()
        loop = asyncio.get_running_loop()
        left: Left = []

        async def chat(chat_id: int, texts: list[str]) -> None:
            for text in texts:
                async def callback(text: str = text) -> bool:
                    left.append((loop.time(), chat_id, text))
                    return True

                await pace.process_request(callback, (), {}, endpoint,
                                           {"chat_id": chat_id, "text": text}, None)

        await asyncio.gather(*(chat(chat_id, texts) for chat_id, texts in chats.items()))
        return left

    return asyncio.run(main())


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def test_a_private_chat_gets_one_send_per_interval_in_its_order() -> None:
    limits = Limits(per_chat_interval=0.2, per_bot_rate=50.0)
    left = send_all(limits, {7: ["a", "b", "c"], **{100 + n: ["x"] for n in range(10)}})
    mine = [(at, text) for at, chat, text in left if chat == 7]
    assert [text for _, text in mine] == ["a", "b", "c"]
    assert min(gaps([at for at, _ in mine])) >= 0.2 - 1e-3
    assert len(left) == 13


def test_the_bot_sends_evenly_spaced_never_in_a_burst() -> None:
    left = send_all(Limits(per_chat_interval=1.0, per_bot_rate=50.0),
                    {100 + n: ["x"] for n in range(20)})
    assert len(left) == 20
    assert min(gaps(sorted(at for at, _, _ in left))) >= 1 / 50 - 1e-3


def test_groups_and_requests_other_than_sends_are_not_paced_per_chat() -> None:
    limits = Limits(per_chat_interval=30.0, per_bot_rate=100.0)
    group = send_all(limits, {-100123: ["a", "b", "c"]})  # PTB's 20 a minute per group
    edits = send_all(limits, {7: ["a", "b", "c"]}, endpoint="editMessageReplyMarkup")
    for left in (group, edits):
        assert [text for _, _, text in left] == ["a", "b", "c"]
        assert left[-1][0] - left[0][0] < 5.0  # not 2 x 30 s
