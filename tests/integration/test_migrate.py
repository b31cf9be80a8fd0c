"""The start-up check of the schema: one query when up to date, Alembic otherwise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from storage.migrate import MIGRATIONS_DIR, head, upgrade

ROOT = Path(__file__).resolve().parents[2]


def test_head_is_alembics_single_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert [head()] == ScriptDirectory.from_config(config).get_heads()


def test_an_empty_database_is_migrated_to_head(engine_url: str) -> None:
    upgrade(engine_url)
    from storage.db import make_engine

    engine = make_engine(engine_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            head())
    engine.dispose()


def test_an_up_to_date_database_is_checked_without_importing_alembic(engine_url: str) -> None:
    upgrade(engine_url)
    probe = ("import sys; from storage.migrate import upgrade; upgrade(sys.argv[1]); "
             "print('alembic' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe, engine_url], capture_output=True,
                            text=True, cwd=ROOT, timeout=60, check=True)
    assert result.stdout.strip() == "False"
