"""What every host command gets (:class:`Ctx`), the links it may print, and shared wording."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import TypeVar

from bots.host_texts import HostTexts
from bots.messages import Reply
from core.models import Booking, Host
from core.ports import Clock, UnitOfWorkFactory
from core.services import BookingView


@dataclass(frozen=True)
class Links:
    """Where guests book: the Telegram bot's username and the Slack app, each found lazily.

    Args:
        telegram_username: returns the bot's username without ``@`` (a setting,
            or ``getMe``), or None when there is no Telegram bot.
        slack_app: returns ``(team id, app id)`` of the Slack app (a setting, or
            ``auth.test`` + ``bots.info``), or None.
    """

    telegram_username: Callable[[], str | None] = lambda: None
    slack_app: Callable[[], tuple[str, str] | None] = lambda: None

    def telegram(self, handle: str, slug: str | None = None) -> str | None:
        """``https://t.me/<bot>?start=ana`` (or ``ana-intro``); None without a bot."""
        username = self.telegram_username()
        if not username:
            return None
        return f"https://t.me/{username}?start={handle}{'-' + slug if slug else ''}"

    def slack(self) -> str | None:
        """A link that opens the app's DM in Slack, or None."""
        app = self.slack_app()
        return f"https://slack.com/app_redirect?team={app[0]}&app={app[1]}" if app else None


T = TypeVar("T")


def cached(lookup: Callable[[], T | None]) -> Callable[[], T | None]:
    """``lookup`` called until it gives an answer, which is then kept (for the process)."""
    found: list[T] = []

    def get() -> T | None:
        if not found:
            value = lookup()
            if value:
                found.append(value)
        return found[0] if found else None

    return get


@dataclass
class Ctx:
    """One host command being run: who, its words, and what it may use."""

    host: Host
    args: list[str]
    uow_factory: UnitOfWorkFactory
    clock: Clock
    links: Links = field(default_factory=Links)
    platform: str = "console"

    @property
    def t(self) -> HostTexts:
        return texts_for(self.host.locale)

    @property
    def tz(self) -> str:
        return self.host.timezone

    def now(self) -> datetime:
        return self.clock()

    def say(self, key: str, **fields: object) -> Reply:
        return Reply(self.t.text(key, **fields))

    def usage(self, command: str) -> Reply:
        return Reply(self.t.text("host_usage", usage=self.t.text(f"host_use_{command}")))


@cache
def texts_for(locale: str | None) -> HostTexts:
    return HostTexts(locale)


def local_midnight(now: datetime, host: Host) -> datetime:
    local = now.astimezone(host.zone)
    return datetime.combine(local.date(), time(0), tzinfo=host.zone)


def day_start(day: date, host: Host) -> datetime:
    """Midnight starting the local ``day`` in the host's zone."""
    return datetime.combine(day, time(0), tzinfo=host.zone)


def booking_id(args: list[str]) -> int | None:
    """The ``#12`` or ``12`` first word, or None."""
    if not args or not args[0].lstrip("#").isdigit():
        return None
    return int(args[0].lstrip("#"))


def status_word(t: HostTexts, booking: Booking) -> str:
    return t.text(f"host_status_{booking.status.value}")


def line(view: BookingView, t: HostTexts, tz: str, *, show_confirmed: bool = False) -> str:
    """``10:00–10:30 Intro call with Carla #12 (pending)`` in the host's zone."""
    b = view.booking
    shown = b.status.value != "confirmed" or show_confirmed
    return t.text("host_line", start=t.clock(b.start, tz), end=t.clock(b.end, tz),
                  title=view.event_type.title, guest=guest_name(view, t), id=b.id,
                  status=t.text("host_status", status=status_word(t, b)) if shown else "")


def guest_name(view: BookingView, t: HostTexts) -> str:
    return view.guest.name or t.text("host_a_guest")


def day_span(t: HostTexts, first: date, last: date) -> str:
    """``Thu 24 Dec 2026`` or ``Thu 24 Dec – Sat 26 Dec 2026``."""
    end = t.date(last, year=True)
    return end if first == last else f"{t.date(first, year=first.year != last.year)} – {end}"


WEEK = timedelta(days=7)
