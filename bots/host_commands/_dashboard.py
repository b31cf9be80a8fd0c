"""``/slotbot`` alone: the host's dashboard — today, requests awaiting them, the week, links.

Buttons decide the first requests (``h:confirm:ID`` / ``h:decline:ID``) and run
common commands (``h:cmd:NAME``); the same reply fills Slack's App Home.
"""

from __future__ import annotations

from datetime import timedelta

from bots.host_commands._base import WEEK, Ctx, line, local_midnight
from bots.messages import Choice, Reply
from core import booking_details, stats
from core.models import BookingStatus

#: Pending requests the dashboard offers buttons for.
PENDING_SHOWN = 3
#: Commands the dashboard's buttons run (catalog label suffix = command).
SHORTCUTS = ("today", "upcoming", "stats", "link", "help")


def dashboard(ctx: Ctx) -> Reply:
    t, tz, host = ctx.t, ctx.tz, ctx.host
    now = ctx.now()
    midnight = local_midnight(now, host)
    views = booking_details.bookings_between(host.handle, midnight, midnight + WEEK,
                                             uow=ctx.uow_factory())
    today = [v for v in views if v.booking.start < midnight + timedelta(days=1)
             and v.booking.is_live]
    pending = [v for v in views if v.booking.status is BookingStatus.PENDING
               and v.booking.end > now]
    lines = [t.text("host_dashboard_title", host=host.name, day=t.day(now, tz), tz=tz)]
    lines.append(t.text("host_dashboard_today", bookings=t.plural("host_n_bookings", len(today))))
    lines += [f"• {line(v, t, tz)}" for v in today]
    if pending:
        lines.append(t.text("host_digest_pending", count=len(pending)))
        lines += [f"• {t.day(v.booking.start, tz)} {line(v, t, tz)}" for v in pending]
    week = stats.host_report(host.handle, 7, uow=ctx.uow_factory(), clock=ctx.clock).current
    lines.append(t.text("host_digest_week",
                        bookings=t.plural("host_n_bookings", week.made),
                        cancellations=t.plural("host_n_cancellations", week.cancellations),
                        no_shows=t.plural("host_n_no_shows", week.no_shows)))
    link = ctx.links.telegram(host.handle) or ctx.links.slack()
    if link:
        lines.append(t.text("host_dashboard_link", url=link))
    choices = [choice for v in pending[:PENDING_SHOWN] for choice in (
        Choice(t.text("host_button_confirm_id", id=v.booking.id), f"h:confirm:{v.booking.id}"),
        Choice(t.text("host_button_decline_id", id=v.booking.id), f"h:decline:{v.booking.id}"))]
    choices += [Choice(t.text(f"host_shortcut_{name}"), f"h:cmd:{name}") for name in SHORTCUTS]
    return Reply("\n".join(lines), tuple(choices))
