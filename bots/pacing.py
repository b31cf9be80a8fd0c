"""Platform sending limits and the arithmetic of keeping to them, without a clock.

Telegram takes about 30 messages a second from a bot and asks for no more than
one a second per chat (Telegram Bot FAQ, "My bot is hitting limits, how do I
avoid this?": https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this);
Slack about one a second per channel
(https://api.slack.com/methods/chat.postMessage#rate_limiting).

:class:`SendSchedule` is the one book of when a send may go: the live
adapter's pace (:class:`bots.telegram._pace.Pace`, which awaits) and the
outbox's :class:`bots.delivery.Pacer` (which sleeps) both ask it and tell it.
Every time is given by the caller, in seconds of the caller's monotonic clock.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """A platform's sending limits.

    Attributes:
        per_chat_interval: seconds between two messages to one chat (or channel).
        per_bot_rate: messages per second for the whole bot, or None (not limited).
    """

    per_chat_interval: float = 1.0
    per_bot_rate: float | None = None


#: Telegram Bot FAQ: one message a second per chat, about 30 a second per bot.
TELEGRAM_LIMITS = Limits(per_chat_interval=1.0, per_bot_rate=30.0)
#: Slack's ``chat.postMessage``: about one message a second per channel.
SLACK_LIMITS = Limits(per_chat_interval=1.0)
PLATFORM_LIMITS: Mapping[str, Limits] = {"telegram": TELEGRAM_LIMITS, "slack": SLACK_LIMITS}


class SendSchedule:
    """When the next send may go, given the bot-wide rate and the per-chat interval.

    Sends are spaced evenly (no burst): one every ``1 / per_bot_rate`` seconds for
    the whole bot, and one every ``per_chat_interval`` seconds per chat, both
    counted from when a send left (:meth:`sent`). Chats whose last send is at
    least ``per_chat_interval`` old constrain nothing and are forgotten, so the
    book holds only the chats sent to within the last interval (at most
    ``per_bot_rate × per_chat_interval + 1`` of them with a bot-wide rate).

    Times are seconds on one monotonic clock, passed in by the caller, and
    :meth:`sent` is told them in nondecreasing order.

    Args:
        limits: the rates kept.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._spacing = 1.0 / limits.per_bot_rate if limits.per_bot_rate else 0.0
        self._next_bot = float("-inf")
        self._last: OrderedDict[Hashable, float] = OrderedDict()  # oldest send first

    def ready_at(self, now: float, chat: Hashable | None = None) -> float:
        """The earliest time (≥ ``now``) a send to ``chat`` (None: no chat's pace) may go."""
        return max(self.chat_ready_at(now, chat), self._next_bot)

    def chat_ready_at(self, now: float, chat: Hashable | None) -> float:
        """The earliest time (≥ ``now``) ``chat``'s own interval allows, ignoring the bot's rate."""
        last = self._last.get(chat) if chat is not None else None
        return now if last is None else max(now, last + self.limits.per_chat_interval)

    def sent(self, now: float, chat: Hashable | None = None) -> None:
        """Count a send that left at ``now`` (to ``chat``, or to no paced chat)."""
        self._next_bot = max(self._next_bot, now + self._spacing)
        if chat is not None:
            self._last[chat] = now
            self._last.move_to_end(chat)
        self._forget(now)

    def hold(self, now: float, seconds: float) -> None:
        """Let nothing go for ``seconds`` from ``now`` (a 429's ``retry_after``)."""
        self._next_bot = max(self._next_bot, now + seconds)

    def remembered(self) -> int:
        """How many chats the book holds (those sent to within the last interval)."""
        return len(self._last)

    def _forget(self, now: float) -> None:
        horizon = now - self.limits.per_chat_interval
        while self._last and next(iter(self._last.values())) <= horizon:
            self._last.popitem(last=False)
