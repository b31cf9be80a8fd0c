"""Services on real storage (SQLite and PostgreSQL): the booking rules hold in the database."""

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from core import services
from core.errors import SetupError, SlotUnavailable
from core.models import BookingStatus
from core.services import Actor
from core.setup_file import parse_setup

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TUESDAY_10 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Berlin


def clock():
    return NOW


@pytest.fixture
def loaded(uow_factory):
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=uow_factory())
    return uow_factory


def make_guest(uow_factory, n: int):
    return services.ensure_guest("telegram", f"u{n}", uow=uow_factory(), name=f"Guest {n}",
                                 chat_id=f"c{n}")


def test_loading_twice_changes_nothing(loaded):
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=loaded())
    hosts = services.list_hosts(uow=loaded())
    assert [h.handle for h in hosts] == ["ana", "bruno"]
    assert len(hosts[0].working_hours) == 11  # mon-fri twice a day, plus saturday


def test_book_cancel_reschedule_round_trip(loaded):
    guest = make_guest(loaded, 1)
    view = services.book("ana", "intro", TUESDAY_10, guest_id=guest.id, uow=loaded(), clock=clock)
    moved = services.reschedule(view.booking.id, TUESDAY_10 + timedelta(hours=1),
                                actor=Actor("guest", guest.id), uow=loaded(), clock=clock)
    rows = {v.booking.id: v.booking for v in services.list_bookings(uow=loaded())}
    assert rows[view.booking.id].status is BookingStatus.CANCELLED
    assert rows[moved.booking.id].rescheduled_from_id == view.booking.id
    services.cancel(moved.booking.id, actor=Actor("guest", guest.id), uow=loaded(), clock=clock)
    assert services.guest_bookings(guest.id, uow=loaded(), clock=clock) == []
    with loaded() as uow:
        kinds = [m.kind for m in uow.outbox.list()]
    assert kinds.count("booking_created") == 3  # telegram, slack and email for Ana
    assert kinds.count("booking_cancelled") == 3


def test_a_load_that_fails_in_the_database_check_changes_nothing(loaded):
    setup = yaml.safe_load(EXAMPLE.read_text())
    setup["hosts"][0]["name"] = "Ana Renamed"
    setup["hosts"][1] = {"handle": "carl", "timezone": "UTC", "slack_user_id": "U0BRUNO",
                         "event_types": [{"slug": "chat", "duration": 15}]}
    with pytest.raises(SetupError) as caught:
        services.load_hosts(parse_setup(setup), uow=loaded())
    assert caught.value.problems == [
        "hosts[1].slack_user_id: 'U0BRUNO' already belongs to host 'bruno'"]
    hosts = services.list_hosts(uow=loaded())
    assert [(h.handle, h.name) for h in hosts] == [("ana", "Ana Lima"), ("bruno", "Bruno Costa")]


@pytest.mark.parametrize("threads", [8])
def test_racing_guests_get_exactly_one_booking(loaded, threads):
    guests = [make_guest(loaded, n) for n in range(threads)]
    barrier = threading.Barrier(threads)
    outcomes: list[str] = []

    def attempt(guest_id: int) -> None:
        barrier.wait()
        try:
            services.book("ana", "intro", TUESDAY_10, guest_id=guest_id, uow=loaded(), clock=clock)
            outcomes.append("booked")
        except SlotUnavailable as exc:
            assert exc.alternatives
            outcomes.append("taken")

    workers = [threading.Thread(target=attempt, args=(g.id,)) for g in guests]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(outcomes) == ["booked"] + ["taken"] * (threads - 1)
    live = services.list_bookings(uow=loaded(), status=BookingStatus.CONFIRMED)
    assert len(live) == 1


def test_reloading_the_setup_file_keeps_time_off_added_by_command(loaded):
    services.add_time_off("ana", date(2026, 12, 28), date(2026, 12, 29), uow=loaded())
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=loaded())
    overrides = {o.date: (o.intervals, o.source)
                 for o in services.get_host("ana", uow=loaded()).date_overrides}
    # The file gives Dec 28 other hours, but the host took it off: the host wins.
    assert overrides[date(2026, 12, 28)] == ([], "command")
    assert overrides[date(2026, 12, 29)] == ([], "command")
    assert overrides[date(2026, 12, 24)] == ([], "file")
