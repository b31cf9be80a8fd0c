"""The whole application on a SQLite file with the example hosts, its clock fixed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml

from config.bootstrap import App, bootstrap
from config.settings import Settings
from core import services
from core.setup_file import parse_setup

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
#: Monday 23 Nov 2026, 09:00 UTC (10:00 in Berlin, 04:00 in New York).
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def example_app(folder: Path, now: datetime = NOW) -> App:
    """Bootstraps Slotbot on ``folder/e2e.db`` at ``now`` and loads ``examples/hosts.yaml``."""
    settings = Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{folder / 'e2e.db'}")
    built = bootstrap(settings, now=now)
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=built.uow_factory())
    return built
