"""The adapter's sending pace (``bots.telegram._pace.Pace``) over python-telegram-bot's limiter.

Requests go through ``Pace.process_request`` as PTB's ``Bot`` sends them; the
callback records when each one left. The loop runs on a virtual clock
(``tests.virtual_loop``), so Telegram's own limits are checked exactly and at
once: times are virtual seconds from 0.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bots.pacing import TELEGRAM_LIMITS, Limits
from bots.telegram._pace import RATE_MARGIN, Pace
from tests.virtual_loop import VirtualLoop

Left = list[tuple[float, int | str | None, str]]
SPACING = 1 / (30 * RATE_MARGIN)  # seconds between two of the bot's sends at Telegram's 30/s
LATENCY = 0.01  # seconds a request takes to be answered


def run(main: Callable[[], Coroutine[Any, Any, Left]]) -> Left:
    with asyncio.Runner(loop_factory=VirtualLoop) as runner:
        return runner.run(main())


def send_all(chats: dict[int | str | None, list[str]], *, limits: Limits = TELEGRAM_LIMITS,
             endpoint: str = "sendMessage", refusals: int = 0) -> Left:
    """Each chat sends its texts one after another (as its lane does), all chats at once.

    Returns (when each send left, chat, text) in the order they left. Each request
    takes ``LATENCY``; the first ``refusals`` tries are answered 429 (retry after
    1 s) and retried.
    """
    left: Left = []

    async def main() -> Left:
        pace = Pace(limits, max_retries=refusals)
        await pace.initialize()
        loop = asyncio.get_running_loop()
        refused = [refusals]

        async def chat(chat_id: int | str | None, texts: list[str]) -> None:
            for text in texts:
                async def callback(text: str = text) -> bool:
                    at = loop.time()
                    await asyncio.sleep(LATENCY)  # the request on the network: others go on
                    if refused[0]:
                        refused[0] -= 1
                        raise RetryAfter(timedelta(seconds=1))
                    left.append((at, chat_id, text))
                    return True

                data = {"text": text} if chat_id is None else {"chat_id": chat_id, "text": text}
                await pace.process_request(callback, (), {}, endpoint, data, None)

        await asyncio.gather(*(chat(chat_id, texts) for chat_id, texts in chats.items()))
        return left

    return run(main)


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in itertools.pairwise(times)]


def test_the_bot_sends_evenly_spaced_at_its_rate_never_in_a_burst() -> None:
    left = send_all({100 + n: ["x"] for n in range(100)})
    times = [at for at, _, _ in left]
    assert times == pytest.approx([n * SPACING for n in range(100)])
    assert sum(1 for at in times if at < 1.0) == 30  # 29.1/s: never 31 in a second


def test_a_private_chat_gets_one_send_a_second_in_its_order() -> None:
    left = send_all({7: ["a", "b", "c"], **{100 + n: ["x"] for n in range(20)}})
    mine = [(at, text) for at, chat, text in left if chat == 7]
    assert [text for _, text in mine] == ["a", "b", "c"]
    assert [at for at, _ in mine] == pytest.approx([0.0, 1.0, 2.0])
    others = sorted(at for at, chat, _ in left if chat != 7)
    assert len(others) == 20 and min(gaps(sorted(at for at, _, _ in left))) >= SPACING - 1e-9


def test_many_chats_with_several_messages_each_keep_order_and_both_limits() -> None:
    chats: dict[int | str | None, list[str]] = {
        100 + n: [f"{n}-{k}" for k in range(3)] for n in range(60)}
    left = send_all(chats)
    assert len(left) == 180
    assert min(gaps([at for at, _, _ in left])) >= SPACING - 1e-9
    for chat_id, texts in chats.items():
        mine = [(at, text) for at, chat, text in left if chat == chat_id]
        assert [text for _, text in mine] == texts
        assert min(gaps([at for at, _ in mine])) >= 1.0 - 1e-9
    assert left[-1][0] == pytest.approx(179 * SPACING)  # no send waited longer than the rate


def test_groups_and_requests_other_than_sends_are_paced_for_the_bot_only() -> None:
    slow_chats = Limits(per_chat_interval=30.0, per_bot_rate=30.0)
    group = send_all({-100123: ["a", "b", "c"]}, limits=slow_chats)  # PTB's 20 a minute
    edits = send_all({7: ["a", "b", "c"]}, limits=slow_chats, endpoint="editMessageReplyMarkup")
    for left in (group, edits):
        assert [text for _, _, text in left] == ["a", "b", "c"]
        assert [at for at, _, _ in left] == pytest.approx([0.0, SPACING, 2 * SPACING])


def test_requests_without_a_chat_are_not_paced() -> None:
    left = send_all({None: ["getMe", "getMe", "getMe"]}, endpoint="getMe")
    assert [at for at, _, _ in left] == pytest.approx([0.0, LATENCY, 2 * LATENCY])  # at once


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own log
def test_a_refused_send_is_retried_after_the_hold_and_waits_its_turn_again() -> None:
    left = send_all({7: ["a", "b"]}, refusals=1)
    # PTB holds every request for retry_after + 0.1 s; the retry counts as the chat's send.
    assert [(round(at, 6), text) for at, _, text in left] == [(1.11, "a"), (2.11, "b")]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own log
def test_a_429_holds_the_requests_already_waiting_for_their_turn() -> None:
    left = send_all({7: ["a"], **{100 + n: ["x"] for n in range(5)}}, refusals=1)
    times = [at for at, _, _ in left]
    # refused at 0.01: the 5 waiting for their turn wait out the 1 s, then go at the bot's rate
    assert times[:5] == pytest.approx([1.01 + n * SPACING for n in range(5)])
    assert [chat for _, chat, _ in left] == [100, 101, 102, 103, 104, 7]
