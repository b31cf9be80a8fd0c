"""Host commands on event types and links: types, type, new type, link."""

from __future__ import annotations

from bots.host_commands import _dates
from bots.host_commands._base import Ctx
from bots.host_texts import HostTexts
from bots.messages import Reply
from core import host_settings
from core.errors import EventTypeNotFound
from core.models import EventType

_ON = {"on", "yes", "an", "ja", "ein", "sí", "si", "oui", "sim", "true", "1"}
_OFF = {"off", "no", "aus", "nein", "non", "não", "nao", "false", "0"}
#: ``type SLUG SETTING VALUE``: setting word -> (field, unit of a bare number, example).
_SETTINGS = {
    "duration": ("duration", "", "/slotbot type intro duration 45"),
    "buffer": ("buffer_after", "", "/slotbot type intro buffer 10"),
    "notice": ("minimum_notice", "", "/slotbot type intro notice 2h"),
    "window": ("booking_window", "d", "/slotbot type intro window 30d"),
    "seats": ("seats", "", "/slotbot type intro seats 3"),
}


def types(ctx: Ctx) -> Reply:
    lines = [ctx.t.text("host_types")]
    lines += [ctx.t.text("host_type_line", slug=e.slug, title=e.title, details=details(ctx.t, e))
              for e in ctx.host.event_types]
    return Reply("\n".join(lines))


def type_(ctx: Ctx) -> Reply:
    """``type intro duration 45`` … ``type intro confirm on``, ``type intro hide``."""
    if len(ctx.args) < 2:
        return ctx.usage("type")
    slug, setting, values = ctx.args[0].lower(), ctx.args[1].lower(), ctx.args[2:]
    if ctx.host.event_type(slug) is None:
        return _unknown(ctx, slug)
    changes: dict[str, int | bool] = {}
    if setting in ("hide", "show"):
        changes["hidden"] = setting == "hide"
    elif setting == "confirm" and values and values[0].lower() in _ON | _OFF:
        changes["requires_confirmation"] = values[0].lower() in _ON
    elif setting == "buffer" and len(values) == 2 and values[0].lower() in ("before", "after"):
        amount = _dates.minutes(values[1])
        if amount is None:
            return _bad(ctx, setting, values[1], _SETTINGS["buffer"][2])
        changes[f"buffer_{values[0].lower()}"] = amount
    elif setting in _SETTINGS and len(values) == 1:
        field, unit, example = _SETTINGS[setting]
        amount = _dates.minutes(values[0], unit)
        if amount is None:
            return _bad(ctx, setting, values[0], example)
        changes[field] = amount // 1440 if field == "booking_window" else amount
    else:
        return ctx.usage("type")
    try:
        event_type = host_settings.update_event_type(ctx.host.handle, slug,
                                                     uow=ctx.uow_factory(), **changes)
    except ValueError as exc:
        example = _SETTINGS.get(setting, ("", "", "/slotbot help type"))[2]
        return _bad(ctx, setting, " ".join(values), f"{example} ({exc})")
    except EventTypeNotFound:
        return _unknown(ctx, slug)
    if "hidden" in changes:
        return ctx.say("host_type_hide" if changes["hidden"] else "host_type_show",
                       title=event_type.title)
    return ctx.say("host_type_set", title=event_type.title, details=details(ctx.t, event_type))


def new(ctx: Ctx) -> Reply:
    """``new type coaching "Coaching session" 60``."""
    args = ctx.args[1:] if ctx.args and ctx.args[0].lower() == "type" else ctx.args
    if len(args) < 3:
        return ctx.usage("new")
    slug, title, length = args[0].lower(), " ".join(args[1:-1]), _dates.minutes(args[-1])
    if length is None:
        return ctx.usage("new")
    if not host_settings.SLUG.match(slug):
        return ctx.say("host_type_slug_bad", slug=slug)
    try:
        event_type = host_settings.create_event_type(ctx.host.handle, slug, title, length,
                                                     uow=ctx.uow_factory())
    except host_settings.EventTypeExists:
        return ctx.say("host_type_exists", slug=slug)
    except ValueError as exc:
        return Reply(f"{exc}. " + ctx.t.text("host_usage", usage=ctx.t.text("host_use_new")))
    link = ctx.links.telegram(ctx.host.handle, slug) or ctx.links.slack()
    key = "host_type_created" if link else "host_type_created_nolink"
    return ctx.say(key, slug=slug, title=event_type.title, minutes=event_type.duration,
                   link=link)


def link(ctx: Ctx) -> Reply:
    """``link [TYPE]``: deep links for Telegram, the bot's DM on Slack."""
    host = ctx.host
    slug = ctx.args[0].lower() if ctx.args else None
    if slug is not None and host.event_type(slug) is None:
        return _unknown(ctx, slug)
    wanted = [e for e in host.event_types if slug is None or e.slug == slug]
    lines = []
    general = ctx.links.telegram(host.handle)
    if general and slug is None:
        lines.append(ctx.t.text("host_link_line", title=ctx.t.text("host_link_all"), url=general))
    for event_type in wanted:
        url = ctx.links.telegram(host.handle, event_type.slug)
        if url:
            lines.append(ctx.t.text("host_link_line", title=_title(ctx.t, event_type), url=url))
    slack = ctx.links.slack()
    if slack:
        title = wanted[0].title if slug else host.event_types[0].title if host.event_types else ""
        lines.append(ctx.t.text("host_link_line", url=slack,
                                title=ctx.t.text("host_link_slack", title=title, host=host.name)))
    if not lines:
        return ctx.say("host_links_none")
    return Reply("\n".join([ctx.t.text("host_links"), *lines]))


def details(t: HostTexts, e: EventType) -> str:
    """``30 min, buffer 0/10 min, notice 2 h, window 60 days, 1 seat`` (+ confirmation, hidden)."""
    parts = [t.text("host_minutes", count=e.duration)]
    if e.buffer_before or e.buffer_after:
        parts.append(t.text("host_buffer", before=e.buffer_before, after=e.buffer_after))
    if e.minimum_notice:
        parts.append(t.text("host_notice", value=lead(t, e.minimum_notice)))
    parts.append(t.text("host_window", value=t.plural("host_n_days_plain", e.booking_window)))
    parts.append(t.plural("host_n_seats", e.seats))
    if e.requires_confirmation:
        parts.append(t.text("host_confirm_on"))
    if e.hidden:
        parts.append(t.text("host_hidden"))
    return ", ".join(parts)


def lead(t: HostTexts, minutes: float) -> str:
    """``2 h``, ``1,5 h``, ``3 days``, ``45 min`` for a span of minutes."""
    if minutes >= 2 * 1440:
        return t.text("host_lead_days", value=t.number(minutes / 1440))
    if minutes >= 60:
        return t.text("host_lead_hours", value=t.number(minutes / 60))
    return t.text("host_minutes", count=round(minutes))


def _title(t: HostTexts, e: EventType) -> str:
    return f"{e.title} ({t.text('host_hidden')})" if e.hidden else e.title


def _unknown(ctx: Ctx, slug: str) -> Reply:
    return ctx.say("host_type_unknown", slug=slug,
                   slugs=", ".join(e.slug for e in ctx.host.event_types))


def _bad(ctx: Ctx, setting: str, value: str, example: str) -> Reply:
    return ctx.say("host_type_bad", setting=setting, value=value, example=example)
