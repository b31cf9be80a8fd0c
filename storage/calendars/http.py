"""HTTP answers → calendar errors (shared by the ICS and Google clients)."""

from __future__ import annotations

from collections.abc import Mapping

from storage.calendars.fetch import CalendarDown, CalendarRefused


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The ``Retry-After`` header in seconds (only the delay form), if present."""
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


def down_from_status(status: int, delay: float | None = None) -> CalendarDown:
    """The error for an unsuccessful HTTP status (401/403: refused credentials)."""
    if status in (401, 403):
        return CalendarRefused(f"the server refused the credentials (HTTP {status})")
    if status == 429:
        return CalendarDown("rate limited (HTTP 429)", delay)
    return CalendarDown(f"HTTP {status}", delay)
