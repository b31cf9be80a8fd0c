"""The command table and the button presses behind :class:`bots.host_commands.HostCommands`.

Imported with a process's first host command or button: a guest's turn never
needs the handlers (nor :mod:`core.stats`, the charts or the notices they import).
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING

from bots.host_commands import (
    PREFIX,
    _bookings,
    _contacts,
    _dashboard,
    _help,
    _reasons,
    _refunds,
    _schedule,
    _settings,
    _stats,
    _types,
)
from bots.host_commands._base import Ctx, line
from bots.messages import Choice, IncomingMessage, Reply
from bots.notices import CALENDAR_REASON, CALENDAR_REASON_CODE
from core import booking_details
from core.errors import BookingNotFound
from core.models import Host
from core.ports import UnitOfWorkFactory

if TYPE_CHECKING:
    from bots.host_commands import HostCommands

log = logging.getLogger(__name__)

Handler = Callable[[Ctx], Reply]

COMMANDS: dict[str, Handler] = {
    "help": _help.help_,
    "today": _bookings.today,
    "upcoming": _bookings.upcoming,
    "bookings": _bookings.bookings,
    "booking": _bookings.booking,
    "cancel": _bookings.cancel,
    "confirm": _bookings.confirm,
    "decline": _bookings.decline,
    "noshow": _bookings.noshow,
    "no-show": _bookings.noshow,
    "reschedule": _bookings.reschedule,
    "refund": _refunds.refund,
    "hours": _schedule.hours,
    "off": _schedule.off,
    "on": _schedule.on,
    "types": _types.types,
    "type": _types.type_,
    "new": _types.new,
    "link": _types.link,
    "links": _types.link,
    "contacts": _contacts.contacts,
    "contact": _contacts.contact,
    "note": _contacts.note,
    "stats": _stats.run,
    "digest": _settings.digest,
    "language": _settings.language,
}


def run(commands: HostCommands, host: Host, text: str, *, platform: str,
        uow_factory: UnitOfWorkFactory | None) -> Reply:
    """:meth:`HostCommands.run`: one command, with or without the leading ``/slotbot``."""
    try:
        words = shlex.split(text.removeprefix(PREFIX).strip())
    except ValueError:
        words = text.removeprefix(PREFIX).split()
    ctx = Ctx(host, words[1:], uow_factory or commands.uow_factory, commands.clock,
              commands.links, platform)
    if not words:
        return _dashboard.dashboard(ctx)
    name = words[0].lower()
    handler = COMMANDS.get(name)
    if handler is None:
        return _help.unknown(ctx, name)
    return handler(ctx)


def press(commands: HostCommands, host: Host, payload: str, *, platform: str,
          uow_factory: UnitOfWorkFactory | None, message: IncomingMessage | None) -> Reply:
    """:meth:`HostCommands.press`: ``h:ACTION:ID[:CODE]`` or ``h:cmd:NAME``."""
    factory = uow_factory or commands.uow_factory
    _, action, rest = payload.split(":", 2) if payload.count(":") >= 2 else ("", "", "")
    if action == "cmd" and rest in _dashboard.SHORTCUTS:  # a dashboard shortcut
        return run(commands, host, rest, platform=platform, uow_factory=factory)
    number_text, _, code = rest.partition(":")
    ctx = Ctx(host, [number_text], factory, commands.clock, commands.links, platform)
    if not number_text.isdigit():
        return _help.help_(ctx)
    number = int(number_text)
    if not _owns(ctx, number):
        log.warning("refused host button %r from host %s: not their booking", payload,
                    host.handle)
        return ctx.say("host_no_booking", id=number)
    if action == "confirm":
        return _bookings.confirm(ctx)
    if action == "decline" and not code:
        return _bookings.ask_decline_reason(ctx, number)
    if action == "decline" and code == _bookings.OTHER_REASON:
        return _reasons.ask(ctx, number, message)
    if action == "decline":
        reason = _bookings.reason_text(ctx.t, code)
        ctx.args = [number_text, *([reason] if reason else [])]
        return _bookings.decline(ctx)
    if action == "cancel":
        return _ask_cancel(ctx, number)
    if action == "cancel!":
        if code == CALENDAR_REASON_CODE:  # under "your calendar changed" (bots.notices)
            ctx.args = [number_text, CALENDAR_REASON]
        return _bookings.cancel(ctx)
    if action == "keep":
        return ctx.say("host_kept", id=number)
    if action == "refund!":
        return _refunds.refund_now(ctx, number)
    if action == "norefund":
        return ctx.say("host_refund_kept", id=number)
    return _help.help_(ctx)


def _ask_cancel(ctx: Ctx, number: int) -> Reply:
    detail = booking_details.booking_detail(ctx.host.handle, number, uow=ctx.uow_factory())
    t = ctx.t
    return Reply(t.text("host_cancel_ask", id=number, line=line(detail.view, t, ctx.tz)),
                 (Choice(t.text("host_button_cancel_yes"), f"h:cancel!:{number}"),
                  Choice(t.text("host_button_keep"), f"h:keep:{number}")))


def _owns(ctx: Ctx, number: int) -> bool:
    try:
        booking_details.booking_detail(ctx.host.handle, number, uow=ctx.uow_factory())
    except BookingNotFound:
        return False
    return True
