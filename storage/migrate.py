"""Bring a database schema up to date with Alembic, from code (no alembic.ini)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from storage.db import make_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_REVISION = re.compile(r'^(down_revision|revision) = "([^"]+)"$', re.MULTILINE)


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Run ``alembic upgrade REVISION`` in one transaction; a no-op when up to date.

    A database already at :func:`head` is recognised with one query, without
    importing Alembic (a third of a command's start-up otherwise).

    Args:
        engine_or_url: an engine (e.g. from :func:`storage.db.make_engine`) or a
            database URL, for which a short-lived engine is made and disposed.
        revision: the target (default the newest; tests of a migration stop before it).
    """
    engine = make_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    try:
        if revision != "head" or _current(engine) != head():
            _alembic_upgrade(engine, revision)
    finally:
        if engine is not engine_or_url:
            engine.dispose()


@cache
def head() -> str:
    """The newest revision: the one no migration in ``migrations/versions`` revises.

    Raises:
        RuntimeError: the scripts have no single head.
    """
    revisions, revised = set(), set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((key, value) for key, value in _REVISION.findall(script.read_text()))
        revisions.add(found["revision"])
        revised.add(found.get("down_revision"))
    heads = revisions - revised
    if len(heads) != 1:
        raise RuntimeError(f"migrations have heads {sorted(heads)}, not one")
    return heads.pop()


def _current(engine: Engine) -> str | None:
    """The database's Alembic revision, or None (no ``alembic_version`` table yet)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def _alembic_upgrade(engine: Engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
