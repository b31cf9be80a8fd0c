"""A decline reason the host writes: "Other reason…" asks, the host's next message is it.

The question is remembered in the data of the host's dialog with the bot (the
``conversation_states`` row of that platform, chat and user, key :data:`PENDING`)
for :data:`TIMEOUT`. The host's next plain message in that chat is the reason:
the request is declined and the guest is told it. Any other host command or button
in between forgets the question; after :data:`TIMEOUT` the message is an ordinary one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bots.host_commands._base import Ctx, guest_name, line, status_word
from bots.messages import IncomingMessage, Reply
from core.errors import BookingNotFound
from core.models import BookingStatus, ConversationState
from core.ports import UnitOfWork

#: The key of the open question in the dialog's data: ``{"id": N, "host": HANDLE, "asked": ISO}``.
PENDING = "decline_reason"
#: How long the question stays open.
TIMEOUT = timedelta(minutes=30)
#: A typed reason is kept to this many characters (it goes into the guest's notice).
MAX_REASON = 300


def ask(ctx: Ctx, number: int, message: IncomingMessage | None) -> Reply:
    """The answer to "Other reason…": write the reason in the next message.

    Without the message's chat (a press not from a chat), the host is told to write
    ``/slotbot decline ID REASON`` instead.
    """
    from core import booking_details  # with the first press: a guest's turn needs none

    try:
        detail = booking_details.booking_detail(ctx.host.handle, number, uow=ctx.uow_factory())
    except BookingNotFound:
        return ctx.say("host_no_booking", id=number)
    view = detail.view
    if view.booking.status is not BookingStatus.PENDING:
        return ctx.say("host_already", id=number, status=status_word(ctx.t, view.booking))
    if message is None:
        return ctx.say("host_usage", usage=ctx.t.text("host_use_decline"))
    with ctx.uow_factory() as uow:
        stored = uow.conversations.lock(message.platform, message.chat_id, message.user_id)
        stored.data = {**stored.data, PENDING: {
            "id": number, "host": ctx.host.handle, "asked": ctx.now().isoformat()}}
        uow.commit()
    return ctx.say("host_reason_write", id=number, line=line(view, ctx.t, ctx.tz),
                   guest=guest_name(view, ctx.t))


def forget(uow: UnitOfWork, message: IncomingMessage) -> None:
    """Drop an open question in this chat (the host did something else)."""
    stored = uow.conversations.get(message.platform, message.chat_id, message.user_id)
    if stored is not None and PENDING in stored.data:
        stored.data = {k: v for k, v in stored.data.items() if k != PENDING}


def typed(stored: ConversationState, message: IncomingMessage, now: datetime,
          ctx_for: Callable[[str], Ctx | None]) -> Reply | None:
    """Decline with the host's message as the reason, if this chat has an open question.

    Args:
        stored: the chat's locked dialog row.
        now: the current instant (aware).
        ctx_for: builds the command context for a host handle, or None when the sender
            is not that host (a guest writing in a chat the host once used).

    Returns:
        The host's reply, or None: no question open (or it expired, or this is no plain
        text) and the message goes on to the guest dialog.
    """
    pending = stored.data.get(PENDING)
    text = " ".join(message.text.split())
    if not isinstance(pending, dict) or message.payload or not text:
        return None
    stored.data = {k: v for k, v in stored.data.items() if k != PENDING}
    if now - datetime.fromisoformat(str(pending["asked"])) > TIMEOUT:
        return None
    ctx = ctx_for(str(pending["host"]))
    if ctx is None:
        return None
    ctx.args = [str(pending["id"]), text[:MAX_REASON]]
    from bots.host_commands import _bookings  # the handlers: only once a reason is typed

    return _bookings.decline(ctx)

