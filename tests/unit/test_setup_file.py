from datetime import date, time
from pathlib import Path

import pytest
import yaml

from core.setup_file import (
    SetupError,
    hosts_from,
    parse_hours,
    parse_setup,
    parse_weekdays,
    read_setup,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"


def test_parses_the_example_setup_file():
    hosts = parse_setup(yaml.safe_load(EXAMPLE.read_text()))
    ana = hosts[0]
    assert [h.handle for h in hosts] == ["ana", "bruno"]
    assert ana.telegram_user_id == "1001" and ana.digest_time == time(8)
    monday = [(w.start, w.end) for w in ana.working_hours if w.weekday == 0]
    assert monday == [(time(9), time(12)), (time(13), time(17))]
    assert ana.date_overrides[0].date == date(2026, 12, 24)
    assert ana.date_overrides[0].intervals == []
    assert ana.event_type("intro").buffer_after == 10
    assert hosts[1].event_type("workshop").seats == 3


@pytest.mark.parametrize(("spec", "days"), [
    ("mon-fri", [0, 1, 2, 3, 4]), ("sat", [5]), ("mon,wed", [0, 2]), ("fri-mon", [4, 5, 6, 0]),
])
def test_weekday_ranges(spec, days):
    assert parse_weekdays(spec) == days


def test_hours_accept_end_of_day_and_reject_backwards_intervals():
    assert parse_hours("18:00-24:00") == [(time(18), time(0))]
    assert parse_hours("") == []
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_hours("17:00-09:00")


@pytest.mark.parametrize(("patch", "message"), [
    ({"timezone": "Mars/Olympus"}, r"hosts\[0\]\.timezone"),
    ({"handle": "Ana Lima"}, r"hosts\[0\]\.handle"),
    ({"working_hours": {"funday": "09:00-10:00"}}, r"working_hours\.funday"),
    ({"event_types": [{"slug": "x", "duration": -5}]}, r"event_types\[0\]\.duration"),
    ({"event_types": []}, "at least one event type"),
])
def test_errors_name_the_faulty_entry(patch, message):
    host = {"handle": "ana", "timezone": "Europe/Berlin",
            "event_types": [{"slug": "intro", "duration": 30}], **patch}
    with pytest.raises(SetupError, match=message):
        parse_setup({"hosts": [host]})


def test_duplicate_handles_are_refused():
    host = {"handle": "ana", "timezone": "UTC", "event_types": [{"slug": "a", "duration": 5}]}
    with pytest.raises(SetupError, match=r"hosts\[1\]\.handle: 'ana' is used twice"):
        parse_setup({"hosts": [host, host]})


def test_reminders_per_event_type_default_and_override():
    def event_type(**extra):
        host = {"handle": "ana", "timezone": "UTC",
                "event_types": [{"slug": "a", "duration": 30, **extra}]}
        return parse_setup({"hosts": [host]})[0].event_types[0]

    assert event_type().reminder_minutes == [1440, 60]
    assert event_type(reminders=[15, 120, 15]).reminder_minutes == [120, 15]
    assert event_type(reminders=[]).reminder_minutes == []
    with pytest.raises(SetupError, match=r"event_types\[0\]\.reminders"):
        event_type(reminders=["soon"])


FULL = """
hosts:
  - handle: rita
    name: Rita Sousa
    email: rita@example.org
    timezone: Europe/Lisbon
    telegram_user_id: 2002
    slack_user_id: U0RITA
    digest_time: 7:30
    locale: pt
    working_hours:
      mon-thu: "9-12, 13:30-18"
      fri: "9:30-12"
    date_overrides:
      - {date: 2026-12-31, hours: ""}
      - {date: 2027-01-02, hours: "10-13"}
    event_types:
      - slug: Demo
        title: Product demo
        duration: 45
        buffer_before: 5
        buffer_after: 5
        minimum_notice: 60
        booking_window: 30
        slot_interval: 15
        seats: 2
        requires_confirmation: true
        aliases: [demo, demonstração]
        price: "20.00"
        currency: EUR
    calendars:
      - google: primary
        write: true
      - caldav: https://dav.example.org/rita/
        username: rita
        password_env: RITA_DAV_PASSWORD
      - ics: https://example.org/rita.ics
"""


def test_every_documented_key_is_accepted_and_passed_through():
    spec = read_setup(FULL)
    [rita] = hosts_from(spec)
    assert rita.telegram_user_id == "2002" and rita.digest_time == time(7, 30)
    monday = [(w.start, w.end) for w in rita.working_hours if w.weekday == 0]
    assert monday == [(time(9), time(12)), (time(13, 30), time(18))]
    assert [(w.start, w.end) for w in rita.working_hours if w.weekday == 4] == [
        (time(9, 30), time(12))]
    assert rita.date_overrides[1].date == date(2027, 1, 2)
    demo = rita.event_type("demo")
    assert demo is not None and demo.seats == 2 and demo.requires_confirmation
    host = spec.hosts[0]
    assert host.locale == "pt"
    assert [c.kind for c in host.calendars] == ["google", "caldav", "ics"]
    assert host.calendars[1].password_env == "RITA_DAV_PASSWORD"
    assert host.event_types[0].aliases == ["demo", "demonstração"]
    assert demo.aliases == ["demo", "demonstração"]  # carried into the event type
    assert str(host.event_types[0].price) == "20.00" and host.event_types[0].currency == "EUR"


def problems(text: str) -> list[str]:
    with pytest.raises(SetupError) as caught:
        read_setup(text)
    return caught.value.problems


BASE = """
hosts:
  - handle: ana
    timezone: Europe/Berlin
"""


def test_misspelled_keys_are_errors_with_a_suggestion_all_at_once():
    found = problems(BASE + """    workinghours: {mon-fri: "9-17"}
    event_types:
      - {slug: intro, duration: 30}
      - {slug: call, duration: 30, minimum_notis: 120}
""")
    assert found == [
        "hosts[0].workinghours: unknown key; did you mean working_hours?",
        "hosts[0].event_types[1].minimum_notis: unknown key; did you mean minimum_notice?",
    ]


def test_an_unknown_key_without_a_close_match_lists_the_known_ones():
    found = problems(BASE + "    event_types: [{slug: a, duration: 30, limits: {per_month: 3}}]\n")
    assert found == ["hosts[0].event_types[0].limits.per_month: unknown key; known keys: "
                     "per_day, per_week, minutes_per_day, minutes_per_week"]


def test_duplicates_are_one_line_each():
    found = problems("""
hosts:
  - {handle: ana, timezone: UTC, telegram_user_id: 7, slack_user_id: U1,
     event_types: [{slug: a, duration: 5}, {slug: A, duration: 10}]}
  - {handle: ana, timezone: UTC, telegram_user_id: 7, slack_user_id: U1,
     event_types: [{slug: a, duration: 5}]}
""")
    assert found == [
        "hosts[0].event_types[1].slug: 'a' is used twice (also hosts[0].event_types[0])",
        "hosts[1].handle: 'ana' is used twice (also hosts[0])",
        "hosts[1].telegram_user_id: '7' is used twice (also hosts[0])",
        "hosts[1].slack_user_id: 'u1' is used twice (also hosts[0])",
    ]


def test_impossible_dates_and_backwards_hours_name_their_entry():
    found = problems(BASE + """    date_overrides:
      - {date: 2026-02-30, hours: ""}
      - {date: 2026-12-28, hours: "14-10"}
    time_off: [{from: 2026-12-24, to: 2026-12-20}]
    event_types: [{slug: a, duration: 30}]
""")
    assert found == [
        "hosts[0].date_overrides[0].date: '2026-02-30' is not a real date (YYYY-MM-DD): "
        "day is out of range for month",
        "hosts[0].date_overrides[1].hours: '14-10' ends before it starts",
        "hosts[0].time_off[0]: 'to' (2026-12-20) is before 'from' (2026-12-24)",
    ]


def test_wrong_types_show_the_value_given():
    found = problems(BASE + """    locale: xx
    calendars: [{ics: https://example.org/a.ics, write: true}, {google: primary, usrname: a}]
    event_types: [{slug: a, duration: thirty, seats: 0, price: "5.00"}]
""")
    assert found == [
        "hosts[0].locale: Input should be 'en', 'de', 'es', 'fr' or 'pt', got 'xx'",
        "hosts[0].calendars[0]: an ics feed is read-only (write: false)",
        "hosts[0].calendars[1].usrname: unknown key; did you mean username?",
        "hosts[0].event_types[0].duration: Input should be a valid integer, got 'thirty'",
        "hosts[0].event_types[0].seats: Input should be greater than or equal to 1, got 0",
    ]


def test_price_needs_a_currency():
    found = problems(BASE + "    event_types: [{slug: a, duration: 30, price: '5.00'}]\n")
    assert found == ["hosts[0].event_types[0]: price and currency go together "
                     "(price: \"50.00\", currency: EUR)"]


@pytest.mark.parametrize(("text", "expected"), [
    ("hosts: [", "line 1, column 9: expected the node content, but found '<stream end>'"),
    ("hosts:\n  - handle: a\n    handle: b\n", "line 3, column 5: key 'handle' appears twice"),
    ("- just a list\n", "the file needs a 'hosts:' list at the top"),
    ("hosts: []\n", "hosts: needs at least one host"),
])
def test_malformed_files_give_one_line(text, expected):
    [line] = problems(text)
    assert line.startswith(expected)


@pytest.mark.parametrize(("spec", "intervals"), [
    ("9-17", [(time(9), time(17))]),
    ("9:30-12", [(time(9, 30), time(12))]),
    ("9-12, 13:00-17:30", [(time(9), time(12)), (time(13), time(17, 30))]),
])
def test_short_hours_are_accepted(spec, intervals):
    assert parse_hours(spec) == intervals


@pytest.mark.parametrize(("calendars", "problem"), [
    ("[{caldav: https://dav.example.org/a/, password_env: A_PW}]",
     "hosts[0].calendars[0]: a caldav calendar needs a username"),
    ("[{caldav: https://dav.example.org/a/, username: a, password_env: 'hunter 2'}]",
     "hosts[0].calendars[0].password_env: 'hunter 2' is not a variable name"),
    ("[{ics: https://example.org/a.ics, busy: false}]",
     "hosts[0].calendars[0]: an ics feed with busy: false does nothing"),
    ("[{google: primary}, {google: primary}]",
     "hosts[0].calendars: the same calendar is listed twice"),
    ("[{google: primary, write: true}, {google: work, write: true}]",
     "hosts[0].calendars: only one calendar may say write: true"),
    ("[{google: primary, username: a}]",
     "hosts[0].calendars[0]: username and password_env belong to a caldav calendar"),
    ("[{caldav: dav.example.org, username: a, password_env: A_PW}]",
     "hosts[0].calendars[0].caldav: 'dav.example.org' is not an http(s) URL"),
])
def test_calendar_entries_are_checked_once_by_the_schema(calendars, problem):
    assert problems(BASE + f"    calendars: {calendars}\n"
                    "    event_types: [{slug: a, duration: 30}]\n") == [problem]


def test_the_first_writable_calendar_receives_bookings_unless_one_says_so():
    def writes(calendars: str) -> list[bool]:
        spec = read_setup(BASE + f"    calendars: {calendars}\n"
                          "    event_types: [{slug: a, duration: 30}]\n")
        return [c.write for c in hosts_from(spec)[0].calendars]

    assert writes("[{ics: https://example.org/a.ics}, {google: primary}, {google: b}]") == [
        False, True, False]
    assert writes("[{google: primary, write: false}, {google: b}]") == [False, True]
    assert writes("[{google: primary}, {google: b, write: true}]") == [False, True]
    assert writes("[{ics: https://example.org/a.ics}]") == [False]
