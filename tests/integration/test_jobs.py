"""The periodic jobs on SQLite and PostgreSQL: claims hold, every reminder and digest once.

The data: ``HOSTS`` hosts with a digest at 08:00 UTC and on Telegram, each with
``PER_HOST`` confirmed bookings at 09:00 UTC, so at 08:00 every booking's 1-hour
reminder and every host's digest are due at once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, insert, select

from core import jobs, services
from core.errors import InvalidTime
from core.models import (
    Booking,
    BookingStatus,
    EventType,
    Guest,
    Host,
    OutboxMessage,
    OutboxStatus,
    QueuedMessage,
)
from storage.orm import bookings, daily_runs, reminders

ROOT = Path(__file__).resolve().parents[2]
MADE = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # after the 24 h reminders were due
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DUE = START - timedelta(hours=1)  # 08:00 UTC: 1 h reminders and digests due
HOSTS = 40
PER_HOST = 25


def _seed(uow_factory, hosts: int = HOSTS, per_host: int = PER_HOST) -> None:
    with uow_factory() as uow:
        rows = []
        for h in range(hosts):
            host = Host(f"h{h}", f"Host {h}", "UTC", telegram_user_id=str(10_000 + h),
                        digest_time=time(8), event_types=[EventType("intro", "Intro", 30)])
            uow.hosts.add(host)
            guest = Guest("telegram", f"g{h}", name=f"Guest {h}", chat_id=f"g{h}")
            uow.guests.add(guest)
            for n in range(per_host):
                start = START + timedelta(minutes=30 * n) if n else START
                rows.append({"host_id": host.id, "event_type_id": host.event_types[0].id,
                             "guest_id": guest.id, "start": start,
                             "end": start + timedelta(minutes=30), "status": "confirmed",
                             "created_at": MADE, "reminders_armed": False})
        uow._session.execute(insert(bookings), rows)  # type: ignore[attr-defined]
        uow.commit()


def _outbox(uow_factory) -> list[OutboxMessage]:
    with uow_factory() as uow:
        return uow.outbox.list()


def _assert_each_once(uow_factory, *, reminders_due: int) -> None:
    messages = _outbox(uow_factory)
    reminded = Counter((m.payload["booking_id"], m.payload["minutes_before"])
                       for m in messages if m.kind == "reminder")
    digested = Counter((m.payload["host"], m.payload["date"])
                       for m in messages if m.kind == "digest")
    assert len(reminded) == reminders_due and set(reminded.values()) == {1}
    assert len(digested) == HOSTS and set(digested.values()) == {1}


def test_ticking_twice_at_one_instant_does_everything_once(uow_factory) -> None:
    _seed(uow_factory)
    first = jobs.run_due(DUE, uow_factory=uow_factory)
    second = jobs.run_due(DUE, uow_factory=uow_factory)

    assert (first.armed, first.reminders_sent, len(first.digests)) == (
        HOSTS * PER_HOST, HOSTS, HOSTS)
    assert (second.armed, second.reminders_sent, second.digests) == (0, 0, {})
    _assert_each_once(uow_factory, reminders_due=HOSTS)


def test_two_sweepers_at_once_do_everything_once(uow_factory, engine: Engine) -> None:
    _seed(uow_factory)
    later = START + timedelta(hours=PER_HOST // 2) - timedelta(hours=1)  # many overdue
    barrier = threading.Barrier(2, timeout=30)
    reports: list[jobs.JobReport] = []

    def sweep() -> None:
        barrier.wait()
        reports.append(jobs.run_due(later, uow_factory=uow_factory,
                                    settings=jobs.JobSettings(batch=50)))

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert len(reports) == 2
    assert sum(r.armed for r in reports) == HOSTS * PER_HOST
    assert sum(len(r.digests) for r in reports) == HOSTS
    sent = sum(r.reminders_sent for r in reports)
    messages = _outbox(uow_factory)
    per_booking = Counter(m.payload["booking_id"] for m in messages if m.kind == "reminder")
    assert sent == len(per_booking) and set(per_booking.values()) == {1}
    assert Counter(m.payload["host"] for m in messages if m.kind == "digest") == {
        f"h{h}": 1 for h in range(HOSTS)}


_SWEEPER = """
import sys
from datetime import datetime
from core import jobs, services
from storage.db import make_engine
from storage.uow import make_uow_factory

factory = make_uow_factory(make_engine(sys.argv[1]))

def counting():
    uow = factory()
    commit = uow.commit
    def announce():
        commit()
        print("commit", flush=True)
    uow.commit = announce
    return uow

jobs.run_due(datetime.fromisoformat(sys.argv[2]), uow_factory=counting,
             settings=jobs.JobSettings(batch=int(sys.argv[3])))
print("done", flush=True)
"""


@pytest.mark.parametrize(("kill_after", "phase"), [(50, "arming"), (102, "reminders"),
                                                   (107, "digests")])
def test_sweeper_killed_mid_sweep_and_restarted_does_everything_once(
    uow_factory, engine_url: str, engine: Engine, kill_after: int, phase: str
) -> None:
    """SIGKILL after ``kill_after`` commits of a sweep in batches of 10: commit 1 completes
    past bookings, 2-101 arm the 1,000 bookings, 102-105 send the 40 due reminders,
    106-109 write the 40 digests (10 hosts each). A fresh sweep then finishes the work."""
    _seed(uow_factory)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", _SWEEPER, engine_url, DUE.isoformat(), "10"],
        stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    assert child.stdout is not None
    commits = 0
    for line in child.stdout:
        commits += line.strip() == "commit"
        if commits == kill_after:
            child.send_signal(signal.SIGKILL)
            break
    assert child.wait(30) == -signal.SIGKILL, "the sweep ended before it could be killed"
    kinds_before = Counter(m.kind for m in _outbox(uow_factory))

    restarted = jobs.run_due(DUE, uow_factory=uow_factory)

    if phase == "arming":
        assert kinds_before == {} and restarted.armed > 0
    elif phase == "reminders":
        assert kinds_before["reminder"] < HOSTS and restarted.reminders_sent > 0
    else:
        assert kinds_before["digest"] < HOSTS and restarted.digests
    _assert_each_once(uow_factory, reminders_due=HOSTS)
    with engine.connect() as connection:
        unhandled = connection.execute(
            select(reminders.c.id).where(reminders.c.done_at.is_(None),
                                         reminders.c.due_at <= DUE)).all()
        runs = connection.execute(select(daily_runs.c.host_id)
                                  .where(daily_runs.c.job == "digest")).all()
    assert unhandled == [] and len(runs) == HOSTS


def test_pruning_deletes_old_bookings_keeps_contacts_and_reschedule_links(
    uow_factory, engine: Engine
) -> None:
    with uow_factory() as uow:
        host = Host("ana", "Ana", "Europe/Berlin", event_types=[EventType("intro", "Intro", 30)])
        uow.hosts.add(host)
        guest = Guest("telegram", "42", name="Carla", chat_id="42")
        uow.guests.add(guest)
        uow.commit()
    ids = (host.id, host.event_types[0].id, guest.id)
    with uow_factory() as uow:
        old = Booking(*ids, START, START + timedelta(minutes=30),
                      status=BookingStatus.CANCELLED, created_at=MADE)
        uow.bookings.add(old)
        new = Booking(*ids, START + timedelta(days=200), START + timedelta(days=200, hours=1),
                      created_at=MADE, rescheduled_from_id=old.id)
        uow.bookings.add(new)
        uow.contacts.record_booking(host.id, guest.id, MADE)
        uow.commit()
    jobs.run_due(START - timedelta(days=2), uow_factory=uow_factory)  # arm reminders

    # 91 days later at 03:00 in Berlin (02:00 UTC).
    at = datetime(2027, 3, 2, 2, 0, tzinfo=UTC)
    report = jobs.run_due(at, uow_factory=uow_factory)

    assert report.pruned == {"ana": 1}
    with uow_factory() as uow:
        left = uow.bookings.list()
        [(contact, found)] = uow.contacts.search(host.id, "carl")
    assert [(b.id, b.rescheduled_from_id) for b in left] == [(new.id, None)]
    with engine.connect() as connection:  # the run of 29 Nov aged out with the bookings
        runs = connection.execute(select(daily_runs.c.job, daily_runs.c.local_date)).all()
    assert [(job, str(day)) for job, day in runs] == [("prune", "2027-03-02")]
    assert (found.name, contact.total_bookings, contact.last_booked_at) == ("Carla", 1, MADE)
    assert services.list_bookings(uow=uow_factory())[0].booking.id == new.id


def test_outbox_claims_keep_each_chat_in_order_and_skip_held_rows(uow_factory) -> None:
    with uow_factory() as uow:
        for recipient, text in (("42", "a"), ("42", "b"), ("43", "c"), ("44", "email")):
            channel = "email" if text == "email" else "telegram"
            uow.outbox.add(OutboxMessage(channel, recipient, "note", {"text": text},
                                         created_at=MADE))
        uow.commit()
    lease = DUE + timedelta(minutes=5)
    with uow_factory() as uow:
        first = uow.outbox.claim(DUE, channels=["telegram"], limit=1, lease_until=lease)
        uow.commit()
    with uow_factory() as uow:
        second = uow.outbox.claim(DUE, channels=["telegram"], limit=10, lease_until=lease)
        uow.commit()
    with uow_factory() as uow:
        after_lease = uow.outbox.claim(lease, channels=["telegram"], limit=10,
                                       lease_until=lease + timedelta(minutes=5))

    assert [m.payload["text"] for m in first] == ["a"]
    assert [m.payload["text"] for m in second] == ["c"]  # "b" waits behind the held "a"
    assert [m.payload["text"] for m in after_lease] == ["a", "b", "c"]


def test_messages_added_together_are_stored_field_for_field(uow_factory) -> None:
    made = datetime(2026, 6, 1, 14, 30, tzinfo=ZoneInfo("Europe/Lisbon"))
    retry = made + timedelta(minutes=5)
    with uow_factory() as uow:
        uow.outbox.add_many([
            OutboxMessage("telegram", "chat1", "reminder", {"text": "Olá — 10:00 ✓", "n": [1]},
                          created_at=made),
            OutboxMessage("email", "ana@example.com", "booking_confirmed", {}, created_at=made,
                          status=OutboxStatus.FAILED, attempts=3, next_attempt_at=retry),
        ])
        uow.commit()
    with uow_factory() as uow:
        stored = sorted(uow.outbox.list(), key=lambda m: m.recipient)
    assert [(m.channel, m.recipient, m.kind, m.payload, m.status, m.attempts) for m in stored] == [
        ("email", "ana@example.com", "booking_confirmed", {}, OutboxStatus.FAILED, 3),
        ("telegram", "chat1", "reminder", {"text": "Olá — 10:00 ✓", "n": [1]},
         OutboxStatus.QUEUED, 0),
    ]
    assert [m.created_at for m in stored] == [made, made]
    assert [m.next_attempt_at for m in stored] == [retry, None]
    assert stored[0].created_at.utcoffset() == timedelta(0)  # read back in UTC


def test_messages_added_together_with_a_naive_instant_are_refused_whole(uow_factory) -> None:
    made = datetime(2026, 6, 1, 14, 30, tzinfo=UTC)
    with uow_factory() as uow, pytest.raises(InvalidTime):
        uow.outbox.add_many([
            QueuedMessage("telegram", "chat1", "reminder", {"n": 1}, made),
            QueuedMessage("telegram", "chat2", "reminder", {"n": 2}, made.replace(tzinfo=None)),
        ])
    with uow_factory() as uow:
        assert uow.outbox.list() == []


def test_old_delivered_notifications_are_pruned_queued_ones_never(uow_factory) -> None:
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    old, recent = now - timedelta(days=120), now - timedelta(days=10)
    rows = [("sent", old), ("failed", old), ("queued", old), ("sent", recent)]
    with uow_factory() as uow:
        uow.outbox.add_many([
            OutboxMessage("telegram", f"chat{i}", "reminder", {"n": i}, created_at=at,
                          status=OutboxStatus(status))
            for i, (status, at) in enumerate(rows)
        ])
        uow.commit()
    settings = jobs.JobSettings(retention_days=90, batch=1)
    # One row per sweep with batch=1: a backlog drains over several ticks.
    assert jobs.prune_outbox(now, uow_factory=uow_factory, settings=settings) == 1
    assert jobs.prune_outbox(now, uow_factory=uow_factory, settings=settings) == 1
    assert jobs.prune_outbox(now, uow_factory=uow_factory, settings=settings) == 0
    with uow_factory() as uow:
        left = sorted((m.status.value, m.recipient) for m in uow.outbox.list())
    assert left == [("queued", "chat2"), ("sent", "chat3")]
