"""Reminders exactly once, however many sweepers catch up at once (SQLite and PostgreSQL).

Each booking was made two days ago and starts within the hour, so both its 24 h
and its 1 h reminder are due at the sweep; only the 1 h one may be sent. Several
sweepers claim in small batches at the same instant, so on the code that chose per
batch the two reminders of a booking landed in different claims and both went out.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select, text, update

from core import reminders
from core.models import EventType, Guest, Host
from storage.db import make_engine
from storage.orm import bookings
from storage.orm import reminders as reminder_rows
from storage.uow import make_uow_factory
from tests.together import run_together

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
MADE = NOW - timedelta(days=2)
BOOKINGS = 400
SWEEPERS = 3
BATCH = 50
ROUNDS = 10


def _seed(uow_factory, count: int) -> list[int]:
    """``count`` confirmed bookings starting within the hour, armed; returns their ids."""
    with uow_factory() as uow:
        host = Host("ana", "Ana", "UTC", event_types=[EventType("intro", "Intro", 30)])
        uow.hosts.add(host)
        guest = Guest("telegram", "g1", name="Guest", chat_id="5001", email="g@example.org")
        uow.guests.add(guest)
        rows = []
        for n in range(count):
            start = NOW + timedelta(minutes=1 + n % 59, seconds=n // 59)
            rows.append({"host_id": host.id, "event_type_id": host.event_types[0].id,
                         "guest_id": guest.id, "start": start,
                         "end": start + timedelta(minutes=30), "status": "confirmed",
                         "created_at": MADE, "reminders_armed": False})
        uow._session.execute(insert(bookings), rows)  # type: ignore[attr-defined]
        uow.commit()
    assert reminders.arm(uow_factory=uow_factory) == count
    with uow_factory() as uow:
        return list(uow._session.scalars(select(bookings.c.id)))  # type: ignore[attr-defined]


def _sweep_at_once(uow_factory, sweepers: int, batch: int) -> list[reminders.ReminderCounts]:
    return run_together(lambda: reminders.send_due(NOW, uow_factory=uow_factory, batch=batch),
                        sweepers)


def race_round(uow_factory, *, count: int = BOOKINGS, sweepers: int = SWEEPERS,
               batch: int = BATCH) -> tuple[Counter[int], Counter[int]]:
    """One round on an empty database.

    Returns:
        booking id -> chat reminders written for it, and minutes before -> how many.
    """
    ids = _seed(uow_factory, count)
    counts = _sweep_at_once(uow_factory, sweepers, batch)
    with uow_factory() as uow:
        messages = [m for m in uow.outbox.list() if m.kind == "reminder"]
        outcomes = Counter(uow._session.scalars(  # type: ignore[attr-defined]
            select(reminder_rows.c.outcome)))
    chat = Counter(int(m.payload["booking_id"]) for m in messages if m.channel == "telegram")
    email = Counter(int(m.payload["booking_id"]) for m in messages if m.channel == "email")
    assert chat == email  # the chat message and the email go together
    assert sum(c.sent for c in counts) == outcomes["sent"]
    assert sum(c.skipped for c in counts) == outcomes["skipped"]
    assert set(chat) <= set(ids)
    return chat, Counter(int(m.payload["minutes_before"]) for m in messages
                         if m.channel == "telegram")


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_sweepers_catching_up_send_each_booking_one_reminder(uow_factory, engine,
                                                             round_: int) -> None:
    sent, offsets = race_round(uow_factory)

    twice = sum(1 for n in sent.values() if n > 1)
    assert (len(sent), twice, dict(offsets)) == (BOOKINGS, 0, {60: BOOKINGS})


@pytest.mark.postgres
def test_reminders_another_sweeper_commits_while_the_claim_runs_are_not_sent_again(
        postgres_server, postgres_head) -> None:
    # The other sweeper has marked the first 3 bookings' reminders and not committed when
    # the claim (one statement: lock bookings, mark their reminders) reaches those rows:
    # it waits, and on the commit finds them handled. What a claim whose snapshot was
    # taken just before that sweeper committed meets (PostgreSQL, READ COMMITTED). On
    # SQLite the write lock taken at BEGIN serializes the sweeps: nothing to race.
    engine = make_engine(postgres_server.create(postgres_server.name("test"),
                                                template=postgres_head))
    try:
        factory = make_uow_factory(engine)
        ids = _seed(factory, 20)
        first_three = set(sorted(ids)[:3])
        counts: list[reminders.ReminderCounts] = []
        with engine.connect() as other:
            handled = other.execute(
                update(reminder_rows).where(reminder_rows.c.booking_id.in_(first_three))
                .values(done_at=NOW, outcome="sent").returning(reminder_rows.c.id)).scalars().all()
            sweeper = threading.Thread(target=lambda: counts.append(
                reminders.send_due(NOW, uow_factory=factory, batch=10)))
            sweeper.start()
            with engine.connect() as watch:  # until the claim waits for the other's rows
                while not watch.execute(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND wait_event_type = 'Lock'")).scalar() and sweeper.is_alive():
                    watch.rollback()
            other.commit()
            sweeper.join(60)

        with factory() as uow:
            messages = [m for m in uow.outbox.list() if m.kind == "reminder"]
            rows = uow._session.execute(select(reminder_rows.c.id, reminder_rows.c.booking_id,
                                               reminder_rows.c.outcome)).all()
    finally:
        engine.dispose()
    # The 17 other bookings get their 1 h reminder once, to the chat and by email; the
    # first three's stay as the other sweeper recorded them.
    chat = Counter(int(m.payload["booking_id"]) for m in messages if m.channel == "telegram")
    assert (len(handled), counts) == (6, [reminders.ReminderCounts(sent=17, skipped=17)])
    assert len(messages) == 34 and set(chat.values()) == {1}
    assert not first_three & set(chat)
    assert {outcome for id_, _, outcome in rows if id_ in handled} == {"sent"}
