from datetime import date, time
from pathlib import Path

import pytest
import yaml

from core.setup_file import SetupError, parse_hours, parse_setup, parse_weekdays

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
    with pytest.raises(SetupError, match="used twice: ana"):
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
