"""The host directory and team snapshots per process: shared, never stale, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import Engine, event

from core import services, team
from core.setup_file import parse_setup
from storage.uow import make_uow_factory

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TUESDAY_2PM = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)  # 14:00 in Berlin


CARLA = {"handle": "carla", "name": "Carla Reis", "timezone": "Europe/Lisbon",
         "working_hours": {"mon-fri": "09:00-17:00"},
         "event_types": [{"slug": "chat", "title": "Chat", "duration": 15}]}


def clock() -> datetime:
    return NOW


def example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text())


def test_a_host_added_or_renamed_elsewhere_is_in_the_next_directory(engine: Engine) -> None:
    bot, loader = make_uow_factory(engine), make_uow_factory(engine)
    services.load_hosts(parse_setup(example()), uow=loader())
    with bot() as uow:
        before = uow.hosts.directory()
    with bot() as uow:
        assert uow.hosts.directory() is before  # shared while nothing changed
    setup = example()
    setup["hosts"][0]["name"] = "Ana Schmidt"
    setup["hosts"].append(CARLA)
    services.load_hosts(parse_setup(setup), uow=loader())
    with bot() as uow:
        after = uow.hosts.directory()
    assert after.find("schmidt") is None and after.find("ana schmidt").handle == "ana"
    assert after.find("carla").timezone == "Europe/Lisbon"
    assert "chat" in after.event_type_words
    assert before.find("carla") is None


def test_a_host_added_in_the_unit_of_work_that_read_the_directory_is_in_its_next_one(
        engine: Engine) -> None:
    factory = make_uow_factory(engine)
    services.load_hosts(parse_setup(example()), uow=factory())
    setup = example()
    setup["hosts"].append(CARLA)
    with factory() as uow:
        uow.conversations.lock("telegram", "c1", "u1")  # reads the hosts table's version too
        assert uow.hosts.directory().find("carla") is None
        services.load_hosts(parse_setup(setup), uow=uow)
        assert uow.hosts.directory().find("carla").timezone == "Europe/Lisbon"


def test_after_a_commit_the_directory_reads_the_hosts_tables_version_anew(
        engine: Engine) -> None:
    factory = make_uow_factory(engine)
    services.load_hosts(parse_setup(example()), uow=factory())
    statements: list[str] = []
    with factory() as uow:
        uow.conversations.lock("telegram", "c1", "u1")
        uow.commit()
        event.listen(engine, "before_cursor_execute",
                     lambda _c, _cur, sql, *_a: statements.append(sql))
        uow.hosts.directory()
    assert any("FROM host_directory" in s for s in statements)


def test_an_unchanged_directory_or_snapshot_list_costs_one_statement(engine: Engine) -> None:
    factory = make_uow_factory(engine)
    services.load_hosts(parse_setup(example()), uow=factory())
    with factory() as uow:  # a long-running process has built both once
        uow.hosts.directory()
        uow.hosts.snapshots()
    statements: list[str] = []
    with factory() as uow:
        event.listen(engine, "before_cursor_execute",
                     lambda _c, _cur, sql, *_a: statements.append(sql))
        directory = uow.hosts.directory()
        snapshots = uow.hosts.snapshots()
    assert [h.handle for h in snapshots] == [e.handle for e in directory.entries]
    # the table's version, one row whatever the number of hosts, read by each
    assert len(statements) == 2 and all("FROM host_directory" in s for s in statements)
    assert not any("FROM hosts" in s for s in statements)


def test_team_search_sees_working_hours_changed_by_another_process(engine: Engine) -> None:
    bot, loader = make_uow_factory(engine), make_uow_factory(engine)
    services.load_hosts(parse_setup(example()), uow=loader())
    window = (TUESDAY_2PM, TUESDAY_2PM + timedelta(hours=1))
    found = team.find_free(*window, uow=bot(), clock=clock, minutes=30, limit=3)
    assert [f.host.handle for f in found] == ["ana"]
    setup = example()
    setup["hosts"][0]["working_hours"] = {"mon-fri": "09:00-12:00"}
    services.load_hosts(parse_setup(setup), uow=loader())
    assert team.find_free(*window, uow=bot(), clock=clock, minutes=30, limit=3) == []


def test_event_type_aliases_are_stored_and_reach_the_directory_and_a_reload(engine: Engine
                                                                            ) -> None:
    loader = make_uow_factory(engine)
    services.load_hosts(parse_setup(example()), uow=loader())
    with loader() as uow:
        consultation = uow.hosts.get("ana").event_type("consultation")
        assert consultation.aliases == ["consulta", "Beratung", "consultoria"]
        assert uow.hosts.directory().event_type_aliases["beratung"] == "consultation"
    setup = example()
    setup["hosts"][0]["event_types"][1]["aliases"] = ["Termin"]
    services.load_hosts(parse_setup(setup), uow=make_uow_factory(engine)())
    with make_uow_factory(engine)() as uow:
        assert uow.hosts.get("ana").event_type("consultation").aliases == ["Termin"]
        assert dict(uow.hosts.directory().event_type_aliases) == {"termin": "consultation"}
