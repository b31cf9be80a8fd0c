"""The restore drill, on SQLite and PostgreSQL: back up while guests keep booking,
restore into a fresh database, check it is one consistent instant of the original.

A consistent copy holds exactly the original's rows up to some moment: the
bookings, contacts and queued notifications with the smallest ids, equal to the
original's field by field, never a booking without its notices.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, select

from config.bootstrap import App, bootstrap
from config.settings import Settings
from core import services
from core.setup_file import parse_setup
from storage import backup as backups
from storage.orm import bookings, contacts, outbox
from tests.integration.conftest import _reset_public_schema

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday
BOOKINGS = 24
BACKUP_AFTER = 8


def rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            "bookings": [tuple(r) for r in connection.execute(
                select(bookings.c.id, bookings.c.guest_id, bookings.c.start,
                       bookings.c.status).order_by(bookings.c.id))],
            "contacts": [tuple(r) for r in connection.execute(
                select(contacts.c.id, contacts.c.host_id, contacts.c.guest_id)
                .order_by(contacts.c.id))],
            "queued": [tuple(r) for r in connection.execute(
                select(outbox.c.id, outbox.c.channel, outbox.c.recipient, outbox.c.kind)
                .where(outbox.c.status == "queued").order_by(outbox.c.id))],
        }


def book_many(app: App, halfway: threading.Event) -> None:
    """Book BOOKINGS intro calls for as many guests: Tue-Fri, 6 working hours a day."""
    start = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    try:
        for n in range(BOOKINGS):
            guest = services.ensure_guest("console", f"g{n}", uow=app.uow_factory(),
                                          name=f"Guest {n}", chat_id=f"g{n}")
            slot = start + timedelta(days=n // 6, hours=(8, 9, 10, 12, 13, 14)[n % 6])
            services.book("ana", "intro", slot, guest_id=guest.id or 0, uow=app.uow_factory(),
                          clock=app.clock)
            if n + 1 == BACKUP_AFTER:
                halfway.set()
    finally:
        halfway.set()


def test_restore_drill_during_live_bookings(engine_url, tmp_path):
    app = bootstrap(Settings(SLOTBOT_DATABASE_URL=engine_url), now=NOW)
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=app.uow_factory())
    halfway = threading.Event()
    writer = threading.Thread(target=book_many, args=(app, halfway))
    writer.start()
    assert halfway.wait(60)
    file = tmp_path / "slotbot.backup"
    backups.backup(engine_url, file)  # while the writer goes on booking
    writer.join(120)
    original = rows(app.engine)
    assert len(original["bookings"]) == BOOKINGS
    app.engine.dispose()

    if engine_url.startswith("sqlite"):
        target = f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        target = engine_url
        _reset_public_schema(target)  # the same server, now an empty database
    backups.restore(target, file)
    restored_app = bootstrap(Settings(SLOTBOT_DATABASE_URL=target), now=NOW)
    restored = rows(restored_app.engine)

    taken = len(restored["bookings"])
    assert BACKUP_AFTER <= taken <= BOOKINGS
    for table, found in restored.items():
        assert found == original[table][: len(found)], table  # a prefix, field by field
    # One instant: every restored booking came with its contact and its notices.
    assert len(restored["contacts"]) == taken
    per_booking = len(original["queued"]) // BOOKINGS
    assert len(restored["queued"]) == per_booking * taken
    # The restored database works: the next guest can book.
    guest = services.ensure_guest("console", "late", uow=restored_app.uow_factory())
    services.book("ana", "intro", datetime(2026, 12, 8, 8, 0, tzinfo=UTC), guest_id=guest.id or 0,
                  uow=restored_app.uow_factory(), clock=restored_app.clock)
    restored_app.engine.dispose()


def test_restore_refuses_a_file_of_the_other_kind(tmp_path):
    file = tmp_path / "not-a-backup"
    file.write_bytes(b"PGDMP\x01\x0e")
    with pytest.raises(backups.BackupError, match=r"postgresql backup but .* is sqlite"):
        backups.restore(f"sqlite:///{tmp_path / 'x.db'}", file)
    file.write_text("hello")
    with pytest.raises(backups.BackupError, match="not a Slotbot backup"):
        backups.restore(f"sqlite:///{tmp_path / 'x.db'}", file)
