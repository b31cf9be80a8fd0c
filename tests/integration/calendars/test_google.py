"""Google Calendar through google-api-python-client against a loopback Calendar v3 server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bots.delivery import deliver_due
from core import services
from core.views import Actor
from storage.calendars.google import GoogleCalendars
from storage.calendars.google_connect import ConnectError, connect
from storage.calendars.google_grants import GrantStore, reader_sessions
from storage.calendars.twoway import check_changes
from storage.calendars.writer import CalendarTransport
from storage.orm import google_grants
from tests.integration.calendars.conftest import CalendarApp
from tests.integration.calendars.feeds import NOW, host_setup
from tests.integration.calendars.google_server import GoogleState
from tests.integration.calendars.loopback import Loopback, serve

BERLIN = ZoneInfo("Europe/Berlin")
KEY = Fernet.generate_key().decode()


@pytest.fixture
def google() -> Iterator[tuple[GoogleState, Loopback]]:
    state = GoogleState()
    state.add("primary", {"summary": "Dentist",
                          "start": {"dateTime": "2026-03-02T09:00:00Z"},
                          "end": {"dateTime": "2026-03-02T10:00:00Z"}})
    with serve(state.handle) as server:
        yield state, server


@pytest.fixture
def app(make_app: Callable[..., CalendarApp], google: tuple[GoogleState, Loopback]
        ) -> CalendarApp:
    _, server = google
    made = make_app({})
    reader = reader_sessions(made.engine)
    grants = GrantStore(made.hub.session_factory, KEY, reader)
    client = GoogleCalendars(grants, reader, made.clock, client_id="cid",
                             client_secret="csecret", api_url=f"{server.url}/",
                             token_url=f"{server.url}/token", timeout=5)
    made.hub.fetchers["google"] = made.hub.writers["google"] = client
    made.load(host_setup([{"google": "primary"}]))
    grants.save(1, "refresh-good", NOW)          # connected; no access token yet
    return made


def starts(app: CalendarApp, day: str) -> list[str]:
    first = datetime.fromisoformat(day).replace(tzinfo=BERLIN)
    slots = services.free_slots("ana", "intro", first, first + timedelta(days=1),
                                uow=app.uow_factory(), clock=app.clock)
    return [s.start.astimezone(BERLIN).strftime("%H:%M") for s in slots]


def deliver(app: CalendarApp) -> None:
    deliver_due(app.clock(), uow_factory=app.uow_factory,
                transports={"calendar": CalendarTransport(app.hub, "example.com")})


def book(app: CalendarApp, hour: int) -> int:
    guest = services.ensure_guest("console", "bo", uow=app.uow_factory(), name="Bo Berg",
                                  email="bo@example.org")
    view = services.book("ana", "intro", datetime(2026, 3, 2, hour, tzinfo=BERLIN),
                         guest_id=guest.id or 0, uow=app.uow_factory(), clock=app.clock)
    return view.booking.id or 0


def test_freebusy_blocks_the_meeting_within_the_per_call_limits(
        app: CalendarApp, google: tuple[GoogleState, Loopback]) -> None:
    state, _ = google
    assert starts(app, "2026-03-02") == ["09:00", "11:00"]     # dentist 10-11 Berlin
    assert state.freebusy_calls and all(len(c["items"]) == 1 for c in state.freebusy_calls)
    assert len(state.freebusy_calls) >= 1    # 32 days of window: one call of ≤ 60 days


def test_access_token_refreshes_automatically_and_tokens_are_encrypted_at_rest(
        app: CalendarApp, google: tuple[GoogleState, Loopback]) -> None:
    state, _ = google
    starts(app, "2026-03-02")
    assert state.token_calls == 1
    with app.hub.session_factory() as session:
        row = session.execute(select(google_grants)).one()
    assert "refresh-good" not in row.refresh_token and "access-1" not in row.access_token
    app.clock.now += timedelta(minutes=10)
    starts(app, "2026-03-02")
    assert state.token_calls == 1                          # the stored access token reused


def test_invalid_grant_tells_the_host_once_and_bookings_go_on(
        app: CalendarApp, google: tuple[GoogleState, Loopback]) -> None:
    state, _ = google
    state.refresh_tokens.clear()                           # the host revoked the access
    assert starts(app, "2026-03-02") == ["09:00", "10:00", "11:00"]   # local data only
    app.clock.now += timedelta(hours=1)
    assert starts(app, "2026-03-02") == ["09:00", "10:00", "11:00"]
    with app.uow_factory() as uow:
        told = [m for m in uow.outbox.list() if m.kind == "calendar_reconnect"]
    assert [m.channel for m in told] == ["telegram", "email"]
    assert told[0].payload["host"] == "ana"


def test_booking_events_insert_patch_delete_with_the_invitation_uid(
        app: CalendarApp, google: tuple[GoogleState, Loopback]) -> None:
    state, _ = google
    booking_id = book(app, 9)
    deliver(app)
    [event] = [e for e in state.events["primary"].values() if e.get("iCalUID")]
    assert event["iCalUID"] == f"slotbot-booking-{booking_id}@example.com"
    assert event["attendees"] == [{"email": "bo@example.org", "displayName": "Bo Berg"}]
    assert starts(app, "2026-03-02") == ["11:00"]          # own event not counted twice
    moved = services.reschedule(booking_id, datetime(2026, 3, 2, 11, tzinfo=BERLIN),
                                actor=Actor("host", 1), uow=app.uow_factory(), clock=app.clock)
    deliver(app)
    assert event["start"] == {"dateTime": "2026-03-02T10:00:00Z"}
    services.cancel(moved.booking.id or 0, actor=Actor("host", 1), uow=app.uow_factory(),
                    clock=app.clock)
    deliver(app)
    assert event["status"] == "cancelled"


def test_sync_token_notices_deleted_and_moved_events(
        app: CalendarApp, google: tuple[GoogleState, Loopback]) -> None:
    state, _ = google
    first, second = book(app, 9), book(app, 11)
    deliver(app)
    assert check_changes(app.clock(), app.hub) == 0
    ids = {int(e["extendedProperties"]["private"]["slotbot_booking"]): e["id"]
           for e in state.events["primary"].values() if e.get("iCalUID")}
    state.change("primary", ids[first], status="cancelled")
    state.change("primary", ids[second], start={"dateTime": "2026-03-03T13:00:00Z"},
                 end={"dateTime": "2026-03-03T14:00:00Z"})
    assert check_changes(app.clock(), app.hub) == 2
    assert check_changes(app.clock(), app.hub) == 0
    with app.uow_factory() as uow:
        told = {m.payload["booking_id"]: m.payload["change"] for m in uow.outbox.list()
                if m.kind == "calendar_event_changed" and m.channel == "telegram"}
    assert told == {first: "deleted", second: "moved"}


def test_connect_by_pasting_the_redirect_stores_the_grant(
        app: CalendarApp, google: tuple[GoogleState, Loopback],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, server = google
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the loopback token endpoint
    shown: list[str] = []
    grants = GrantStore(app.hub.session_factory, KEY)

    def paste(url: str) -> str:
        shown.append(url)
        return "http://localhost:1/?state=x&code=good-code&scope=calendar"

    connect(1, grants, client_id="cid", client_secret="csecret",
            token_url=f"{server.url}/token", now=NOW, paste=paste)
    assert "client_id=cid" in shown[0] and "access_type=offline" in shown[0]
    grant = grants.load(1)
    assert grant is not None and grant.refresh_token == "refresh-good"
    with pytest.raises(ConnectError):
        connect(1, grants, client_id="cid", client_secret="csecret",
                token_url=f"{server.url}/token", now=NOW, paste=lambda _: "bad-code")


def test_a_changed_fernet_key_is_a_clear_error_not_a_crash(app: CalendarApp) -> None:
    other = GrantStore(app.hub.session_factory, Fernet.generate_key().decode())
    with pytest.raises(Exception, match="does not open"):
        other.load(1)



