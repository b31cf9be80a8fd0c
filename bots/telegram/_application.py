"""The python-telegram-bot ``Application`` that relays updates to the conversation."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bots import texts
from bots.messages import IncomingMessage, Reply
from bots.telegram._incoming import to_incoming
from bots.telegram._render import render_parts, render_photo

#: The conversation: one incoming message -> the replies to send to its chat.
Handle = Callable[[IncomingMessage], list[Reply]]

#: The update types the adapter handles; polling asks Telegram for these only.
ALLOWED_UPDATES: tuple[str, ...] = (Update.MESSAGE, Update.CALLBACK_QUERY)

#: Retries of a request that Telegram refused with 429 (after its ``retry_after``).
FLOOD_RETRIES = 3

_LOGGER = logging.getLogger(__name__)


def build_application(token: str, handle: Handle, *, base_url: str | None = None) -> Application:
    """Builds the bot: text messages and button presses go to ``handle``, replies back.

    Updates are processed one at a time (PTB's default), so each chat sees its
    replies in order. ``handle`` runs in a worker thread (it does database I/O),
    never on the event loop. A button press is answered (``answerCallbackQuery``)
    and its keyboard removed before ``handle`` runs, so stale buttons disappear
    (a tap made before the removal still arrives: the conversation must tolerate
    stale payloads). Non-text messages (photos, stickers) are ignored. If
    ``handle`` or rendering raises, the error is logged and the chat gets
    ``texts.apology()``. Requests refused with 429 are retried by PTB's
    ``AIORateLimiter`` (which also keeps to Telegram's global and per-group
    rates); polling retries network errors itself; other send errors are logged
    by the application's error handler.

    Also sets the ``httpx`` logger to WARNING: at INFO it logs request URLs, which
    contain the token.

    Args:
        token: the bot token from @BotFather.
        handle: the conversation; called with one message, returns replies in order.
        base_url: the Bot API URL the token is appended to (``TELEGRAM_API_BASE_URL``),
            e.g. ``"http://127.0.0.1:8081/bot"``; None for Telegram's. The file URL
            is derived from it by inserting ``file/`` before the last path segment,
            as Telegram lays them out (``…/bot<token>`` and ``…/file/bot<token>``).

    Returns:
        An application that is not yet initialized; run it with ``run_polling`` or
        ``run_webhook`` (or ``async with application`` + ``start()`` +
        ``updater.start_polling(...)`` / ``start_webhook(...)``).
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)
    builder = (
        ApplicationBuilder().token(token).rate_limiter(AIORateLimiter(max_retries=FLOOD_RETRIES))
    )
    if base_url is not None:
        builder = builder.base_url(base_url).base_file_url(_file_url(base_url))
    application = builder.build()
    relay = _relay(handle)
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, relay))
    application.add_handler(CallbackQueryHandler(relay))
    application.add_error_handler(_log_error)
    return application


def run_polling(application: Application) -> None:
    """Runs the bot by long polling until SIGINT/SIGTERM; call from the main thread.

    Asks only for ``ALLOWED_UPDATES``; PTB retries failed polls with back-off.
    """
    application.run_polling(allowed_updates=list(ALLOWED_UPDATES))


def _relay(handle: Handle) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Any]:
    async def relay(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await _acknowledge(update.callback_query)
        incoming = to_incoming(update, bot_username=context.bot.username)
        if incoming is None:
            return
        photos: list[dict[str, Any]] = []
        try:
            replies = await asyncio.to_thread(handle, incoming)
            messages = [part for reply in replies for part in render_parts(reply)]
            photos = await asyncio.to_thread(
                lambda: [render_photo(r.attachment) for r in replies if r.attachment])
        except Exception:
            _LOGGER.exception(
                "Handling update %s from chat %s failed", update.update_id, incoming.chat_id
            )
            messages = render_parts(Reply(texts.apology()))
        for message in messages:
            await context.bot.send_message(chat_id=incoming.chat_id, **message)
        for photo in photos:  # attachments (a stats chart) follow the text, as sendPhoto
            await context.bot.send_photo(chat_id=incoming.chat_id, **photo)

    return relay


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
