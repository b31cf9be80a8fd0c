"""Reply -> Telegram ``sendMessage`` arguments: HTML text and an inline keyboard.

The only place where Slotbot text is escaped for Telegram. Limits come from the
Bot API (https://core.telegram.org/bots/api#sendmessage,
https://core.telegram.org/bots/api#inlinekeyboardbutton).
"""

from __future__ import annotations

import html
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice
from telegram.constants import InvoiceLimit, ParseMode

from bots.messages import Attachment, Choice, Invoice, Reply

#: Longest message text, in UTF-16 code units after entity parsing (Telegram's count).
MAX_TEXT_LENGTH = 4096
#: Longest ``callback_data``, in UTF-8 bytes.
MAX_CALLBACK_DATA_BYTES = 64
#: Longest photo caption, in UTF-16 code units (https://core.telegram.org/bots/api#sendphoto).
MAX_CAPTION_LENGTH = 1024
#: Labels up to this many characters are laid out two buttons per row.
SHORT_LABEL_LENGTH = 16


def render(reply: Reply) -> dict[str, Any]:
    """Renders one reply as keyword arguments of ``Bot.send_message``.

    All of ``reply.text`` is plain text, so all of it is HTML-escaped (``&``, ``<``,
    ``>``); user-supplied names cannot inject markup. Each choice becomes a
    callback button whose ``callback_data`` is the choice's payload (a URL button
    when the choice has a ``url``), one per row,
    or two per row when every label is at most ``SHORT_LABEL_LENGTH`` characters.

    Args:
        reply: the reply; its text must be 1..``MAX_TEXT_LENGTH`` UTF-16 code units
            (use ``render_parts`` for longer texts).

    Returns:
        ``{"text": str, "parse_mode": "HTML", "reply_markup": InlineKeyboardMarkup | None}``.

    Raises:
        ValueError: the text is empty or too long, or a payload is empty or longer
            than ``MAX_CALLBACK_DATA_BYTES`` UTF-8 bytes. Payloads are not truncated:
            a cut payload could silently name another choice, so the conversation
            must keep them short (ids, not names).
    """
    length = _utf16_length(reply.text)
    if not reply.text.strip():
        raise ValueError("Telegram cannot send a message without text")
    if length > MAX_TEXT_LENGTH:
        raise ValueError(f"text of {length} UTF-16 units exceeds {MAX_TEXT_LENGTH}")
    return {
        "text": html.escape(reply.text, quote=False),
        "parse_mode": ParseMode.HTML,
        "reply_markup": _keyboard(reply.choices),
    }


def render_photo(attachment: Attachment) -> dict[str, Any]:
    """Renders an attachment as keyword arguments of ``Bot.send_photo``.

    Draws the PNG (:meth:`Attachment.png`: no file is left); the title becomes the
    caption, HTML-escaped and cut to ``MAX_CAPTION_LENGTH``.

    Raises:
        OSError: the drawn file cannot be read.
    """
    photo = attachment.png()
    caption = attachment.title
    while _utf16_length(caption) > MAX_CAPTION_LENGTH:
        caption = caption[:-1]
    return {"photo": photo, "caption": html.escape(caption, quote=False),
            "parse_mode": ParseMode.HTML}


def render_invoice(invoice: Invoice, provider_token: str) -> dict[str, Any]:
    """Renders an invoice as keyword arguments of ``Bot.send_invoice``.

    Title, description and the price's label are plain text (Telegram does not
    parse them), cut to Telegram's limits (32, 255 and 32 characters) with "…".
    One price line, no tips, no shipping; ``start_parameter`` makes a forwarded
    copy a deep link to the host instead of a Pay button for someone else.

    Raises:
        ValueError: the amount is not positive or the payload is not 1–128 bytes
            (never cut: it names the booking).
    """
    size = len(invoice.payload.encode("utf-8"))
    if not InvoiceLimit.MIN_PAYLOAD_LENGTH <= size <= InvoiceLimit.MAX_PAYLOAD_LENGTH:
        raise ValueError(f"invoice payload of {size} bytes; Telegram allows 1..128")
    if invoice.amount <= 0:
        raise ValueError(f"invoice amount must be positive, got {invoice.amount}")
    return {
        "title": _cut(invoice.title, InvoiceLimit.MAX_TITLE_LENGTH),
        "description": _cut(invoice.description, InvoiceLimit.MAX_DESCRIPTION_LENGTH),
        "payload": invoice.payload,
        "provider_token": provider_token,
        "currency": invoice.currency,
        "prices": [LabeledPrice(_cut(invoice.label, InvoiceLimit.MAX_TITLE_LENGTH),
                                invoice.amount)],
        "start_parameter": invoice.start,
    }


def render_parts(reply: Reply) -> list[dict[str, Any]]:
    """Renders a reply of any length as one or more ``send_message`` argument dicts.

    Texts over ``MAX_TEXT_LENGTH`` are split at the last line break (else space)
    that fits; blank parts are dropped; the buttons go with the last part.

    Raises:
        ValueError: as ``render``.
    """
    chunks = [chunk for chunk in split_text(reply.text) if chunk.strip()] or [reply.text]
    parts = [Reply(chunk) for chunk in chunks[:-1]]
    parts.append(Reply(chunks[-1], reply.choices))
    return [render(part) for part in parts]


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> list[str]:
    """Splits plain text into chunks of at most ``limit`` UTF-16 code units.

    A chunk ends at the last newline in range, else the last space, else exactly
    at the limit (never inside a surrogate pair); the separator is dropped.

    Returns:
        At least one chunk; ``[text]`` when it fits.
    """
    chunks: list[str] = []
    rest = text
    while _utf16_length(rest) > limit:
        head = _longest_prefix(rest, limit)
        cut = head.rfind("\n")
        if cut <= 0:
            cut = head.rfind(" ")
        if cut <= 0:
            chunks.append(head)
            rest = rest[len(head) :]
        else:
            chunks.append(head[:cut])
            rest = rest[cut + 1 :]
    chunks.append(rest)
    return chunks


def _keyboard(choices: tuple[Choice, ...]) -> InlineKeyboardMarkup | None:
    if not choices:
        return None
    buttons = [
        InlineKeyboardButton(choice.label, url=choice.url) if choice.url
        else InlineKeyboardButton(choice.label, callback_data=_callback_data(choice))
        for choice in choices
    ]
    per_row = 2 if all(len(c.label) <= SHORT_LABEL_LENGTH for c in choices) else 1
    return InlineKeyboardMarkup([buttons[i : i + per_row] for i in range(0, len(buttons), per_row)])


def _callback_data(choice: Choice) -> str:
    size = len(choice.payload.encode("utf-8"))
    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
        raise ValueError(
            f"payload of button {choice.label!r} is {size} bytes; "
            f"Telegram allows 1..{MAX_CALLBACK_DATA_BYTES}"
        )
    return choice.payload


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _longest_prefix(text: str, limit: int) -> str:
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text
