"""The host's keep / cancel buttons under a "your calendar changed" notice."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bots import notices
from bots.host_commands import HostCommands
from core import services
from tests.integration.calendars.conftest import CalendarApp
from tests.integration.calendars.feeds import host_setup


@pytest.fixture
def booked(make_app: Callable[..., CalendarApp]) -> tuple[CalendarApp, int]:
    app = make_app({})
    app.load(host_setup([]))
    return app, app.book(9)


def _notice(booking_id: int) -> notices.Reply:
    return notices.render("calendar_event_changed", {
        "booking_id": booking_id, "event_type": "Intro call", "host_name": "Ana Lima",
        "guest_name": "Bo", "host_timezone": "Europe/Berlin", "reader": "host",
        "start": "2026-03-02T08:00:00+00:00", "end": "2026-03-02T09:00:00+00:00",
        "change": "moved", "moved_start": "2026-03-04T14:00:00+00:00",
        "moved_end": "2026-03-04T15:00:00+00:00"})


def test_keep_changes_nothing_and_cancel_tells_the_guest(booked: tuple[CalendarApp, int]
                                                         ) -> None:
    app, booking_id = booked
    reply = _notice(booking_id)
    assert "was moved in your calendar to Wed 4 Mar" in reply.text
    keep, cancel = reply.choices
    assert (keep.label, cancel.label) == ("Keep the booking", "Cancel and tell the guest")
    host = services.get_host("ana", uow=app.uow_factory())
    commands = HostCommands(app.uow_factory, app.clock)
    commands.press(host, keep.payload)
    assert services.list_bookings(uow=app.uow_factory())[0].booking.status.value == "confirmed"
    commands.press(host, cancel.payload)
    assert services.list_bookings(uow=app.uow_factory())[0].booking.status.value == "cancelled"
    with app.uow_factory() as uow:
        told = [m for m in uow.outbox.list() if m.kind == "booking_cancelled"]
    assert [(m.channel, m.recipient) for m in told] == [("email", "bo@example.org")]
    assert told[0].payload["reason"] == "removed from the host's calendar"
