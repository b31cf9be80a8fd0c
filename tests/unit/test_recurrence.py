"""Recurring bookings: RRULE expansion in the host's zone, atomic series, partial cancels."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core import services
from core.errors import SeriesClash, TooLateToChange
from core.models import BookingStatus
from core.recurrence import MAX_OCCURRENCES, InvalidRecurrence, Recurrence, occurrences
from core.series import book_series, cancel_series
from core.services import Actor
from core.setup_file import parse_setup
from tests.unit.fakes import FakeUnitOfWork

#: Monday 2 Mar 2026, 08:00 UTC. Europe moves its clocks on 29 Mar, the US on 8 Mar.
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
BERLIN = "Europe/Berlin"


def clock() -> datetime:
    return NOW


def local(text: str, tz: str = BERLIN) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


@pytest.mark.parametrize(("recurrence", "rule"), [
    (Recurrence("daily", count=5), "FREQ=DAILY;COUNT=5"),
    (Recurrence("weekly", interval=2, weekdays=(2, 0), count=6),
     "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6"),
    (Recurrence("monthly", until=date(2026, 12, 31)), "FREQ=MONTHLY;UNTIL=20261231T235959"),
])
def test_plain_recurrences_become_rrules(recurrence, rule):
    assert recurrence.rule() == rule


def test_a_recurrence_must_end_one_way():
    with pytest.raises(InvalidRecurrence):
        Recurrence("weekly").rule()
    with pytest.raises(InvalidRecurrence):
        occurrences("FREQ=WEEKLY", local("2026-03-02 10:00"), BERLIN)


def test_weekly_series_keeps_local_time_across_the_spring_change():
    starts = occurrences("FREQ=WEEKLY;COUNT=6", local("2026-03-16 10:00"), BERLIN)
    assert [s.astimezone(ZoneInfo(BERLIN)).hour for s in starts] == [10] * 6
    assert [s.hour for s in starts] == [9, 9, 8, 8, 8, 8]  # UTC shifts on 29 Mar


def test_every_other_week_on_chosen_weekdays_until_a_date():
    rule = Recurrence("weekly", interval=2, weekdays=(0, 3), until=date(2026, 4, 2)).rule()
    starts = occurrences(rule, local("2026-03-02 09:00"), BERLIN)
    assert [s.astimezone(ZoneInfo(BERLIN)).date() for s in starts] == [
        date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 16), date(2026, 3, 19),
        date(2026, 3, 30), date(2026, 4, 2),
    ]


def test_monthly_series_expands_in_the_host_zone_not_utc():
    # 00:30 in Sydney is the previous day in UTC; the 31st is skipped in short months.
    starts = occurrences("FREQ=MONTHLY;COUNT=3", local("2026-01-31 00:30", "Australia/Sydney"),
                         "Australia/Sydney")
    sydney = ZoneInfo("Australia/Sydney")
    assert [s.astimezone(sydney).date() for s in starts] == [
        date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31)]


def test_utc_until_is_read_as_that_instant():
    starts = occurrences("RRULE:FREQ=DAILY;UNTIL=20260304T090000Z", local("2026-03-02 10:00"),
                         BERLIN)
    assert len(starts) == 3  # 2, 3 and 4 March at 10:00 Berlin = 09:00 UTC


def test_series_longer_than_the_cap_is_refused():
    with pytest.raises(InvalidRecurrence):
        occurrences(f"FREQ=DAILY;COUNT={MAX_OCCURRENCES + 1}", local("2026-03-02 10:00"),
                    BERLIN)


# --- series as use cases ----------------------------------------------------------------------

SETUP = {"hosts": [{
    "handle": "ana", "name": "Ana", "timezone": BERLIN, "telegram_user_id": 1001,
    "working_hours": {"mon-fri": "09:00-17:00"},
    "event_types": [{"slug": "sync", "title": "Sync", "duration": 30, "booking_window": 120,
                     "cancel_notice": 1440}],
}]}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    services.load_hosts(parse_setup(SETUP), uow=fake)
    return fake


def guest(uow: FakeUnitOfWork, n: int = 1) -> int:
    return services.ensure_guest("telegram", f"g{n}", uow=uow, name=f"G{n}",
                                 chat_id=f"c{n}").id or 0


def test_series_is_booked_whole_and_host_told_once(uow):
    view = book_series("ana", "sync", local("2026-03-09 10:00"), "FREQ=WEEKLY;COUNT=4",
                       guest_id=guest(uow), uow=uow, clock=clock)
    assert len(view.occurrences) == 4
    assert {b.booking.series_id for b in view.occurrences} == {view.series.id}
    created = [m for m in uow.outbox.items if m.kind == "booking_created"]
    assert len(created) == 1 and len(created[0].payload["occurrences"]) == 4  # type: ignore[arg-type]
    [contact] = uow.contacts.items
    assert contact.total_bookings == 4  # every occurrence counts for the contact


def test_clashing_series_books_nothing_and_names_each_clash_with_alternatives(uow):
    taken = local("2026-03-23 10:00")
    services.book("ana", "sync", taken, guest_id=guest(uow, 2), uow=uow, clock=clock)
    before = len(uow.bookings.items)
    with pytest.raises(SeriesClash) as caught:
        book_series("ana", "sync", local("2026-03-09 10:00"), "FREQ=WEEKLY;COUNT=4",
                    guest_id=guest(uow), uow=uow, clock=clock)
    assert [c.start for c in caught.value.clashes] == [taken]
    assert caught.value.clashes[0].alternatives
    assert len(uow.bookings.items) == before and uow.series.items == []


def test_cancel_this_and_following_keeps_earlier_occurrences(uow):
    carla = guest(uow)
    view = book_series("ana", "sync", local("2026-03-09 10:00"), "FREQ=WEEKLY;COUNT=4",
                       guest_id=carla, uow=uow, clock=clock)
    third = view.occurrences[2].booking
    cancelled = cancel_series(third.id or 0, "following", actor=Actor("guest", carla),
                              uow=uow, clock=clock, reason="project over")
    assert [b.start for b in cancelled] == [o.booking.start for o in view.occurrences[2:]]
    statuses = [o.booking.status for o in view.occurrences]
    assert statuses == [BookingStatus.CONFIRMED] * 2 + [BookingStatus.CANCELLED] * 2


def test_cancel_one_occurrence_or_the_whole_series(uow):
    carla = guest(uow)
    view = book_series("ana", "sync", local("2026-03-09 10:00"), "FREQ=DAILY;COUNT=3",
                       guest_id=carla, uow=uow, clock=clock)
    one = cancel_series(view.occurrences[1].booking.id or 0, "one",
                        actor=Actor("guest", carla), uow=uow, clock=clock)
    assert [b.id for b in one] == [view.occurrences[1].booking.id]
    rest = cancel_series(view.occurrences[0].booking.id or 0, "all",
                         actor=Actor("guest", carla), uow=uow, clock=clock)
    assert {b.id for b in rest} == {view.occurrences[0].booking.id,
                                    view.occurrences[2].booking.id}
    assert all(not o.booking.is_live for o in view.occurrences)


def test_guest_cancelling_a_series_keeps_occurrences_inside_the_notice(uow):
    carla = guest(uow)
    view = book_series("ana", "sync", local("2026-03-09 10:00"), "FREQ=DAILY;COUNT=3",
                       guest_id=carla, uow=uow, clock=clock)
    first = view.occurrences[0].booking

    def late() -> datetime:
        return first.start - timedelta(hours=2)

    cancelled = cancel_series(first.id or 0, "all", actor=Actor("guest", carla), uow=uow,
                              clock=late)
    assert first.is_live and len(cancelled) == 2
    with pytest.raises(TooLateToChange):
        cancel_series(first.id or 0, "one", actor=Actor("guest", carla), uow=uow, clock=late)
