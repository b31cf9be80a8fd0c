"""Wiring of the external calendars: the clients each kind needs, from the settings."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from config.settings import Settings
from core.ports import Clock
from storage.calendars.caldav import CaldavCalendars
from storage.calendars.fetch import Fetcher
from storage.calendars.google import GoogleCalendars
from storage.calendars.google_grants import GrantStore, reader_sessions
from storage.calendars.ics import IcsFetcher
from storage.calendars.source import CalendarHub, CalendarSettings
from storage.calendars.writer import Writer


def calendar_settings(settings: Settings) -> CalendarSettings:
    return CalendarSettings(
        refresh=timedelta(seconds=settings.calendar_refresh_seconds),
        cold_timeout=settings.calendar_cold_timeout,
        stale_limit=timedelta(minutes=settings.calendar_stale_minutes),
    )


def grant_store(settings: Settings, engine: Engine) -> GrantStore:
    """The hosts' Google grants, encrypted with ``SLOTBOT_FERNET_KEY``."""
    key = settings.fernet_key.get_secret_value() if settings.fernet_key else None
    return GrantStore(sessionmaker(bind=engine), key, reader_sessions(engine))


def build_hub(settings: Settings, engine: Engine, clock: Clock) -> CalendarHub:
    """The process's calendar hub: a client per kind (none connects until used)."""
    caldav = CaldavCalendars()
    secret = settings.google_client_secret
    google = GoogleCalendars(
        grant_store(settings, engine), reader_sessions(engine), clock,
        client_id=settings.google_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        api_url=settings.google_api_url, token_url=settings.google_token_url,
        send_updates=settings.google_send_updates)
    fetchers: dict[str, Fetcher] = {"ics": IcsFetcher(), "caldav": caldav, "google": google}
    writers: dict[str, Writer] = {"caldav": caldav, "google": google}
    return CalendarHub(fetchers, sessionmaker(bind=engine), clock, calendar_settings(settings),
                       writers=writers)
