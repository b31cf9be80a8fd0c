"""The platform-neutral message layer: what adapters hand in and get back."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    """

    platform: str
    chat_id: str
    user_id: str
    text: str = ""
    display_name: str | None = None
    payload: str | None = None
    locale: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class Choice:
    """A button: ``label`` shown to the user, ``payload`` sent back when pressed."""

    label: str
    payload: str


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply: ``path`` of a PNG image, ``title`` its caption and alt text."""

    path: str
    title: str


@dataclass(frozen=True)
class Reply:
    """One outgoing message: plain ``text`` (no markup), optional buttons and an attachment.

    Renderers escape ``text`` for their platform; nothing upstream does. The
    attachment (Telegram ``sendPhoto``, Slack ``files_upload_v2``, the console
    prints its path) goes after the text.
    """

    text: str
    choices: tuple[Choice, ...] = field(default_factory=tuple)
    attachment: Attachment | None = None
