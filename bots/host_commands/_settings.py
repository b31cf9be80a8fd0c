"""Host commands on the host's own settings: digest, language."""

from __future__ import annotations

from datetime import time

from bots.host_commands._base import Ctx, texts_for
from bots.locales import LANGUAGES
from bots.messages import Reply
from core import digests, host_settings


def digest(ctx: Ctx) -> Reply:
    if len(ctx.args) != 1:
        return ctx.usage("digest")
    word = ctx.args[0].lower()
    enabled: bool | None = {"on": True, "off": False}.get(word)
    at: time | None = None
    if enabled is None:
        try:
            at = time.fromisoformat(word)
        except ValueError:
            return ctx.usage("digest")
        if at.second or at.microsecond:
            return ctx.usage("digest")
    updated = digests.set_digest(ctx.host.handle, uow=ctx.uow_factory(), enabled=enabled, at=at)
    if not updated.digest_enabled:
        return ctx.say("host_digest_off")
    when = updated.digest_time or digests.DEFAULT_TIME
    return ctx.say("host_digest_on", time=ctx.t.wall(when), tz=updated.timezone)


def language(ctx: Ctx) -> Reply:
    """``language de`` (or ``en-US``, ``pt-BR``): host messages in that language."""
    tag = ctx.args[0].replace("_", "-") if len(ctx.args) == 1 else ""
    base = tag[:2].lower()
    if base not in LANGUAGES or len(tag) not in (2, 5):
        return ctx.usage("language")
    tag = base if len(tag) == 2 else f"{base}-{tag[3:].upper()}"
    host_settings.set_locale(ctx.host.handle, tag, uow=ctx.uow_factory())
    return Reply(texts_for(tag).text("host_language_set"))
