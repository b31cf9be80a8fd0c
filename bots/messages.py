"""The platform-neutral message layer: what adapters hand in and get back."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from core.clean_text import clean_name, clean_text

if TYPE_CHECKING:
    from core.ports import UnitOfWork


@dataclass(frozen=True)
class IncomingMessage:
    """One guest or host message, translated from the platform by an adapter.

    Attributes:
        platform: ``telegram``, ``slack`` or ``console``.
        chat_id: where replies go (Telegram chat id, Slack channel id).
        user_id: the sender's platform user id.
        display_name: the sender's name as the platform shows it.
        text: the message text, or "" for a button press.
        payload: the pressed button's payload, or None.
        locale: a language tag if the platform knows it (``en``, ``de-DE``).
        timezone: an IANA zone if the platform knows it (Slack ``users.info``).
        private: True if ``chat_id`` is a one-to-one chat of the sender and the
            bot (Telegram ``chat.type == "private"``, a Slack ``im``), False in
            a group or channel. Only a private chat receives the guest's notices.

    ``text``, ``payload`` and ``display_name`` are cleaned on construction
    (:mod:`core.clean_text`): every adapter's translation goes through here.
    """

    platform: str
    chat_id: str
    user_id: str
    text: str = ""
    display_name: str | None = None
    payload: str | None = None
    locale: str | None = None
    timezone: str | None = None
    private: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean_text(self.text))
        object.__setattr__(self, "display_name", clean_name(self.display_name))
        if self.payload is not None:
            object.__setattr__(self, "payload", clean_text(self.payload))
        for name, limit in (("locale", 35), ("timezone", 64)):
            value = getattr(self, name)
            if value is not None and (len(value) > limit or clean_text(value) != value):
                object.__setattr__(self, name, None)  # not a tag or zone a platform sends

    @property
    def private_chat_id(self) -> str | None:
        """Where the sender's own notices may go: ``chat_id`` if private, else None."""
        return self.chat_id if self.private else None


@dataclass(frozen=True)
class Choice:
    """A button: ``label`` shown to the user, ``payload`` sent back when pressed.

    With a ``url`` it is a link button instead: pressing it opens the URL (a
    Telegram deep link, ``https://t.me/<bot>?start=<token>``); platforms
    without link buttons show the URL beside the label.
    """

    label: str
    payload: str
    url: str | None = None


@dataclass(frozen=True)
class Attachment:
    """An image sent after a reply's text: ``title`` is its caption and alt text.

    ``draw`` writes the PNG into a new file and returns its path; the caller owns
    that file. Adapters call :meth:`png` when they send the reply, after the
    turn's transaction, so a slow drawing never holds the database, and no file
    is left behind. ``data``, when set, is the PNG already drawn (a stored
    answer's image): :meth:`png` returns it without touching the disk.
    """

    title: str
    draw: Callable[[], str]
    data: bytes | None = None

    def file(self) -> str:
        """Draw the image now into a new file the caller keeps (the console shows it)."""
        return self.draw()

    def png(self) -> bytes:
        """The PNG's bytes, for sending: ``data``, or drawn now into a file that is read
        and removed.

        Raises:
            OSError: the drawn file cannot be read.
        """
        if self.data is not None:
            return self.data
        path = self.draw()
        try:
            with open(path, "rb") as file:
                return file.read()
        finally:
            with contextlib.suppress(OSError):
                os.remove(path)


@dataclass(frozen=True)
class Invoice:
    """A bill the platform shows and takes the money for itself (Telegram Payments).

    Attributes:
        payload: what the platform hands back with the payment (the checkout id,
            :class:`core.ports.Checkout`); 1–128 bytes.
        title: the product's name (1–32 characters on Telegram).
        description: what is paid for (1–255 characters on Telegram).
        label: the price line's label (the event type's title).
        amount: the price in the currency's minor unit (cents).
        currency: ISO 4217 code (``EUR``).
        start: where a forwarded copy leads instead of being payable by others (the
            host's handle: Telegram's ``start_parameter``, a ``/start`` deep link).
    """

    payload: str
    title: str
    description: str
    label: str
    amount: int
    currency: str
    start: str | None = None


@dataclass(frozen=True)
class Reply:
    """One outgoing message: plain ``text`` (no markup), optional buttons and an attachment.

    Renderers escape ``text`` for their platform; nothing upstream does. The
    attachment (Telegram ``sendPhoto``, Slack ``files_upload_v2``, the console
    prints its path) goes after the text, and so does the invoice (Telegram
    ``sendInvoice``; only Telegram's payment provider asks for one).
    """

    text: str
    choices: tuple[Choice, ...] = field(default_factory=tuple)
    attachment: Attachment | None = None
    invoice: Invoice | None = None


#: Called by the conversation inside a turn's transaction, just before its commit, with
#: that turn's unit of work and replies: what an adapter writes there (its inbox row's
#: answer) commits with the turn, or not at all.
KeepAnswer = Callable[["UnitOfWork", list[Reply]], None]


class Handle(Protocol):
    """The conversation as the adapters call it: one message in, the replies to send out.

    ``keep``: see :data:`KeepAnswer`. An answer given without a turn's transaction
    (the rate limit's refusal, the apology after a failure) is given without calling
    it: the adapter keeps that one itself.
    """

    def __call__(self, message: IncomingMessage, /,
                 keep: KeepAnswer | None = None) -> list[Reply]: ...
