"""``/slotbot …`` host commands and host-notice buttons: one handler for Slack, Telegram
and ``slotbot command``.

:class:`HostCommands` is built once by the composition root. The conversation
hands every message to :meth:`HostCommands.answer` first: ``/slotbot`` texts
and presses of host buttons (payloads ``h:ACTION:…``) are answered
here, for the host mapped to the sender's platform identity only; anything
else returns None and goes to the guest dialog. Replies are in the host's
language (``Host.locale``).

Button payloads (at most 64 bytes, Telegram's limit):

* ``h:confirm:ID`` — confirm a pending request;
* ``h:decline:ID`` — ask for the reason (buttons), ``h:decline:ID:CODE`` — decline;
  ``h:decline:ID:other`` — the host's next message in that chat is the reason
  (:mod:`bots.host_commands._reasons`, answered through :meth:`HostCommands.typed_reason`);
* ``h:cancel:ID`` — ask, ``h:cancel!:ID`` — cancel (``h:keep:ID`` — don't);
* ``h:refund!:ID`` — refund a booking's payment in full (``h:norefund:ID`` — don't);
* ``h:cmd:NAME`` — a dashboard shortcut (``today``, ``upcoming``, ``stats``, ``link``, ``help``);
* ``ack:ID`` — a guest accepts a time the host moved their booking to (any sender).
"""

from __future__ import annotations

import logging

from bots.host_commands import _reasons
from bots.host_commands._base import Ctx, Links, cached, texts_for
from bots.host_commands._dates import day_range
from bots.messages import IncomingMessage, Reply
from bots.texts import Texts, language
from core.models import ConversationState, Host
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory

__all__ = ["HostCommands", "Links", "cached", "day_range", "refusal", "run"]

log = logging.getLogger(__name__)
PREFIX = "/slotbot"


class HostCommands:
    """Host commands and host-notice buttons, with the links the composition root knows."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, *,
                 links: Links | None = None) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.links = links or Links()

    def answer(self, message: IncomingMessage, *, uow: UnitOfWork | None = None) -> Reply | None:
        """The reply to a host command or host button, or None for any other message.

        A ``/slotbot`` text or ``h:`` press from someone who is not a mapped
        host is refused (presses are logged with the sender's platform id).

        Args:
            uow: the caller's open unit of work (the conversation's turn; re-entrant),
                used for everything the command reads and changes; default: fresh
                ones from the factory.
        """
        text, payload = message.text.strip(), message.payload or ""
        if payload.startswith("ack:"):
            return Reply(Texts(language(message.locale)).text("host_ack"))
        command = text == PREFIX or text.startswith(PREFIX + " ")
        if not command and not payload.startswith("h:"):
            return None
        factory: UnitOfWorkFactory = (lambda: uow) if uow is not None else self.uow_factory
        with factory() as current:
            host = current.hosts.by_platform_user(message.platform, message.user_id)
            if host is not None:  # doing something else leaves an "Other reason…" unanswered
                _reasons.forget(current, message)
                current.commit()
        if host is None:
            if command:
                return Reply(refusal(message.platform, message.user_id, message.locale))
            log.warning("refused host button %r from %s user %s (not a host)", payload,
                        message.platform, message.user_id)
            return Reply(Texts(language(message.locale)).text("host_not_yours"))
        if command:
            return self.run(host, text, platform=message.platform, uow_factory=factory)
        return self.press(host, payload, platform=message.platform, uow_factory=factory,
                          message=message)

    def typed_reason(self, message: IncomingMessage, stored: ConversationState, *,
                     uow: UnitOfWork, host: Host | None = None) -> Reply | None:
        """The host's message answering "Other reason…" in this chat: decline with it.

        Called by the conversation with the chat's locked dialog row, before the guest
        dialog; None when no question is open (the message is the guest dialog's).

        Args:
            host: who writes (the console knows); default the host mapped to the sender.
        """
        def ctx_for(handle: str) -> Ctx | None:
            sender = host or uow.hosts.by_platform_user(message.platform, message.user_id)
            if sender is None or sender.handle != handle:
                return None
            return Ctx(sender, [], lambda: uow, self.clock, self.links, message.platform)

        return _reasons.typed(stored, message, self.clock(), ctx_for)

    def console(self, host: Host, message: IncomingMessage) -> Reply:
        """One line of ``host``'s console session (``slotbot chat --host``).

        A button's payload is pressed, a line answering "Other reason…" declines, any
        other line is a host command (with or without ``/slotbot``).
        """
        with self.uow_factory() as uow:
            stored = uow.conversations.lock(message.platform, message.chat_id, message.user_id)
            typed = self.typed_reason(message, stored, uow=uow, host=host)
            if typed is None:
                _reasons.forget(uow, message)
            uow.commit()
        if typed is not None:
            return typed
        if message.payload:
            return self.press(host, message.payload, platform=message.platform, message=message)
        return self.run(host, message.text, platform=message.platform)

    def run(self, host: Host, text: str, *, platform: str = "console",
            uow_factory: UnitOfWorkFactory | None = None) -> Reply:
        """Run one command (with or without the leading ``/slotbot``) for ``host``."""
        from bots.host_commands import _dispatch  # the handlers: with the first command

        return _dispatch.run(self, host, text, platform=platform, uow_factory=uow_factory)

    def press(self, host: Host, payload: str, *, platform: str = "console",
              uow_factory: UnitOfWorkFactory | None = None,
              message: IncomingMessage | None = None) -> Reply:
        """A host button pressed by ``host``: ``h:ACTION:ID[:CODE]`` or ``h:cmd:NAME``.

        Args:
            message: the press itself; its chat is where "Other reason…" waits for the
                reason (without it, the host is told to use ``/slotbot decline``).
        """
        from bots.host_commands import _dispatch  # the handlers: with the first press

        return _dispatch.press(self, host, payload, platform=platform, uow_factory=uow_factory,
                               message=message)


def run(host: Host, text: str, *, uow_factory: UnitOfWorkFactory, clock: Clock,
        links: Links | None = None, platform: str = "console") -> Reply:
    """Run one host command for ``host`` (see :meth:`HostCommands.run`)."""
    return HostCommands(uow_factory, clock, links=links).run(host, text, platform=platform)


#: Platform -> (its name, the setup-file key of a host's user id there).
_ID_KEYS = {"telegram": ("Telegram", "telegram_user_id"), "slack": ("Slack", "slack_user_id")}


def refusal(platform: str | None = None, user_id: str | None = None,
            locale: str | None = None) -> str:
    """The answer to ``/slotbot`` from someone who is not a mapped host.

    With the platform and user id, it also tells them their own id and the
    setup-file line that makes them a host (``telegram_user_id: 1001``).
    """
    texts = texts_for(language(locale))
    text = texts.text("host_refusal")
    if platform in _ID_KEYS and user_id:
        name, key = _ID_KEYS[platform]
        text += "\n" + texts.text("your_user_id", platform=name, user_id=user_id, setting=key)
    return text
