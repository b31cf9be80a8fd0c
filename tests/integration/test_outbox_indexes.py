"""The outbox's and reminders' indexes (migration 0018): each one read by the query it
is for, on SQLite and PostgreSQL, and the migration reversible."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, inspect

from core.models import OutboxMessage, OutboxStatus, QueuedMessage
from storage.db import make_engine
from storage.migrate import MIGRATIONS_DIR, upgrade
from storage.uow import SqlAlchemyUnitOfWork

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@contextmanager
def _statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The SQL and parameters of every statement run on ``engine`` meanwhile."""
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _plan(engine: Engine, statement: str, parameters: Any) -> str:
    """The engine's plan of ``statement`` as text (PostgreSQL: sequential scans off, so the
    plan shows whether an index can serve it at all, whatever the table's size)."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
        else:
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                              parameters).all()
        connection.rollback()
    return "\n".join(str(row[-1]) for row in rows)


def _seed(uow_factory: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    with uow_factory() as uow:
        uow.outbox.add_many([QueuedMessage("telegram", str(n % 3), "reminder", {"n": n},
                                           NOW - timedelta(days=40)) for n in range(30)])
        uow.outbox.add(OutboxMessage("email", "a@example.com", "reminder", {}, NOW,
                                     status=OutboxStatus.SENT, sent_at=NOW))
        uow.commit()


def test_delivery_claim_reads_the_queued_index(
        engine: Engine, uow_factory: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    _seed(uow_factory)
    with _statements(engine) as seen, uow_factory() as uow:
        claimed = uow.outbox.claim(NOW, channels=["telegram"], limit=5,
                                   lease_until=NOW + timedelta(minutes=1))
        [(claim, parameters)] = [(s, p) for s, p in seen if "FOR UPDATE" in s
                                 or ("FROM outbox" in s and "LIMIT" in s)]
    assert [(m.recipient, m.payload["n"]) for m in claimed] == [("0", 0), ("1", 1), ("2", 2),
                                                                 ("0", 3), ("1", 4)]
    plan = _plan(engine, claim.replace(" FOR UPDATE OF outbox SKIP LOCKED", ""), parameters)
    # The claim's rows and its check of each chat's older messages both read it.
    assert plan.count("ix_outbox_queued") == 2, plan


def test_pruning_reads_the_finished_index(
        engine: Engine, uow_factory: Callable[[], SqlAlchemyUnitOfWork]) -> None:
    _seed(uow_factory)
    with _statements(engine) as seen, uow_factory() as uow:
        pruned = uow.outbox.prune(NOW + timedelta(days=1), limit=10)
        [(prune, parameters)] = [(s, p) for s, p in seen if s.startswith("DELETE FROM outbox")]
        uow.rollback()
    assert pruned == 1  # the sent one; queued messages are never pruned
    plan = _plan(engine, prune, parameters)
    if engine.dialect.name == "postgresql":
        assert "ix_outbox_finished" in plan, plan
    else:  # SQLite walks the primary key in the ORDER BY's order, stopping at the limit
        assert "SCAN outbox" in plan and "TEMP B-TREE" not in plan, plan


def test_new_outbox_rows_enter_only_the_queued_index(engine: Engine) -> None:
    indexes = {index["name"]: index for index in inspect(engine).get_indexes("outbox")}
    assert sorted(indexes) == ["ix_outbox_finished", "ix_outbox_queued"]
    reminder_indexes = [index["name"] for index in inspect(engine).get_indexes("reminders")]
    assert "ix_reminders_booking_id" not in reminder_indexes  # the unique constraint's serves


def test_migration_0018_is_reversible(engine_url: str) -> None:
    engine = make_engine(engine_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    try:
        upgrade(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0017")
        outbox_indexes = {index["name"] for index in inspect(engine).get_indexes("outbox")}
        reminder_indexes = {index["name"] for index in inspect(engine).get_indexes("reminders")}
        upgrade(engine)
        again = {index["name"] for index in inspect(engine).get_indexes("outbox")}
    finally:
        engine.dispose()
    assert outbox_indexes == {"ix_outbox_status_next_attempt_at", "ix_outbox_status_created_at",
                              "ix_outbox_channel_recipient_status"}
    assert "ix_reminders_booking_id" in reminder_indexes
    assert again == {"ix_outbox_queued", "ix_outbox_finished"}
