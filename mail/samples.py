"""Sample facts of every notice kind a host may override, for checking templates at load.

:func:`contexts` renders each kind's variables (:func:`mail.render.context`)
for a host reader and a guest reader, with every optional fact present (a
reason, the previous time, signed links, a brand), so that a template which
fails on real facts fails here first.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bots import notices
from mail.host_mail import VARIABLES, HostMail
from mail.render import context

_BOOKING: dict[str, Any] = {
    "booking_id": 12, "host": "ana", "host_name": "Ana Lima", "host_timezone": "Europe/Berlin",
    "host_locale": "en", "event_type": "Intro call", "guest_name": "Erin",
    "guest_timezone": "America/New_York", "guest_locale": "en",
    "start": "2026-12-01T15:00:00+00:00", "end": "2026-12-01T15:30:00+00:00",
    "status": "confirmed", "reason": "a sample reason",
    "previous_start": "2026-11-30T15:00:00+00:00", "minutes_before": 1440,
    "links": {"move": "https://slotbot.example/l/move", "cancel": "https://slotbot.example/l/c"},
}
_BRAND = HostMail(name="Sample Studio", color="#0b7285", logo_url="https://example.com/logo.png")


@cache
def contexts() -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, reader) -> the template variables of a sample email, for every kind and reader."""
    found = {}
    for kind in VARIABLES:
        for reader in ("host", "guest"):
            payload = {**_BOOKING, "reader": reader}
            found[kind, reader] = context(kind, payload, notices.texts_for(payload), _BRAND)
    return found
