"""Event-type controls at Cal.com depth: durations, limits, windows, time off, busy time,
per-guest caps, confirmation requests and the guest change policy (in-memory storage)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bots import host_commands
from core import availability, services
from core.errors import (
    BookingNotLive,
    DurationNotAllowed,
    GuestLimitReached,
    NotAllowed,
    NotPending,
    OutsideBookingWindow,
    SlotUnavailable,
    TooLateToChange,
    TooSoon,
)
from core.models import BookingStatus, Host, Interval
from core.services import Actor
from core.setup_file import SetupError, parse_setup
from tests.unit.factories import make_booking
from tests.unit.fakes import FakeUnitOfWork

#: Monday 30 Nov 2026, 08:00 UTC = 09:00 in Berlin.
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
#: Tuesday 1 Dec 2026, 10:00 in Berlin.
TUESDAY_10 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)

SETUP = {
    "hosts": [{
        "handle": "ana",
        "name": "Ana Lima",
        "timezone": "Europe/Berlin",
        "telegram_user_id": 1001,
        "working_hours": {"mon-fri": "09:00-17:00"},
        "time_off": [{"from": "2026-12-24", "to": "2026-12-26"}],
        "max_active_per_guest": 2,
        "event_types": [
            {"slug": "call", "title": "Call", "duration": 30, "durations": [30, 60],
             "slot_interval": 30, "cancel_notice": 1440},
            {"slug": "limited", "title": "Limited", "duration": 60,
             "limits": {"per_day": 2, "minutes_per_week": 240}},
            {"slug": "advent", "title": "Advent", "duration": 60,
             "booking_dates": {"from": "2026-12-07", "to": "2026-12-11"}},
            {"slug": "request", "title": "Request", "duration": 30, "slot_interval": 30,
             "requires_confirmation": True, "confirmation_timeout": 120},
        ],
    }]
}


def clock() -> datetime:
    return NOW


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    services.load_hosts(parse_setup(SETUP), uow=fake)
    return fake


def guest(uow: FakeUnitOfWork, n: int = 1) -> int:
    made = services.ensure_guest("telegram", f"g{n}", uow=uow, name=f"Guest {n}",
                                 chat_id=f"c{n}")
    return made.id or 0


def host_actor(uow: FakeUnitOfWork) -> Actor:
    return Actor("host", services.get_host("ana", uow=uow).id or 0)


def slots_on(uow: FakeUnitOfWork, slug: str, day: date, **kwargs: object) -> list[datetime]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    found = services.free_slots("ana", slug, start, start + timedelta(days=1), uow=uow,
                                clock=clock, **kwargs)  # type: ignore[arg-type]
    return [s.start for s in found]


# --- durations ------------------------------------------------------------------------------


def test_guest_may_pick_another_allowed_duration(uow):
    view = services.book("ana", "call", TUESDAY_10, guest_id=guest(uow), uow=uow, clock=clock,
                         duration=60)
    assert view.booking.end - view.booking.start == HOUR
    assert TUESDAY_10 + timedelta(minutes=30) not in slots_on(uow, "call", date(2026, 12, 1))


def test_duration_not_offered_is_refused_with_the_allowed_ones(uow):
    with pytest.raises(DurationNotAllowed) as caught:
        services.book("ana", "call", TUESDAY_10, guest_id=guest(uow), uow=uow, clock=clock,
                      duration=45)
    assert caught.value.allowed == [30, 60]


# --- limits, windows, time off, busy time ------------------------------------------------------


def test_day_limit_removes_the_rest_of_that_day_only(uow):
    for n, hour in enumerate((0, 2)):
        services.book("ana", "limited", TUESDAY_10 + hour * HOUR, guest_id=guest(uow, n),
                      uow=uow, clock=clock)
    assert slots_on(uow, "limited", date(2026, 12, 1)) == []
    assert len(slots_on(uow, "limited", date(2026, 12, 2))) == 8
    with pytest.raises(SlotUnavailable) as caught:
        services.book("ana", "limited", TUESDAY_10 + 4 * HOUR, guest_id=guest(uow, 3),
                      uow=uow, clock=clock)
    assert all(s.start.date() != date(2026, 12, 1) for s in caught.value.alternatives)


def test_week_minutes_limit_closes_the_week_and_reopens_the_next(uow):
    for n, day in enumerate(range(4)):  # Tue..Fri, 60 minutes each: 240 minutes this week
        start = datetime(2026, 12, 1 + day, 9, 0, tzinfo=UTC)
        if day < 3:
            services.book("ana", "limited", start, guest_id=guest(uow, 10 + n), uow=uow,
                          clock=clock)
    assert slots_on(uow, "limited", date(2026, 12, 4))  # 180 minutes used: one more fits
    services.book("ana", "limited", datetime(2026, 12, 4, 9, 0, tzinfo=UTC),
                  guest_id=guest(uow, 20), uow=uow, clock=clock)
    assert slots_on(uow, "limited", date(2026, 12, 4)) == []
    assert slots_on(uow, "limited", date(2026, 12, 7))  # next Monday: a new week


def test_fixed_date_range_window_offers_only_those_days(uow):
    offered = {s.date() for day in range(30) for s in
               slots_on(uow, "advent", date(2026, 12, 1) + timedelta(days=day))}
    assert offered == {date(2026, 12, d) for d in range(7, 12)}
    with pytest.raises(TooSoon):
        services.check_slot("ana", "advent", TUESDAY_10, uow=uow, clock=clock)
    with pytest.raises(OutsideBookingWindow) as caught:
        services.check_slot("ana", "advent", datetime(2026, 12, 14, 9, tzinfo=UTC), uow=uow,
                            clock=clock)
    assert caught.value.latest == datetime(2026, 12, 11, 23, 0, tzinfo=UTC)  # midnight Berlin


def test_time_off_from_the_setup_file_closes_those_days(uow):
    assert slots_on(uow, "call", date(2026, 12, 23))
    for day in (24, 25):
        assert slots_on(uow, "call", date(2026, 12, day)) == []


def test_host_command_off_adds_days_off_in_the_host_zone(uow):
    host = services.get_host("ana", uow=uow)
    reply = host_commands.run(host, "/slotbot off dec 2-3", uow_factory=lambda: uow,
                              clock=clock).text
    assert reply.startswith("Time off: Wed 2 Dec – Thu 3 Dec 2026 (Europe/Berlin)")
    assert slots_on(uow, "call", date(2026, 12, 2)) == []
    assert slots_on(uow, "call", date(2026, 12, 3)) == []
    assert slots_on(uow, "call", date(2026, 12, 4))


@pytest.mark.parametrize(("text", "expected"), [
    ("dec 24-26", (date(2026, 12, 24), date(2026, 12, 26))),
    ("24-26 December", (date(2026, 12, 24), date(2026, 12, 26))),
    ("dec 30 - jan 2", (date(2026, 12, 30), date(2027, 1, 2))),
    ("nov 2", (date(2027, 11, 2), date(2027, 11, 2))),  # already past this year
    ("2027-03-01 2027-03-05", (date(2027, 3, 1), date(2027, 3, 5))),
    ("someday", None),
])
def test_time_off_dates_are_read_as_the_next_such_days(text, expected):
    assert host_commands.day_range(text, date(2026, 11, 30)) == expected


def test_busy_time_from_an_external_source_is_subtracted(uow):
    class Calendar:
        def busy(self, host: Host, start: datetime, end: datetime) -> list[Interval]:
            return [Interval(TUESDAY_10, TUESDAY_10 + HOUR)]

    free = slots_on(uow, "call", date(2026, 12, 1), busy_source=Calendar())
    assert TUESDAY_10 not in free and TUESDAY_10 + HOUR in free
    with pytest.raises(SlotUnavailable):
        services.book("ana", "call", TUESDAY_10, guest_id=guest(uow), uow=uow, clock=clock,
                      busy_source=Calendar())


def test_guest_cap_counts_only_upcoming_live_bookings_with_the_host(uow):
    carla = guest(uow)
    first = services.book("ana", "call", TUESDAY_10, guest_id=carla, uow=uow, clock=clock)
    services.book("ana", "call", TUESDAY_10 + HOUR, guest_id=carla, uow=uow, clock=clock)
    with pytest.raises(GuestLimitReached) as caught:
        services.book("ana", "call", TUESDAY_10 + 2 * HOUR, guest_id=carla, uow=uow,
                      clock=clock)
    assert caught.value.limit == 2
    services.cancel(first.booking.id or 0, actor=host_actor(uow), uow=uow, clock=clock)
    services.book("ana", "call", TUESDAY_10 + 2 * HOUR, guest_id=carla, uow=uow, clock=clock)


def test_setup_file_refuses_unknown_limit_keys():
    bad = {"hosts": [{**SETUP["hosts"][0], "event_types": [
        {"slug": "x", "title": "X", "duration": 30, "limits": {"per_month": 3}}]}]}
    with pytest.raises(SetupError, match=r"event_types\[0\]\.limits"):
        parse_setup(bad)


# --- confirmation requests ------------------------------------------------------------------


def test_pending_request_holds_its_seat_until_declined(uow):
    view = services.book("ana", "request", TUESDAY_10, guest_id=guest(uow), uow=uow,
                         clock=clock)
    assert view.booking.status is BookingStatus.PENDING
    with pytest.raises(SlotUnavailable):
        services.book("ana", "request", TUESDAY_10, guest_id=guest(uow, 2), uow=uow,
                      clock=clock)
    uow.outbox.items.clear()
    services.decline(view.booking.id or 0, actor=host_actor(uow), uow=uow, clock=clock,
                     reason="travelling")
    assert view.booking.status is BookingStatus.DECLINED
    told = [(m.recipient, m.kind, m.payload["reason"]) for m in uow.outbox.items]
    assert told == [("c1", "booking_declined", "travelling")]
    services.book("ana", "request", TUESDAY_10, guest_id=guest(uow, 2), uow=uow, clock=clock)


def test_host_confirms_a_request_once_and_the_guest_is_told(uow):
    view = services.book("ana", "request", TUESDAY_10, guest_id=guest(uow), uow=uow,
                         clock=clock)
    host = services.get_host("ana", uow=uow)
    reply = host_commands.run(host, f"/slotbot confirm {view.booking.id}",
                              uow_factory=lambda: uow, clock=clock).text
    assert reply.startswith(f"Confirmed #{view.booking.id} (10:00–10:30 Request with Guest 1")
    assert view.booking.status is BookingStatus.CONFIRMED
    assert [m.kind for m in uow.outbox.items if m.recipient == "c1"] == ["booking_confirmed"]
    again = host_commands.run(host, f"/slotbot confirm {view.booking.id}",
                              uow_factory=lambda: uow, clock=clock).text
    assert again == f"Booking #{view.booking.id} is already confirmed."
    with pytest.raises(NotPending):
        services.decline(view.booking.id or 0, actor=host_actor(uow), uow=uow, clock=clock)


def test_guest_cannot_confirm_their_own_request(uow):
    carla = guest(uow)
    view = services.book("ana", "request", TUESDAY_10, guest_id=carla, uow=uow, clock=clock)
    with pytest.raises(NotAllowed):
        services.confirm(view.booking.id or 0, actor=Actor("guest", carla), uow=uow,
                         clock=clock)


def test_pending_requests_expire_after_the_timeout_and_the_guest_is_told(uow):
    soon = services.book("ana", "request", NOW + HOUR, guest_id=guest(uow), uow=uow,
                         clock=clock)
    later = services.book("ana", "request", TUESDAY_10, guest_id=guest(uow, 2), uow=uow,
                          clock=clock)
    assert services.expire_pending(uow, NOW + timedelta(minutes=59)) == 0
    assert services.expire_pending(uow, NOW + HOUR) == 1  # its start came before the timeout
    assert soon.booking.status is BookingStatus.DECLINED
    assert later.booking.status is BookingStatus.PENDING
    assert services.expire_pending(uow, NOW + 2 * HOUR) == 1  # 120 minutes after the request
    assert later.booking.cancel_reason == services.EXPIRED_REASON
    assert services.expire_pending(uow, NOW + 3 * HOUR) == 0
    expired = [m.recipient for m in uow.outbox.items if m.kind == "booking_expired"]
    assert expired == ["c1", "c2"]


def test_declined_request_reopens_the_slot_in_free_slots(uow):
    view = services.book("ana", "request", TUESDAY_10, guest_id=guest(uow), uow=uow,
                         clock=clock)
    assert TUESDAY_10 not in slots_on(uow, "request", date(2026, 12, 1))
    host = services.get_host("ana", uow=uow)
    reply = host_commands.run(host, f"/slotbot decline {view.booking.id} on leave",
                              uow_factory=lambda: uow, clock=clock).text
    assert reply == f"Declined #{view.booking.id}. Guest 1 will be told (on leave)."
    assert TUESDAY_10 in slots_on(uow, "request", date(2026, 12, 1))


# --- no-shows and the guest change policy ---------------------------------------------------


def test_no_show_only_after_the_start(uow):
    view = services.book("ana", "call", TUESDAY_10, guest_id=guest(uow), uow=uow, clock=clock)
    host = services.get_host("ana", uow=uow)
    booking_id = view.booking.id
    early = host_commands.run(host, f"/slotbot noshow {booking_id}", uow_factory=lambda: uow,
                              clock=clock).text
    assert early == f"Booking #{booking_id} has not started yet."
    late = host_commands.run(host, f"/slotbot noshow {booking_id}", uow_factory=lambda: uow,
                             clock=lambda: TUESDAY_10 + timedelta(minutes=10)).text
    assert late == f"Marked #{booking_id} as a no-show."
    assert view.booking.status is BookingStatus.NO_SHOW
    with pytest.raises(BookingNotLive):
        services.cancel(booking_id or 0, actor=host_actor(uow), uow=uow, clock=clock)


def test_guest_cannot_cancel_or_move_after_the_cutoff_but_the_host_can(uow):
    carla = guest(uow)
    view = services.book("ana", "call", TUESDAY_10, guest_id=carla, uow=uow, clock=clock)
    booking_id = view.booking.id or 0

    def late() -> datetime:  # inside the 24 h notice
        return TUESDAY_10 - timedelta(hours=23)

    with pytest.raises(TooLateToChange) as caught:
        services.cancel(booking_id, actor=Actor("guest", carla), uow=uow, clock=late)
    assert caught.value.cutoff == TUESDAY_10 - timedelta(hours=24)
    with pytest.raises(TooLateToChange):
        services.reschedule(booking_id, TUESDAY_10 + HOUR, actor=Actor("guest", carla),
                            uow=uow, clock=late)
    assert view.booking.status is BookingStatus.CONFIRMED
    services.cancel(booking_id, actor=host_actor(uow), uow=uow, clock=late, reason="sick")
    assert view.booking.cancel_reason == "sick"


def test_guest_may_cancel_before_the_cutoff(uow):
    carla = guest(uow)
    view = services.book("ana", "call", TUESDAY_10, guest_id=carla, uow=uow, clock=clock)
    services.cancel(view.booking.id or 0, actor=Actor("guest", carla), uow=uow, clock=clock,
                    reason="clash")
    assert view.booking.status is BookingStatus.CANCELLED


def test_limits_apply_in_the_pure_engine_by_local_day():
    host = parse_setup(SETUP)[0]
    for n, event_type in enumerate(host.event_types):
        event_type.id = n + 1
    limited = host.event_type("limited")
    assert limited is not None
    # 23:30 UTC Monday is 00:30 Tuesday in Berlin: it counts for Tuesday.
    late = [make_booking(limited, datetime(2026, 11, 30, 23, 30, tzinfo=UTC)),
            make_booking(limited, TUESDAY_10)]
    tuesday = availability.free_slots(
        host, limited, start=TUESDAY_10 - HOUR, end=TUESDAY_10 + 8 * HOUR, now=NOW,
        bookings=late)
    assert tuesday == []


@pytest.mark.parametrize(("extra", "where"), [
    ({"durations": [30, 0]}, "durations"),
    ({"booking_dates": {"from": "2026-12-10", "to": "2026-12-01"}}, "booking_dates"),
    ({"limits": {"per_day": 0}}, "limits.per_day"),
    ({"cancel_notice": -5}, "cancel_notice"),
])
def test_setup_file_names_the_faulty_new_key(extra, where):
    bad = {"hosts": [{**SETUP["hosts"][0], "event_types": [
        {"slug": "x", "title": "X", "duration": 30, **extra}]}]}
    with pytest.raises(SetupError, match=rf"event_types\[0\]\.{where}"):
        parse_setup(bad)
