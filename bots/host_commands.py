"""``/slotbot …`` host commands: one handler for Slack, Telegram and ``slotbot command``.

The adapters verify who is asking; :func:`run` gets the host already resolved
and returns the plain-text reply.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from bots.texts import Texts, language
from core import contacts, digests, services, stats
from core.errors import BookingNotFound, BookingNotLive, NotAllowed, NotPending, SlotbotError
from core.models import Host
from core.ports import Clock, UnitOfWorkFactory
from core.services import Actor, BookingView

HELP = (
    "Host commands:\n"
    "• /slotbot today — your bookings today\n"
    "• /slotbot upcoming — the next 7 days\n"
    "• /slotbot cancel ID [reason] — cancel a booking; the guest is told\n"
    "• /slotbot confirm ID — accept a booking request\n"
    "• /slotbot decline ID [reason] — turn a request down; the guest hears why\n"
    "• /slotbot noshow ID — the guest did not come\n"
    "• /slotbot off dec 24-26 — days off (no new bookings those days)\n"
    "• /slotbot digest on|off|HH:MM — your daily digest (time in your zone)\n"
    "• /slotbot contacts [search] — who has booked with you\n"
    "• /slotbot stats [30d] — bookings, cancellations, no-shows and hours booked\n"
    "• /slotbot help — this list"
)


#: Contacts listed by ``/slotbot contacts`` at most.
CONTACTS_SHOWN = 30


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


#: Platform -> (its name, the setup-file key of a host's user id there).
_ID_KEYS = {"telegram": ("Telegram", "telegram_user_id"), "slack": ("Slack", "slack_user_id")}


def refusal(platform: str | None = None, user_id: str | None = None,
            locale: str | None = None) -> str:
    """The answer to ``/slotbot`` from someone who is not a mapped host.

    With the platform and user id, it also tells them their own id and the
    setup-file line that makes them a host (``telegram_user_id: 1001``).
    """
    text = "Sorry, host commands are only for hosts. To book a meeting, just write to me."
    if platform in _ID_KEYS and user_id:
        name, key = _ID_KEYS[platform]
        hint = Texts(language(locale)).text("your_user_id", platform=name, user_id=user_id,
                                            setting=key)
        text = f"{text}\n{hint}"
    return text


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


def _digest(host: Host, args: list[str], uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    usage = "Usage: /slotbot digest on|off|HH:MM — e.g. /slotbot digest 07:30"
    if len(args) != 1:
        return usage
    word = args[0].lower()
    enabled: bool | None = {"on": True, "off": False}.get(word)
    at: time | None = None
    if enabled is None:
        try:
            at = time.fromisoformat(word)
        except ValueError:
            return usage
        if at.second or at.microsecond:
            return usage
    updated = digests.set_digest(host.handle, uow=uow_factory(), enabled=enabled, at=at)
    if not updated.digest_enabled:
        return "Daily digest off."
    when = updated.digest_time or digests.DEFAULT_TIME
    return f"Daily digest on, at {when:%H:%M} ({updated.timezone})."


def _contacts(host: Host, args: list[str], uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    search = " ".join(args) or None
    found = contacts.list_contacts(host.handle, uow=uow_factory(), search=search)
    if not found:
        return f"No contacts matching “{search}”." if search else "No contacts yet."
    lines = [f"Contacts ({len(found)}):" if not search else f"Contacts matching “{search}”:"]
    for contact, guest in found[:CONTACTS_SHOWN]:
        name = guest.name or guest.email or guest.platform_user_id
        last = (f", last booked {contact.last_booked_at.astimezone(host.zone):%-d %b %Y}"
                if contact.last_booked_at else "")
        plural = "s" if contact.total_bookings != 1 else ""
        lines.append(f"• {name} — {contact.total_bookings} booking{plural}{last}")
    if len(found) > CONTACTS_SHOWN:
        lines.append(f"… and {len(found) - CONTACTS_SHOWN} more; add a search word.")
    return "\n".join(lines)


def _confirm(host: Host, args: list[str], uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    booking_id = _booking_id(args)
    if booking_id is None:
        return "Usage: /slotbot confirm ID — the ID is the #number of the request."
    try:
        view = services.confirm(booking_id, actor=Actor("host", host.id or 0),
                                uow=uow_factory(), clock=clock)
    except SlotbotError as exc:
        return _refused(booking_id, exc)
    return f"Confirmed #{booking_id} ({_line(view, host)}). " \
           f"{view.guest.name or 'The guest'} will be told."


def _decline(host: Host, args: list[str], uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    booking_id = _booking_id(args)
    if booking_id is None:
        return "Usage: /slotbot decline ID [reason] — the ID is the #number of the request."
    reason = " ".join(args[1:]) or None
    try:
        view = services.decline(booking_id, actor=Actor("host", host.id or 0),
                                uow=uow_factory(), clock=clock, reason=reason)
    except SlotbotError as exc:
        return _refused(booking_id, exc)
    told = f" ({reason})" if reason else ""
    return f"Declined #{booking_id}. {view.guest.name or 'The guest'} will be told{told}."


def _noshow(host: Host, args: list[str], uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    booking_id = _booking_id(args)
    if booking_id is None:
        return "Usage: /slotbot noshow ID — after the meeting's start."
    try:
        services.mark_no_show(booking_id, actor=Actor("host", host.id or 0),
                              uow=uow_factory(), clock=clock)
    except NotAllowed as exc:
        if "not started" in str(exc):
            return f"Booking #{booking_id} has not started yet."
        return f"There is no booking #{booking_id} of yours."
    except SlotbotError as exc:
        return _refused(booking_id, exc)
    return f"Marked #{booking_id} as a no-show."


def _off(host: Host, args: list[str], uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    usage = "Usage: /slotbot off dec 24-26 (or 2026-12-24 2026-12-26) — days in your zone."
    today = clock().astimezone(host.zone).date()
    days = _day_range(" ".join(args), today)
    if days is None:
        return usage
    try:
        dates = services.add_time_off(host.handle, *days, uow=uow_factory())
    except ValueError as exc:
        return f"{exc}. {usage}"
    first, last = dates[0], dates[-1]
    span = f"{first:%a %-d %b %Y}" if first == last else \
        f"{first:%a %-d %b} – {last:%a %-d %b %Y}"
    return f"Time off: {span} ({host.timezone}). Guests can't book then; " \
           "bookings already made are kept (/slotbot upcoming)."


def _booking_id(args: list[str]) -> int | None:
    if not args or not args[0].lstrip("#").isdigit():
        return None
    return int(args[0].lstrip("#"))


def _refused(booking_id: int, exc: SlotbotError) -> str:
    if isinstance(exc, (BookingNotFound, NotAllowed)):
        return f"There is no booking #{booking_id} of yours."
    if isinstance(exc, (NotPending, BookingNotLive)):
        return f"Booking #{booking_id} is already {exc.status}."
    return f"Couldn't change #{booking_id}: {exc}"


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_DAYS = re.compile(
    r"(?P<m1>[a-z]{3})[a-z]*\.?\s*(?P<d1>\d{1,2})"
    r"(?:\s*(?:-|–|to)\s*(?:(?P<m2>[a-z]{3})[a-z]*\.?\s*)?(?P<d2>\d{1,2}))?"
)
_DAYS_MONTH = re.compile(
    r"(?P<d1>\d{1,2})(?:\s*(?:-|–|to)\s*(?P<d2>\d{1,2}))?\s*(?P<m1>[a-z]{3})[a-z]*\.?"
)


def _day_range(text: str, today: date) -> tuple[date, date] | None:
    """``"dec 24-26"``, ``"24-26 dec"``, ``"dec 30 - jan 2"``, ``"2026-12-24 2026-12-26"``.

    Dates without a year are the next ones on or after ``today``. Returns None
    if the text is none of these.
    """
    text = text.strip().lower()
    try:
        iso = [date.fromisoformat(part) for part in re.split(r"\s+|\.\.", text) if part]
    except ValueError:
        iso = []
    if len(iso) in (1, 2):
        return iso[0], iso[-1]
    match = _MONTH_DAYS.fullmatch(text) or _DAYS_MONTH.fullmatch(text)
    if match is None or match["m1"] not in _MONTHS:
        return None
    groups = match.groupdict()
    month1 = _MONTHS.index(match["m1"]) + 1
    month2 = _MONTHS.index(groups["m2"]) + 1 if groups.get("m2") in _MONTHS else month1
    try:
        first = date(today.year, month1, int(match["d1"]))
        if first < today:
            first = first.replace(year=today.year + 1)
        last = date(first.year, month2, int(match["d2"] or match["d1"]))
    except ValueError:
        return None
    if last < first:
        last = last.replace(year=last.year + 1)
    return first, last


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


def _stats(host: Host, args: list[str], uow_factory: UnitOfWorkFactory, clock: Clock) -> str:
    period = (args[0] if args else "30d").lower()
    match = re.fullmatch(r"(\d{1,3})d?", period)
    if not match or not 1 <= int(match[1]) <= 366:
        return "Usage: /slotbot stats [DAYS]d — e.g. /slotbot stats 30d (1–366 days)."
    days = int(match[1])
    numbers = stats.host_stats(host.handle, days, uow=uow_factory(), clock=clock)
    hours = numbers.minutes_booked / 60
    last = "day" if days == 1 else f"{days} days"
    return (f"Last {last}: {numbers.bookings} booking(s) made, "
            f"{numbers.cancellations} cancellation(s), {numbers.no_shows} no-show(s), "
            f"{hours:.1f} h of meetings held or booked in that period.")


_COMMANDS: dict[str, Callable[[Host, list[str], UnitOfWorkFactory, Clock], str]] = {
    "help": _help,
    "today": _today,
    "upcoming": _upcoming,
    "cancel": _cancel,
    "confirm": _confirm,
    "decline": _decline,
    "noshow": _noshow,
    "no-show": _noshow,
    "off": _off,
    "digest": _digest,
    "contacts": _contacts,
    "stats": _stats,
}
