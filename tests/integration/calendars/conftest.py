"""A Slotbot wired with external calendars, on each database engine."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from core import services
from core.setup_file import parse_setup
from storage.calendars.fetch import Fetcher
from storage.calendars.source import CalendarHub, CalendarSettings
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory
from tests.integration.calendars.feeds import MovingClock


@dataclass
class CalendarApp:
    engine: Engine
    hub: CalendarHub
    uow_factory: Callable[[], SqlAlchemyUnitOfWork]
    clock: MovingClock

    def load(self, setup: Mapping[str, Any]) -> None:
        services.load_hosts(parse_setup(setup), uow=self.uow_factory())


@pytest.fixture
def make_app(engine: Engine) -> Iterator[Callable[..., CalendarApp]]:
    hubs: list[CalendarHub] = []

    def make(fetchers: Mapping[str, Fetcher], writers: Mapping[str, Any] | None = None,
             **settings: Any) -> CalendarApp:
        clock = MovingClock()
        hub = CalendarHub(fetchers, sessionmaker(bind=engine), clock,
                          CalendarSettings(**settings), rng=random.Random(7), writers=writers)
        hubs.append(hub)
        return CalendarApp(engine, hub, make_uow_factory(engine, calendars=hub), clock)

    yield make
    for hub in hubs:
        hub.pool.shutdown(wait=False, cancel_futures=True)
