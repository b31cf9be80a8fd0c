"""A loopback server speaking enough Google Calendar v3 and OAuth for the calendar tests.

Endpoints (under the API root the client is pointed at):
``POST /freeBusy`` (refuses more than 50 calendars or more than 60 days per call),
``POST|GET /calendars/{id}/events`` (insert; list with ``syncToken``),
``PATCH|DELETE /calendars/{id}/events/{eventId}``, and ``POST /token``
(refresh-token grant; ``invalid_grant`` for revoked tokens). Every API call
needs ``Authorization: Bearer`` with a token this server issued.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.integration.calendars.loopback import Answer, Request


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class GoogleState:
    events: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    log: list[tuple[int, str, str]] = field(default_factory=list)  # (seq, calendar, event id)
    refresh_tokens: set[str] = field(default_factory=lambda: {"refresh-good"})
    access_tokens: set[str] = field(default_factory=set)
    freebusy_calls: list[dict[str, Any]] = field(default_factory=list)
    token_calls: int = 0
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def add(self, calendar: str, body: dict[str, Any]) -> dict[str, Any]:
        number = next(self._ids)
        event = {"id": f"ev{number}", "etag": f'"{number}"', "status": "confirmed", **body}
        self.events.setdefault(calendar, {})[event["id"]] = event
        self._changed(calendar, event["id"])
        return event

    def change(self, calendar: str, event_id: str, **values: Any) -> None:
        event = self.events[calendar][event_id]
        event.update(values, etag=f'"{next(self._ids)}"')
        self._changed(calendar, event_id)

    def _changed(self, calendar: str, event_id: str) -> None:
        self.log.append((len(self.log) + 1, calendar, event_id))

    def handle(self, request: Request) -> Answer:
        url = urlsplit(request.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/token":
            return self._token(parse_qs(request.body.decode()))
        auth = request.headers.get("Authorization", request.headers.get("authorization", ""))
        if auth.removeprefix("Bearer ") not in self.access_tokens:
            return _json(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
        body = json.loads(request.body or b"{}")
        parts = [unquote(p) for p in url.path.strip("/").split("/")]
        if parts == ["freeBusy"] and request.method == "POST":
            return self._freebusy(body)
        if len(parts) == 3 and parts[0] == "calendars" and parts[2] == "events":
            if request.method == "POST":
                return _json(200, self.add(parts[1], body))
            return self._list(parts[1], query)
        if len(parts) == 4 and parts[0] == "calendars" and parts[2] == "events":
            event = self.events.get(parts[1], {}).get(parts[3])
            if event is None or event["status"] == "cancelled":
                return _json(410 if event else 404, {"error": {"code": 404}})
            if request.method == "DELETE":
                self.change(parts[1], parts[3], status="cancelled")
                return Answer(204)
            self.change(parts[1], parts[3], **body)
            return _json(200, event)
        return _json(404, {"error": {"code": 404, "message": request.path}})

    def _token(self, form: dict[str, list[str]]) -> Answer:
        self.token_calls += 1
        if form.get("grant_type") == ["authorization_code"]:
            if form.get("code") != ["good-code"] or not form.get("code_verifier"):
                return _json(400, {"error": "invalid_grant"})
            self.access_tokens.add("access-first")
            return _json(200, {"access_token": "access-first", "expires_in": 3600,
                               "refresh_token": "refresh-good", "token_type": "Bearer",
                               "scope": "https://www.googleapis.com/auth/calendar.freebusy "
                                        "https://www.googleapis.com/auth/calendar.events"})
        if form.get("refresh_token", [""])[0] not in self.refresh_tokens:
            return _json(400, {"error": "invalid_grant", "error_description": "Token revoked"})
        token = f"access-{self.token_calls}"
        self.access_tokens.add(token)
        return _json(200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"})

    def _freebusy(self, body: dict[str, Any]) -> Answer:
        self.freebusy_calls.append(body)
        lo, hi = _t(body["timeMin"]), _t(body["timeMax"])
        if len(body["items"]) > 50 or hi - lo > timedelta(days=60):
            return _json(400, {"error": {"code": 400, "message": "timeRangeTooLong"}})
        calendars = {}
        for item in body["items"]:
            busy = [{"start": e["start"]["dateTime"], "end": e["end"]["dateTime"]}
                    for e in self.events.get(item["id"], {}).values()
                    if e["status"] != "cancelled" and e.get("transparency") != "transparent"
                    and _t(e["start"]["dateTime"]) < hi and lo < _t(e["end"]["dateTime"])]
            calendars[item["id"]] = {"busy": sorted(busy, key=lambda b: b["start"])}
        return _json(200, {"kind": "calendar#freeBusy", "calendars": calendars})

    def _list(self, calendar: str, query: dict[str, str]) -> Answer:
        since = int(query.get("syncToken", "0").removeprefix("sync-") or 0)
        ids = {event_id for seq, cal, event_id in self.log if cal == calendar and seq > since}
        items = [self.events[calendar][i] for i in sorted(ids)]
        return _json(200, {"items": items, "nextSyncToken": f"sync-{len(self.log)}"})


def _json(status: int, body: dict[str, Any]) -> Answer:
    return Answer(status, json.dumps(body).encode(), {"Content-Type": "application/json"})
