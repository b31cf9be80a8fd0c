"""nlp.parse in English: the DESIGN 3.4 contract the conversation relies on."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from nlp import MAX_CHARS, Intent, parse

TZ = "Europe/Berlin"
ZONE = ZoneInfo(TZ)
#: Tuesday 17 November 2026, 16:00 in Berlin.
NOW = datetime(2026, 11, 17, 16, 0, tzinfo=ZONE)
HOSTS = ("ana", "ana lima", "bruno")
EVENTS = ("intro", "intro call", "consultation")


def at(day: int, hour: int = 0, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZONE)


def p(text: str, **kwargs: object):
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("tz", TZ)
    kwargs.setdefault("hosts", HOSTS)
    kwargs.setdefault("event_types", EVENTS)
    return parse(text, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("30 min with Ana next Tuesday afternoon?", Intent.BOOK),
        ("could I get an intro call on Thursday?", Intent.BOOK),
        ("I'd like to book a consultation", Intent.BOOK),
        ("anything free tomorrow before 10?", Intent.AVAILABILITY),
        ("any openings on Friday?", Intent.AVAILABILITY),
        ("when is Bruno available?", Intent.AVAILABILITY),
        ("move my call to Friday 3pm", Intent.RESCHEDULE),
        ("can we reschedule?", Intent.RESCHEDULE),
        ("cancel my booking", Intent.CANCEL),
        ("I can't make it, sorry", Intent.CANCEL),
        ("what are my bookings", Intent.LIST),
        ("show my upcoming appointments", Intent.LIST),
        ("do I have anything booked?", Intent.LIST),
        ("neither works", Intent.DENY),
        ("no problem", Intent.CONFIRM),
        ("ok, how about Friday 3pm?", Intent.BOOK),
        ("yes", Intent.CONFIRM),
        ("yep that works", Intent.CONFIRM),
        ("👍", Intent.CONFIRM),
        ("ok", Intent.CONFIRM),
        ("Sounds good, book it!", Intent.CONFIRM),
        ("no", Intent.DENY),
        ("nope", Intent.DENY),
        ("help", Intent.HELP),
        ("what can you do?", Intent.HELP),
        ("the weather is nice", Intent.UNKNOWN),
        ("", Intent.UNKNOWN),
    ],
)
def test_recognizes_intent_in_natural_phrasing(text: str, intent: Intent) -> None:
    assert p(text).intent is intent


def test_extracts_host_duration_and_afternoon_window() -> None:
    r = p("30 min with Ana next Tuesday afternoon?")
    assert (r.host, r.duration) == ("ana", timedelta(minutes=30))
    assert (r.start, r.end) == (at(24, 12), at(24, 18))


def test_reschedule_carries_the_new_point_in_time() -> None:
    r = p("move my call to Friday 3pm")
    assert (r.start, r.end) == (at(20, 15), None)


def test_duration_is_never_read_as_a_time() -> None:
    r = p("book 30 min with Ana next tuesday at 3pm")
    assert (r.start, r.end, r.duration) == (at(24, 15), None, timedelta(minutes=30))


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("30 min", 30), ("half an hour", 30), ("an hour and a half", 90), ("1.5h", 90),
     ("90 minutes", 90), ("a 2 hour workshop", 120), ("an hour", 60),
     ("for 1 hour and 15 minutes", 75), ("a 45-minute call", 45)],
)
def test_reads_durations(text: str, minutes: int) -> None:
    r = p(text)
    assert r.duration == timedelta(minutes=minutes)
    assert r.start is None


def test_longest_known_names_win_and_come_back_lower_cased() -> None:
    r = p("An Intro Call with Ana Lima please")
    assert (r.host, r.event_type) == ("ana lima", "intro call")


def test_guesses_host_after_with_when_no_hosts_are_known() -> None:
    assert p("a call with Carla on Friday", hosts=()).host == "carla"
    assert p("a call with carla", hosts=()).host is None
    assert p("Can I meet with You on Friday?", hosts=()).host is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("tomorrow afternoon", at(18, 12), at(18, 18)),
        ("next week", at(23), at(30)),
        ("between 2 and 4pm", at(18, 14), at(18, 16)),
        ("from 10 to 11:30 on Thursday", at(19, 10), at(19, 11, 30)),
        ("on Monday", at(23), at(24)),
        ("anything free tomorrow before 10?", at(18), at(18, 10)),
        ("Thursday after 3pm", at(19, 15), at(20)),
        ("this weekend", at(21), at(23)),
        ("tonight", at(17, 17), at(18)),
        ("end of the month", at(24), at(1, month=12)),
        ("Dec 3", at(3, month=12), at(4, month=12)),
    ],
)
def test_resolves_windows_with_exclusive_end(text: str, start: datetime, end: datetime) -> None:
    r = p(text)
    assert (r.start, r.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Friday 3pm", at(20, 15)),
        ("the day after tomorrow at noon", at(19, 12)),
        ("Monday at 9", at(23, 9)),
        ("next Tuesday at 15:00", at(24, 15)),
        ("tomorrow at 4", at(18, 16)),
        ("tomorrow at half past 4", at(18, 16, 30)),
        ("tomorrow at quarter to 10", at(18, 9, 45)),
        ("Dec 3 at 2pm", at(3, 14, month=12)),
        ("3rd of December at 10am", at(3, 10, month=12)),
        ("2026-12-01 09:30", at(1, 9, 30, month=12)),
        ("in 2 hours", at(17, 18)),
        ("tomorrow at midnight", at(18, 0)),
    ],
)
def test_resolves_points_with_no_end(text: str, start: datetime) -> None:
    r = p(text)
    assert (r.start, r.end) == (start, None)


def test_a_bare_time_that_has_passed_today_means_tomorrow() -> None:
    assert p("3pm").start == at(18, 15)
    assert p("5pm").start == at(17, 17)


def test_weekday_prefers_the_future_and_today_counts() -> None:
    assert p("Monday").start == at(23)
    assert p("Tuesday").start == at(17)
    assert p("next Monday").start == at(23)
    assert p("next Tuesday").start == at(24)


def test_numeric_dates_follow_the_locale_or_impossibility() -> None:
    assert p("12/15").start == at(15, month=12)
    assert p("15/12").start == at(15, month=12)
    assert p("1/12").start == at(1, month=12)
    assert p("1/12", tz="America/New_York", now=NOW.astimezone(ZoneInfo("America/New_York"))
             ).start == datetime(2027, 1, 12, tzinfo=ZoneInfo("America/New_York"))


def test_day_of_month_alone_is_the_next_such_day() -> None:
    assert p("the 30th").start == at(30)
    assert p("the 10th").start == at(10, month=12)


def test_relative_days_are_whole_days() -> None:
    assert (p("in 3 days").start, p("in 3 days").end) == (at(20), at(21))
    assert p("a week from today").start == at(24)


def test_whole_day_spans_midnight_to_midnight_on_dst_change() -> None:
    now = datetime(2026, 10, 20, 9, 0, tzinfo=ZONE)
    r = p("Sunday", now=now)
    assert (r.start, r.end) == (at(25, month=10), at(26, month=10))
    assert r.end - r.start == timedelta(hours=24)
    assert (r.end.astimezone(ZoneInfo("UTC")) - r.start.astimezone(ZoneInfo("UTC"))
            == timedelta(hours=25))


def test_times_resolve_in_the_readers_zone() -> None:
    r = p("tomorrow at 9am", tz="America/New_York")
    assert r.start == datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    assert r.start.tzinfo == ZoneInfo("America/New_York")


CONTEXT = at(19, 10)


def test_correction_keeps_the_day_under_discussion() -> None:
    r = p("no, 4pm", context=CONTEXT)
    assert (r.intent, r.start) == (Intent.DENY, at(19, 16))


def test_same_time_on_another_day() -> None:
    assert p("same time on Friday", context=CONTEXT).start == at(20, 10)


def test_an_hour_later_moves_the_slot_under_discussion() -> None:
    assert p("an hour later", context=CONTEXT).start == at(19, 11)
    assert p("30 minutes earlier", context=CONTEXT).start == at(19, 9, 30)


@pytest.mark.parametrize(("text", "choice"),
                         [("the second one", 2), ("2nd", 2), ("option 3", 3), ("first", 1)])
def test_ordinal_picks_an_offered_option(text: str, choice: int) -> None:
    r = p(text)
    assert (r.choice, r.intent) == (choice, Intent.CONFIRM)


def test_digit_ordinal_is_both_a_choice_and_a_day_of_month() -> None:
    r = p("the 2nd")
    assert (r.choice, r.start) == (2, at(2, month=12))


def test_too_long_input_is_not_parsed() -> None:
    r = p("book tomorrow at 3pm " * 60)
    assert len("book tomorrow at 3pm " * 60) > MAX_CHARS
    assert (r.intent, r.start) == (Intent.UNKNOWN, None)


def test_rejects_naive_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse("tomorrow", now=datetime(2026, 11, 17, 16, 0), tz=TZ)


def test_the_day_after_moves_the_slot_under_discussion() -> None:
    assert p("what about the day after?", context=CONTEXT).start == at(20, 10)
    assert (p("the day after").start, p("the day after").end) == (at(18), at(19))


def test_same_time_next_week_keeps_the_weekday() -> None:
    assert p("same time next week", context=CONTEXT).start == at(26, 10)


def test_weekday_range_runs_through_its_last_day() -> None:
    r = p("I'm free Monday to Wednesday")
    assert (r.start, r.end) == (at(23), at(26))


def test_bare_hour_range_reads_business_hours() -> None:
    r = p("9-5 on Friday")
    assert (r.start, r.end) == (at(20, 9), at(20, 17))


def test_weekday_naming_today_with_a_past_time_means_next_week() -> None:
    assert p("Tuesday at 9").start == at(24, 9)
    assert p("Tuesday at 6pm").start == at(17, 18)


def test_time_in_a_dst_gap_moves_forward() -> None:
    now = datetime(2026, 3, 25, 9, 0, tzinfo=ZONE)
    assert p("Sunday at 02:30", now=now).start == datetime(2026, 3, 29, 3, 30, tzinfo=ZONE)


def test_amounts_past_year_9999_give_no_time_instead_of_failing() -> None:
    r = p("10000 weeks after 9998-12-31")
    assert r.start is None


@pytest.mark.parametrize(
    ("text", "start", "minutes"),
    [
        ("17h", at(17, 17), None),
        ("at 17h", at(17, 17), None),
        ("tomorrow 17h30", at(18, 17, 30), None),
        ("at 9h", at(18, 9), None),
        ("a 2h call tomorrow at 3pm", at(18, 15), 120),
        ("book 2h30 tomorrow at 3pm", at(18, 15), 150),
        ("for 3h", None, 180),
    ],
)
def test_hour_letter_is_a_clock_time_only_with_a_time_cue_or_past_twelve(
        text: str, start: datetime | None, minutes: int | None) -> None:
    r = p(text)
    assert (r.start, r.duration) == (
        start, None if minutes is None else timedelta(minutes=minutes))


@pytest.mark.parametrize("text", ["2-3 people tomorrow", "a table for 2 to 3 guests tomorrow",
                                  "4 people tomorrow"])
def test_a_number_range_counting_people_is_no_time(text: str) -> None:
    r = p(text)
    assert (r.start, r.end) == (at(18), at(19))


def test_a_range_may_end_on_another_day() -> None:
    morning = NOW.replace(hour=10, minute=20)
    r = p("I'll be away from 2pm till tomorrow 4:30pm", now=morning)
    assert (r.start, r.end) == (at(17, 14), at(18, 16, 30))
    r = p("from Monday 9am to Wednesday 5pm")
    assert (r.start, r.end) == (at(23, 9), at(25, 17))


def test_a_day_after_both_times_of_a_range_holds_both() -> None:
    r = p("from 2pm till 4:30pm tomorrow")
    assert (r.start, r.end) == (at(18, 14), at(18, 16, 30))


def test_weekday_with_a_dashed_pair_naming_its_date_is_that_date() -> None:
    assert (p("Friday 20-11").start, p("Friday 20-11").end) == (at(20), at(21))
    r = p("Friday 9-5")
    assert (r.start, r.end) == (at(20, 9), at(20, 17))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("end of March", at(25, month=3, year=2027), at(1, month=4, year=2027)),
        ("mid-March", at(11, month=3, year=2027), at(21, month=3, year=2027)),
        ("the middle of next month", at(11, month=12), at(21, month=12)),
        ("between the middle of March and the end of September",
         at(16, month=3, year=2027), at(1, month=10, year=2027)),
        ("from the end of March to the middle of September",
         at(1, month=4, year=2027), at(16, month=9, year=2027)),
        ("anything from now until the end of the month?", NOW, at(1, month=12)),
    ],
)
def test_middle_and_end_of_a_month_are_windows_and_their_edge_bounds_a_range(
        text: str, start: datetime, end: datetime) -> None:
    r = p(text)
    assert (r.start, r.end) == (start, end)


def test_less_than_a_count_after_a_day_runs_from_that_day() -> None:
    r = p("less than 3 days after tomorrow")
    assert (r.start, r.end) == (at(18), at(21))
    r = p("in less than 2 hours")
    assert (r.start, r.end) == (NOW, at(17, 18))


def test_next_fortnight_follows_this_fortnight() -> None:
    assert (p("this fortnight").start, p("this fortnight").end) == (at(17), at(30))
    assert (p("next fortnight").start, p("next fortnight").end) == (
        at(30), at(14, month=12))


def test_spelled_out_year() -> None:
    r = p("let's meet on january first two thousand and thirty two")
    assert r.start == at(1, month=1, year=2032)


def test_by_the_end_of_a_day_runs_until_its_midnight() -> None:
    assert (p("by eod").start, p("by eod").end) == (NOW, at(18))
    assert (p("by the end of tomorrow").start, p("by the end of tomorrow").end) == (NOW, at(19))
    assert (p("end of day").start, p("end of day").end) == (at(17, 17), at(18))
