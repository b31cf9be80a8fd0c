"""Wiring of the external calendars: the clients each kind needs, from the settings."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from config.settings import Settings
from core.ports import Clock
from storage.calendars.caldav import CaldavCalendars
from storage.calendars.fetch import Fetcher
from storage.calendars.ics import IcsFetcher
from storage.calendars.source import CalendarHub, CalendarSettings
from storage.calendars.writer import Writer


def calendar_settings(settings: Settings) -> CalendarSettings:
    return CalendarSettings(
        refresh=timedelta(seconds=settings.calendar_refresh_seconds),
        cold_timeout=settings.calendar_cold_timeout,
        stale_limit=timedelta(minutes=settings.calendar_stale_minutes),
    )


def build_hub(settings: Settings, engine: Engine, clock: Clock) -> CalendarHub:
    """The process's calendar hub: a client per kind (none connects until used)."""
    caldav = CaldavCalendars()
    fetchers: dict[str, Fetcher] = {"ics": IcsFetcher(), "caldav": caldav}
    writers: dict[str, Writer] = {"caldav": caldav}
    return CalendarHub(fetchers, sessionmaker(bind=engine), clock, calendar_settings(settings),
                       writers=writers)
