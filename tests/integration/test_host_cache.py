"""Hosts cached per process (storage.host_cache): fewer statements, never stale rules."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, event

from core import services
from core.errors import SlotUnavailable
from core.setup_file import parse_setup
from storage.uow import make_uow_factory

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TUESDAY_10 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
TUESDAY = date(2026, 12, 1)


def clock() -> datetime:
    return NOW


def example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text())


@pytest.fixture
def processes(engine: Engine):
    """Two unit-of-work factories on one database, each with its own cache (two bot processes)."""
    first, second = make_uow_factory(engine), make_uow_factory(engine)
    services.load_hosts(parse_setup(example()), uow=first())
    return first, second


def guest_id(uow_factory) -> int:
    guest = services.ensure_guest("telegram", "u1", uow=uow_factory(), name="Guest", chat_id="c1")
    assert guest.id is not None
    return guest.id


def test_time_off_added_by_another_process_refuses_the_day(processes):
    first, second = processes
    assert services.check_slot("ana", "intro", TUESDAY_10, uow=first(), clock=clock)  # cached

    services.add_time_off("ana", TUESDAY, TUESDAY, uow=second())

    with pytest.raises(SlotUnavailable):
        services.book("ana", "intro", TUESDAY_10, guest_id=guest_id(first), uow=first(),
                      clock=clock)


def test_rules_reloaded_by_another_process_replace_the_cached_ones(processes):
    first, second = processes
    assert services.get_host("ana", uow=first()).name != "Ana Renamed"  # cached
    setup = example()
    setup["hosts"][0]["name"] = "Ana Renamed"
    setup["hosts"][0]["event_types"][0]["title"] = "Renamed intro"

    services.load_hosts(parse_setup(setup), uow=second())

    host = services.get_host("ana", uow=first())
    assert (host.name, host.event_types[0].title) == ("Ana Renamed", "Renamed intro")


def test_a_host_read_after_the_directory_has_the_rules_another_process_committed(processes):
    first, second = processes
    with first() as uow:  # the directory, and with it every host's version, cached
        uow.hosts.directory()
        ana = uow.hosts.read("ana")
        assert (TUESDAY, []) not in [(o.date, o.intervals) for o in ana.date_overrides]
    services.add_time_off("ana", TUESDAY, TUESDAY, uow=second())

    with first() as uow:
        uow.hosts.directory()  # the hosts table moved: the versions cached with it are stale
        ana = uow.hosts.read("ana")
        assert (TUESDAY, []) in [(o.date, o.intervals) for o in ana.date_overrides]


def test_in_place_changes_to_a_cached_host_are_saved_and_never_reach_the_cache(processes):
    first, second = processes
    services.get_host("ana", uow=first())  # cached
    with first() as uow:
        host = uow.hosts.get("ana")
        assert host is not None
        host.tags.append("uncommitted")
    with first() as uow:
        host = uow.hosts.get("ana")
        assert host is not None and "uncommitted" not in host.tags
        host.tags.append("vip")
        uow.commit()

    assert "vip" in services.get_host("ana", uow=second()).tags
    assert "vip" in services.get_host("ana", uow=first()).tags


def test_lock_rereads_rules_another_transaction_changed_meanwhile(processes, engine: Engine):
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite's unit of work holds the write lock from the start: nothing changes")
    first, second = processes
    with first() as uow:
        host = uow.hosts.get("ana")
        assert host is not None and TUESDAY not in {o.date for o in host.date_overrides}

        services.add_time_off("ana", TUESDAY, TUESDAY, uow=second())
        uow.hosts.lock(host)

        assert TUESDAY in {o.date for o in host.date_overrides}


def test_a_booking_with_a_cached_host_takes_seven_statements(processes, engine: Engine):
    first, _ = processes
    guest = guest_id(first)
    services.book("ana", "intro", TUESDAY_10, guest_id=guest, uow=first(), clock=clock)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE
            statements.append(statement.split()[0])

    event.listen(engine, "before_cursor_execute", count)
    try:
        services.book("ana", "intro", TUESDAY_10.replace(hour=10), guest_id=guest, uow=first(),
                      clock=clock)
    finally:
        event.remove(engine, "before_cursor_execute", count)

    # host version, guest, lock, nearby bookings; booking, contact, outbox (3 rows, one statement)
    assert statements == ["SELECT"] * 4 + ["INSERT"] * 3
