"""Each kind of calendar made to hang, answer 500/429 or garbage: no crash, no unchecked
offer, and everything is delivered once the calendar is back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from cryptography.fernet import Fernet

from bots.delivery import deliver_due
from core import services
from core.errors import CalendarUnavailable
from core.models import OutboxStatus
from storage.calendars.caldav import CaldavCalendars
from storage.calendars.google import GoogleCalendars
from storage.calendars.google_grants import GrantStore, reader_sessions
from storage.calendars.ics import IcsFetcher
from storage.calendars.writer import CalendarTransport
from tests.integration.calendars.conftest import CalendarApp
from tests.integration.calendars.feeds import FEED, NOW, host_setup
from tests.integration.calendars.google_server import GoogleState
from tests.integration.calendars.loopback import Answer, Loopback, Request, serve
from tests.integration.calendars.radicale_server import Radicale, radicale

BERLIN = ZoneInfo("Europe/Berlin")
FAULTS = ["hang", "500", "429", "garbage"]


@pytest.fixture(scope="module")
def dav(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with radicale(tmp_path_factory.mktemp("radicale-faults")) as running:
        yield running


def _proxy_to(target: str) -> Callable[[Request], Answer]:
    """Forward each request to the real server (the loopback adds the faults)."""
    client = httpx.Client(timeout=5)

    def forward(request: Request) -> Answer:
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ("host", "content-length", "connection")}
        answer = client.request(request.method, target + request.path, headers=headers,
                                content=request.body)
        kept = {k: v for k, v in answer.headers.items()
                if k.lower() not in ("content-length", "transfer-encoding", "connection",
                                     "content-encoding")}
        return Answer(answer.status_code, answer.content, kept)

    return forward


@pytest.fixture(params=["ics", "caldav", "google"])
def setup(request: pytest.FixtureRequest, make_app: Callable[..., CalendarApp],
          dav: Radicale) -> Iterator[tuple[CalendarApp, Loopback, str]]:
    kind = request.param
    if kind == "ics":
        with serve(lambda _: Answer(200, FEED, {"Content-Type": "text/calendar"})) as server:
            app = make_app({"ics": IcsFetcher(timeout=1)}, cold_timeout=0.5)
            app.load(host_setup([{"ics": f"{server.url}/feed.ics"}]))
            yield app, server, kind
    elif kind == "caldav":
        with serve(_proxy_to(dav.url)) as server:
            client = CaldavCalendars(timeout=1, environ={"PW": "secret"})
            app = make_app({"caldav": client}, writers={"caldav": client}, cold_timeout=2)
            app.load(host_setup([{"caldav": f"{server.url}/ana/work/", "username": "ana",
                                  "password_env": "PW"}]))
            yield app, server, kind
    else:
        state = GoogleState()
        with serve(state.handle) as server:
            app = make_app({}, cold_timeout=0.5)
            reader = reader_sessions(app.engine)
            grants = GrantStore(app.hub.session_factory, Fernet.generate_key().decode(), reader)
            client = GoogleCalendars(grants, reader, app.clock, client_id="c", client_secret="s",
                                     api_url=f"{server.url}/", token_url=f"{server.url}/token",
                                     timeout=1)
            app.hub.fetchers["google"] = app.hub.writers["google"] = client
            app.load(host_setup([{"google": "primary"}]))
            grants.save(1, "refresh-good", NOW)
            yield app, server, kind


def offers(app: CalendarApp) -> list[Any]:
    first = datetime(2026, 3, 2, tzinfo=BERLIN)
    return services.free_slots("ana", "intro", first, first + timedelta(days=1),
                               uow=app.uow_factory(), clock=app.clock)


def book(app: CalendarApp) -> int:
    guest = services.ensure_guest("console", "bo", uow=app.uow_factory(), name="Bo")
    view = services.book("ana", "intro", datetime(2026, 3, 2, 9, tzinfo=BERLIN),
                         guest_id=guest.id or 0, uow=app.uow_factory(), clock=app.clock)
    return view.booking.id or 0


@pytest.mark.parametrize("fault", FAULTS)
def test_down_calendar_offers_nothing_and_refuses_bookings_until_it_is_back(
        setup: tuple[CalendarApp, Loopback, str], fault: str) -> None:
    app, server, _ = setup
    server.mode = fault
    with pytest.raises(CalendarUnavailable):
        offers(app)
    with pytest.raises(CalendarUnavailable):
        book(app)
    server.mode = "ok"
    app.clock.now += timedelta(minutes=20)     # past the retry backoff
    assert offers(app)
    assert book(app)


@pytest.mark.parametrize("fault", FAULTS)
def test_events_wait_while_the_calendar_is_down_and_go_out_after(
        setup: tuple[CalendarApp, Loopback, str], fault: str) -> None:
    app, server, kind = setup
    if kind == "ics":
        pytest.skip("an ICS feed is read-only")
    booking_id = book(app)
    server.mode = fault
    transport = CalendarTransport(app.hub, "example.com")
    deliver_due(app.clock(), uow_factory=app.uow_factory, transports={"calendar": transport})
    with app.uow_factory() as uow:
        [message] = [m for m in uow.outbox.list() if m.channel == "calendar"]
    assert message.status is OutboxStatus.QUEUED and message.attempts == 1
    assert message.next_attempt_at is not None and message.next_attempt_at > app.clock()
    server.mode = "ok"
    app.clock.now += timedelta(hours=1)
    deliver_due(app.clock(), uow_factory=app.uow_factory, transports={"calendar": transport})
    with app.uow_factory() as uow:
        [message] = [m for m in uow.outbox.list() if m.channel == "calendar"]
    assert message.status is OutboxStatus.SENT
    uid = f"slotbot-booking-{booking_id}@example.com"
    if kind == "caldav":
        text = httpx.get(f"{server.url}/ana/work/{uid.replace('@', '%40')}.ics",
                         auth=("ana", "secret")).text
        assert uid in text
        httpx.delete(f"{server.url}/ana/work/{uid.replace('@', '%40')}.ics",
                     auth=("ana", "secret"))
