"""A Slotbot wired with external calendars, on each database engine."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from bots.delivery import deliver_due
from core import services
from core.setup_file import parse_setup
from storage.calendars.fetch import Fetcher
from storage.calendars.source import CalendarHub, CalendarSettings
from storage.calendars.writer import CalendarTransport
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory
from tests.integration.calendars.feeds import MovingClock

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class CalendarApp:
    engine: Engine
    hub: CalendarHub
    uow_factory: Callable[[], SqlAlchemyUnitOfWork]
    clock: MovingClock

    def load(self, setup: Mapping[str, Any]) -> None:
        services.load_hosts(parse_setup(setup), uow=self.uow_factory())

    def starts(self, day: str) -> list[str]:
        """ana's free ``intro`` starts on ``day`` (Berlin wall times, ``HH:MM``)."""
        first = datetime.fromisoformat(day).replace(tzinfo=BERLIN)
        slots = services.free_slots("ana", "intro", first, first + timedelta(days=1),
                                    uow=self.uow_factory(), clock=self.clock)
        return [s.start.astimezone(BERLIN).strftime("%H:%M") for s in slots]

    def book(self, hour: int, day: int = 2) -> int:
        """Guest Bo books ana's ``intro`` at ``hour`` (Berlin) on ``day`` March 2026."""
        guest = services.ensure_guest("console", "bo", uow=self.uow_factory(), name="Bo Berg",
                                      email="bo@example.org")
        view = services.book("ana", "intro", datetime(2026, 3, day, hour, tzinfo=BERLIN),
                             guest_id=guest.id or 0, uow=self.uow_factory(), clock=self.clock)
        return view.booking.id or 0

    def deliver(self) -> None:
        """One pass of the outbox's ``calendar`` channel (UIDs ``…@example.com``)."""
        deliver_due(self.clock(), uow_factory=self.uow_factory,
                    transports={"calendar": CalendarTransport(self.hub, "example.com")})


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
