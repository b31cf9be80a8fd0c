"""``/slotbot …`` host commands: one handler for Slack, Telegram and ``slotbot command``.

The adapters verify who is asking; :func:`run` gets the host already resolved
and returns the plain-text reply.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import datetime, time, timedelta

from core import services
from core.errors import BookingNotFound, BookingNotLive, NotAllowed, SlotbotError
from core.models import Host
from core.ports import Clock, UnitOfWorkFactory
from core.services import Actor, BookingView

HELP = (
    "Host commands:\n"
    "• /slotbot today — your bookings today\n"
    "• /slotbot upcoming — the next 7 days\n"
    "• /slotbot cancel ID [reason] — cancel a booking; the guest is told\n"
    "• /slotbot help — this list"
)


def run(host: Host, text: str, *, uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    """Run one host command.

    Args:
        host: the (verified) host running the command.
        text: the command, with or without the leading ``/slotbot``.

    Returns:
        The reply as plain text; unknown commands get the help text.
    """
    try:
        words = shlex.split(text.removeprefix("/slotbot").strip())
    except ValueError:
        words = text.removeprefix("/slotbot").split()
    if not words:
        return HELP
    command, args = words[0].lower(), words[1:]
    handler = _COMMANDS.get(command)
    if handler is None:
        return f"Unknown command “{command}”.\n{HELP}"
    return handler(host, args, uow_factory, clock)


def refusal() -> str:
    return "Sorry, host commands are only for hosts. To book a meeting, just write to me."


def _today(host: Host, args: list[str], uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    start = _local_midnight(clock(), host)
    views = services.host_bookings(host.handle, start, start + timedelta(days=1),
                                   uow=uow_factory())
    if not views:
        return f"Nothing booked today ({start:%a %-d %b}, {host.timezone})."
    return f"Today, {start:%a %-d %b} ({host.timezone}):\n" + "\n".join(
        _line(v, host) for v in views
    )


def _upcoming(host: Host, args: list[str], uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    now = clock()
    views = services.host_bookings(host.handle, now, now + timedelta(days=7), uow=uow_factory())
    if not views:
        return "Nothing booked in the next 7 days."
    lines, current = ["Next 7 days:"], ""
    for view in views:
        local_day = f"{view.booking.start.astimezone(host.zone):%a %-d %b}"
        if local_day != current:
            lines.append(local_day)
            current = local_day
        lines.append("  " + _line(view, host))
    return "\n".join(lines)


def _cancel(host: Host, args: list[str], uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    if not args or not args[0].lstrip("#").isdigit():
        return "Usage: /slotbot cancel ID [reason] — the ID is the #number in /slotbot today."
    booking_id = int(args[0].lstrip("#"))
    reason = " ".join(args[1:]) or None
    try:
        view = services.cancel(booking_id, actor=Actor("host", host.id or 0),
                               uow=uow_factory(), clock=clock, reason=reason)
    except (BookingNotFound, NotAllowed):
        return f"There is no booking #{booking_id} of yours."
    except BookingNotLive as exc:
        return f"Booking #{booking_id} is already {exc.status}."
    except SlotbotError as exc:
        return f"Couldn't cancel #{booking_id}: {exc}"
    guest = view.guest.name or "The guest"
    return f"Cancelled #{booking_id} ({_line(view, host)}). {guest} will be told."


def _help(host: Host, args: list[str], uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    return HELP


def _local_midnight(now: datetime, host: Host) -> datetime:
    local = now.astimezone(host.zone)
    return datetime.combine(local.date(), time(0), tzinfo=host.zone)


def _line(view: BookingView, host: Host) -> str:
    b = view.booking
    start, end = b.start.astimezone(host.zone), b.end.astimezone(host.zone)
    status = " (pending)" if b.status.value == "pending" else ""
    return f"{start:%H:%M}–{end:%H:%M} {view.event_type.title} with " \
           f"{view.guest.name or 'a guest'} #{b.id}{status}"


_COMMANDS: dict[str, Callable[[Host, list[str], UnitOfWorkFactory, Clock], str]] = {
    "help": _help,
    "today": _today,
    "upcoming": _upcoming,
    "cancel": _cancel,
}
