"""The bot's sending pace: Telegram's limits kept up front, not learnt from 429s.

python-telegram-bot's ``AIORateLimiter`` with its defaults lets 30 requests go
at once and then 30 a second (a leaky bucket), and it does not pace private
chats at all; Telegram refuses more than 30 messages in a second for the bot
and asks for no more than one a second per chat
(https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
A 429 stops every request of the bot for its ``retry_after`` (a second or
more), so each one costs about 30 messages. :class:`Pace` keeps to the same
limits as the notices' delivery (:data:`bots.delivery.TELEGRAM_LIMITS`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

from bots.delivery import TELEGRAM_LIMITS, Limits

#: The share of the bot-wide rate used: sends leaving exactly 1/30 s apart arrive
#: bunched by scheduling and network jitter, and 31 in one second cost a 429 that
#: holds every send for a second or more (29.1 a second at Telegram's 30).
RATE_MARGIN = 0.97

#: Private chats remembered at most; older entries (past their interval) are dropped.
MAX_REMEMBERED_CHATS = 4096

_Callback = Callable[..., Coroutine[Any, Any, Any]]


class Pace(AIORateLimiter):
    """``AIORateLimiter`` with the bot's requests evenly spaced and each private chat paced.

    - The whole bot: one request with a ``chat_id`` every
      ``1 / (per_bot_rate × RATE_MARGIN)`` seconds (no burst).
    - A private chat (a positive ``chat_id``): a ``send…`` request goes at least
      ``per_chat_interval`` seconds after the previous one to that chat left
      (measured when the request leaves, after the bot-wide wait). The adapter
      sends to one chat one request at a time (its lane), so the order is kept.
    - Group chats keep python-telegram-bot's 20 a minute; a 429 is retried after
      its ``retry_after`` (``max_retries`` times), holding every request meanwhile.

    Args:
        limits: the rates kept (Telegram's by default).
        max_retries: retries of a request refused with 429.
    """

    def __init__(self, limits: Limits = TELEGRAM_LIMITS, *, max_retries: int = 0) -> None:
        rate = (limits.per_bot_rate or 30.0) * RATE_MARGIN
        super().__init__(overall_max_rate=1, overall_time_period=1 / rate,
                         max_retries=max_retries)
        self._interval = limits.per_chat_interval
        self._last: dict[int, float] = {}

    async def process_request(
        self,
        callback: _Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Waits for the chat's turn, then python-telegram-bot's limiter; sends."""
        chat = _private_chat(endpoint, data)
        if chat is None:
            return await super().process_request(callback, args, kwargs, endpoint, data,
                                                 rate_limit_args)
        loop = asyncio.get_running_loop()
        last = self._last.get(chat)
        if last is not None and (wait := last + self._interval - loop.time()) > 0:
            await asyncio.sleep(wait)

        async def leave(*call_args: Any, **call_kwargs: Any) -> Any:
            self._remember(chat, loop.time())
            return await callback(*call_args, **call_kwargs)

        return await super().process_request(leave, args, kwargs, endpoint, data,
                                             rate_limit_args)

    def _remember(self, chat: int, now: float) -> None:
        if len(self._last) >= MAX_REMEMBERED_CHATS:
            self._last = {c: t for c, t in self._last.items() if now - t < self._interval}
        self._last[chat] = now


def _private_chat(endpoint: str, data: dict[str, Any]) -> int | None:
    """The private chat a ``send…`` request goes to, or None (groups, other methods)."""
    if not endpoint.startswith("send"):
        return None
    try:
        chat = int(data.get("chat_id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):  # absent, or a @channel name
        return None
    return chat if chat > 0 else None
