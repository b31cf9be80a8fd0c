"""Racing clients on SQLite (20 threads) and PostgreSQL (50 connections): no double booking.

Every round starts all clients at once (a barrier) on a fresh slot; exactly the
available seats are booked, every other client gets :class:`SlotUnavailable`
with alternatives (the friendly "just taken"), and an invariant query over the
whole table finds no two live bookings of the host that overlap (seats of one
shared slot apart). On PostgreSQL the same races are run once more with the
host row lock switched off, so only the exclusion constraint stands between
the clients; and concurrent changes of one booking have exactly one winner.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier
from typing import Any

import pytest
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import aliased

from core import services
from core.errors import BookingNotLive, NotPending, SlotbotError, SlotUnavailable
from core.models import LIVE_STATUSES, Booking, BookingStatus
from core.services import Actor
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.orm import bookings
from storage.repositories import SqlAlchemyHostRepository
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory

NOW = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
ROUNDS = 8
#: SQLSTATE of PostgreSQL's ``deadlock_detected``.
DEADLOCK_DETECTED = "40P01"
SETUP = {
    "hosts": [{
        "handle": "ana",
        "timezone": "UTC",
        "working_hours": {"mon-sun": "00:00-24:00"},
        "event_types": [
            {"slug": "short", "title": "Short", "duration": 30, "slot_interval": 15,
             "booking_window": 365},
            {"slug": "long", "title": "Long", "duration": 90, "slot_interval": 15,
             "booking_window": 365},
            {"slug": "group", "title": "Group", "duration": 60, "seats": 3,
             "booking_window": 365},
            {"slug": "request", "title": "Request", "duration": 30, "booking_window": 365,
             "requires_confirmation": True},
        ],
    }]
}

Factory = Callable[[], SqlAlchemyUnitOfWork]


def clock() -> datetime:
    return NOW


@pytest.fixture
def racing(engine: Engine, engine_url: str) -> Iterator[tuple[Factory, list[int], int]]:
    """A unit-of-work factory with a pool for every client, the clients' guest ids, N."""
    clients = 20 if engine.dialect.name == "sqlite" else 50
    pool_engine = make_engine(engine_url, pool_size=clients)
    factory = make_uow_factory(pool_engine)
    services.load_hosts(parse_setup(SETUP), uow=factory())
    guests = [
        services.ensure_guest("telegram", f"g{n}", uow=factory(), name=f"G{n}", chat_id=f"c{n}")
        for n in range(clients)
    ]
    yield factory, [g.id or 0 for g in guests], clients
    pool_engine.dispose()


def race(clients: int, attempt: Callable[[int], str], rounds: int = ROUNDS) -> list[Counter[str]]:
    """Run ``attempt(client)`` on every client at once, ``rounds`` times; outcomes per round."""
    results = []
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for round_ in range(rounds):
            barrier = Barrier(clients, timeout=60)

            def go(client: int, round_: int = round_, barrier: Barrier = barrier) -> str:
                barrier.wait()
                return attempt(round_ * 1000 + client)

            results.append(Counter(pool.map(go, range(clients))))
    return results


def book(factory: Factory, slug: str, start: datetime, guest_id: int) -> str:
    """One client's attempt. Without the host's lock (the constraint-only test), two
    overlapping INSERTs can wait for each other at the exclusion check; PostgreSQL then
    aborts one (deadlock_detected), and that client tries again, as a client should."""
    try:
        services.book("ana", slug, start, guest_id=guest_id, uow=factory(), clock=clock)
    except SlotUnavailable as exc:
        return "taken" if exc.alternatives else "taken without alternatives"
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != DEADLOCK_DETECTED:
            raise
        return book(factory, slug, start, guest_id)
    return "booked"


def overlapping_live_pairs(factory: Factory) -> int:
    """Pairs of live bookings of one host that overlap, other than seats of one shared slot."""
    a, b = aliased(bookings), aliased(bookings)
    query = select(func.count()).select_from(a).join(b, and_(
        a.c.host_id == b.c.host_id,
        a.c.id < b.c.id,
        a.c.start < b.c.end,
        b.c.start < a.c.end,
    )).where(
        a.c.status.in_(LIVE_STATUSES),
        b.c.status.in_(LIVE_STATUSES),
        ~and_(a.c.event_type_id == b.c.event_type_id, a.c.start == b.c.start,
              a.c.exclusive.is_(False), b.c.exclusive.is_(False)),
    )
    with factory() as uow:
        return uow._session.execute(query).scalar_one()


def live_count(factory: Factory) -> int:
    with factory() as uow:
        return sum(1 for b in uow.bookings.list() if b.is_live)


def report(name: str, engine: Engine, rounds: list[Counter[str]]) -> None:
    total = sum(rounds, Counter())
    print(f"\n{engine.dialect.name} {name}: {len(rounds)} rounds, {dict(total)}")


def test_racing_clients_for_one_slot_book_it_once(racing, engine: Engine) -> None:
    factory, guests, clients = racing

    def attempt(n: int) -> str:
        start = NOW + timedelta(days=1 + n // 1000, hours=9)
        return book(factory, "short", start, guests[n % 1000])

    rounds = race(clients, attempt)
    report("one slot", engine, rounds)
    assert rounds == [Counter(booked=1, taken=clients - 1)] * ROUNDS
    assert live_count(factory) == ROUNDS
    assert overlapping_live_pairs(factory) == 0


def test_racing_clients_for_overlapping_slots_of_different_lengths_book_one(
    racing, engine: Engine
) -> None:
    factory, guests, clients = racing
    # Every candidate covers 10:00–10:15, so any two of them overlap.
    candidates = [("short", timedelta(minutes=m)) for m in (-15, 0)] + [
        ("long", timedelta(minutes=m)) for m in (-75, -60, -45, -30, -15, 0)
    ]

    def attempt(n: int) -> str:
        slug, offset = candidates[n % len(candidates)]
        start = NOW + timedelta(days=1 + n // 1000, hours=10) + offset
        return book(factory, slug, start, guests[n % 1000])

    rounds = race(clients, attempt)
    report("overlapping lengths", engine, rounds)
    assert rounds == [Counter(booked=1, taken=clients - 1)] * ROUNDS
    assert overlapping_live_pairs(factory) == 0


def test_racing_clients_for_a_slot_with_seats_fill_exactly_the_seats(
    racing, engine: Engine
) -> None:
    factory, guests, clients = racing

    def attempt(n: int) -> str:
        return book(factory, "group", NOW + timedelta(days=1 + n // 1000, hours=14),
                    guests[n % 1000])

    rounds = race(clients, attempt)
    report("three seats", engine, rounds)
    assert rounds == [Counter(booked=3, taken=clients - 3)] * ROUNDS
    assert overlapping_live_pairs(factory) == 0


@pytest.mark.postgres
def test_exclusion_constraint_alone_stops_double_booking(
    racing, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    factory, guests, clients = racing
    monkeypatch.setattr(SqlAlchemyHostRepository, "lock", lambda self, host: None)
    lengths = [("short", timedelta(0)), ("long", timedelta(minutes=-45))]

    def attempt(n: int) -> str:
        slug, offset = lengths[n % 2]
        return book(factory, slug, NOW + timedelta(days=1 + n // 1000, hours=11) + offset,
                    guests[n % 1000])

    rounds = race(clients, attempt)
    report("no lock, constraint only", engine, rounds)
    assert rounds == [Counter(booked=1, taken=clients - 1)] * ROUNDS
    assert overlapping_live_pairs(factory) == 0


def test_concurrent_changes_of_one_booking_have_one_winner(racing, engine: Engine) -> None:
    factory, guests, clients = racing
    host_id = services.get_host("ana", uow=factory()).id or 0
    picker = random.Random(4)
    winners: list[str] = []
    for round_ in range(ROUNDS):
        start = NOW + timedelta(days=1 + round_, hours=16)
        view = services.book("ana", "request", start, guest_id=guests[0], uow=factory(),
                             clock=clock)
        booking_id = view.booking.id or 0
        changes = _changes(factory, booking_id, start + timedelta(hours=2),
                           guest=Actor("guest", guests[0]), host=Actor("host", host_id))
        plan = [picker.choice(changes[1:]) for _ in range(clients - 4)] + changes[1:]
        outcomes = race(len(plan), lambda n, plan=plan: _attempt_change(plan[n % 1000]), 1)[0]
        chain = [b for b in _all(factory) if b.id == booking_id or
                 b.rescheduled_from_id == booking_id]
        assert sum(n for k, n in outcomes.items() if k.startswith("won")) == 1, outcomes
        assert sum(1 for b in chain if b.is_live) == (1 if outcomes["won reschedule"] else 0)
        winners.extend(k for k in outcomes if k.startswith("won"))
        confirms = race(8, lambda n, change=changes[0]: _attempt_change(change), 1)[0]
        if outcomes["won reschedule"]:
            assert confirms == Counter(lost=8)  # the old booking is cancelled
    print(f"\n{engine.dialect.name} change races: winners {dict(Counter(winners))}")
    assert overlapping_live_pairs(factory) == 0


def test_concurrent_confirmations_have_one_winner(racing, engine: Engine) -> None:
    factory, guests, clients = racing
    host = Actor("host", services.get_host("ana", uow=factory()).id or 0)
    view = services.book("ana", "request", NOW + timedelta(days=2, hours=20),
                         guest_id=guests[0], uow=factory(), clock=clock)
    booking_id = view.booking.id or 0

    outcomes = race(clients, lambda n: _attempt_change(("confirm", lambda: services.confirm(
        booking_id, actor=host, uow=factory(), clock=clock))), 1)[0]

    assert outcomes == Counter({"won confirm": 1, "lost": clients - 1})
    with factory() as uow:
        confirmed = uow.bookings.get(booking_id)
        assert confirmed is not None and confirmed.status is BookingStatus.CONFIRMED
        kinds = [m.kind for m in uow.outbox.list()]
    assert kinds.count("booking_confirmed") == 1  # the guest is told once


def _changes(
    factory: Factory, booking_id: int, later: datetime, *, guest: Actor, host: Actor
) -> list[tuple[str, Callable[[], Any]]]:
    """Confirm (host), then the changes that end the booking: decline, cancel, reschedule."""
    return [
        ("confirm", lambda: services.confirm(booking_id, actor=host, uow=factory(),
                                             clock=clock)),
        ("decline", lambda: services.decline(booking_id, actor=host, uow=factory(),
                                             clock=clock, reason="busy")),
        ("cancel", lambda: services.cancel(booking_id, actor=guest, uow=factory(),
                                           clock=clock)),
        ("reschedule", lambda: services.reschedule(booking_id, later, actor=guest,
                                                   uow=factory(), clock=clock)),
    ]


def _attempt_change(change: tuple[str, Callable[[], Any]]) -> str:
    name, run = change
    try:
        run()
    except (BookingNotLive, NotPending):
        return "lost"
    except SlotbotError as exc:
        return f"error {type(exc).__name__}"
    return f"won {name}"


def _all(factory: Factory) -> list[Booking]:
    with factory() as uow:
        return uow.bookings.list()
