"""Host commands on working hours and time off: hours, off, on."""

from __future__ import annotations

from bots.host_commands import _dates
from bots.host_commands._base import Ctx, day_span
from bots.messages import Reply
from core import host_settings, services
from core.errors import SlotbotError
from core.models import Host


def hours(ctx: Ctx) -> Reply:
    """``hours`` shows the week; ``hours mon-fri 9-12, 13-17`` / ``hours sat off`` change it."""
    if not ctx.args:
        return Reply(_week(ctx, ctx.host))
    days = _dates.weekdays(ctx.args[0], ctx.t.lang)
    if days is None:
        return ctx.say("host_hours_bad",
                       error=ctx.t.text("host_hours_unreadable", part=ctx.args[0]))
    text = " ".join(ctx.args[1:])
    try:
        intervals = _dates.intervals(text)
    except ValueError as exc:
        return ctx.say("host_hours_bad", error=ctx.t.text("host_hours_unreadable", part=exc))
    try:
        host = host_settings.set_working_hours(ctx.host.handle, days, intervals,
                                               uow=ctx.uow_factory())
    except ValueError:
        return ctx.say("host_hours_bad", error=ctx.t.text("host_hours_invalid", hours=text))
    names = ", ".join(ctx.t.day_name(d) for d in days)
    return Reply(ctx.t.text("host_hours_set", days=names) + "\n" + _week(ctx, host))


def off(ctx: Ctx) -> Reply:
    """``off`` lists time off ahead; ``off dec 24-26`` adds days off."""
    today = ctx.now().astimezone(ctx.host.zone).date()
    if not ctx.args:
        runs = host_settings.time_off(ctx.host, today)
        if not runs:
            return ctx.say("host_off_none")
        return Reply("\n".join([ctx.t.text("host_off", tz=ctx.tz),
                                *(ctx.t.text("host_off_line", span=day_span(ctx.t, a, b))
                                  for a, b in runs)]))
    text = " ".join(ctx.args)
    found = _dates.days(text, ctx.host, ctx.now(), ctx.t.lang)
    if found is None:
        return ctx.say("host_off_bad", text=text)
    try:
        dates = services.add_time_off(ctx.host.handle, *found, uow=ctx.uow_factory())
    except (ValueError, SlotbotError) as exc:
        return Reply(f"{exc}. " + ctx.t.text("host_off_bad", text=text))
    return ctx.say("host_off_set", span=day_span(ctx.t, dates[0], dates[-1]), tz=ctx.tz)


def on(ctx: Ctx) -> Reply:
    """``on dec 25`` removes time off."""
    text = " ".join(ctx.args)
    found = _dates.days(text, ctx.host, ctx.now(), ctx.t.lang) if text else None
    if found is None:
        return ctx.usage("on")
    freed = host_settings.remove_time_off(ctx.host.handle, *found, uow=ctx.uow_factory())
    span = day_span(ctx.t, *found)
    if not freed:
        return ctx.say("host_on_none", span=span)
    host = services.get_host(ctx.host.handle, uow=ctx.uow_factory())
    weekday = freed[0].weekday()
    return ctx.say("host_on_set", span=day_span(ctx.t, freed[0], freed[-1]),
                   hours=_day_hours(ctx, host, weekday))


def _week(ctx: Ctx, host: Host) -> str:
    lines = [ctx.t.text("host_hours", tz=host.timezone)]
    lines += [ctx.t.text("host_hours_line", day=ctx.t.day_name(d), hours=_day_hours(ctx, host, d))
              for d in range(7)]
    return "\n".join(lines)


def _day_hours(ctx: Ctx, host: Host, weekday: int) -> str:
    rules = [r for r in host.working_hours if r.weekday == weekday]
    if not rules:
        return ctx.t.text("host_hours_off")
    return ", ".join(f"{ctx.t.wall(r.start)}–{ctx.t.wall(r.end)}" for r in rules)
