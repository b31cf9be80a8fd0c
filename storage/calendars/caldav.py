"""CalDAV calendars through the ``caldav`` library: busy time in, booking events out.

* Busy in: a time-range ``calendar-query`` (RFC 4791 7.8) for the window;
  the raw events are expanded here (:mod:`storage.calendars.events`), so
  recurrences, all-day events, transparent and declined events and Slotbot's
  own events are treated exactly as in an ICS feed (a free-busy REPORT would
  hide which events are Slotbot's own). The collection's ETag (its ctag) is
  the validator: unchanged, nothing is downloaded.
* Events out: ``PUT`` of a ``VEVENT`` whose UID is the booking chain's stable
  UID, at ``<collection>/<uid>.ics``; ``DELETE`` of it on cancel.
* Two-way: when the collection's ETag moved, each booking event is fetched
  again; a 404 is a deletion, another start or end a move.

The password is read from the environment variable the setup file names
(``password_env``) at each use, never stored or logged.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote

import caldav
from caldav.elements import dav
from caldav.lib.error import AuthorizationError, DAVError

from core.models import Calendar, Host
from storage.calendars.events import BadCalendarData, busy_intervals, parse
from storage.calendars.fetch import CalendarDown, CalendarRefused, Fetched
from storage.calendars.ical_out import booking_ical
from storage.calendars.writer import BookingEvent, Change, StoredEvent


class CaldavCalendars:
    """Implements :class:`~storage.calendars.fetch.Fetcher` and
    :class:`~storage.calendars.writer.Writer` for ``caldav:`` calendars.

    Args:
        timeout: seconds for each HTTP request.
        environ: where ``password_env`` is looked up (default ``os.environ``).
    """

    def __init__(self, *, timeout: float = 10.0, environ: Mapping[str, str] | None = None
                 ) -> None:
        self._timeout = timeout
        self._environ = os.environ if environ is None else environ

    def fetch(self, calendar: Calendar, host: Host, start: datetime, end: datetime,
              validator: str | None) -> Fetched:
        _, collection = self._open(calendar)
        with _errors():
            ctag = _ctag(collection)
            if validator is not None and ctag is not None and ctag == validator:
                return Fetched(None, validator)
            objects = collection.search(start=start, end=end, event=True)
            calendars = [parse(o.data) for o in objects]
        try:
            found = busy_intervals(calendars, start, end, zone=host.timezone,
                                   host_email=host.email)
        except BadCalendarData as exc:
            raise CalendarDown(f"calendar data is not iCalendar: {exc}") from None
        return Fetched(found, ctag)

    def put(self, calendar: Calendar, event: BookingEvent, existing: StoredEvent | None
            ) -> tuple[str, str | None]:
        client, _ = self._open(calendar)
        href = existing.remote_id if existing else _href(calendar, event.uid)
        with _errors():
            response = client.put(href, booking_ical(event).decode(),
                                  {"Content-Type": "text/calendar; charset=utf-8"})
        etag = response.headers.get("ETag")
        if response.status == 200 and not etag:  # a real store answers 201/204 or tags it
            raise CalendarDown("unexpected answer to PUT (HTTP 200 without an ETag)")
        if response.status not in (200, 201, 204):
            raise _status_error(response.status)
        return href, etag

    def delete(self, calendar: Calendar, existing: StoredEvent) -> None:
        client, _ = self._open(calendar)
        with _errors():
            response = client.request(existing.remote_id, "DELETE")
        if response.status not in (200, 204, 404, 410):
            raise _status_error(response.status)

    def changes(self, calendar: Calendar, events: list[StoredEvent], validator: str | None
                ) -> tuple[list[Change], str | None]:
        """The booking events deleted or moved since ``validator`` (the last ctag seen).

        Returns:
            The changes and the ctag to keep for next time.

        Raises:
            CalendarDown, CalendarRefused.
        """
        client, collection = self._open(calendar)
        with _errors():
            ctag = _ctag(collection)
            if not events or (validator is not None and ctag == validator):
                return [], ctag
            found: list[Change] = []
            for event in events:
                response = client.request(event.remote_id, "GET")
                if response.status in (404, 410):
                    found.append(Change(event, "deleted"))
                    continue
                if response.status != 200:
                    raise _status_error(response.status)
                if event.etag and response.headers.get("ETag") == event.etag:
                    continue
                span = _span_of(response.raw, event.uid)
                if span is None:
                    found.append(Change(event, "deleted"))
                elif span != (event.start, event.end):
                    found.append(Change(event, "moved", *span))
        return found, ctag

    def _open(self, calendar: Calendar) -> tuple[caldav.DAVClient, caldav.Calendar]:
        name = calendar.password_env or ""
        password = self._environ.get(name)
        if not password:
            raise CalendarRefused(f"the password variable {name} is not set")
        client = caldav.DAVClient(url=calendar.address, username=calendar.username,
                                  password=password, timeout=int(max(self._timeout, 1)),
                                  rate_limit_handle=False)
        return client, client.calendar(url=calendar.address)


class _errors:
    """Turns the library's and the network's exceptions into calendar errors."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> bool:
        if exc is None or isinstance(exc, CalendarDown):
            return False
        if isinstance(exc, AuthorizationError):
            raise CalendarRefused("the CalDAV server refused the username or password"
                                  ) from None
        if isinstance(exc, BadCalendarData):
            raise CalendarDown(f"calendar data is not iCalendar: {exc}") from None
        if isinstance(exc, DAVError):
            raise CalendarDown(f"CalDAV error ({type(exc).__name__})") from None
        if isinstance(exc, Exception):
            raise CalendarDown(f"CalDAV server unreachable ({type(exc).__name__})") from None
        return False


def _ctag(collection: caldav.Calendar) -> str | None:
    value = collection.get_properties([dav.GetEtag()]).get(dav.GetEtag.tag)
    return str(value) if value else None


def _href(calendar: Calendar, uid: str) -> str:
    return calendar.address.rstrip("/") + "/" + quote(uid, safe="") + ".ics"


def _status_error(status: int) -> CalendarDown:
    if status in (401, 403):
        return CalendarRefused(f"the CalDAV server refused the credentials (HTTP {status})")
    return CalendarDown(f"CalDAV HTTP {status}")


def _span_of(data: str | bytes, uid: str) -> tuple[datetime, datetime] | None:
    """The start and end (UTC) of the event ``uid`` in a calendar resource, if present."""
    try:
        calendar = parse(data)
    except BadCalendarData:
        return None
    for event in calendar.walk("VEVENT"):
        if str(event.get("UID")) == uid and event.get("DTSTART") and event.get("DTEND"):
            start, end = event["DTSTART"].dt, event["DTEND"].dt
            if isinstance(start, datetime) and isinstance(end, datetime):
                return start.astimezone(UTC), end.astimezone(UTC)
    return None
