"""The bot's sending pace: Telegram's limits kept up front, not learnt from 429s.

python-telegram-bot's ``AIORateLimiter`` with its defaults lets 30 requests go
at once and then 30 a second (a leaky bucket), and it does not pace private
chats at all; Telegram refuses more than about 30 messages a second from a bot
and asks for no more than one a second per chat (Telegram Bot FAQ,
https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
A 429 stops every request of the bot for its ``retry_after`` (a second or
more), so each one costs about 30 messages. :class:`Pace` keeps to the same
limits as the notices' delivery (:data:`bots.pacing.TELEGRAM_LIMITS`), through
the same book (:class:`bots.pacing.SendSchedule`).
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

from bots.pacing import TELEGRAM_LIMITS, Limits, SendSchedule

#: The share of the bot-wide rate used: sends leaving exactly 1/30 s apart arrive
#: bunched by scheduling and network jitter, and 31 in one second cost a 429 that
#: holds every send for a second or more (29.1 a second at Telegram's 30).
RATE_MARGIN = 0.97

_Callback = Callable[..., Coroutine[Any, Any, Any]]


class Pace(AIORateLimiter):
    """``AIORateLimiter`` with the bot's requests evenly spaced and each private chat paced.

    - The whole bot: a request with a ``chat_id`` leaves at least
      ``1 / (per_bot_rate × RATE_MARGIN)`` seconds after the previous one (no burst).
    - A private chat (a positive ``chat_id``): a ``send…`` request leaves at least
      ``per_chat_interval`` seconds after the previous one to that chat (the
      adapter's lane sends a chat's requests one at a time, so they keep their order).
    - Group chats keep python-telegram-bot's 20 a minute.
    - A 429 holds every request for its ``retry_after`` (those already waiting
      for their turn too); the refused one is retried (``max_retries`` times).

    Times are the running event loop's (``loop.time()``, seconds) and waits are
    ``asyncio.sleep``: a loop with a virtual clock paces in virtual time.

    Args:
        limits: the rates kept (Telegram's by default).
        max_retries: retries of a request refused with 429.
    """

    def __init__(self, limits: Limits = TELEGRAM_LIMITS, *, max_retries: int = 0) -> None:
        super().__init__(overall_max_rate=0, max_retries=max_retries)  # the bot's rate: ours
        rate = limits.per_bot_rate
        self._schedule = SendSchedule(replace(limits, per_bot_rate=rate and rate * RATE_MARGIN))
        self._turn = asyncio.Lock()  # one request at a time waits for the bot's rate

    async def process_request(
        self,
        callback: _Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Sends through python-telegram-bot's limiter, each try waiting for its turn first."""
        if data.get("chat_id") is None or data.get("allow_paid_broadcast"):
            return await super().process_request(callback, args, kwargs, endpoint, data,
                                                 rate_limit_args)
        chat = _private_chat(endpoint, data)

        async def leave(*call_args: Any, **call_kwargs: Any) -> Any:
            await self._wait_turn(chat)
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter as exc:
                self._schedule.hold(asyncio.get_running_loop().time(), retry_after_seconds(exc))
                raise

        return await super().process_request(leave, args, kwargs, endpoint, data,
                                             rate_limit_args)

    async def _wait_turn(self, chat: int | None) -> None:
        """Wait until the chat's interval and then the bot's rate allow a send; count it."""
        loop = asyncio.get_running_loop()
        while True:
            await _sleep_until(loop, self._schedule.chat_ready_at(loop.time(), chat))
            async with self._turn:
                now = loop.time()
                if self._schedule.chat_ready_at(now, chat) > now:
                    continue  # another request to this chat went first: wait again
                while (ready := self._schedule.ready_at(now, chat)) > now:  # a hold may come
                    await asyncio.sleep(ready - now)
                    now = loop.time()
                self._schedule.sent(now, chat)
                return


def retry_after_seconds(exc: RetryAfter) -> float:
    """The seconds a 429 asks to wait (python-telegram-bot 22 gives an int or a timedelta)."""
    with warnings.catch_warnings():  # PTB 22 deprecates the int
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def _sleep_until(loop: asyncio.AbstractEventLoop, at: float) -> None:
    if (wait := at - loop.time()) > 0:
        await asyncio.sleep(wait)


def _private_chat(endpoint: str, data: dict[str, Any]) -> int | None:
    """The private chat a ``send…`` request goes to, or None (groups, other methods)."""
    if not endpoint.startswith("send"):
        return None
    try:
        chat = int(data.get("chat_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):  # absent, or a @channel name
        return None
    return chat if chat > 0 else None
