"""Concurrency with per-chat order, a bounded drain, and the inbox in front of PTB's queue.

- :class:`ChatLanes` is PTB's ``BaseUpdateProcessor``: updates of different chats
  run concurrently (at most ``workers`` at a time), each chat's one after another
  in arrival order. A chat waiting for its turn holds no worker, so one chat's
  flood does not delay the others. A ``pre_checkout_query`` skips both the
  lane and the worker pool: Telegram wants its answer within 10 seconds, so
  it must not wait behind the chat's turns (its check has threads of its own,
  :mod:`bots.telegram._payments`).
- :class:`InboxQueue` is the application's ``update_queue``: ``put`` stores the
  update in the inbox first. PTB's updater puts every fetched update before it
  asks for the next ones (whose offset confirms them to Telegram), and the
  webhook handler puts it before answering 200, so an acknowledged update is
  always stored. Duplicates (an ``update_id`` stored before) are dropped here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from concurrent.futures import Executor
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bots.inbox import Inbox, InboxEntry

_LOGGER = logging.getLogger(__name__)

#: Updates PTB may hold at once (waiting or running); beyond it, fetching waits.
MAX_PENDING_UPDATES = 4096


class ChatLanes(BaseUpdateProcessor):
    """Runs updates concurrently across chats and in order within a chat.

    Args:
        workers: updates handled at the same time (the conversation's threads).
    """

    def __init__(self, workers: int) -> None:
        super().__init__(MAX_PENDING_UPDATES)
        self._workers = asyncio.BoundedSemaphore(workers)
        self._lanes: dict[object, tuple[asyncio.Lock, int]] = {}
        self._deadline: float | None = None
        self.skipped = 0

    def drain(self, seconds: float) -> None:
        """From now on, updates not started within ``seconds`` are skipped, not handled.

        Skipped updates stay in the inbox, leased to this process until the lease
        runs out; then another process takes them over.
        """
        self._deadline = asyncio.get_running_loop().time() + seconds

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if isinstance(update, Update) and update.pre_checkout_query is not None:
            await coroutine  # the fast lane: answered within Telegram's 10 s
            return
        key = _chat_key(update)
        lock, users = self._lanes.get(key, (asyncio.Lock(), 0))
        self._lanes[key] = (lock, users + 1)
        try:
            async with lock, self._workers:
                if self._past_deadline():
                    self.skipped += 1
                    _close(coroutine)
                    return
                await coroutine
        finally:
            lock, users = self._lanes[key]
            if users == 1:
                del self._lanes[key]
            else:
                self._lanes[key] = (lock, users - 1)

    def _past_deadline(self) -> bool:
        return self._deadline is not None and asyncio.get_running_loop().time() > self._deadline

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


class InboxQueue(asyncio.Queue[object]):
    """PTB's update queue with the inbox in front: stored first, duplicates dropped.

    Args:
        inbox: the Telegram inbox.
        executor: where the database calls run (never on the event loop).
    """

    def __init__(self, inbox: Inbox, executor: Executor) -> None:
        super().__init__()
        self.inbox = inbox
        self._executor = executor
        self._entries: dict[int, InboxEntry] = {}
        self.duplicates = 0

    async def put(self, item: object) -> None:
        """Stores an ``Update`` in the inbox, then queues it; a duplicate is dropped.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the update could not be stored; PTB's
                updater then asks again without confirming it, and the webhook
                answers 500, so Telegram sends it again.
        """
        if isinstance(item, Update):
            loop = asyncio.get_running_loop()
            entry = await loop.run_in_executor(
                self._executor, self.inbox.accept, str(item.update_id), item.to_dict()
            )
            if entry is None:
                self.duplicates += 1
                _LOGGER.info("Dropped duplicate Telegram update %s", item.update_id)
                return
            self._entries[item.update_id] = entry
        await super().put(item)

    async def put_taken_over(self, update: Update, entry: InboxEntry) -> None:
        """Queues an update taken over from the inbox (already stored)."""
        self._entries[update.update_id] = entry
        await super().put(update)

    def entry(self, update: Update) -> InboxEntry | None:
        """The inbox row of a queued update (once; None for updates not stored)."""
        return self._entries.pop(update.update_id, None)


def _chat_key(update: object) -> object:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return ("update", id(update))


def _close(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
