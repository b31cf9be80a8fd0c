"""The python-telegram-bot ``Application`` that relays updates to the conversation."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    PreCheckoutQueryHandler,
    filters,
)

from bots import texts
from bots.inbox import AnswerKeeper, Inbox, InboxEntry, drawn, replies_from_json
from bots.messages import Handle, IncomingMessage, Reply
from bots.telegram._incoming import to_incoming
from bots.telegram._lanes import ChatLanes, DoneMarks, InboxQueue, InboxRequest
from bots.telegram._pace import Pace
from bots.telegram._payments import PaymentHandlers, Payments
from bots.telegram._render import render_parts, render_photo

#: The update types the adapter handles; polling asks Telegram for these only
#: (a ``successful_payment`` is a message).
ALLOWED_UPDATES: tuple[str, ...] = (Update.MESSAGE, Update.CALLBACK_QUERY,
                                    Update.PRE_CHECKOUT_QUERY)

#: Retries of a request that Telegram refused with 429 (after its ``retry_after``).
FLOOD_RETRIES = 3

_LOGGER = logging.getLogger(__name__)
_T = TypeVar("_T")


@dataclass(frozen=True)
class Concurrency:
    """How the adapter spreads its work.

    Attributes:
        workers: updates handled at the same time (threads running ``handle``);
            each chat's updates still run one after another.
        drain_seconds: on stop (SIGTERM/SIGINT), how long updates already queued
            may still start; later ones stay in the inbox for the next process.
    """

    workers: int = 8
    drain_seconds: float = 10.0


def build_application(
    token: str,
    handle: Handle,
    *,
    base_url: str | None = None,
    inbox: Inbox | None = None,
    concurrency: Concurrency | None = None,
    payments: Payments | None = None,
) -> Application:
    """Builds the bot: text messages and button presses go to ``handle``, replies back.

    Updates of different chats are handled concurrently (``concurrency.workers``
    at a time, python-telegram-bot's ``BaseUpdateProcessor``), each chat's in
    arrival order, so each chat sees its replies in order. ``handle`` runs in a
    worker thread (it does database I/O), never on the event loop.

    With an ``inbox``, every update is stored before Telegram learns it was
    received (each polled batch in one transaction as it arrives, before the next
    ``getUpdates`` offset; before the webhook's 200), a redelivered ``update_id``
    is dropped, the replies are kept as soon as ``handle`` returns and the row is
    marked done once they are sent (rows finished together in one write); every
    ``lease / 3`` the application renews its leases and takes over the unfinished
    rows of processes that died (see :mod:`bots.inbox`). Stopping drains: queued
    updates may start for ``concurrency.drain_seconds``, the rest is left to the
    next process.

    A button press is answered (``answerCallbackQuery``) and its keyboard removed
    before ``handle`` runs, so stale buttons disappear (a tap made before the
    removal still arrives: the conversation must tolerate stale payloads).
    A non-text message in a private chat (a photo, sticker, voice note,
    document) is answered ``texts.only_text()`` without ``handle``; service
    messages (members joining a group) get no answer; either row is marked done.
    With ``payments``, a
    reply's invoice is sent (``sendInvoice``) after its text, pre-checkout
    queries are answered on a lane of their own within Telegram's 10 seconds,
    and successful payments are recorded (see :mod:`bots.telegram._payments`).
    If ``handle`` or rendering
    raises, the error is logged and the chat gets ``texts.apology()``. Sends keep
    to Telegram's limits up front (:class:`bots.telegram._pace.Pace`: the bot's
    30 a second evenly spaced, one a second per private chat, 20 a minute per
    group); requests refused with 429 are still retried after their
    ``retry_after``; polling retries network errors itself; other send errors are
    logged by the application's error handler.

    Also sets the ``httpx`` logger to WARNING: at INFO it logs request URLs, which
    contain the token.

    Args:
        token: the bot token from @BotFather.
        handle: the conversation; called with one message, returns replies in order.
        base_url: the Bot API URL the token is appended to (``TELEGRAM_API_BASE_URL``),
            e.g. ``"http://127.0.0.1:8081/bot"``; None for Telegram's. The file URL
            is derived from it by inserting ``file/`` before the last path segment,
            as Telegram lays them out (``…/bot<token>`` and ``…/file/bot<token>``).
        inbox: the Telegram inbox; None keeps nothing (tests of the translation).
        concurrency: workers and drain time; default ``Concurrency()``.
        payments: Telegram Payments (provider token and the desk); None: replies'
            invoices are not sent and payment updates are not handled.

    Returns:
        An application that is not yet initialized; run it with ``run_polling`` or
        ``run_webhook`` (or ``async with application`` + ``start()`` +
        ``updater.start_polling(...)`` / ``start_webhook(...)``).
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = concurrency or Concurrency()
    executor = ThreadPoolExecutor(settings.workers, thread_name_prefix="telegram-handle")
    # The inbox's own threads: its writes never wait behind the conversation's turns.
    bookkeeping = ThreadPoolExecutor(2, thread_name_prefix="telegram-inbox")
    lanes = ChatLanes(settings.workers)
    builder = (
        ApplicationBuilder()
        .token(token)
        .rate_limiter(Pace(max_retries=FLOOD_RETRIES))
        .concurrent_updates(lanes)
        .application_class(_InboxApplication)
    )
    queue = InboxQueue(inbox, bookkeeping) if inbox is not None else None
    if queue is not None:  # polled batches are stored as they arrive, one transaction each
        builder = builder.update_queue(queue).get_updates_request(
            InboxRequest(queue, connection_pool_size=1))
    if base_url is not None:
        builder = builder.base_url(base_url).base_file_url(_file_url(base_url))
    application = builder.build()
    assert isinstance(application, _InboxApplication)
    relay = application.relay = _Relay(handle, queue, executor, bookkeeping, lanes,
                                       settings.drain_seconds)
    # Every message but a payment's: text, media (answered: only text is read), service.
    application.add_handler(MessageHandler(
        filters.UpdateType.MESSAGE & ~filters.SUCCESSFUL_PAYMENT, relay))
    application.add_handler(CallbackQueryHandler(relay))
    if payments is not None:
        relay.payments = PaymentHandlers(payments, relay)
        application.add_handler(PreCheckoutQueryHandler(relay.payments.pre_checkout))
        application.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, relay.payments.paid))
    application.add_error_handler(_log_error)
    return application


def run_polling(application: Application) -> None:
    """Runs the bot by long polling until SIGINT/SIGTERM; call from the main thread.

    Asks only for ``ALLOWED_UPDATES``; PTB retries failed polls with back-off.
    """
    application.run_polling(allowed_updates=list(ALLOWED_UPDATES))


class _Relay:
    """The one handler: inbox row -> ``handle`` (in a thread) -> replies sent -> row done."""

    #: Telegram Payments, when configured (invoices of replies; payment updates).
    payments: PaymentHandlers | None = None

    def __init__(self, handle: Handle, queue: InboxQueue | None, executor: ThreadPoolExecutor,
                 bookkeeping: ThreadPoolExecutor, lanes: ChatLanes, drain_seconds: float) -> None:
        self._handle = handle
        self.queue = queue
        self.executor = executor
        self.bookkeeping = bookkeeping
        self.lanes = lanes
        self.drain_seconds = drain_seconds
        self.marks = DoneMarks(queue.inbox, bookkeeping) if queue is not None else None

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        entry = self.queue.entry(update) if self.queue is not None else None
        if update.callback_query is not None and (entry is None or entry.replies is None):
            await _acknowledge(update.callback_query)
        incoming = to_incoming(update, bot_username=context.bot.username)
        if incoming is not None:
            replies = await self._replies(update, incoming, entry)
            await self._send(context, incoming.chat_id, replies, entry)
        elif (media := _not_text(update)) is not None:
            await self._send(context, media[0], [media[1]], entry)
        if entry is not None and self.marks is not None:
            self.marks.mark(entry)

    async def run(self, function: Callable[..., _T], *args: Any) -> _T:
        """``function(*args)`` on the worker threads."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def keep(self, function: Callable[..., _T], *args: Any) -> _T:
        """``function(*args)`` on the inbox's threads."""
        return await asyncio.get_running_loop().run_in_executor(self.bookkeeping, function,
                                                                *args)

    async def _replies(self, update: Update, incoming: IncomingMessage,
                       entry: InboxEntry | None) -> list[Reply]:
        if entry is not None and entry.replies is not None:
            return replies_from_json(entry.replies)  # answered before a restart
        # The turn's own transaction keeps the answer in the row (one commit, not two).
        keeper = AnswerKeeper(entry) if entry is not None and self.queue is not None else None
        try:
            replies = await self.run(self._handle, incoming, keeper)
        except Exception:
            _LOGGER.exception(
                "Handling update %s from chat %s failed", update.update_id, incoming.chat_id
            )
            replies = [Reply(texts.apology(incoming.locale))]
        if keeper is not None and self.queue is not None and keeper.missed(replies):
            if any(reply.attachment is not None for reply in replies):
                replies = await self.run(drawn, replies)  # the stored answer keeps the chart
            await self.keep(self.queue.inbox.answered, entry, replies)
        return replies

    async def _send(self, context: ContextTypes.DEFAULT_TYPE, chat_id: str,
                    replies: list[Reply], entry: InboxEntry | None) -> None:
        """Send the answer's parts — texts (split for length), then photos — skipping the
        ones a killed process delivered already, recording each delivered part but the
        last (the row's ``done`` records that one)."""
        try:
            messages = [part for reply in replies for part in render_parts(reply)]
        except ValueError:
            _LOGGER.exception("Rendering a reply to chat %s failed", chat_id)
            messages = render_parts(Reply(texts.apology()))
        photos = [reply.attachment for reply in replies if reply.attachment is not None]
        total = len(messages) + len(photos)
        start = min(entry.parts_sent, total) if entry is not None else 0
        for index in range(start, total):
            if index < len(messages):
                try:
                    await context.bot.send_message(chat_id=chat_id, **messages[index])
                except TelegramError:
                    _LOGGER.exception("Sending a reply to chat %s failed", chat_id)
                    return
            else:  # attachments (a stats chart) follow the text, as sendPhoto
                try:
                    photo = await asyncio.to_thread(render_photo, photos[index - len(messages)])
                    await context.bot.send_photo(chat_id=chat_id, **photo)
                except (TelegramError, OSError, ValueError):
                    _LOGGER.exception("Sending a photo to chat %s failed", chat_id)
            if entry is not None and self.queue is not None and index + 1 < total:
                await self.keep(self.queue.inbox.sent, entry, index + 1)
        for reply in replies:  # an invoice (a paid booking's hold) comes last
            if reply.invoice is None:
                continue
            if self.payments is None:
                _LOGGER.error("A reply to chat %s has an invoice, but Telegram Payments is "
                              "not configured", chat_id)
                continue
            await self.payments.send_invoice(context, chat_id, reply.invoice)


class _InboxApplication(Application):  # type: ignore[type-arg]
    """PTB's application plus the inbox sweeper and the bounded drain on stop."""

    relay: _Relay
    _sweeper: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await super().start()
        queue = self.relay.queue
        if queue is not None:
            self._sweeper = asyncio.create_task(self._sweep(queue), name="telegram-inbox")

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        self.relay.lanes.drain(self.relay.drain_seconds)
        await super().stop()
        if self.relay.marks is not None:
            await self.relay.marks.flush()
        if self.relay.lanes.skipped:
            _LOGGER.warning("Stopped with %d update(s) left in the inbox for the next process",
                            self.relay.lanes.skipped)

    async def _sweep(self, queue: InboxQueue) -> None:
        period = queue.inbox.settings.lease.total_seconds() / 3
        while True:
            try:
                for entry in await self.relay.keep(queue.inbox.sweep):
                    update = Update.de_json(entry.payload, self.bot)
                    await queue.put_taken_over(update, entry)
            except Exception:
                _LOGGER.exception("The Telegram inbox sweep failed; trying again")
            await asyncio.sleep(period)


def _not_text(update: Update) -> tuple[str, Reply] | None:
    """A person's non-text message in a private chat: its chat and the ``only_text`` reply."""
    message, user = update.message, update.effective_user
    if (message is None or user is None or message.text is not None
            or message.chat.type != "private" or filters.StatusUpdate.ALL.check_update(update)):
        return None
    return str(message.chat.id), Reply(texts.only_text(user.language_code))


async def _acknowledge(query: CallbackQuery) -> None:
    try:
        await query.answer()
    except TelegramError:
        _LOGGER.warning("Could not answer button press %s", query.id, exc_info=True)
    if isinstance(query.message, Message) and query.message.reply_markup is not None:
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except TelegramError:
            _LOGGER.warning("Could not remove the keyboard of %s", query.id, exc_info=True)


async def _log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    _LOGGER.error("Telegram update %s failed", update_id, exc_info=context.error)


def _file_url(base_url: str) -> str:
    head, _, last = base_url.rpartition("/")
    return f"{head}/file/{last}"
