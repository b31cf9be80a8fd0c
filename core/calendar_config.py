"""The ``calendars:`` entries of a host in the setup file (DESIGN 3.2) → :class:`Calendar`.

Pure: no I/O. Each entry names exactly one kind::

    calendars:
      - google: primary                 # after `slotbot google connect HANDLE`
        write: true                     # receives bookings (default: the first writable)
      - caldav: https://dav.example.com/ana/work/
        username: ana
        password_env: ANA_CALDAV_PASSWORD   # the variable's name, never the secret
      - ics: https://example.com/ana-private.ics   # read-only busy feed
        busy: true                      # false: write-only (its events do not block)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from core.models import Calendar, CalendarKind

#: Keys an entry may have besides its kind.
OPTIONS = {
    CalendarKind.GOOGLE: {"write", "busy"},
    CalendarKind.CALDAV: {"write", "busy", "username", "password_env"},
    CalendarKind.ICS: {"busy"},
}
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class CalendarEntryError(ValueError):
    """One calendar entry is malformed; the message starts with its path."""


def parse_calendars(raw: Any, where: str) -> list[Calendar]:
    """Validate a host's ``calendars:`` list and build its calendars.

    When no entry says ``write: true``, the first Google or CalDAV entry (not
    marked ``write: false``) receives bookings.

    Args:
        raw: the decoded value of ``calendars:`` (None: no calendars).
        where: the path of the list in the file, e.g. ``hosts[0].calendars``.

    Raises:
        CalendarEntryError: naming the faulty entry (``hosts[0].calendars[1].password_env``).
    """
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CalendarEntryError(f"{where}: expected a list of calendars")
    calendars = [_entry(item, f"{where}[{i}]", i) for i, item in enumerate(raw)]
    keys = [c.key for c in calendars]
    if len(set(keys)) != len(keys):
        raise CalendarEntryError(f"{where}: the same calendar is listed twice")
    explicit = [c for c in calendars if c.write]
    if len(explicit) > 1:
        raise CalendarEntryError(f"{where}: only one calendar may say write: true")
    if not explicit:
        first = next((c for i, c in enumerate(calendars) if c.kind is not CalendarKind.ICS
                      and raw[i].get("write") is not False), None)
        if first is not None:
            first.write = True
    return calendars


def _entry(raw: Any, where: str, position: int) -> Calendar:
    if not isinstance(raw, Mapping):
        raise CalendarEntryError(f"{where}: expected a mapping like {{ics: https://…}}")
    kinds = [k for k in CalendarKind if k.value in raw]
    if len(kinds) != 1:
        raise CalendarEntryError(f"{where}: name exactly one of google, caldav or ics")
    kind = kinds[0]
    unknown = sorted(set(raw) - {kind.value} - OPTIONS[kind])
    if unknown:
        allowed = ", ".join(sorted(OPTIONS[kind]))
        raise CalendarEntryError(f"{where}.{unknown[0]}: not a {kind.value} option ({allowed})")
    address = raw[kind.value]
    if not isinstance(address, str) or not address.strip():
        raise CalendarEntryError(f"{where}.{kind.value}: expected a calendar id or URL")
    address = address.strip()
    if kind is not CalendarKind.GOOGLE and not address.startswith(("https://", "http://")):
        raise CalendarEntryError(f"{where}.{kind.value}: {address!r} is not an http(s) URL")
    flags = {name: raw.get(name, default) for name, default in (("write", False), ("busy", True))}
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise CalendarEntryError(f"{where}.{name}: expected true or false")
    username, password_env = raw.get("username"), raw.get("password_env")
    if kind is CalendarKind.CALDAV:
        if not isinstance(username, str) or not username:
            raise CalendarEntryError(f"{where}.username: a CalDAV calendar needs a username")
        if not isinstance(password_env, str) or not _ENV_NAME.fullmatch(password_env):
            raise CalendarEntryError(
                f"{where}.password_env: the name of an environment variable holding the "
                "password (like ANA_CALDAV_PASSWORD), never the password itself")
    if not flags["busy"] and not flags["write"] and kind is CalendarKind.ICS:
        raise CalendarEntryError(f"{where}.busy: an ICS feed with busy: false does nothing")
    return Calendar(kind=kind, address=address, username=username, password_env=password_env,
                    write=flags["write"], busy=flags["busy"], position=position)
