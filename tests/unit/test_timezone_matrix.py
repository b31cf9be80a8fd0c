"""Hosts and guests in five zones, booking, rescheduling and cancelling across DST changes.

For every host zone × guest zone × clock change of 2026 (US and Europe in
spring and autumn, Australia in April and October), a guest books 10:00 host
time on the Friday before the change, the host moves it to 10:00 on the
Monday after, and the guest cancels. Local hours must stay put while UTC
shifts, the grid must stay on the host's wall clock, and every notification
must show the reader's local time first, with the other zone beside it
whenever the two differ at that instant.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bots import notices
from bots.texts import Texts
from core import services
from core.models import BookingStatus, Host, WorkingHours
from core.services import Actor
from tests.unit.factories import make_event_type
from tests.unit.fakes import FakeUnitOfWork

ZONES = ("America/Los_Angeles", "America/New_York", "Europe/London", "Europe/Berlin",
         "Australia/Sydney")
#: (Friday before, Monday after) each 2026 clock change of these zones.
CHANGES = {
    "US spring (8 Mar)": (date(2026, 3, 6), date(2026, 3, 9)),
    "EU spring (29 Mar)": (date(2026, 3, 27), date(2026, 3, 30)),
    "AU autumn (5 Apr)": (date(2026, 4, 3), date(2026, 4, 6)),
    "AU spring (4 Oct)": (date(2026, 10, 2), date(2026, 10, 5)),
    "EU autumn (25 Oct)": (date(2026, 10, 23), date(2026, 10, 26)),
    "US autumn (1 Nov)": (date(2026, 10, 30), date(2026, 11, 2)),
}
CASES = [(h, g, c) for h in ZONES for g in ZONES for c in CHANGES]


def at(day: date, hour: int, tz: str) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(tz))


def setup(host_tz: str, guest_tz: str) -> tuple[FakeUnitOfWork, int, int]:
    """A host working 09:00–17:00 Monday to Friday in ``host_tz``, and a guest in ``guest_tz``."""
    uow = FakeUnitOfWork()
    host = Host("hana", "Hana", host_tz, telegram_user_id="h1",
                working_hours=[WorkingHours(day, time(9), time(17)) for day in range(5)],
                event_types=[make_event_type("meet", duration=30, booking_window=30, id=None)])
    services.load_hosts([host], uow=uow)
    guest = services.ensure_guest("telegram", "g", uow=uow, name="Gil", chat_id="g1",
                                  timezone=guest_tz)
    return uow, host.id or 0, guest.id or 0


@pytest.mark.parametrize(("host_tz", "guest_tz", "change"), CASES)
def test_book_move_cancel_across_a_clock_change(host_tz: str, guest_tz: str,
                                                change: str) -> None:
    friday, monday = CHANGES[change]
    uow, host_id, guest_id = setup(host_tz, guest_tz)
    now = at(friday - timedelta(days=4), 12, "UTC")

    def clock() -> datetime:
        return now

    host_zone, guest_zone = ZoneInfo(host_tz), ZoneInfo(guest_tz)
    first = at(friday, 10, host_tz)
    monday_slots = services.free_slots("hana", "meet", at(monday, 0, host_tz),
                                       at(monday, 0, host_tz) + timedelta(days=1), uow=uow,
                                       clock=clock)
    assert len(monday_slots) == 16
    assert monday_slots[0].start.astimezone(host_zone).time() == time(9)
    assert monday_slots[-1].end.astimezone(host_zone).time() == time(17)

    booked = services.book("hana", "meet", first, guest_id=guest_id, uow=uow, clock=clock)
    to_host = [m for m in uow.outbox.items if m.kind == "booking_created"]
    assert_shows_both_zones(to_host[0].payload, reader_tz=host_tz, other_tz=guest_tz)

    moved = services.reschedule(booked.booking.id or 0, at(monday, 10, host_tz),
                                actor=Actor("host", host_id), uow=uow, clock=clock)
    assert moved.booking.start.astimezone(host_zone).time() == time(10)
    shift = moved.booking.start.astimezone(host_zone).utcoffset() - \
        booked.booking.start.astimezone(host_zone).utcoffset()
    assert moved.booking.start - booked.booking.start == timedelta(days=3) - shift
    to_guest = [m for m in uow.outbox.items if m.kind == "booking_rescheduled"]
    assert [m.recipient for m in to_guest] == ["g1"]
    assert_shows_both_zones(to_guest[0].payload, reader_tz=guest_tz, other_tz=host_tz)
    assert moved.booking.start.astimezone(guest_zone).strftime("%H:%M") in \
        notices.render("booking_rescheduled", to_guest[0].payload).text

    services.cancel(moved.booking.id or 0, actor=Actor("guest", guest_id), uow=uow, clock=clock)
    assert moved.booking.status is BookingStatus.CANCELLED
    again = services.free_slots("hana", "meet", at(monday, 0, host_tz),
                                at(monday, 0, host_tz) + timedelta(days=1), uow=uow, clock=clock)
    assert again == monday_slots


def assert_shows_both_zones(payload: dict[str, object], *, reader_tz: str, other_tz: str) -> None:
    """The notice leads with the reader's wall time; adds the other zone iff its offset differs."""
    kind = "booking_created" if payload["reader"] == "host" else "booking_rescheduled"
    text = notices.render(kind, payload).text
    start = datetime.fromisoformat(str(payload["start"]))
    reader = start.astimezone(ZoneInfo(reader_tz))
    other = start.astimezone(ZoneInfo(other_tz))
    mine = text.index(f"{reader:%H:%M}–{reader + timedelta(minutes=30):%H:%M} ({reader_tz})")
    if reader.utcoffset() != other.utcoffset():
        theirs = f" = {Texts().day(other, other_tz)}, {other:%H:%M}–"
        assert text.index(theirs) > mine and f"({other_tz})" in text
    else:
        assert " = " not in text


def test_matrix_covers_five_zones_both_hemispheres_and_both_directions() -> None:
    offsets = {
        (zone, change): at(monday, 10, zone).utcoffset() - at(friday, 10, zone).utcoffset()
        for zone in ZONES for change, (friday, monday) in CHANGES.items()
    }
    assert offsets[("Australia/Sydney", "AU autumn (5 Apr)")] == timedelta(hours=-1)
    assert offsets[("Australia/Sydney", "AU spring (4 Oct)")] == timedelta(hours=1)
    assert offsets[("Europe/Berlin", "EU spring (29 Mar)")] == timedelta(hours=1)
    assert offsets[("America/New_York", "US autumn (1 Nov)")] == timedelta(hours=-1)
    assert len(CASES) == 150
    assert sum(1 for shift in offsets.values() if shift) == 10  # every zone changes twice
