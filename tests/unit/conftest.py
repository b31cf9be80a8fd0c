from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from core import services
from core.setup_file import parse_setup
from tests.unit.fakes import FakeUnitOfWork

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"

#: Monday 30 Nov 2026, 08:00 UTC (09:00 in Berlin, 03:00 in New York).
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    """One in-memory 'database' with the example hosts loaded."""
    fake = FakeUnitOfWork()
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=fake)
    return fake


@pytest.fixture
def clock():
    return lambda: NOW
