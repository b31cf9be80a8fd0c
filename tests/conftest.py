"""Servers and databases shared by every test directory, one set per pytest-xdist worker.

``make test`` runs the suite on every CPU (``-n logical`` in pyproject's pytest options).
Each worker (``PYTEST_XDIST_WORKER``: ``gw0``, ``gw1``, …) gets databases of its own,
so the workers never see each other's rows, schemas or Celery queues:

- PostgreSQL: ``SLOTBOT_TEST_POSTGRES_URL`` names a database that exists (CI's
  ``slotbot_test``); tests use ``<that name>_<worker>`` (``_main`` without xdist),
  created on first use, on the same server.
- Redis: ``SLOTBOT_TEST_REDIS_URL`` ends in a db number; worker ``gwN`` uses that
  number plus N.

Without those variables the PostgreSQL and Redis tests are skipped, except under
``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from storage.db import make_engine
from storage.migrate import upgrade


def worker() -> str:
    """This process's xdist worker id (``gw0``, ``gw1``, …), or ``main`` without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def required_url(variable: str) -> str:
    """The value of ``variable``; skips the test without it (fails it under ``CI=true``)."""
    url = os.environ.get(variable)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {variable} is unset: source .ci/services.sh")
        pytest.skip(f"{variable} is unset")
    return url


def libpq(url: URL) -> str:
    """``url`` (SQLAlchemy, ``postgresql+psycopg://…``) as a libpq connection string."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresServer:
    """The test PostgreSQL server; creates and drops this worker's databases on it.

    Every statement goes through the database named in ``SLOTBOT_TEST_POSTGRES_URL``
    (never dropped), so any of this worker's databases can be dropped meanwhile.
    """

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.created: set[str] = set()

    def database_url(self, name: str) -> str:
        """The SQLAlchemy URL of database ``name`` on this server."""
        return self.url.set(database=name).render_as_string(hide_password=False)

    def name(self, suffix: str) -> str:
        """This worker's database called ``suffix``: ``<base>_<worker>[_<suffix>]``."""
        return "_".join(part for part in (self.url.database, worker(), suffix) if part)

    def create(self, name: str, *, template: str | None = None) -> str:
        """(Re)create database ``name``, empty or as a copy of ``template``; returns its URL.

        Connections left open to an older ``name`` (an engine a test forgot) are ended.
        """
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with psycopg.connect(libpq(self.url), autocommit=True) as connection:
            connection.execute(_drop(name))
            connection.execute(create)
        self.created.add(name)
        return self.database_url(name)

    def drop_created(self) -> None:
        """Drop every database :meth:`create` made (at the end of the session)."""
        with psycopg.connect(libpq(self.url), autocommit=True) as connection:
            for name in self.created:
                connection.execute(_drop(name))
        self.created.clear()


def _drop(database: str) -> sql.Composed:
    return sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The server of ``SLOTBOT_TEST_POSTGRES_URL`` (skips or fails without it)."""
    server = PostgresServer(required_url("SLOTBOT_TEST_POSTGRES_URL"))
    yield server
    server.drop_created()


@pytest.fixture(scope="session")
def postgres_head(postgres_server: PostgresServer) -> str:
    """The name of this worker's database migrated to head once per session (a template)."""
    name = postgres_server.name("head")
    upgrade(postgres_server.create(name))  # afresh: the migrations may have changed
    return name


@pytest.fixture(scope="session")
def redis_url() -> str:
    """``SLOTBOT_TEST_REDIS_URL`` with this worker's db number (skips or fails without it).

    Raises:
        pytest.fail: the server has too few databases for this worker's number.
    """
    url = required_url("SLOTBOT_TEST_REDIS_URL")
    offset = int(worker().removeprefix("gw")) if worker() != "main" else 0
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0) + offset
    client = redis.Redis.from_url(url)
    try:
        databases = int(client.config_get("databases")["databases"])
    finally:
        client.close()
    if db >= databases:
        pytest.fail(f"xdist worker {worker()} needs Redis db {db} but the server has "
                    f"{databases}: lower the db number in SLOTBOT_TEST_REDIS_URL or run fewer "
                    "workers (pytest -n)")
    return urlunsplit(parts._replace(path=f"/{db}"))


@pytest.fixture(scope="session")
def sqlite_at_head(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], str]:
    """Writes a SQLite database migrated to head at a path; returns its URL.

    The migrations run once per session; each call copies the result (a file copy
    is the same database, in a fraction of the migrations' time).
    """
    template = tmp_path_factory.mktemp("sqlite-head") / "head.db"
    engine = make_engine(f"sqlite:///{template}")
    upgrade(engine)
    engine.dispose()  # the last connection checkpoints the WAL into the file

    def at(path: Path) -> str:
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"

    return at
