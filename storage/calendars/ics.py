"""Read-only ICS feeds (Outlook, iCloud and Google publish them): busy time by HTTP GET.

The GET is conditional (``If-None-Match`` / ``If-Modified-Since`` with the
last answer's ``ETag`` / ``Last-Modified``); a 304 keeps the cached busy time.
"""

from __future__ import annotations

import json
from datetime import datetime

import httpx

from core.models import Calendar, Host
from storage.calendars.events import BadCalendarData, busy_intervals, parse
from storage.calendars.fetch import CalendarDown, Fetched
from storage.calendars.http import down_from_status, retry_after


class IcsFetcher:
    """Implements :class:`storage.calendars.fetch.Fetcher` for ``ics:`` feeds.

    Args:
        timeout: seconds for connecting and for each read.
    """

    def __init__(self, *, timeout: float = 10.0) -> None:
        self._client = httpx.Client(timeout=timeout, follow_redirects=True)

    def fetch(self, calendar: Calendar, host: Host, start: datetime, end: datetime,
              validator: str | None) -> Fetched:
        headers = {"Accept": "text/calendar"}
        known = json.loads(validator) if validator else {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        try:
            response = self._client.get(calendar.address, headers=headers)
        except httpx.HTTPError as exc:
            raise CalendarDown(f"feed unreachable: {type(exc).__name__}") from None
        if response.status_code == 304 and known:
            return Fetched(None, validator)
        if response.status_code != 200:
            raise down_from_status(response.status_code, retry_after(response.headers))
        try:
            intervals = busy_intervals([parse(response.content)], start, end,
                                       zone=host.timezone, host_email=host.email)
        except BadCalendarData as exc:
            raise CalendarDown(f"feed is not iCalendar: {exc}") from None
        fresh = {k: v for k, v in (("etag", response.headers.get("ETag")),
                                   ("last_modified", response.headers.get("Last-Modified")))
                 if v}
        return Fetched(intervals, json.dumps(fresh) if fresh else None)
