"""``slotbot tick`` / ``slotbot outbox`` and the in-process loop of ``slotbot serve``."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
from pathlib import Path

from config.bootstrap import bootstrap
from config.periodic import PeriodicLoop, TickReport, loop_status, tick
from config.settings import Settings
from tests.integration.test_jobs import DUE, HOSTS, _seed

ROOT = Path(__file__).resolve().parents[2]
BOOKED_AT = "2026-11-30T08:00:00+00:00"  # Monday; the booking is Tuesday 10:00 in Berlin


def _slotbot(tmp_path: Path, *args: str, stdin: str = "") -> str:
    env = {**os.environ, "SLOTBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    for name in ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "SMTP_URL"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", "from config.cli import main; main()", *args], input=stdin,
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_tick_sends_due_reminder_once_and_outbox_shows_every_notification(
    tmp_path: Path,
) -> None:
    _slotbot(tmp_path, "load", str(ROOT / "examples" / "hosts.yaml"))
    _slotbot(tmp_path, "chat", "--as", "carla", "--name", "Carla", "--now", BOOKED_AT,
             stdin="30 min with Ana tomorrow at 10am\nyes\n")

    first = _slotbot(tmp_path, "tick", "--now", "2026-11-30T09:00:00+00:00")
    again = _slotbot(tmp_path, "tick", "--now", "2026-11-30T09:00:00+00:00")
    listing = json.loads(_slotbot(tmp_path, "outbox", "--json"))

    assert "to carla: Reminder: Intro call with Ana Lima in 24 hours, Tue 1 Dec, " \
           "10:00–10:30 (Europe/Berlin)" in first
    assert "reminders 1" in first and "delivered 1" in first
    assert "Reminder" not in again and "reminders 0" in again
    rows = {(r["channel"], r["recipient"], r["kind"], r["status"]) for r in listing}
    assert ("console", "carla", "reminder", "sent") in rows
    # No Telegram or Slack token: failed at once with the reason, never left queued.
    assert ("telegram", "1001", "booking_created", "failed") in rows
    assert ("email", "ana@example.com", "booking_created", "failed") in rows  # no SMTP_URL
    [mail] = [r for r in listing if r["channel"] == "email"]
    assert (mail["attempts"], mail["last_error"]) == (
        0, "not sent: email is off (SMTP_URL is not set)")
    assert ("slack", "U0ANA", "digest", "failed") in rows  # 09:00 UTC is 10:00 in Berlin
    reasons = {r["channel"]: r["last_error"] for r in listing if r["status"] == "failed"}
    assert reasons["telegram"] == "not sent: Telegram is off (TELEGRAM_BOT_TOKEN is not set)"
    assert reasons["slack"] == "not sent: Slack is off (SLACK_BOT_TOKEN is not set)"
    assert not [r for r in listing if r["status"] == "queued"]


def test_serve_loop_runs_the_jobs_in_process_without_a_broker(tmp_path: Path) -> None:
    settings = Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 's.db'}",
                        SLOTBOT_TICK_SECONDS=3600)
    app = bootstrap(settings, now=DUE)
    _seed(app.uow_factory)
    reports: queue.Queue[TickReport] = queue.Queue()

    loop = PeriodicLoop(app, on_tick=reports.put).start()
    report = reports.get(timeout=30)
    loop.stop()

    assert report.jobs.reminders_sent == HOSTS and len(report.jobs.digests) == HOSTS
    assert reports.empty()  # one tick, then it waited for the next period until stopped


def test_a_failing_tick_is_visible_and_the_loop_goes_on(tmp_path: Path) -> None:
    settings = Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 's.db'}",
                        SLOTBOT_TICK_SECONDS=3600)
    app = bootstrap(settings, now=DUE)
    broken = [True]
    errors: queue.Queue[Exception] = queue.Queue()

    def run(app_):
        if broken[0]:
            raise RuntimeError("disk full\n[SQL: INSERT …] [parameters: ('secret',)]")
        return tick(app_)

    loop = PeriodicLoop(app, run=run, on_error=errors.put).start()
    errors.get(timeout=30)
    failed = loop_status()
    broken[0] = False
    loop.step()  # the next period's tick
    recovered = loop_status()
    loop.stop()

    assert failed is not None and recovered is not None
    assert (failed.running, failed.ready, failed.failures) == (True, False, 1)
    assert failed.last_error == "RuntimeError: disk full" and failed.last_failure_at == DUE
    assert (recovered.ready, recovered.consecutive_failures, recovered.failures) == (True, 0, 1)
    assert recovered.last_success_at == DUE
    assert loop_status() is not None and not loop_status().ready  # stopped
