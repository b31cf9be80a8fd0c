"""The composition root: builds the engine, units of work, clock, calendars and conversation.

Nothing here runs at import; :func:`bootstrap` is called once by the command
line (or a test) with the settings and, optionally, a fixed instant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bots.conversation import Conversation
from bots.host_commands import HostCommands
from config.calendars import build_hub
from config.links import links
from config.payments import gateways
from config.settings import Settings
from config.startup import database_error
from core.models import require_aware
from core.ports import Clock, PaymentGateways, UnitOfWorkFactory
from storage.calendars.source import CalendarHub
from storage.db import make_engine
from storage.migrate import upgrade
from storage.uow import make_uow_factory

#: Connections the pool keeps open besides one per worker (a worker's turn holds one):
#: the inbox's writer and sweep, the periodic jobs, a health or metrics read. With
#: fewer, a turn under load gets an overflow connection, which SQLAlchemy closes when
#: it is given back: a new connection per turn (on PostgreSQL, a new server process).
BACKGROUND_CONNECTIONS = 4


@dataclass(frozen=True)
class App:
    """Everything a command or a bot process needs, wired once."""

    settings: Settings
    engine: Engine
    uow_factory: UnitOfWorkFactory
    clock: Clock
    conversation: Conversation
    calendars: CalendarHub
    host_commands: HostCommands
    #: Payment providers by name (``stripe``): empty when none is configured.
    gateways: PaymentGateways = field(default_factory=dict)


def fixed_clock(now: datetime) -> Clock:
    """A clock that always returns ``now`` (aware; returned in UTC)."""
    instant = require_aware(now, "now").astimezone(UTC)
    return lambda: instant


def system_clock() -> datetime:
    return datetime.now(UTC)


def bootstrap(settings: Settings, *, now: datetime | None = None) -> App:
    """Build the application: migrate the database, wire the conversation.

    Args:
        now: fixes the clock for the whole process (``--now``); aware.

    Raises:
        config.startup.StartupError: the database cannot be opened or migrated.
    """
    engine = make_engine(settings.database_url,
                         pool_size=settings.workers + BACKGROUND_CONNECTIONS)
    try:
        upgrade(engine)
    except (SQLAlchemyError, OSError) as exc:
        engine.dispose()
        raise database_error(settings.database_url, exc) from None
    clock = fixed_clock(now) if now is not None else system_clock
    calendars = build_hub(settings, engine, clock)
    uow_factory = make_uow_factory(engine, calendars=calendars)
    host_commands = HostCommands(uow_factory, clock, links=links(settings))
    found = gateways(settings)
    return App(settings, engine, uow_factory, clock,
               Conversation(uow_factory, clock, host_commands=host_commands, gateways=found,
                            link_keys=settings.link_keys),
               calendars, host_commands, found)
