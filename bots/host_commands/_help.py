"""``/slotbot help [COMMAND]`` and the closest command to an unknown one."""

from __future__ import annotations

import difflib

from bots.host_commands._base import Ctx
from bots.host_texts import HostTexts
from bots.messages import Reply

#: Commands in the order help lists them.
ORDER = ("today", "upcoming", "bookings", "booking", "confirm", "decline", "cancel",
         "reschedule", "noshow", "refund", "hours", "off", "on", "types", "type", "new", "link",
         "contacts", "contact", "note", "stats", "digest", "language", "help")
#: Examples ``help COMMAND`` shows (commands read the same in every language).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "bookings": ("bookings today", "bookings week intro", "bookings dec 1-15 cancelled"),
    "booking": ("booking 12",),
    "cancel": ("cancel 12 I am ill",),
    "decline": ("decline 12 fully booked that week",),
    "reschedule": ("reschedule 12 friday 10:00", "reschedule 12 2026-12-04 15:30"),
    "refund": ("refund 12", "refund 12 yes"),
    "hours": ("hours", "hours mon-fri 9-12, 13-17", "hours sat 10-14", "hours sat off"),
    "off": ("off", "off dec 24-26", "off 2026-12-24 2026-12-26"),
    "on": ("on dec 25",),
    "type": ("type intro duration 45", "type intro buffer 10", "type intro notice 2h",
             "type intro window 30d", "type intro seats 3", "type intro confirm on",
             "type intro hide"),
    "new": ('new type coaching "Coaching session" 60',),
    "link": ("link", "link intro"),
    "contacts": ("contacts", "contacts carla"),
    "contact": ("contact Carla",),
    "note": ("note Carla prefers mornings",),
    "stats": ("stats 7d", "stats 30d", "stats 90d"),
    "digest": ("digest 07:30", "digest off"),
    "language": ("language de", "language en-US"),
}


def help_(ctx: Ctx) -> Reply:
    t = ctx.t
    if ctx.args and ctx.args[0].lower().lstrip("/") in ORDER:
        name = ctx.args[0].lower().lstrip("/")
        lines = [_line(t, name)]
        if name in EXAMPLES:
            lines.append(t.text("host_help_examples"))
            lines += [f"  /slotbot {example}" for example in EXAMPLES[name]]
        return Reply("\n".join(lines))
    return Reply("\n".join([t.text("host_help_title"), *(_line(t, n) for n in ORDER)]))


def unknown(ctx: Ctx, command: str) -> Reply:
    """Unknown command: the closest known one, if any is close."""
    close = difflib.get_close_matches(command, ORDER, n=1, cutoff=0.6)
    if close:
        return ctx.say("host_unknown", command=command, suggestion=close[0])
    return ctx.say("host_unknown_none", command=command)


def _line(t: HostTexts, name: str) -> str:
    return f"• /slotbot {t.text(f'host_use_{name}')} — {t.text(f'host_about_{name}')}"
