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
- :class:`InboxRequest` is the ``getUpdates`` connection: it stores each polled
  batch in one transaction as soon as Telegram returns it (before PTB even
  parses it, so before any offset confirms it); ``put`` then only looks the
  rows up. A batch that cannot be stored fails the poll: PTB asks again with
  the old offset, so Telegram delivers it again.
- :class:`DoneMarks` marks handled rows done in groups: while one ``UPDATE``
  runs, the rows finished meanwhile wait for the next one.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable
from concurrent.futures import Executor
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor
from telegram.request import HTTPXRequest, RequestData

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
        self._polled: dict[int, InboxEntry | None] = {}
        self.duplicates = 0

    async def store_batch(self, updates: list[dict[str, Any]]) -> None:
        """Stores polled updates (Telegram's JSON) in one transaction, before ``put``.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the batch could not be stored.
        """
        deliveries = [(str(update["update_id"]), update) for update in updates]
        loop = asyncio.get_running_loop()
        stored = await loop.run_in_executor(self._executor, self.inbox.accept_batch, deliveries)
        for delivery_id, _ in deliveries:
            self._polled[int(delivery_id)] = stored.get(delivery_id)

    async def put(self, item: object) -> None:
        """Stores an ``Update`` in the inbox, then queues it; a duplicate is dropped.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the update could not be stored; PTB's
                updater then asks again without confirming it, and the webhook
                answers 500, so Telegram sends it again.
        """
        if isinstance(item, Update):
            if item.update_id in self._polled:  # stored with its batch
                entry = self._polled.pop(item.update_id)
            else:
                entry = await asyncio.get_running_loop().run_in_executor(
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


class InboxRequest(HTTPXRequest):
    """The ``getUpdates`` connection: each polled batch is stored in the inbox as it arrives.

    Args:
        queue: the application's update queue (where the batch is stored).
        **kwargs: as for ``HTTPXRequest`` (PTB's default for polling is one connection).
    """

    def __init__(self, queue: InboxQueue, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._queue = queue

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Sends the request; a ``getUpdates`` answer is stored before it is returned.

        Raises:
            sqlalchemy.exc.SQLAlchemyError: the batch could not be stored (PTB
                reports it as a network error and polls again with the old offset).
        """
        code, payload = await super().do_request(url, method, request_data, read_timeout,
                                                 write_timeout, connect_timeout, pool_timeout)
        if code == 200 and url.endswith("/getUpdates"):
            updates = json.loads(payload).get("result")
            if isinstance(updates, list) and updates:
                await self._queue.store_batch(updates)
        return code, payload


class DoneMarks:
    """Marks handled inbox rows done, grouping the rows finished while a write runs.

    A row whose mark is not yet written when the process is killed is taken over
    later: its last reply part may be sent again (the window :mod:`bots.inbox`
    documents, a few milliseconds wider).

    Args:
        inbox: the Telegram inbox.
        executor: where the database calls run.
    """

    def __init__(self, inbox: Inbox, executor: Executor) -> None:
        self._inbox = inbox
        self._executor = executor
        self._pending: list[InboxEntry] = []
        self._writer: asyncio.Task[None] | None = None

    def mark(self, entry: InboxEntry) -> None:
        """Marks ``entry`` done soon (with the others finished meanwhile)."""
        self._pending.append(entry)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="telegram-inbox-done")

    async def flush(self) -> None:
        """Waits until every mark made so far is written."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    async def _write(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:
            entries, self._pending = self._pending, []
            try:
                await loop.run_in_executor(self._executor, self._inbox.done, *entries)
            except Exception:  # the rows stay leased: a sweep after a restart takes them over
                _LOGGER.exception("Marking %d Telegram inbox rows done failed", len(entries))


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
