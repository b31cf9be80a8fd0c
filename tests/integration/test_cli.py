"""The ``slotbot`` command as a user runs it (DESIGN 3.3), on a SQLite file."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-30T08:00:00+00:00"


@pytest.fixture
def run(tmp_path, sqlite_at_head):
    # A file at head, as the first command left it (a brand-new file is migrated by
    # the commands in test_tick.py and calendars/test_sync_and_cli.py).
    env = {**os.environ, "SLOTBOT_DATABASE_URL": sqlite_at_head(tmp_path / "cli.db")}
    slotbot = Path(sys.executable).parent / "slotbot"

    def call(*args: str, stdin: str = "", ok: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([str(slotbot), *args], input=stdin, capture_output=True,
                                text=True, env=env, cwd=tmp_path, timeout=60)
        if ok:
            assert result.returncode == 0, result.stderr
        return result

    call("load", str(ROOT / "examples" / "hosts.yaml"))
    return call


def test_slots_json_lists_free_starts_in_utc(run):
    slots = json.loads(run("slots", "ana", "intro", "--from", "2026-12-01", "--to", "2026-12-01",
                           "--now", NOW, "--json").stdout)
    # Tuesday in Berlin: 09:00–12:00 and 13:00–17:00, every 30 minutes, 30-minute calls.
    assert len(slots) == 14
    assert slots[0] == {"start": "2026-12-01T08:00:00Z", "end": "2026-12-01T08:30:00Z",
                        "seats_left": 1}
    assert [s["start"] for s in slots] == sorted(s["start"] for s in slots)


def test_piped_chat_books_and_bookings_json_shows_it(run):
    out = run("chat", "--as", "carla", "--name", "Carla", "--now", NOW,
              stdin="30 min with Ana tomorrow at 10am\nyes\n").stdout
    assert "[1] Yes, book it" in out and "Booked #1" in out
    [row] = json.loads(run("bookings", "--json").stdout)
    assert row == {"id": 1, "host": "ana", "event_type": "intro", "guest": "Carla",
                   "start": "2026-12-01T09:00:00Z", "end": "2026-12-01T09:30:00Z",
                   "status": "confirmed"}
    today = run("command", "--host", "ana", "--now", "2026-12-01T07:00:00+00:00", "today").stdout
    assert "10:00–10:30 Intro call with Carla #1" in today
    cancelled = run("command", "--host", "ana", "--now", NOW, "cancel 1 sick").stdout
    assert "Cancelled #1" in cancelled
    assert json.loads(run("bookings", "--status", "cancelled", "--json").stdout)[0]["id"] == 1


def test_a_host_console_session_presses_buttons_and_writes_a_decline_reason(run):
    run("command", "--host", "ana", "--now", NOW, "type intro confirm on")
    run("chat", "--as", "carla", "--name", "Carla", "--now", NOW,
        stdin="30 min with Ana tomorrow at 10am\nyes\n")
    out = run("chat", "--host", "ana", "--now", NOW,
              stdin="booking 1\nDecline\n4\nOut of the office that week\n").stdout
    assert "[4] Other reason…" in out
    assert "Write the reason for declining #1" in out
    assert "Declined #1. Carla will be told (Out of the office that week)." in out
    [row] = json.loads(run("bookings", "--json").stdout)
    assert row["status"] == "declined"


def test_a_host_console_session_sees_its_own_changes(run):
    out = run("chat", "--host", "ana", "--now", NOW,
              stdin='new type coaching "Coaching session" 60\n'
                    "type coaching seats 3\ntypes\n").stdout
    assert "You have no event type" not in out
    assert "• coaching — Coaching session: 60 min, window 60 days, 3 seats" in out


def test_bad_setting_stops_with_one_clear_line(run, tmp_path):
    env = {**os.environ, "SLOTBOT_DATABASE_URL": "mysql://nope"}
    result = subprocess.run([str(Path(sys.executable).parent / "slotbot"), "bookings"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "slotbot: invalid setting SLOTBOT_DATABASE_URL: must be a sqlite:/// "
        "or postgresql+psycopg:// URL"]


def test_a_bad_setup_file_prints_every_mistake_and_changes_nothing(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "examples" / "hosts.yaml").read_text()
                   .replace("name: Ana Lima", "name: Ana Renamed")
                   .replace("working_hours:\n      mon-thu", "workinghours:\n      mon-thu")
                   .replace("minimum_notice: 240", "minimum_notis: 240")
                   .replace("{date: 2026-12-28", "{date: 2026-02-30"))
    result = run("load", str(bad), ok=False)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{bad}: hosts[0].date_overrides[1].date: '2026-02-30' is not a real date (YYYY-MM-DD): "
        "day is out of range for month",
        f"{bad}: hosts[1].workinghours: unknown key; did you mean working_hours?",
        f"{bad}: hosts[1].event_types[0].minimum_notis: unknown key; did you mean minimum_notice?",
    ]
    with sqlite3.connect(tmp_path / "cli.db") as db:
        assert db.execute("SELECT name FROM hosts ORDER BY id").fetchall() == [
            ("Ana Lima",), ("Bruno Costa",)]


def test_unknown_host_is_a_clear_error(run):
    result = run("command", "--host", "zed", "today", ok=False)
    assert result.returncode == 2
    assert "no host called 'zed'" in result.stderr


def test_host_command_takes_its_words_quoted_or_not(run):
    unquoted = run("command", "--host", "ana", "--now", NOW, "off", "dec", "24-26").stdout
    assert unquoted.startswith("Time off: Thu 24 Dec – Sat 26 Dec 2026 (Europe/Berlin).")
    quoted = run("command", "--host", "ana", "--now", NOW, "on dec 25").stdout
    assert quoted.startswith("Fri 25 Dec 2026 is bookable again")
    created = run("command", "--host", "ana", "--now", NOW, "new", "type", "coaching",
                  "Coaching session", "60").stdout
    assert created.startswith("New event type coaching: Coaching session, 60 min.")


def test_host_changes_from_chat_survive_slotbot_load(run):
    run("command", "--host", "ana", "--now", NOW, "hours", "sat", "off")
    run("command", "--host", "ana", "--now", NOW, "type", "intro", "duration", "45")
    run("load", str(ROOT / "examples" / "hosts.yaml"))
    hours = run("command", "--host", "ana", "--now", NOW, "hours").stdout
    assert "Sat: off" in hours
    assert "intro — Intro call: 45 min" in run("command", "--host", "ana", "types").stdout


def test_stats_on_the_console_prints_the_chart_path(run):
    out = run("command", "--host", "ana", "--now", NOW, "stats", "7d").stdout
    assert out.splitlines()[0].startswith("Your numbers, the last 7 days up to")
    title, _, path = out.splitlines()[-1].strip("[]").partition(": ")
    assert title == "Bookings made and cancellations per day"
    assert Path(path).read_bytes()[:4] == b"\x89PNG"
    Path(path).unlink()


def _branded_setup(tmp_path: Path, templates: dict[str, str]) -> Path:
    folder = tmp_path / "mail" / "ana"
    folder.mkdir(parents=True)
    for name, text in templates.items():
        (folder / name).write_text(text, encoding="utf-8")
    setup = tmp_path / "branded.yaml"
    setup.write_text((ROOT / "examples" / "hosts.yaml").read_text().replace(
        "    timezone: Europe/Berlin\n",
        "    timezone: Europe/Berlin\n    templates: mail/ana\n"
        '    brand: {name: Lima Coaching, color: "#0b7285"}\n', 1))
    return setup


def test_load_stores_a_hosts_templates_and_brand(run, tmp_path):
    setup = _branded_setup(tmp_path, {"booking_confirmed.subject.txt": "{{ brand_name }} ok\n"})
    run("load", str(setup))
    with sqlite3.connect(tmp_path / "cli.db") as db:
        row = db.execute("SELECT brand_name, brand_color, brand_logo_url, mail_templates "
                         "FROM hosts WHERE handle = 'ana'").fetchone()
    assert row[:3] == ("Lima Coaching", "#0b7285", None)
    assert json.loads(row[3]) == {"booking_confirmed.subject.txt": "{{ brand_name }} ok\n"}


def test_a_bad_template_is_one_line_with_file_and_line_and_changes_nothing(run, tmp_path):
    setup = _branded_setup(tmp_path, {
        "booking_confirmed.html": "<p>{{ guest_name }}</p>\n<p>{{ ''.__class__ }}</p>\n",
        "reminder.txt": "{{ lead }}\n{% if %}\n",
        "booking_confirmed.txt": "{{ guest }}\n",
    })
    result = run("load", str(setup), ok=False)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{setup}: hosts[0].templates: mail/ana/booking_confirmed.txt, line 1: unknown "
        "variable 'guest' for a booking_confirmed email; did you mean guest_name?",
        f"{setup}: hosts[0].templates: mail/ana/reminder.txt, line 2: Expected an expression, "
        "got 'end of statement block'",
    ]
    (tmp_path / "mail" / "ana" / "booking_confirmed.txt").unlink()
    (tmp_path / "mail" / "ana" / "reminder.txt").unlink()
    result = run("load", str(setup), ok=False)
    assert result.stderr.splitlines() == [
        f"{setup}: hosts[0].templates: mail/ana/booking_confirmed.html, line 2: access to "
        "attribute '__class__' of 'str' object is unsafe. (rendering booking_confirmed for a "
        "host)"]
    with sqlite3.connect(tmp_path / "cli.db") as db:
        assert db.execute("SELECT brand_name, mail_templates FROM hosts WHERE handle = 'ana'"
                          ).fetchone() == (None, "{}")
