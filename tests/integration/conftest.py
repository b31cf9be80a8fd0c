"""Storage fixtures: every test runs once on SQLite and once on PostgreSQL.

PostgreSQL comes from ``SLOTBOT_TEST_POSTGRES_URL`` (``source .ci/services.sh``
starts one; each xdist worker gets its own databases, see ``tests/conftest.py``);
without it those runs are skipped, except under ``CI=true``, where they fail.

A database at head is a copy of one migrated once per session (a SQLite file
copy, a PostgreSQL ``CREATE DATABASE … TEMPLATE``): the same schema the
migrations build, without running them for every test. The migrations
themselves are tested from an empty database (``test_migrate.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage.db import make_engine
from storage.migrate import upgrade
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory
from tests.conftest import PostgresServer


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database (no tables yet) on the parametrized engine.

    When the test also takes ``engine``, the database is already at head.
    """
    at_head = "engine" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "slotbot.db"
        if at_head:
            return request.getfixturevalue("sqlite_at_head")(path)
        return f"sqlite:///{path}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    template = request.getfixturevalue("postgres_head") if at_head else None
    return server.create(server.name("test"), template=template)


@pytest.fixture
def engine(engine_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to head."""
    engine = make_engine(engine_url)
    upgrade(engine)  # one query: the copy is at head already
    yield engine
    engine.dispose()


@pytest.fixture
def uow_factory(engine: Engine) -> Callable[[], SqlAlchemyUnitOfWork]:
    return make_uow_factory(engine)


def _reset_public_schema(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()
