"""Wiring of the external calendars: the clients each kind needs, from the settings.

Each client is built, and its library imported, the first time a calendar of its
kind is fetched or written (:class:`storage.calendars.clients.Clients`): a
process whose hosts have no calendars never loads caldav or the Google client.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from config.settings import Settings
from core.ports import Clock
from storage.calendars.clients import Clients
from storage.calendars.source import CalendarHub, CalendarSettings

if TYPE_CHECKING:
    from storage.calendars.caldav import CaldavCalendars
    from storage.calendars.google import GoogleCalendars
    from storage.calendars.google_grants import GrantStore
    from storage.calendars.ics import IcsFetcher


def calendar_settings(settings: Settings) -> CalendarSettings:
    return CalendarSettings(
        refresh=timedelta(seconds=settings.calendar_refresh_seconds),
        cold_timeout=settings.calendar_cold_timeout,
        stale_limit=timedelta(minutes=settings.calendar_stale_minutes),
    )


def grant_store(settings: Settings, engine: Engine) -> GrantStore:
    """The hosts' Google grants, encrypted with ``SLOTBOT_FERNET_KEY``."""
    from storage.calendars.google_grants import GrantStore, reader_sessions

    key = settings.fernet_key.get_secret_value() if settings.fernet_key else None
    return GrantStore(sessionmaker(bind=engine), key, reader_sessions(engine))


def build_hub(settings: Settings, engine: Engine, clock: Clock) -> CalendarHub:
    """The process's calendar hub: a client per kind (none is built until used)."""

    @cache
    def caldav() -> CaldavCalendars:
        from storage.calendars.caldav import CaldavCalendars

        return CaldavCalendars()

    @cache
    def google() -> GoogleCalendars:
        from storage.calendars.google import GoogleCalendars
        from storage.calendars.google_grants import reader_sessions

        secret = settings.google_client_secret
        return GoogleCalendars(
            grant_store(settings, engine), reader_sessions(engine), clock,
            client_id=settings.google_client_id,
            client_secret=secret.get_secret_value() if secret else None,
            api_url=settings.google_api_url, token_url=settings.google_token_url,
            send_updates=settings.google_send_updates)

    def ics() -> IcsFetcher:
        from storage.calendars.ics import IcsFetcher

        return IcsFetcher()

    fetchers = Clients({"ics": ics, "caldav": caldav, "google": google})
    writers = Clients({"caldav": caldav, "google": google})
    return CalendarHub(fetchers, sessionmaker(bind=engine), clock, calendar_settings(settings),
                       writers=writers)
