"""The host's keep / cancel buttons under a "your calendar changed" notice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bots import notices
from bots.calendar_buttons import answer, is_calendar_button
from core import services
from tests.integration.calendars.conftest import CalendarApp
from tests.integration.calendars.feeds import host_setup


@pytest.fixture
def booked(make_app: Callable[..., CalendarApp]) -> tuple[CalendarApp, int]:
    app = make_app({})
    app.load(host_setup([]))
    guest = services.ensure_guest("console", "bo", uow=app.uow_factory(), name="Bo",
                                  chat_id="bo")
    view = services.book("ana", "intro", datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Berlin")),
                         guest_id=guest.id or 0, uow=app.uow_factory(), clock=app.clock)
    return app, view.booking.id or 0


def test_the_notice_offers_keep_and_cancel(booked: tuple[CalendarApp, int]) -> None:
    _, booking_id = booked
    reply = notices.render("calendar_event_changed", {
        "booking_id": booking_id, "event_type": "Intro call", "host_name": "Ana Lima",
        "guest_name": "Bo", "host_timezone": "Europe/Berlin", "reader": "host",
        "start": "2026-03-02T08:00:00+00:00", "end": "2026-03-02T09:00:00+00:00",
        "change": "moved", "moved_start": "2026-03-04T14:00:00+00:00",
        "moved_end": "2026-03-04T15:00:00+00:00"})
    assert "was moved in your calendar to Wed 4 Mar" in reply.text
    assert [c.payload for c in reply.choices] == [f"calendar-keep:{booking_id}",
                                                  f"calendar-cancel:{booking_id}"]
    assert all(is_calendar_button(c.payload) for c in reply.choices)


def test_keep_changes_nothing_and_cancel_tells_the_guest(booked: tuple[CalendarApp, int]
                                                         ) -> None:
    app, booking_id = booked
    host = services.get_host("ana", uow=app.uow_factory())
    kept = answer(host, f"calendar-keep:{booking_id}", uow_factory=app.uow_factory,
                  clock=app.clock, locale="de")
    assert kept == f"Buchung #{booking_id} bleibt, wie sie ist."
    assert services.list_bookings(uow=app.uow_factory())[0].booking.status.value == "confirmed"
    done = answer(host, f"calendar-cancel:{booking_id}", uow_factory=app.uow_factory,
                  clock=app.clock)
    assert done.startswith(f"Cancelled #{booking_id}")
    with app.uow_factory() as uow:
        told = [m for m in uow.outbox.list() if m.kind == "booking_cancelled"]
    assert [(m.channel, m.recipient) for m in told] == [("console", "bo")]
    assert told[0].payload["reason"] == "removed from the host's calendar"
