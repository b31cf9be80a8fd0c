"""Storage fixtures: every test runs once on SQLite and once on PostgreSQL.

PostgreSQL comes from ``SLOTBOT_TEST_POSTGRES_URL`` (``source .ci/services.sh``
starts one); without it those runs are skipped, except under ``CI=true``,
where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from storage.db import make_engine
from storage.migrate import upgrade
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database (no tables yet) on the parametrized engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'slotbot.db'}"
    url = os.environ.get("SLOTBOT_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but SLOTBOT_TEST_POSTGRES_URL is unset: source .ci/services.sh")
        pytest.skip("SLOTBOT_TEST_POSTGRES_URL is unset")
    _reset_public_schema(url)
    return url


@pytest.fixture
def engine(engine_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to head."""
    engine = make_engine(engine_url)
    upgrade(engine)
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
