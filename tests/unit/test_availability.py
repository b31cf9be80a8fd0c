"""Unit tests for core.availability: grid, hours, DST, notice, window, buffers, seats, errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.availability import check_start, free_slots, nearest_slots, slots_by_day
from core.errors import InvalidTime, OutsideBookingWindow, SlotUnavailable, TooSoon
from core.models import Booking, BookingStatus, EventType, Host, Interval, Slot
from tests.unit.factories import local, make_booking, make_event_type, make_host, utc

BERLIN = "Europe/Berlin"
#: Sunday before the test week (Mon 2026-03-02 … Sun 2026-03-08, Berlin is UTC+1).
NOW = utc("2026-03-01 12:00")
EVERY_DAY = dict.fromkeys(range(7), "09:00-17:00")


def walls(slots: list[Slot], tz: str = BERLIN, fmt: str = "%a %H:%M") -> list[str]:
    """Slot starts as local wall-clock text, for readable assertions."""
    return [s.start.astimezone(ZoneInfo(tz)).strftime(fmt) for s in slots]


def day_slots(
    host: Host,
    event_type: EventType,
    day: str,
    *,
    now: datetime = NOW,
    bookings: Sequence[Booking] = (),
    busy: Sequence[Interval] = (),
    duration: int | None = None,
) -> list[Slot]:
    """Free slots starting on one local day (``"2026-03-02"``) of the host."""
    start = local(f"{day} 00:00", host.timezone)
    end = local(f"{date.fromisoformat(day) + timedelta(days=1)} 00:00", host.timezone)
    return free_slots(
        host,
        event_type,
        start=start,
        end=end,
        now=now,
        bookings=bookings,
        busy=busy,
        duration=duration,
    )


def half_hours(first: str, last: str) -> list[str]:
    """``"09:00", "10:00"`` → ``["09:00", "09:30", "10:00"]``."""
    t = datetime.combine(date(2026, 1, 1), time.fromisoformat(first))
    out = []
    while t.time() <= time.fromisoformat(last):
        out.append(t.strftime("%H:%M"))
        t += timedelta(minutes=30)
    return out


# --- working hours and the grid ---------------------------------------------------------------


def test_offers_slots_only_on_working_weekdays() -> None:
    host = make_host()
    slots = free_slots(
        host,
        make_event_type(),
        start=local("2026-03-02 00:00", BERLIN),
        end=local("2026-03-09 00:00", BERLIN),
        now=NOW,
    )
    per_day = {d: len(v) for d, v in slots_by_day(slots, BERLIN).items()}
    assert per_day == {date(2026, 3, d): 16 for d in range(2, 7)}
    assert walls(slots)[:2] == ["Mon 09:00", "Mon 09:30"]
    assert walls(slots)[-1] == "Fri 16:30"


def test_returns_slots_in_utc_with_duration_and_seats() -> None:
    slots = day_slots(make_host(), make_event_type(), "2026-03-02")
    assert slots[0] == Slot(utc("2026-03-02 08:00"), utc("2026-03-02 08:30"), 1)
    assert all(s.start.tzinfo is UTC and s.end.tzinfo is UTC for s in slots)


def test_grid_steps_by_slot_interval_while_the_duration_fits() -> None:
    host = make_host(weekly={0: "09:00-11:00"})
    event_type = make_event_type(duration=45, slot_interval=30)
    assert walls(day_slots(host, event_type, "2026-03-02")) == [
        "Mon 09:00",
        "Mon 09:30",
        "Mon 10:00",
    ]


def test_duration_argument_overrides_the_event_type_duration() -> None:
    slots = day_slots(make_host(), make_event_type(slot_interval=30), "2026-03-02", duration=60)
    assert walls(slots, fmt="%H:%M") == half_hours("09:00", "16:00")
    assert all(s.end - s.start == timedelta(minutes=60) for s in slots)


def test_lunch_break_splits_the_day() -> None:
    host = make_host(weekly={0: "09:00-12:00, 13:00-17:00"})
    slots = day_slots(host, make_event_type(duration=60), "2026-03-02")
    assert walls(slots, fmt="%H:%M") == [
        "09:00",
        "10:00",
        "11:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
    ]


def test_overlapping_working_intervals_give_each_start_once() -> None:
    host = make_host(weekly={0: "09:00-11:00, 10:00-12:00"})
    slots = day_slots(host, make_event_type(), "2026-03-02")
    assert walls(slots, fmt="%H:%M") == half_hours("09:00", "11:30")


def test_working_hours_ending_at_midnight_run_to_end_of_day() -> None:
    host = make_host(weekly={0: "22:00-00:00"})
    slots = day_slots(host, make_event_type(), "2026-03-02")
    assert walls(slots, fmt="%H:%M") == ["22:00", "22:30", "23:00", "23:30"]
    assert slots[-1].end == local("2026-03-03 00:00", BERLIN)


# --- daylight saving time ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day_before", "change_day", "utc_hour_before", "utc_hour_after"),
    [
        pytest.param(BERLIN, "2026-03-28", "2026-03-29", 8, 7, id="berlin-spring"),
        pytest.param(BERLIN, "2026-10-24", "2026-10-25", 7, 8, id="berlin-autumn"),
        pytest.param("America/New_York", "2026-03-07", "2026-03-08", 14, 13, id="ny-spring"),
        pytest.param("America/New_York", "2026-10-31", "2026-11-01", 13, 14, id="ny-autumn"),
    ],
)
def test_local_hours_stay_put_across_dst_change_while_utc_shifts(
    tz: str, day_before: str, change_day: str, utc_hour_before: int, utc_hour_after: int
) -> None:
    host = make_host(tz, weekly=EVERY_DAY)
    event_type = make_event_type()
    now = utc(f"{day_before} 00:00") - timedelta(days=7)
    before = day_slots(host, event_type, day_before, now=now)
    after = day_slots(host, event_type, change_day, now=now)
    for slots in (before, after):
        assert walls(slots, tz, "%H:%M") == half_hours("09:00", "16:30")
        assert all(s.end - s.start == timedelta(minutes=30) for s in slots)
    assert before[0].start.hour == utc_hour_before
    assert after[0].start.hour == utc_hour_after


@pytest.mark.parametrize(
    ("tz", "day", "utc_starts"),
    [
        pytest.param(
            BERLIN,
            "2026-03-29",
            ["03-28 23:00", "03-29 00:00", "03-29 01:00", "03-29 02:00", "03-29 03:00"],
            id="berlin-gap-skips-02:00",
        ),
        pytest.param(
            BERLIN,
            "2026-10-25",
            [
                "10-24 22:00",
                "10-24 23:00",
                "10-25 00:00",
                "10-25 02:00",
                "10-25 03:00",
                "10-25 04:00",
            ],
            id="berlin-fold-takes-first-02:00",
        ),
        pytest.param(
            "America/New_York",
            "2026-03-08",
            ["03-08 05:00", "03-08 06:00", "03-08 07:00", "03-08 08:00", "03-08 09:00"],
            id="ny-gap-skips-02:00",
        ),
        pytest.param(
            "America/New_York",
            "2026-11-01",
            [
                "11-01 04:00",
                "11-01 05:00",
                "11-01 07:00",
                "11-01 08:00",
                "11-01 09:00",
                "11-01 10:00",
            ],
            id="ny-fold-takes-first-01:00",
        ),
    ],
)
def test_night_hours_on_dst_change_skip_missing_times_and_use_first_fold(
    tz: str, day: str, utc_starts: list[str]
) -> None:
    host = make_host(tz, weekly={6: "00:00-06:00"})
    now = utc(f"{day} 00:00") - timedelta(days=7)
    slots = day_slots(host, make_event_type(duration=60), day, now=now)
    assert [s.start for s in slots] == [utc(f"2026-{text}") for text in utc_starts]


def test_grid_start_inside_spring_gap_is_skipped_not_moved() -> None:
    host = make_host(weekly={6: "00:00-06:00"})
    now = utc("2026-03-22 00:00")
    slots = day_slots(host, make_event_type(duration=45), "2026-03-29", now=now)
    # 02:15 does not exist that night; 03:15 (the same instant at CET) is not on the grid.
    assert walls(slots, fmt="%H:%M") == [
        "00:00",
        "00:45",
        "01:30",
        "03:00",
        "03:45",
        "04:30",
        "05:15",
    ]


def test_interval_ending_just_after_spring_gap_keeps_its_last_slot() -> None:
    host = make_host(weekly={6: "00:00-03:30"})
    now = utc("2026-03-22 00:00")
    slots = day_slots(host, make_event_type(), "2026-03-29", now=now)
    assert walls(slots, fmt="%H:%M") == ["00:00", "00:30", "01:00", "01:30", "03:00"]


# --- date overrides --------------------------------------------------------------------------


def test_date_override_replaces_weekly_hours_or_gives_a_day_off() -> None:
    host = make_host(
        overrides={
            date(2026, 3, 2): "",
            date(2026, 3, 3): "10:00-12:00",
            date(2026, 3, 7): "10:00-11:00",
        }
    )
    slots = free_slots(
        host,
        make_event_type(),
        start=local("2026-03-02 00:00", BERLIN),
        end=local("2026-03-09 00:00", BERLIN),
        now=NOW,
    )
    by_day = {d.isoformat(): walls(v, fmt="%H:%M") for d, v in slots_by_day(slots, BERLIN).items()}
    assert "2026-03-02" not in by_day
    assert by_day["2026-03-03"] == half_hours("10:00", "11:30")
    assert by_day["2026-03-04"] == half_hours("09:00", "16:30")
    assert by_day["2026-03-07"] == ["10:00", "10:30"]


# --- minimum notice and booking window ---------------------------------------------------------


@pytest.mark.parametrize(("notice", "first"), [(120, "12:30"), (110, "12:00")])
def test_minimum_notice_hides_starts_before_now_plus_notice(notice: int, first: str) -> None:
    now = local("2026-03-02 10:10", BERLIN)
    slots = day_slots(make_host(), make_event_type(minimum_notice=notice), "2026-03-02", now=now)
    assert walls(slots, fmt="%H:%M")[0] == first


def test_minimum_notice_counts_elapsed_minutes_across_dst_change() -> None:
    host = make_host(weekly={6: "00:00-00:00"})
    now = local("2026-03-29 01:30", BERLIN)  # CET; clocks jump 02:00 -> 03:00 at 01:00 UTC
    event_type = make_event_type(minimum_notice=120)
    slots = day_slots(host, event_type, "2026-03-29", now=now)
    assert slots[0].start == utc("2026-03-29 02:30")
    assert walls(slots, fmt="%H:%M")[0] == "04:30"


def test_booking_window_hides_starts_at_or_after_now_plus_days() -> None:
    now = local("2026-03-02 10:00", BERLIN)
    slots = free_slots(
        make_host(),
        make_event_type(booking_window=2),
        start=now,
        end=now + timedelta(days=7),
        now=now,
    )
    assert walls(slots)[-1] == "Wed 09:30"
    assert slots[-1].start < now + timedelta(days=2)


# --- bookings, buffers, busy time --------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "blocks"),
    [
        (BookingStatus.PENDING, True),
        (BookingStatus.CONFIRMED, True),
        (BookingStatus.CANCELLED, False),
        (BookingStatus.DECLINED, False),
        (BookingStatus.COMPLETED, False),
        (BookingStatus.NO_SHOW, False),
    ],
)
def test_only_pending_and_confirmed_bookings_block(status: BookingStatus, blocks: bool) -> None:
    event_type = make_event_type()
    booking = make_booking(event_type, local("2026-03-02 10:00", BERLIN), status=status)
    host = make_host(event_types=[event_type])
    slots = day_slots(host, event_type, "2026-03-02", bookings=[booking])
    assert ("10:00" not in walls(slots, fmt="%H:%M")) is blocks
    assert len(slots) == (15 if blocks else 16)


def test_buffers_of_the_new_event_remove_starts_without_shifting_the_grid() -> None:
    wanted = make_event_type("consult", buffer_before=15, buffer_after=10)
    other = make_event_type("other", id=2)
    host = make_host(event_types=[wanted, other])
    booking = make_booking(other, local("2026-03-02 11:00", BERLIN))
    slots = day_slots(host, wanted, "2026-03-02", bookings=[booking])
    times = walls(slots, fmt="%H:%M")
    # 10:30 would need until 11:10, 11:30 from 11:15: both overlap 11:00-11:30.
    assert times[:5] == ["09:00", "09:30", "10:00", "12:00", "12:30"]
    assert all(s.start.minute in (0, 30) for s in slots)


def test_buffers_of_the_existing_booking_block_around_it() -> None:
    wanted = make_event_type("quick")
    padded = make_event_type("padded", id=2, buffer_before=30, buffer_after=30)
    host = make_host(event_types=[wanted, padded])
    booking = make_booking(padded, local("2026-03-02 11:00", BERLIN))
    slots = day_slots(host, wanted, "2026-03-02", bookings=[booking])
    assert walls(slots, fmt="%H:%M")[:4] == ["09:00", "09:30", "10:00", "12:00"]


def test_booking_of_an_unknown_event_type_blocks_without_buffers() -> None:
    wanted = make_event_type(buffer_before=0)
    stranger = make_event_type("gone", id=99, buffer_after=60)
    host = make_host(event_types=[wanted])
    booking = make_booking(stranger, local("2026-03-02 11:00", BERLIN))
    slots = day_slots(host, wanted, "2026-03-02", bookings=[booking])
    assert walls(slots, fmt="%H:%M")[3:6] == ["10:30", "11:30", "12:00"]


def test_busy_intervals_block_as_they_are() -> None:
    busy = [Interval(local("2026-03-02 13:00", BERLIN), local("2026-03-02 14:30", BERLIN))]
    slots = day_slots(make_host(), make_event_type(), "2026-03-02", busy=busy)
    times = walls(slots, fmt="%H:%M")
    assert {"13:00", "13:30", "14:00"}.isdisjoint(times)
    assert {"12:30", "14:30"} <= set(times)


# --- seats ----------------------------------------------------------------------------------


def test_seats_left_count_down_and_a_full_slot_disappears() -> None:
    group = make_event_type("class", duration=60, seats=3)
    host = make_host(event_types=[group])
    ten = local("2026-03-02 10:00", BERLIN)
    bookings = [make_booking(group, ten, guest_id=g) for g in (1, 2)]
    bookings.append(make_booking(group, ten, guest_id=9, status=BookingStatus.CANCELLED))

    slots = {s.start: s.seats_left for s in day_slots(host, group, "2026-03-02", bookings=bookings)}
    assert slots[ten] == 1
    assert slots[ten + timedelta(hours=1)] == 3

    bookings.append(make_booking(group, ten, guest_id=3))
    slots = {s.start: s.seats_left for s in day_slots(host, group, "2026-03-02", bookings=bookings)}
    assert ten not in slots
    assert slots[ten - timedelta(hours=1)] == slots[ten + timedelta(hours=1)] == 3


def test_seated_slot_is_blocked_by_another_event_type_or_a_different_span() -> None:
    group = make_event_type("class", duration=60, slot_interval=30, seats=3)
    other = make_event_type("other", id=2)
    host = make_host(event_types=[group, other])
    bookings = [
        make_booking(group, local("2026-03-02 10:00", BERLIN)),
        make_booking(other, local("2026-03-02 14:00", BERLIN)),
    ]
    slots = {
        s.start.astimezone(ZoneInfo(BERLIN)).strftime("%H:%M"): s.seats_left
        for s in day_slots(host, group, "2026-03-02", bookings=bookings)
    }
    assert slots["10:00"] == 2
    assert {"09:30", "10:30", "13:30", "14:00"}.isdisjoint(slots)
    assert slots["09:00"] == slots["11:00"] == slots["14:30"] == 3


# --- ranges in other zones -------------------------------------------------------------------


def test_range_in_guest_zone_selects_slots_by_instant() -> None:
    tokyo = "Asia/Tokyo"  # UTC+9: Tuesday 00:00 in Tokyo is Monday 16:00 in Berlin
    slots = free_slots(
        make_host(),
        make_event_type(),
        start=local("2026-03-03 00:00", tokyo),
        end=local("2026-03-04 00:00", tokyo),
        now=NOW,
    )
    assert walls(slots)[:3] == ["Mon 16:00", "Mon 16:30", "Tue 09:00"]
    assert walls(slots)[-1] == "Tue 15:30"


def test_slots_by_day_groups_by_the_readers_calendar_date() -> None:
    slots = day_slots(make_host(), make_event_type(), "2026-03-02")
    days = slots_by_day(slots, "Pacific/Honolulu")  # UTC-10: Berlin 11:00 is 00:00 there
    assert list(days) == [date(2026, 3, 1), date(2026, 3, 2)]
    assert walls(days[date(2026, 3, 1)], fmt="%H:%M") == half_hours("09:00", "10:30")
    assert len(days[date(2026, 3, 2)]) == 12


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(InvalidTime):
        free_slots(
            make_host(),
            make_event_type(),
            start=datetime(2026, 3, 2),
            end=local("2026-03-03 00:00", BERLIN),
            now=NOW,
        )


# --- check_start and alternatives --------------------------------------------------------------


def test_check_start_returns_the_free_slot_asked_in_any_zone() -> None:
    event_type = make_event_type(seats=2)
    slot = check_start(
        make_host(), event_type, local("2026-03-02 04:00", "America/New_York"), now=NOW
    )
    assert slot == Slot(utc("2026-03-02 09:00"), utc("2026-03-02 09:30"), 2)


def test_check_start_offers_nearest_free_slots_when_taken() -> None:
    event_type = make_event_type()
    ten = local("2026-03-02 10:00", BERLIN)
    booking = make_booking(event_type, ten)
    with pytest.raises(SlotUnavailable) as caught:
        check_start(
            make_host(event_types=[event_type]), event_type, ten, now=NOW, bookings=[booking]
        )
    assert type(caught.value) is SlotUnavailable
    assert caught.value.start == ten
    assert walls(caught.value.alternatives, fmt="%H:%M") == ["09:00", "09:30", "10:30"]


def test_check_start_refuses_off_grid_start_with_neighbours() -> None:
    with pytest.raises(SlotUnavailable) as caught:
        check_start(make_host(), make_event_type(), local("2026-03-02 10:15", BERLIN), now=NOW)
    assert walls(caught.value.alternatives, fmt="%H:%M") == ["09:30", "10:00", "10:30"]


def test_check_start_outside_working_hours_offers_closest_working_slots() -> None:
    with pytest.raises(SlotUnavailable) as caught:
        check_start(make_host(), make_event_type(), local("2026-03-07 10:00", BERLIN), now=NOW)
    assert walls(caught.value.alternatives) == ["Fri 15:30", "Fri 16:00", "Fri 16:30"]


def test_check_start_too_soon_gives_earliest_and_later_alternatives() -> None:
    now = local("2026-03-02 10:10", BERLIN)
    event_type = make_event_type(minimum_notice=120)
    with pytest.raises(TooSoon) as caught:
        check_start(make_host(), event_type, local("2026-03-02 11:00", BERLIN), now=now)
    assert caught.value.earliest == utc("2026-03-02 11:10")
    assert walls(caught.value.alternatives, fmt="%H:%M") == ["12:30", "13:00", "13:30"]


def test_check_start_beyond_window_gives_latest_and_last_slots() -> None:
    now = local("2026-03-02 10:00", BERLIN)
    event_type = make_event_type(booking_window=2)
    with pytest.raises(OutsideBookingWindow) as caught:
        check_start(make_host(), event_type, local("2026-03-06 10:00", BERLIN), now=now)
    assert caught.value.latest == utc("2026-03-04 09:00")
    assert walls(caught.value.alternatives) == ["Tue 16:30", "Wed 09:00", "Wed 09:30"]


def test_check_start_with_no_alternatives_wanted_attaches_none() -> None:
    with pytest.raises(SlotUnavailable) as caught:
        check_start(
            make_host(),
            make_event_type(),
            local("2026-03-07 10:00", BERLIN),
            now=NOW,
            alternatives=0,
        )
    assert caught.value.alternatives == []


def test_nearest_slots_prefers_the_earlier_of_equally_close_slots() -> None:
    slots = day_slots(make_host(), make_event_type(), "2026-03-02")
    nearest = nearest_slots(slots, local("2026-03-02 12:15", BERLIN), 3)
    assert walls(nearest, fmt="%H:%M") == ["11:30", "12:00", "12:30"]


# --- properties ------------------------------------------------------------------------------

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
#: Mondays of weeks whose Sunday changes clocks somewhere: New York 03-08 and 11-01,
#: Europe 03-29 and 10-25, Lord Howe (by 30 minutes) 04-05.
WEEKS = [utc(d) for d in ("2026-03-02", "2026-03-23", "2026-03-30", "2026-10-19", "2026-10-26")]
WEEKLY = {
    0: "08:00-12:00, 13:00-18:00",
    2: "00:00-00:00",
    4: "09:00-11:00, 10:30-12:00",
    6: "00:00-04:00, 20:00-00:00",
}
QUARTER = timedelta(minutes=15)


@dataclass
class Scenario:
    host: Host
    event_type: EventType
    bookings: list[Booking]
    busy: list[Interval]
    now: datetime
    start: datetime
    end: datetime


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    week = draw(st.sampled_from(WEEKS))
    event_type = make_event_type(
        duration=draw(st.sampled_from([15, 30, 45, 60])),
        slot_interval=draw(st.sampled_from([None, 15, 20, 30, 60])),
        buffer_before=draw(st.sampled_from([0, 5, 15])),
        buffer_after=draw(st.sampled_from([0, 10, 30])),
        minimum_notice=draw(st.sampled_from([0, 90])),
        booking_window=draw(st.sampled_from([3, 10])),
        seats=draw(st.sampled_from([1, 3])),
    )
    other = make_event_type("other", id=2, buffer_after=draw(st.sampled_from([0, 20])))
    quarters = st.integers(0, 8 * 96)
    bookings = [
        make_booking(
            draw(st.sampled_from([event_type, other, make_event_type("gone", id=3)])),
            week + q * QUARTER,
            minutes=minutes,
            status=status,
        )
        for q, minutes, status in draw(
            st.lists(
                st.tuples(
                    quarters, st.sampled_from([15, 30, 45, 60, 120]), st.sampled_from(BookingStatus)
                ),
                max_size=15,
            )
        )
    ]
    busy = [
        Interval(week + q * QUARTER, week + q * QUARTER + timedelta(minutes=m))
        for q, m in draw(st.lists(st.tuples(quarters, st.sampled_from([30, 240])), max_size=3))
    ]
    host = make_host(draw(st.sampled_from(ZONES)), weekly=WEEKLY, event_types=[event_type, other])
    now = week + draw(st.integers(-96, 2 * 96)) * QUARTER
    scenario = Scenario(
        host, event_type, bookings, busy, now, week - timedelta(days=1), week + timedelta(days=8)
    )
    # Bookings exactly on the grid, so that seats get shared and filled.
    grid = run(scenario, with_conflicts=False)
    if grid:
        picks = draw(st.lists(st.sampled_from(grid), max_size=6))
        bookings.extend(make_booking(event_type, slot.start) for slot in picks)
    return scenario


DST_ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]
NIGHTS = ["00:00-04:00", "01:00-03:30", "01:30-02:30, 02:45-05:00", "00:00-00:00"]


@st.composite
def dst_grids(draw: st.DrawFn) -> Scenario:
    """Night hours on the Sundays clocks change, with any duration and step."""
    week = draw(st.sampled_from(WEEKS))
    event_type = make_event_type(
        duration=draw(st.sampled_from([15, 30, 45, 60, 90])),
        slot_interval=draw(st.sampled_from([None, 15, 20, 30, 45])),
        booking_window=10,
    )
    host = make_host(
        draw(st.sampled_from(DST_ZONES)),
        weekly={5: draw(st.sampled_from(NIGHTS)), 6: draw(st.sampled_from(NIGHTS))},
    )
    start, end = week - timedelta(days=1), week + timedelta(days=8)
    return Scenario(host, event_type, [], [], start, start, end)


def blocking_spans(s: Scenario, slot: Slot) -> list[tuple[datetime, datetime]]:
    """Everything that blocks ``slot``, computed naively (the oracle)."""
    buffers = {et.id: (et.buffer_before, et.buffer_after) for et in s.host.event_types}
    spans = [(i.start, i.end) for i in s.busy]
    for b in s.bookings:
        seat_mate = (
            s.event_type.seats > 1
            and b.event_type_id == s.event_type.id
            and (b.start, b.end) == (slot.start, slot.end)
        )
        if b.is_live and not seat_mate:
            before, after = buffers.get(b.event_type_id, (0, 0))
            spans.append((b.start - timedelta(minutes=before), b.end + timedelta(minutes=after)))
    return spans


def span_of(s: Scenario, slot: Slot) -> tuple[datetime, datetime]:
    et = s.event_type
    return (
        slot.start - timedelta(minutes=et.buffer_before),
        slot.end + timedelta(minutes=et.buffer_after),
    )


def seats_taken(s: Scenario, slot: Slot) -> int:
    if s.event_type.seats == 1:
        return 0
    return sum(
        1
        for b in s.bookings
        if b.is_live
        and b.event_type_id == s.event_type.id
        and (b.start, b.end) == (slot.start, slot.end)
    )


def run(s: Scenario, *, with_conflicts: bool = True) -> list[Slot]:
    return free_slots(
        s.host,
        s.event_type,
        start=s.start,
        end=s.end,
        now=s.now,
        bookings=s.bookings if with_conflicts else (),
        busy=s.busy if with_conflicts else (),
    )


def on_working_grid(s: Scenario, slot: Slot) -> bool:
    """Inside one working interval and a whole number of steps (wall clock) from its start."""
    zone = s.host.zone
    wall = slot.start.astimezone(zone)
    day = wall.date()
    for rule in s.host.working_hours:
        if rule.weekday != day.weekday():
            continue
        end_day = day + timedelta(days=1) if rule.end == time(0) else day
        closes = datetime.combine(end_day, rule.end, tzinfo=zone)
        # Wall-clock minutes since the interval opened (it may open inside a DST gap).
        since_open = wall.replace(tzinfo=None) - datetime.combine(day, rule.start)
        steps = since_open / timedelta(minutes=1)
        if steps >= 0 and steps % s.event_type.interval == 0 and slot.end <= closes:
            return True
    return False


@settings(max_examples=60, deadline=None)
@given(st.one_of(scenarios(), dst_grids()))
def test_slots_are_utc_ordered_on_the_working_grid_within_limits_and_never_overlap(
    s: Scenario,
) -> None:
    slots = run(s)
    et = s.event_type
    earliest = s.now + timedelta(minutes=et.minimum_notice)
    latest = s.now + timedelta(days=et.booking_window)
    assert [x.start for x in slots] == sorted({x.start for x in slots})
    for slot in slots:
        assert slot.start.tzinfo is UTC and slot.end.tzinfo is UTC
        assert slot.end - slot.start == timedelta(minutes=et.duration)
        assert max(s.start, earliest) <= slot.start < min(s.end, latest)
        assert on_working_grid(s, slot)
        assert 1 <= slot.seats_left <= et.seats
        lo, hi = span_of(s, slot)
        assert all(not (lo < e and b < hi) for b, e in blocking_spans(s, slot))


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_conflicts_remove_exactly_the_grid_slots_a_naive_check_rejects(s: Scenario) -> None:
    expected = []
    for slot in run(s, with_conflicts=False):
        lo, hi = span_of(s, slot)
        left = s.event_type.seats - seats_taken(s, slot)
        if left > 0 and all(not (lo < e and b < hi) for b, e in blocking_spans(s, slot)):
            expected.append(Slot(slot.start, slot.end, left))
    assert run(s) == expected


def naive_grid(s: Scenario) -> list[datetime]:
    """Every existing wall-clock grid start that fits its interval and the limits (the oracle)."""
    zone, et = s.host.zone, s.event_type
    earliest = s.now + timedelta(minutes=et.minimum_notice)
    latest = s.now + timedelta(days=et.booking_window)
    starts = set()
    for offset in range(-2, 10):
        day = (s.start + timedelta(days=offset)).date()
        for rule in s.host.working_hours:
            if rule.weekday != day.weekday():
                continue
            end_day = day + timedelta(days=1) if rule.end == time(0) else day
            closes = datetime.combine(end_day, rule.end, tzinfo=zone)
            wall = datetime.combine(day, rule.start)
            while wall < closes.replace(tzinfo=None):
                instant = wall.replace(tzinfo=zone).astimezone(UTC)
                exists = instant.astimezone(zone).replace(tzinfo=None) == wall
                fits = instant + timedelta(minutes=et.duration) <= closes
                if exists and fits and max(s.start, earliest) <= instant < min(s.end, latest):
                    starts.add(instant)
                wall += timedelta(minutes=et.interval)
    return sorted(starts)


@settings(max_examples=60, deadline=None)
@given(st.one_of(scenarios(), dst_grids()))
def test_without_conflicts_every_existing_grid_start_is_offered(s: Scenario) -> None:
    assert [slot.start for slot in run(s, with_conflicts=False)] == naive_grid(s)
