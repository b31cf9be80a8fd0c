"""Bring a database schema up to date with Alembic, from code (no alembic.ini)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from storage.db import make_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Run ``alembic upgrade REVISION`` in one transaction; a no-op when up to date.

    Args:
        engine_or_url: an engine (e.g. from :func:`storage.db.make_engine`) or a
            database URL, for which a short-lived engine is made and disposed.
        revision: the target (default the newest; tests of a migration stop before it).
    """
    engine = make_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if engine is not engine_or_url:
            engine.dispose()
