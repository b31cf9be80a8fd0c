"""The scheduling core's controls on real storage (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from core import services
from core.errors import BookingConflict, SeriesClash, SlotUnavailable
from core.models import Booking, BookingStatus
from core.series import book_series, cancel_series
from core.services import Actor
from core.setup_file import parse_setup
from storage.orm import booking_series, bookings

#: Monday 30 Nov 2026, 08:00 UTC; Tuesday 10:00 in Berlin is 09:00 UTC.
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TUESDAY_10 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SETUP = {"hosts": [{
    "handle": "ana", "timezone": "Europe/Berlin", "telegram_user_id": 1001,
    "tags": ["Projector"], "capacity": 6, "max_active_per_guest": 5,
    "working_hours": {"mon-fri": "09:00-17:00"},
    "time_off": [{"from": "2026-12-24", "to": "2026-12-26"}],
    "event_types": [
        {"slug": "call", "title": "Call", "duration": 30, "durations": [30, 60],
         "slot_interval": 30, "limits": {"per_day": 6, "minutes_per_week": 600},
         "booking_dates": {"from": "2026-12-01", "to": "2027-01-31"}, "cancel_notice": 60},
        {"slug": "request", "title": "Request", "duration": 30, "requires_confirmation": True,
         "confirmation_timeout": 90},
    ],
}]}


def clock() -> datetime:
    return NOW


@pytest.fixture
def loaded(uow_factory):
    services.load_hosts(parse_setup(SETUP), uow=uow_factory())
    return uow_factory


def guest(factory, n: int = 1) -> int:
    return services.ensure_guest("telegram", f"g{n}", uow=factory(), name=f"G{n}",
                                 chat_id=f"c{n}").id or 0


def test_new_host_and_event_type_settings_round_trip(loaded):
    services.load_hosts(parse_setup(SETUP), uow=loaded())  # loading twice changes nothing
    host = services.get_host("ana", uow=loaded())
    call = host.event_type("call")
    assert (host.tags, host.capacity, host.max_active_per_guest) == (["projector"], 6, 5)
    assert call is not None and call.durations == [30, 60]
    assert (call.window_start, call.window_end) == (date(2026, 12, 1), date(2027, 1, 31))
    assert (call.max_per_day, call.max_minutes_per_week, call.cancel_notice) == (6, 600, 60)
    assert [o.date for o in host.date_overrides if not o.intervals] == [
        date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)]


def test_one_seat_bookings_are_marked_exclusive(loaded):
    view = services.book("ana", "call", TUESDAY_10, guest_id=guest(loaded), uow=loaded(),
                         clock=clock, duration=60)
    assert view.booking.exclusive and view.booking.end - view.booking.start == timedelta(hours=1)


def test_database_refuses_overlapping_exclusive_bookings_on_postgresql(loaded, engine: Engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    view = services.book("ana", "call", TUESDAY_10, guest_id=guest(loaded), uow=loaded(),
                         clock=clock)
    overlapping = Booking(host_id=view.booking.host_id, event_type_id=view.booking.event_type_id,
                          guest_id=view.booking.guest_id, start=TUESDAY_10 + timedelta(minutes=15),
                          end=TUESDAY_10 + timedelta(minutes=45), exclusive=True)
    with loaded() as uow, pytest.raises(BookingConflict):
        uow.bookings.add(overlapping)
    with loaded() as uow:  # a cancelled booking no longer holds the time
        uow.bookings.get(view.booking.id).status = BookingStatus.CANCELLED
        uow.bookings.add(overlapping)
        uow.commit()


def test_expired_request_is_declined_and_frees_the_slot(loaded):
    view = services.book("ana", "request", TUESDAY_10, guest_id=guest(loaded), uow=loaded(),
                         clock=clock)
    assert services.expire_pending(loaded(), NOW + timedelta(minutes=89)) == 0
    assert services.expire_pending(loaded(), NOW + timedelta(minutes=90)) == 1
    (stored,) = services.list_bookings(uow=loaded(), status=BookingStatus.DECLINED)
    assert stored.booking.id == view.booking.id
    assert stored.booking.cancel_reason == services.EXPIRED_REASON
    services.book("ana", "request", TUESDAY_10, guest_id=guest(loaded, 2), uow=loaded(),
                  clock=clock)
    with loaded() as uow:
        assert [m.recipient for m in uow.outbox.list() if m.kind == "booking_expired"] == ["c1"]


def test_confirm_and_decline_are_stored(loaded):
    host = Actor("host", services.get_host("ana", uow=loaded()).id or 0)
    first = services.book("ana", "request", TUESDAY_10, guest_id=guest(loaded), uow=loaded(),
                          clock=clock)
    second = services.book("ana", "request", TUESDAY_10 + timedelta(hours=1),
                           guest_id=guest(loaded, 2), uow=loaded(), clock=clock)
    services.confirm(first.booking.id or 0, actor=host, uow=loaded(), clock=clock)
    services.decline(second.booking.id or 0, actor=host, uow=loaded(), clock=clock, reason="no")
    statuses = {v.booking.id: (v.booking.status, v.booking.cancel_reason)
                for v in services.list_bookings(uow=loaded())}
    assert statuses == {first.booking.id: (BookingStatus.CONFIRMED, None),
                        second.booking.id: (BookingStatus.DECLINED, "no")}


def test_clashing_series_writes_nothing(loaded, engine: Engine):
    carla = guest(loaded)
    services.book("ana", "call", TUESDAY_10 + timedelta(days=14), guest_id=guest(loaded, 2),
                  uow=loaded(), clock=clock)
    with pytest.raises(SeriesClash) as caught:
        book_series("ana", "call", TUESDAY_10, "FREQ=WEEKLY;COUNT=4", guest_id=carla,
                    uow=loaded(), clock=clock)
    assert [c.start for c in caught.value.clashes] == [TUESDAY_10 + timedelta(days=14)]
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(bookings)).scalar() == 1
        assert connection.execute(select(func.count()).select_from(booking_series)).scalar() == 0


def test_series_is_stored_and_cancelled_from_an_occurrence_on(loaded):
    carla = guest(loaded)
    view = book_series("ana", "call", TUESDAY_10, "FREQ=WEEKLY;COUNT=4", guest_id=carla,
                       uow=loaded(), clock=clock)
    ids = [o.booking.id for o in view.occurrences]
    cancel_series(ids[1] or 0, "following", actor=Actor("guest", carla), uow=loaded(),
                  clock=clock)
    with loaded() as uow:
        stored = uow.bookings.of_series(view.series.id or 0)
        assert [b.is_live for b in stored] == [True, False, False, False]
        assert uow.series.get(view.series.id or 0).rule == "FREQ=WEEKLY;COUNT=4"


def test_taken_slot_in_a_series_check_is_reported_with_alternatives(loaded):
    services.book("ana", "call", TUESDAY_10, guest_id=guest(loaded), uow=loaded(), clock=clock)
    with pytest.raises(SlotUnavailable) as caught:
        services.check_slot("ana", "call", TUESDAY_10, uow=loaded(), clock=clock)
    assert caught.value.alternatives


def test_time_off_is_stored_and_closes_the_days(loaded):
    thursday = datetime(2026, 12, 2, 23, 0, tzinfo=UTC)  # midnight in Berlin
    assert services.free_slots("ana", "call", TUESDAY_10, thursday, uow=loaded(), clock=clock)
    days = services.add_time_off("ana", date(2026, 12, 1), date(2026, 12, 2), uow=loaded())
    assert days == [date(2026, 12, 1), date(2026, 12, 2)]
    assert services.free_slots("ana", "call", TUESDAY_10, thursday, uow=loaded(),
                               clock=clock) == []
    assert services.free_slots("ana", "call", thursday, thursday + timedelta(days=1),
                               uow=loaded(), clock=clock)
    host = services.get_host("ana", uow=loaded())
    assert sum(1 for o in host.date_overrides if not o.intervals) == 5  # with 24–26 Dec
