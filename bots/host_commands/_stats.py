"""``/slotbot stats [7d|30d|90d]``: the host's numbers, the trend, and a PNG chart."""

from __future__ import annotations

import re
from datetime import UTC, time

from bots import charts
from bots.host_commands._base import Ctx
from bots.host_commands._types import lead
from bots.host_texts import HostTexts
from bots.messages import Attachment, Reply
from core import stats
from core.stats import Money, Period, Report

DEFAULT_DAYS = 30


def run(ctx: Ctx, *, chart: bool = True) -> Reply:
    """The report as text, with the chart attached unless ``chart`` is False."""
    period = (ctx.args[0] if ctx.args else f"{DEFAULT_DAYS}d").lower()
    match = re.fullmatch(r"(\d{1,3})\s*d?", period)
    if not match or not 1 <= int(match[1]) <= stats.MAX_DAYS:
        return ctx.usage("stats")
    report = stats.host_report(ctx.host.handle, int(match[1]), uow=ctx.uow_factory(),
                               clock=ctx.clock)
    with ctx.uow_factory() as uow:  # UTC days, every platform: the limit is the deployment's
        refused = uow.refusals.total(report.current.since.astimezone(UTC).date(),
                                     report.current.until.astimezone(UTC).date())
    text = render(report, ctx.t, refused=refused)
    if not chart:
        return Reply(text)
    drawn = charts.stats_series(report, ctx.t)
    return Reply(text, attachment=Attachment(drawn.title, lambda: str(charts.render_png(drawn))))


def render(report: Report, t: HostTexts, *, refused: int | None = None) -> str:
    """The report's lines in the host's language (rates as percentages, hours with decimals);
    ``refused``: messages the per-guest rate limit refused in the period (a line if any)."""
    now, before = report.current, report.previous
    tz = report.timezone
    days = report.days

    def trend(current: int, previous: int) -> str:
        delta = current - previous
        sign = "+" if delta > 0 else "−" if delta < 0 else "±"
        return t.text("host_stats_trend", delta=f"{sign}{abs(delta)}")

    lines = [
        t.text("host_stats_title", days=t.plural("host_n_days", days),
               day=t.day(now.until, tz), tz=tz),
        t.text("host_stats_made", count=now.made, per_day=t.number(now.made / days, 2),
               trend=trend(now.made, before.made)),
        t.text("host_stats_cancelled", count=now.cancellations,
               trend=trend(now.cancellations, before.cancellations)),
        t.text("host_stats_rescheduled", count=now.reschedules,
               trend=trend(now.reschedules, before.reschedules)),
        t.text("host_stats_completion", rate=t.percent(now.completion_rate),
               scheduled=t.plural("host_n_meetings", now.scheduled)),
        t.text("host_stats_no_show", rate=t.percent(now.no_show_rate)),
        t.text("host_stats_lead", lead=lead(t, now.lead_minutes) if now.lead_minutes is not None
               else t.text("host_stats_none")),
        t.text("host_stats_utilization", rate=t.percent(now.utilization),
               booked=t.number(now.booked_minutes / 60),
               available=t.number(now.available_minutes / 60)),
        t.text("host_stats_busiest", hours=_busiest(now, t, tz)),
    ]
    if report.takes_payments:
        lines += revenue_lines(report, t)
    if refused:  # a quiet period says nothing of it
        lines.append(t.text("host_stats_refused", count=refused))
    return "\n".join(lines)


def revenue_lines(report: Report, t: HostTexts) -> list[str]:
    """``Revenue: €160.00 (2 payments, €0.00 refunded); previous period: €80.00``, then one
    line per event type that had money (amounts in the host's locale, per currency)."""
    now, before = report.current.revenue, report.previous.revenue
    lines = [t.text("host_stats_revenue", net=amounts(t, now.total, "net", report.currency),
                    payments=t.plural("host_n_payments", sum(m.payments for m in now.total)),
                    refunded=amounts(t, now.total, "refunded", report.currency),
                    before=amounts(t, before.total, "net", report.currency))]
    lines += [t.text("host_stats_revenue_type", title=title,
                     net=amounts(t, money, "net", report.currency),
                     payments=t.plural("host_n_payments", sum(m.payments for m in money)))
              for title, money in now.by_event_type]
    return lines


def amounts(t: HostTexts, money: tuple[Money, ...], which: str, currency: str | None) -> str:
    """``€160.00`` (``€160.00 + US$50.00`` with several currencies) of ``which`` (``net``,
    ``paid`` or ``refunded``); nothing in ``currency`` (or "–") when there is no money."""
    if not money:
        return t.money(0, currency) if currency else t.text("host_stats_none")
    return " + ".join(t.money(getattr(m, which), m.currency) for m in money)


def _busiest(period: Period, t: HostTexts, tz: str) -> str:
    if not period.busiest_hours:
        return t.text("host_stats_none")
    return ", ".join(f"{t.wall(time(hour))} ({count})" for hour, count in period.busiest_hours)
