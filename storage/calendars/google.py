"""Google Calendar through google-api-python-client (Calendar API v3).

* Busy in: ``freebusy.query`` for one calendar per call (the API takes at most
  :data:`MAX_FREEBUSY_CALENDARS`), the window cut into spans of at most
  :data:`MAX_FREEBUSY_DAYS` days. Free/busy cannot tell which events are
  Slotbot's own, so the spans of the booking events Slotbot wrote to the
  calendar are taken out again (the booking itself holds that time).
* Events out: ``events.insert`` (with the invitation's UID as ``iCalUID``),
  ``events.patch`` on reschedule, ``events.delete`` on cancel; ``sendUpdates``
  per setting.
* Two-way: ``events.list`` with the ``syncToken`` of the last check; an event
  of a booking that comes back ``cancelled`` was deleted, another start or end
  is a move. A 410 (token expired) starts over with a full list.

The service is built from the library's static discovery document with its
endpoint set by ``api_url`` (tests point it at a loopback server). Access
tokens refresh automatically (google-auth) against ``token_url``; Google's
``invalid_grant`` marks the grant revoked and tells the host once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import google_auth_httplib2
import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build_from_document
from googleapiclient.discovery_cache import get_static_doc
from googleapiclient.errors import HttpError
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Calendar, Host, Interval
from core.ports import Clock
from storage.calendars.alerts import calendar_label, tell_host
from storage.calendars.events import merge
from storage.calendars.fetch import (
    CalendarDisconnected,
    CalendarDown,
    CalendarRefused,
    Fetched,
)
from storage.calendars.google_grants import GrantStore
from storage.calendars.writer import BookingEvent, Change, StoredEvent
from storage.orm import calendar_events, hosts

#: Calendars one freebusy.query may name (Google: ``calendarExpansionMax`` 50).
MAX_FREEBUSY_CALENDARS = 50
#: Longest span one freebusy.query asks for, in days.
MAX_FREEBUSY_DAYS = 60
#: OAuth scopes: free/busy and the events Slotbot writes.
SCOPES = ["https://www.googleapis.com/auth/calendar.freebusy",
          "https://www.googleapis.com/auth/calendar.events"]


class GoogleCalendars:
    """Implements :class:`~storage.calendars.fetch.Fetcher` and
    :class:`~storage.calendars.writer.Writer` for ``google:`` calendars.

    Args:
        grants: the hosts' encrypted grants.
        reader: sessions that never wait for the write lock, for the host's data
            (own events); see :func:`~storage.calendars.google_grants.reader_sessions`.
        clock: the current instant (aware).
        client_id, client_secret: the OAuth client (``GOOGLE_CLIENT_ID/SECRET``).
        api_url: the Calendar API root, ``https://www.googleapis.com/calendar/v3/``.
        token_url: the OAuth token endpoint.
        send_updates: ``none``, ``all`` or ``externalOnly`` (who Google emails).
        timeout: seconds per HTTP request.
    """

    def __init__(self, grants: GrantStore, reader: Callable[[], Session], clock: Clock,
                 *, client_id: str | None, client_secret: str | None, api_url: str,
                 token_url: str, send_updates: str = "none", timeout: float = 10.0) -> None:
        self._grants = grants
        self._reader = reader
        self._clock = clock
        self._client = (client_id, client_secret)
        self._api_url = api_url
        self._token_url = token_url
        self._send_updates = send_updates
        self._timeout = timeout
        self._document = json.loads(get_static_doc("calendar", "v3") or "{}")

    # --- busy in -------------------------------------------------------------------------

    def fetch(self, calendar: Calendar, host: Host, start: datetime, end: datetime,
              validator: str | None) -> Fetched:
        spans: list[tuple[datetime, datetime]] = []
        with self._service(host, calendar) as service:
            lo = start
            while lo < end:
                hi = min(end, lo + timedelta(days=MAX_FREEBUSY_DAYS))
                answer = service.freebusy().query(body={
                    "timeMin": _rfc3339(lo), "timeMax": _rfc3339(hi), "timeZone": "UTC",
                    "items": [{"id": calendar.address}]}).execute()
                spans.extend(_busy_of(answer, calendar.address))
                lo = hi
        own = self._own_spans(calendar)
        return Fetched(_without(merge(spans), own))

    # --- events out ----------------------------------------------------------------------

    def put(self, calendar: Calendar, event: BookingEvent, existing: StoredEvent | None
            ) -> tuple[str, str | None]:
        host = self._host(calendar)
        body = _event_body(event)
        with self._service(host, calendar) as service:
            events = service.events()
            if existing is None:
                made = events.insert(calendarId=calendar.address, sendUpdates=self._send_updates,
                                     body={**body, "iCalUID": event.uid}).execute()
            else:
                made = events.patch(calendarId=calendar.address, eventId=existing.remote_id,
                                    sendUpdates=self._send_updates, body=body).execute()
        return str(made["id"]), made.get("etag")

    def delete(self, calendar: Calendar, existing: StoredEvent) -> None:
        host = self._host(calendar)
        try:
            with self._service(host, calendar) as service:
                service.events().delete(calendarId=calendar.address, eventId=existing.remote_id,
                                        sendUpdates=self._send_updates).execute()
        except _Gone:
            return

    def changes(self, calendar: Calendar, events: list[StoredEvent], validator: str | None
                ) -> tuple[list[Change], str | None]:
        """Deleted or moved booking events since the ``syncToken`` ``validator``."""
        host = self._host(calendar)
        by_id = {e.remote_id: e for e in events}
        try:
            items, token = self._list(host, calendar, validator)
        except _Gone:  # the sync token expired: list everything again
            items, token = self._list(host, calendar, None)
        found: list[Change] = []
        for item in items:
            stored = by_id.get(str(item.get("id")))
            if stored is None:
                continue
            if item.get("status") == "cancelled":
                found.append(Change(stored, "deleted"))
                continue
            span = (_instant(item.get("start")), _instant(item.get("end")))
            if None not in span and span != (stored.start, stored.end):
                found.append(Change(stored, "moved", span[0], span[1]))
        return found, token

    # --- plumbing ------------------------------------------------------------------------

    def _list(self, host: Host, calendar: Calendar, token: str | None
              ) -> tuple[list[dict[str, Any]], str | None]:
        items: list[dict[str, Any]] = []
        page: str | None = None
        with self._service(host, calendar) as service:
            while True:
                query: dict[str, Any] = {"calendarId": calendar.address, "pageToken": page,
                                         "showDeleted": True}
                if token:
                    query["syncToken"] = token
                answer = service.events().list(**query).execute()
                items.extend(answer.get("items", []))
                page = answer.get("nextPageToken")
                if not page:
                    return items, answer.get("nextSyncToken")

    @contextmanager
    def _service(self, host: Host, calendar: Calendar) -> Iterator[Any]:
        """A Calendar API client for the host, its errors turned into calendar errors."""
        grant = self._grants.load(host.id or 0)
        if grant is None:
            raise CalendarRefused(f"not connected: run slotbot google connect {host.handle}")
        if grant.invalid_at is not None:
            raise CalendarDisconnected("Google revoked the access: run slotbot google connect "
                                       f"{host.handle}")
        client_id, client_secret = self._client
        expiry = grant.expires_at.astimezone(UTC).replace(tzinfo=None) if grant.expires_at else None
        credentials = Credentials(token=grant.access_token, refresh_token=grant.refresh_token,
                                  token_uri=self._token_url, client_id=client_id,
                                  client_secret=client_secret, scopes=SCOPES, expiry=expiry)
        http = google_auth_httplib2.AuthorizedHttp(credentials,
                                                   http=httplib2.Http(timeout=self._timeout))
        service = build_from_document(self._document, http=http,
                                      client_options={"api_endpoint": self._api_url})
        try:
            yield service
        except RefreshError as exc:
            if "invalid_grant" in str(exc):
                self._revoked(host, calendar)
                raise CalendarDisconnected("Google revoked the access: run slotbot google "
                                           f"connect {host.handle}") from None
            raise CalendarDown("Google token refresh failed") from None
        except HttpError as exc:
            raise _http_error(exc) from None
        except (TransportError, OSError, httplib2.HttpLib2Error) as exc:
            raise CalendarDown(f"Google unreachable ({type(exc).__name__})") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise CalendarDown(f"Google answered garbage ({type(exc).__name__})") from None
        finally:
            if credentials.token and credentials.token != grant.access_token:
                expires = credentials.expiry.replace(tzinfo=UTC) if credentials.expiry else None
                self._grants.remember_access(grant.host_id, credentials.token, expires)

    def _revoked(self, host: Host, calendar: Calendar) -> None:
        def tell(session: Session) -> None:
            tell_host(session, host, "calendar_reconnect", self._clock(),
                      calendar=calendar_label(calendar))

        self._grants.mark_invalid(host.id or 0, self._clock(), tell)

    def settle(self) -> None:
        """Write what the last calls learned (tokens, revoked grants); outside a unit of work."""
        self._grants.settle()

    def _host(self, calendar: Calendar) -> Host:
        with self._reader() as session:
            host = session.scalars(select(Host).where(hosts.c.id == calendar.host_id)).first()
        if host is None:
            raise CalendarRefused("the calendar's host is gone")
        return host

    def _own_spans(self, calendar: Calendar) -> list[tuple[datetime, datetime]]:
        with self._reader() as session:
            rows = session.execute(select(calendar_events.c.start, calendar_events.c.end)
                                   .where(calendar_events.c.calendar_id == calendar.id))
            return [(start, end) for start, end in rows]


class _Gone(CalendarDown):
    """HTTP 404/410: the event (or the sync token) no longer exists."""


def _http_error(exc: HttpError) -> CalendarDown:
    status = int(getattr(exc.resp, "status", 0) or 0)
    if status in (404, 410):
        return _Gone(f"Google HTTP {status}")
    if status in (401, 403) and "rateLimitExceeded" not in str(exc.content):
        return CalendarRefused(f"Google refused the request (HTTP {status})")
    retry = exc.resp.get("retry-after") if hasattr(exc.resp, "get") else None
    try:
        delay = float(retry) if retry is not None else None
    except ValueError:
        delay = None
    return CalendarDown(f"Google HTTP {status}", delay)


def _busy_of(answer: dict[str, Any], calendar_id: str) -> list[tuple[datetime, datetime]]:
    entry = answer["calendars"][calendar_id]
    if entry.get("errors"):
        reason = entry["errors"][0].get("reason", "error")
        raise CalendarDown(f"Google free/busy: {reason}")
    return [(_parse(b["start"]), _parse(b["end"])) for b in entry.get("busy", [])]


def _without(busy: list[Interval], own: list[tuple[datetime, datetime]]) -> list[Interval]:
    """``busy`` intervals minus the spans of Slotbot's own booking events."""
    pieces = [(i.start, i.end) for i in busy]
    for lo, hi in own:
        cut: list[tuple[datetime, datetime]] = []
        for a, b in pieces:
            if hi <= a or b <= lo:
                cut.append((a, b))
                continue
            cut.extend(p for p in ((a, lo), (hi, b)) if p[0] < p[1])
        pieces = cut
    return [Interval(a, b) for a, b in pieces]


def _event_body(event: BookingEvent) -> dict[str, Any]:
    body: dict[str, Any] = {
        "summary": event.summary, "description": event.description,
        "start": {"dateTime": _rfc3339(event.start)}, "end": {"dateTime": _rfc3339(event.end)},
        "extendedProperties": {"private": {"slotbot_booking": str(event.booking_id)}},
    }
    if event.location:
        body["location"] = event.location
    if event.attendee_email:
        body["attendees"] = [{"email": event.attendee_email,
                              "displayName": event.attendee_name or event.attendee_email}]
    return body


def _instant(value: Any) -> datetime | None:
    if isinstance(value, dict) and value.get("dateTime"):
        return _parse(str(value["dateTime"]))
    return None


def _parse(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"naive time from Google: {text!r}")
    return moment.astimezone(UTC)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
