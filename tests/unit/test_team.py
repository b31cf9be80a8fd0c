"""Finding time across a team of hosts and rooms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import services
from core.models import Host, Interval
from core.setup_file import parse_setup
from core.team import find_free
from tests.unit.fakes import FakeUnitOfWork

#: Monday 30 Nov 2026, 08:00 UTC; "tomorrow 2–3pm" in Berlin is 13:00–14:00 UTC.
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TWO_PM = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def room(handle: str, capacity: int, tags: list[str], zone: str = "Europe/Berlin") -> dict:
    return {"handle": handle, "timezone": zone, "capacity": capacity, "tags": tags,
            "working_hours": {"mon-fri": "08:00-18:00"},
            "event_types": [{"slug": "meeting", "title": "Meeting", "duration": 30,
                             "durations": [30, 60], "slot_interval": 30}]}


SETUP = {"hosts": [
    room("atlas", 4, []),
    room("boreal", 8, ["projector"]),
    room("cedar", 12, ["projector", "whiteboard"]),
    {"handle": "dan", "timezone": "America/New_York", "tags": ["sales"],
     "working_hours": {"mon-fri": "09:00-17:00"},
     "event_types": [{"slug": "call", "title": "Call", "duration": 60}]},
]}


def clock() -> datetime:
    return NOW


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    services.load_hosts(parse_setup(SETUP), uow=fake)
    return fake


def test_anyone_free_offers_every_free_host_for_the_whole_hour(uow):
    found = find_free(TWO_PM, TWO_PM + HOUR, uow=uow, clock=clock, minutes=60, limit=5)
    # Dan works 09:00-17:00 New York = 14:00-22:00 UTC: not free at 13:00 UTC.
    assert [(f.host.handle, f.slot.start) for f in found] == [
        ("atlas", TWO_PM), ("boreal", TWO_PM), ("cedar", TWO_PM)]


def test_rooms_are_filtered_by_tags_and_capacity(uow):
    found = find_free(TWO_PM, TWO_PM + HOUR, uow=uow, clock=clock, minutes=60,
                      tags=["Projector"], capacity=10)
    assert [f.host.handle for f in found] == ["cedar"]


def test_a_booked_room_is_skipped_and_the_first_free_ones_come_first(uow):
    guest = services.ensure_guest("slack", "U1", uow=uow).id or 0
    services.book("atlas", "meeting", TWO_PM, guest_id=guest, uow=uow, clock=clock)
    found = find_free(TWO_PM, TWO_PM + 2 * HOUR, uow=uow, clock=clock, minutes=60, limit=2)
    assert [(f.host.handle, f.slot.start) for f in found] == [
        ("boreal", TWO_PM), ("cedar", TWO_PM)]
    later = find_free(TWO_PM, TWO_PM + 2 * HOUR, uow=uow, clock=clock, minutes=60,
                      handles=["atlas"])
    assert [f.slot.start for f in later] == [TWO_PM + timedelta(minutes=30)]


def test_external_busy_time_counts_for_each_host(uow):
    class Calendars:
        def busy(self, host: Host, start: datetime, end: datetime) -> list[Interval]:
            return [Interval(TWO_PM, TWO_PM + HOUR)] if host.handle == "boreal" else []

    found = find_free(TWO_PM, TWO_PM + HOUR, uow=uow, clock=clock, minutes=60,
                      tags=["projector"], busy_source=Calendars())
    assert [f.host.handle for f in found] == ["cedar"]


def test_nobody_offering_that_length_means_no_result(uow):
    assert find_free(TWO_PM, TWO_PM + 2 * HOUR, uow=uow, clock=clock, minutes=90) == []


def test_the_earliest_hosts_win_even_past_the_first_batch_of_hosts():
    late = {"mon-fri": "14:30-18:00"}  # Berlin: free from 13:30 UTC only
    setup = {"hosts": [
        {**room(f"h{n:03d}", 4, []), **({"working_hours": late} if n < 55 else {})}
        for n in range(60)
    ]}
    fake = FakeUnitOfWork()
    services.load_hosts(parse_setup(setup), uow=fake)
    found = find_free(TWO_PM, TWO_PM + HOUR, uow=fake, clock=clock, minutes=30, limit=3)
    assert [(f.host.handle, f.slot.start) for f in found] == [
        ("h055", TWO_PM), ("h056", TWO_PM), ("h057", TWO_PM)]
