"""CalDAV against a real Radicale server: busy in, booking events out, changes noticed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import services
from core.errors import CalendarUnavailable
from core.models import OutboxStatus
from core.views import Actor
from storage.calendars.caldav import CaldavCalendars
from storage.calendars.sync import overview
from storage.calendars.twoway import check_changes
from tests.integration.calendars.conftest import CalendarApp
from tests.integration.calendars.feeds import host_setup
from tests.integration.calendars.radicale_server import Radicale, radicale

BERLIN = ZoneInfo("Europe/Berlin")

MEETINGS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//other app//EN\r
BEGIN:VEVENT\r
UID:weekly@example.com\r
DTSTAMP:20260201T000000Z\r
DTSTART;TZID=Europe/Berlin:20260223T100000\r
DTEND;TZID=Europe/Berlin:20260223T110000\r
RRULE:FREQ=WEEKLY;BYDAY=MO\r
EXDATE;TZID=Europe/Berlin:20260309T100000\r
SUMMARY:Weekly review\r
END:VEVENT\r
END:VCALENDAR\r
"""

HOLIDAY = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//other app//EN\r
BEGIN:VEVENT\r
UID:holiday@example.com\r
DTSTAMP:20260201T000000Z\r
DTSTART;VALUE=DATE:20260303\r
DTEND;VALUE=DATE:20260304\r
SUMMARY:Holiday\r
END:VEVENT\r
END:VCALENDAR\r
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with radicale(tmp_path_factory.mktemp("radicale")) as running:
        calendar = running.calendar()
        calendar.save_event(MEETINGS)
        calendar.save_event(HOLIDAY)
        yield running


def _app(make_app: Callable[..., CalendarApp], server: Radicale, password: str = "secret"
         ) -> CalendarApp:
    client = CaldavCalendars(timeout=5, environ={"ANA_CALDAV_PASSWORD": password})
    app = make_app({"caldav": client}, writers={"caldav": client})
    app.load(host_setup([{"caldav": server.calendar_url, "username": "ana",
                          "password_env": "ANA_CALDAV_PASSWORD"}]))
    return app


@pytest.fixture
def app(make_app: Callable[..., CalendarApp], server: Radicale) -> Iterator[CalendarApp]:
    app = _app(make_app, server)
    yield app
    for event in server.calendar().events():   # leave only the meetings for the next test
        if "slotbot-booking-" in event.data:
            event.delete()








def booking_events(server: Radicale) -> dict[str, str]:
    return {e.icalendar_component["UID"]: e.data for e in server.calendar().events()
            if "slotbot-booking-" in e.data}


def test_recurring_meeting_and_exdate_from_radicale(app: CalendarApp) -> None:
    assert app.starts("2026-03-02") == ["09:00", "11:00"]
    assert app.starts("2026-03-09") == ["09:00", "10:00", "11:00"]


def test_all_day_event_blocks_the_day(app: CalendarApp) -> None:
    assert app.starts("2026-03-03") == []


def test_booking_appears_in_radicale_with_the_invitation_uid(
        app: CalendarApp, server: Radicale) -> None:
    booking_id = app.book(9)
    app.deliver()
    events = booking_events(server)
    uid = f"slotbot-booking-{booking_id}@example.com"
    assert list(events) == [uid]
    assert "SUMMARY:Intro call: Bo Berg" in events[uid]
    assert "mailto:bo@example.org" in events[uid]
    assert app.starts("2026-03-02") == ["11:00"]   # the booking, not twice (own UID skipped)
    with app.uow_factory() as uow:
        assert {m.status for m in uow.outbox.list() if m.channel == "calendar"} == {
            OutboxStatus.SENT}


def test_reschedule_moves_the_same_event_and_cancel_deletes_it(
        app: CalendarApp, server: Radicale) -> None:
    booking_id = app.book(9)
    app.deliver()
    moved = services.reschedule(booking_id, datetime(2026, 3, 2, 11, tzinfo=BERLIN),
                                actor=Actor("host", 1), uow=app.uow_factory(), clock=app.clock)
    app.deliver()
    [(uid, data)] = booking_events(server).items()
    assert uid == f"slotbot-booking-{booking_id}@example.com"
    assert "DTSTART:20260302T100000Z" in data
    services.cancel(moved.booking.id or 0, actor=Actor("host", 1), uow=app.uow_factory(),
                    clock=app.clock)
    app.deliver()
    assert booking_events(server) == {}


def test_deleted_and_moved_events_are_told_to_the_host_once(
        app: CalendarApp, server: Radicale) -> None:
    first, second = app.book(9), app.book(11)
    app.deliver()
    assert check_changes(app.clock(), app.hub) == 0
    calendar = server.calendar()
    calendar.event_by_uid(f"slotbot-booking-{first}@example.com").delete()
    other = calendar.event_by_uid(f"slotbot-booking-{second}@example.com")
    other.icalendar_component["DTSTART"].dt = datetime(2026, 3, 4, 14, tzinfo=UTC)
    other.icalendar_component["DTEND"].dt = datetime(2026, 3, 4, 15, tzinfo=UTC)
    other.save()
    assert check_changes(app.clock(), app.hub) == 2
    assert check_changes(app.clock(), app.hub) == 0
    with app.uow_factory() as uow:
        told = {m.payload["booking_id"]: m.payload for m in uow.outbox.list()
                if m.kind == "calendar_event_changed" and m.channel == "telegram"}
        bookings = {b.id: b.status.value for b in uow.bookings.list()}
    assert told[first]["change"] == "deleted"
    assert told[second]["change"] == "moved"
    assert told[second]["moved_start"] == "2026-03-04T14:00:00+00:00"
    assert bookings == {first: "confirmed", second: "confirmed"}   # nothing changed silently


def test_wrong_password_offers_nothing_and_says_why(
        make_app: Callable[..., CalendarApp], server: Radicale) -> None:
    app = _app(make_app, server, password="wrong")
    with pytest.raises(CalendarUnavailable):
        app.starts("2026-03-02")
    with app.hub.session_factory() as session:
        [row] = overview(session, "ana")
    assert "refused" in row["last_error"]
    assert "wrong" not in row["last_error"]


def test_wrong_password_keeps_events_queued_until_it_is_fixed(
        make_app: Callable[..., CalendarApp], server: Radicale) -> None:
    app = _app(make_app, server, password="wrong")
    with pytest.raises(CalendarUnavailable):
        app.book(9)
    fixed = CaldavCalendars(timeout=5, environ={"ANA_CALDAV_PASSWORD": "secret"})
    app.hub.fetchers["caldav"] = app.hub.writers["caldav"] = fixed
    app.clock.now += timedelta(minutes=10)
    booking_id = app.book(9)
    app.hub.writers["caldav"] = CaldavCalendars(timeout=5,
                                                environ={"ANA_CALDAV_PASSWORD": "wrong"})
    app.deliver()
    with app.uow_factory() as uow:
        [message] = [m for m in uow.outbox.list() if m.channel == "calendar"]
    assert message.status is OutboxStatus.QUEUED and "refused" in (message.last_error or "")
    app.hub.writers["caldav"] = fixed
    app.clock.now += timedelta(hours=2)
    app.deliver()
    assert f"slotbot-booking-{booking_id}@example.com" in booking_events(server)
