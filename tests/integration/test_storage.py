"""The SQLAlchemy unit of work and repositories, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.schema import CreateIndex

from core.errors import InvalidTime
from core.models import (
    Booking,
    BookingStatus,
    ConversationState,
    DateOverride,
    EventType,
    Guest,
    Host,
    OutboxMessage,
    OutboxStatus,
    WorkingHours,
)
from storage.migrate import head, upgrade
from storage.orm import PartialIndex, conversation_states, metadata
from storage.uow import SqlAlchemyUnitOfWork

UowFactory = Callable[[], SqlAlchemyUnitOfWork]

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday
BERLIN = ZoneInfo("Europe/Berlin")


def _host() -> Host:
    return Host(
        handle="ana",
        name="Ana Lima",
        timezone="Europe/Berlin",
        email="ana@example.com",
        telegram_user_id="1001",
        slack_user_id="U0ANA",
        digest_time=time(8, 0),
        working_hours=[
            WorkingHours(0, time(13), time(17)),
            WorkingHours(0, time(9), time(12)),
            WorkingHours(5, time(10), time(12)),
        ],
        date_overrides=[
            DateOverride(date(2026, 12, 28), [(time(10), time(14)), (time(15), time(0))]),
            DateOverride(date(2026, 12, 24)),
        ],
        event_types=[
            EventType("intro", "Intro call", 30),
            EventType(
                "workshop",
                "Workshop",
                90,
                buffer_before=10,
                buffer_after=15,
                minimum_notice=120,
                booking_window=30,
                slot_interval=60,
                seats=5,
                requires_confirmation=True,
                location="Room 2",
            ),
        ],
    )


def _seed(uow_factory: UowFactory) -> tuple[int, int, int]:
    """Adds host ``ana`` and one guest; returns (host id, intro event type id, guest id)."""
    with uow_factory() as uow:
        host = _host()
        uow.hosts.add(host)
        guest = Guest("telegram", "42", name="Bo", chat_id="42")
        uow.guests.add(guest)
        uow.commit()
    assert host.id is not None and guest.id is not None
    intro = host.event_type("intro")
    assert intro is not None and intro.id is not None
    return host.id, intro.id, guest.id


def _booking(
    ids: tuple[int, int, int],
    start: datetime,
    minutes: int = 30,
    status: BookingStatus = BookingStatus.CONFIRMED,
) -> Booking:
    host_id, event_type_id, guest_id = ids
    return Booking(
        host_id,
        event_type_id,
        guest_id,
        start,
        start + timedelta(minutes=minutes),
        status=status,
        created_at=NOW,
    )


def test_host_round_trips_with_hours_overrides_and_event_types(uow_factory: UowFactory) -> None:
    _seed(uow_factory)

    with uow_factory() as uow:
        host = uow.hosts.get("ana")

    # Read after the unit of work closed: everything was loaded eagerly.
    assert host is not None
    assert (host.name, host.timezone, host.email) == (
        "Ana Lima",
        "Europe/Berlin",
        "ana@example.com",
    )
    assert host.digest_time == time(8, 0)
    assert [(w.weekday, w.start, w.end) for w in host.working_hours] == [
        (0, time(9), time(12)),
        (0, time(13), time(17)),
        (5, time(10), time(12)),
    ]
    assert [(o.date, o.intervals) for o in host.date_overrides] == [
        (date(2026, 12, 24), []),
        (date(2026, 12, 28), [(time(10), time(14)), (time(15), time(0))]),
    ]
    workshop = host.event_type("workshop")
    assert workshop is not None
    assert [e.slug for e in host.event_types] == ["intro", "workshop"]
    assert (workshop.duration, workshop.buffer_before, workshop.buffer_after) == (90, 10, 15)
    assert (workshop.minimum_notice, workshop.booking_window, workshop.interval) == (120, 30, 60)
    assert (workshop.seats, workshop.requires_confirmation, workshop.location) == (
        5,
        True,
        "Room 2",
    )


def test_removing_a_rule_from_a_host_deletes_it(uow_factory: UowFactory) -> None:
    _seed(uow_factory)
    with uow_factory() as uow:
        host = uow.hosts.get("ana")
        assert host is not None
        host.date_overrides.pop(0)
        host.date_overrides[0].intervals.append((time(16), time(17)))
        uow.commit()

    with uow_factory() as uow:
        host = uow.hosts.get("ana")
    assert host is not None
    assert [(o.date, o.intervals) for o in host.date_overrides] == [
        (date(2026, 12, 28), [(time(10), time(14)), (time(15), time(0)), (time(16), time(17))]),
    ]


def test_finds_hosts_and_guests_by_platform_identity(uow_factory: UowFactory) -> None:
    host_id, _, guest_id = _seed(uow_factory)

    with uow_factory() as uow:
        by_telegram = uow.hosts.by_platform_user("telegram", "1001")
        by_slack = uow.hosts.by_platform_user("slack", "U0ANA")
        by_console = uow.hosts.by_platform_user("console", "1001")
        guest = uow.guests.get("telegram", "42")
        by_id = uow.hosts.get_by_id(host_id)
        listed = uow.hosts.list()

    assert by_telegram is not None and by_telegram.id == host_id
    assert by_slack is not None and by_slack.id == host_id
    assert by_console is None
    assert guest is not None and (guest.id, guest.name) == (guest_id, "Bo")
    assert by_id is not None and len(by_id.event_types) == 2
    assert [h.handle for h in listed] == ["ana"]


def test_instants_come_back_aware_in_utc(uow_factory: UowFactory) -> None:
    ids = _seed(uow_factory)
    start = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)  # 09:00 UTC
    with uow_factory() as uow:
        booking = _booking(ids, start)
        uow.bookings.add(booking)
        uow.commit()
    assert booking.id is not None

    with uow_factory() as uow:
        stored = uow.bookings.get(booking.id)

    assert stored is not None
    assert stored.start == start
    assert stored.start.tzinfo is UTC and stored.end.tzinfo is UTC
    assert stored.start.hour == 9
    assert stored.created_at == NOW and stored.created_at.tzinfo is UTC


def test_naive_datetimes_are_refused(uow_factory: UowFactory) -> None:
    ids = _seed(uow_factory)
    naive = datetime(2026, 3, 2, 9, 0)

    with uow_factory() as uow, pytest.raises(InvalidTime):
        uow.bookings.add(_booking(ids, naive))
    with uow_factory() as uow, pytest.raises(InvalidTime):
        uow.bookings.overlapping(ids[0], naive, naive + timedelta(hours=1))

    with uow_factory() as uow:
        assert uow.bookings.list() == []


def test_unit_of_work_discards_what_was_not_committed(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.guests.add(Guest("slack", "U1"))
    with uow_factory() as uow:
        uow.guests.add(Guest("slack", "U2"))
        uow.rollback()
        uow.guests.add(Guest("slack", "U3"))
        uow.commit()

    with uow_factory() as uow:
        found = [uow.guests.get("slack", user) for user in ("U1", "U2", "U3")]
    assert [guest is not None for guest in found] == [False, False, True]


def test_conversation_state_is_updated_in_place_and_replaced_by_key(
    uow_factory: UowFactory, engine: Engine
) -> None:
    key = ("telegram", "chat-7", "user-7")
    with uow_factory() as uow:
        uow.conversations.add(ConversationState(*key, state="ask_time", updated_at=NOW))
        uow.commit()

    with uow_factory() as uow:
        state = uow.conversations.get(*key)
        assert state is not None
        state.state = "confirm"
        state.data["start"] = "2026-03-03T09:00:00+00:00"
        uow.commit()
    with uow_factory() as uow:
        updated = uow.conversations.get(*key)
    assert updated is not None
    assert (updated.state, updated.data) == ("confirm", {"start": "2026-03-03T09:00:00+00:00"})

    with uow_factory() as uow:
        uow.conversations.add(ConversationState(*key, state="start", data={"host": "ana"}))
        uow.commit()
    with uow_factory() as uow:
        replaced = uow.conversations.get(*key)
    assert replaced is not None
    assert (replaced.state, replaced.data) == ("start", {"host": "ana"})
    with engine.connect() as connection:
        rows = connection.scalar(select(func.count()).select_from(conversation_states))
    assert rows == 1


def test_outbox_lists_messages_oldest_first(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        for n in (1, 2):
            uow.outbox.add(
                OutboxMessage(
                    "telegram", "42", "booking_confirmed", {"text": f"#{n}", "ids": [n]}, NOW
                )
            )
        uow.commit()

    with uow_factory() as uow:
        messages = uow.outbox.list()

    assert [m.payload for m in messages] == [{"text": "#1", "ids": [1]}, {"text": "#2", "ids": [2]}]
    assert {(m.status, m.attempts, m.created_at) for m in messages} == {
        (OutboxStatus.QUEUED, 0, NOW)
    }


def test_migrations_are_idempotent_and_match_the_tables(engine_url: str, engine: Engine) -> None:
    upgrade(engine_url)
    upgrade(engine)

    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head()
        assert compare_metadata(context, metadata) == []


def test_partial_indexes_have_the_migrations_predicates(engine: Engine) -> None:
    # compare_metadata does not look at an index's WHERE: the partial indexes are
    # checked here. Each is compared with a probe built from its declaration (in a
    # transaction rolled back) as the engine reflects both: PostgreSQL rewrites a
    # predicate ("((status)::text = 'queued'::text)"), the same way for both.
    partial = [index for table in metadata.tables.values() for index in table.indexes
               if isinstance(index, PartialIndex)]
    dialect = engine.dialect.name

    assert sorted(str(index.name) for index in partial) == [
        "ix_bookings_unarmed", "ix_outbox_finished", "ix_outbox_queued", "ix_reminders_due"]
    with engine.connect() as connection:
        for index in partial:
            assert index.table is not None
            probe = PartialIndex(f"probe_{index.name}", *(c.name for c in index.columns),
                                 where=index.predicate)
            probe._set_parent(index.table)
            try:
                ddl = str(CreateIndex(probe).compile(dialect=engine.dialect))
                assert ddl.endswith(f"WHERE {index.predicate.text}")
                connection.execute(CreateIndex(probe))
                reflected = {found["name"]: found["dialect_options"].get(f"{dialect}_where")
                             for found in inspect(connection).get_indexes(index.table.name)}
            finally:
                index.table.indexes.discard(probe)
                connection.rollback()
            assert str(reflected[str(index.name)]) == str(reflected[probe.name])


def test_overlapping_returns_only_live_overlapping_bookings(uow_factory: UowFactory) -> None:
    ids = _seed(uow_factory)
    with uow_factory() as uow:
        other = Host("bo", "Bo", "UTC", event_types=[EventType("intro", "Intro", 30)])
        uow.hosts.add(other)
        assert other.id is not None
        other_ids = (other.id, other.event_types[0].id or 0, ids[2])
        nine = NOW.replace(hour=9)
        touching_before = _booking(ids, nine - timedelta(minutes=30))
        pending = _booking(ids, nine + timedelta(minutes=30), status=BookingStatus.PENDING)
        confirmed = _booking(ids, nine - timedelta(minutes=15))
        for booking in (
            touching_before,
            pending,
            confirmed,
            _booking(ids, nine, status=BookingStatus.CANCELLED),
            _booking(ids, nine, status=BookingStatus.DECLINED),
            _booking(other_ids, nine),
            _booking(ids, nine + timedelta(hours=1)),  # touching after
        ):
            uow.bookings.add(booking)
        uow.commit()

    with uow_factory() as uow:
        found = uow.bookings.overlapping(ids[0], nine, nine + timedelta(hours=1))
        for_guest = uow.bookings.for_guest(ids[2], ending_after=nine + timedelta(minutes=45))

    assert [b.id for b in found] == [confirmed.id, pending.id]
    assert [b.start for b in for_guest] == [
        nine + timedelta(minutes=30),
        nine + timedelta(hours=1),
    ]


def test_concurrent_bookings_of_one_slot_leave_exactly_one(
    uow_factory: UowFactory, engine: Engine
) -> None:
    ids = _seed(uow_factory)
    start = NOW.replace(hour=10)
    end = start + timedelta(minutes=30)
    threads = 10 if engine.dialect.name == "sqlite" else 20
    barrier = threading.Barrier(threads, timeout=30)

    def book_if_free() -> bool:
        barrier.wait()
        with uow_factory() as uow:
            host = uow.hosts.get("ana")
            assert host is not None
            uow.hosts.lock(host)
            if uow.bookings.overlapping(ids[0], start, end):
                return False
            uow.bookings.add(_booking(ids, start))
            uow.commit()
            return True

    with ThreadPoolExecutor(max_workers=threads) as pool:
        outcomes = list(pool.map(lambda _: book_if_free(), range(threads)))

    assert outcomes.count(True) == 1
    with uow_factory() as uow:
        assert len(uow.bookings.list(host_id=ids[0])) == 1
