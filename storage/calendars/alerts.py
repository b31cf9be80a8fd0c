"""Messages to a host about their calendars, written to the outbox (delivered like any notice).

Payloads carry facts only; ``bots.notices`` words them. A calendar is named
by its kind and server, never its full address (feed URLs often embed a
secret token) and never a password.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from core.models import Calendar, CalendarKind, Host, OutboxMessage


def calendar_label(calendar: Calendar) -> str:
    """``caldav dav.example.com`` / ``google primary``: safe to show and log."""
    if calendar.kind is CalendarKind.GOOGLE:
        return f"google {calendar.address}"
    return f"{calendar.kind.value} {urlsplit(calendar.address).hostname or '?'}"


def host_channels(host: Host) -> list[tuple[str, str]]:
    """The host's (channel, recipient) pairs, as ``core.notifications.notify_host`` uses."""
    return [(channel, recipient) for channel, recipient in (
        ("telegram", host.telegram_user_id), ("slack", host.slack_user_id),
        ("email", host.email)) if recipient]


def tell_host(session: Session, host: Host, kind: str, now: datetime, /,
              **facts: object) -> None:
    """Queue ``kind`` with ``facts`` to each of the host's channels."""
    payload = {"reader": "host", "host": host.handle, "host_name": host.name,
               "host_timezone": host.timezone, **facts}
    session.add_all([OutboxMessage(channel, recipient, kind, dict(payload), created_at=now)
                     for channel, recipient in host_channels(host)])


def tell_host_down(session: Session, host: Host, calendar: Calendar, error: str,
                   now: datetime) -> None:
    """The calendar cannot be checked: no times are offered until it answers again."""
    tell_host(session, host, "calendar_down", now, calendar=calendar_label(calendar),
              error=error)
