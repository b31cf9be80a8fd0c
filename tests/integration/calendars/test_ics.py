"""ICS feeds: busy time in through a real HTTP GET to a loopback server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from core import services
from core.errors import CalendarUnavailable
from storage.calendars.ics import IcsFetcher
from tests.integration.calendars.conftest import CalendarApp
from tests.integration.calendars.feeds import FEED, host_setup
from tests.integration.calendars.loopback import Answer, Loopback, Request, serve

ETAG = '"feed-v1"'


def _feed(request: Request) -> Answer:
    if request.headers.get("If-None-Match") == ETAG:
        return Answer(304)
    return Answer(200, FEED, {"Content-Type": "text/calendar", "ETag": ETAG})


@pytest.fixture
def feed() -> Iterator[Loopback]:
    with serve(_feed) as server:
        yield server


@pytest.fixture
def app(make_app: Callable[..., CalendarApp], feed: Loopback) -> CalendarApp:
    # The default cold timeout: on a loaded machine parsing the feed can take over 0.5 s.
    app = make_app({"ics": IcsFetcher(timeout=5)}, cold_timeout=3)
    app.load(host_setup([{"ics": f"{feed.url}/ana.ics"}]))
    return app






def test_weekly_series_blocks_its_occurrences(app: CalendarApp) -> None:
    assert app.starts("2026-03-02") == ["09:00", "11:00"]   # standup 10-11


def test_exdate_frees_the_removed_occurrence(app: CalendarApp) -> None:
    assert app.starts("2026-03-09") == ["09:00", "10:00", "11:00"]


def test_moved_occurrence_blocks_its_new_time_only(app: CalendarApp) -> None:
    assert app.starts("2026-03-16") == ["09:00", "10:00", "11:00"]  # moved to 14:00


def test_all_day_event_blocks_the_whole_day_in_the_host_zone(app: CalendarApp) -> None:
    assert app.starts("2026-03-04") == []


@pytest.mark.parametrize("day", ["2026-03-03", "2026-03-05", "2026-03-06"])
def test_transparent_declined_and_own_booking_events_do_not_block(
        app: CalendarApp, day: str) -> None:
    assert app.starts(day) == ["09:00", "10:00", "11:00"]


def test_warm_cache_answers_without_the_network(app: CalendarApp, feed: Loopback) -> None:
    app.starts("2026-03-02")
    asked = len(feed.requests)
    app.clock.now += timedelta(minutes=1)
    assert app.starts("2026-03-02") == ["09:00", "11:00"]
    assert len(feed.requests) == asked


def test_refetch_is_conditional_and_keeps_the_busy_time(app: CalendarApp, feed: Loopback
                                                        ) -> None:
    app.starts("2026-03-02")
    app.clock.now += timedelta(minutes=10)
    assert app.starts("2026-03-02") == ["09:00", "11:00"]
    assert feed.requests[-1].headers.get("If-None-Match") == ETAG


@pytest.mark.parametrize("fault", ["hang", "500", "429", "garbage"])
def test_down_feed_uses_young_cache_then_offers_nothing(
        app: CalendarApp, feed: Loopback, fault: str) -> None:
    app.starts("2026-03-02")
    feed.mode = fault
    app.clock.now += timedelta(minutes=10)
    assert app.starts("2026-03-02") == ["09:00", "11:00"]        # younger than 30 min
    app.clock.now += timedelta(minutes=40)
    with pytest.raises(CalendarUnavailable) as raised:
        app.starts("2026-03-02")
    assert raised.value.host_name == "Ana Lima"


def test_never_fetched_and_down_offers_nothing_and_tells_the_host_once(
        app: CalendarApp, feed: Loopback) -> None:
    feed.mode = "hang"
    for _ in range(3):
        with pytest.raises(CalendarUnavailable):
            app.starts("2026-03-02")
        app.clock.now += timedelta(minutes=5)
    with app.uow_factory() as uow:
        told = [m for m in uow.outbox.list() if m.kind == "calendar_down"]
    assert [(m.channel, m.recipient) for m in told] == [("telegram", "1001"),
                                                       ("email", "ana@example.com")]
    assert "127.0.0.1" in str(told[0].payload["calendar"])
    assert "/ana.ics" not in str(told[0].payload["calendar"])


def test_booking_is_refused_on_a_meeting_from_the_feed(app: CalendarApp) -> None:
    guest = services.ensure_guest("console", "g1", uow=app.uow_factory(), name="Bo")
    meeting = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)   # 10:00 Berlin, the standup
    with pytest.raises(services.SlotUnavailable):
        services.book("ana", "intro", meeting, guest_id=guest.id or 0,
                      uow=app.uow_factory(), clock=app.clock)


