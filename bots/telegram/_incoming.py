"""Telegram ``Update`` -> ``IncomingMessage``: translation only, no routing."""

from __future__ import annotations

import re

from telegram import Update

from bots.messages import IncomingMessage

PLATFORM = "telegram"
_ADDRESSED_COMMAND = re.compile(r"(?P<command>/\w+)@(?P<bot>\w+)(?=\s|$)")


def to_incoming(update: Update, *, bot_username: str | None = None) -> IncomingMessage | None:
    """Translates a text message or a button press; other updates give None.

    Text is passed as is (``/start ana``, ``/slotbot today``), except that a
    command addressed to this bot in a group (``/slotbot@SlotBot today``) loses
    the ``@SlotBot`` suffix, which only Telegram needs. A button press gives
    ``text=""`` and ``payload`` = its ``callback_data``; a press on an inline-mode
    message (no chat) is answered in the presser's private chat.

    Args:
        update: a PTB update.
        bot_username: this bot's username, without ``@``; None skips the stripping.

    Returns:
        The message for the conversation, or None if the update carries neither
        text nor a button payload, or has no sender.
    """
    user = update.effective_user
    if user is None:
        return None
    chat = update.effective_chat
    chat_id = str(chat.id if chat is not None else user.id)
    common = {
        "platform": PLATFORM,
        "chat_id": chat_id,
        "user_id": str(user.id),
        "display_name": user.full_name,
        "locale": user.language_code,
        "private": chat is None or chat.type == "private",
    }
    query = update.callback_query
    if query is not None:
        if not query.data:
            return None
        return IncomingMessage(text="", payload=query.data, **common)
    message = update.message
    if message is None or message.text is None:
        return None
    return IncomingMessage(text=_strip_bot_mention(message.text, bot_username), **common)


def _strip_bot_mention(text: str, bot_username: str | None) -> str:
    match = _ADDRESSED_COMMAND.match(text)
    if bot_username and match and match["bot"].lower() == bot_username.lower():
        return match["command"] + text[match.end() :]
    return text
