"""Benchmarks of the external calendars (see bench/README.md, "External calendars").

1. Warm slots: ``services.free_slots`` for 60 days of one event type for a
   host with 3 connected calendars of 2,000 events each (spread over a year,
   all 2,000 in the cache; cache warm: fetched just now), against the same
   host's twin with no calendars, in the same run and the same database;
   medians over ``--repeat`` calls, taken in turn.
2. Cold fetch: one full fetch of the booking window (63 days) from each
   loopback server (an ICS feed of 2,000 events over a year, a real Radicale
   server with ``--dav-events`` events, the Calendar v3 test server with
   2,000 events); medians.
3. Sync tick: :func:`storage.calendars.sync.refresh_due` for ``--hosts`` hosts
   (1,000) with one ICS feed each, all in demand and due: the first tick (200
   with a body) and the next (conditional GET, 304).

The servers are the test suite's loopback servers (tests/integration/calendars).

Usage::

    .venv/bin/python -m bench.calendars
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time as _time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy.orm import sessionmaker

from core import services
from core.models import Calendar, CalendarKind, Host
from core.setup_file import parse_setup
from storage.calendars import cache
from storage.calendars.caldav import CaldavCalendars
from storage.calendars.events import merge
from storage.calendars.google import GoogleCalendars
from storage.calendars.google_grants import GrantStore, reader_sessions
from storage.calendars.ics import IcsFetcher
from storage.calendars.source import CalendarHub, CalendarSettings
from storage.calendars.sync import refresh_due
from storage.db import make_engine
from storage.migrate import upgrade
from storage.orm import calendar_sync
from storage.uow import make_uow_factory
from tests.integration.calendars.google_server import GoogleState
from tests.integration.calendars.loopback import Answer, serve
from tests.integration.calendars.radicale_server import radicale

#: Monday 1 Mar 2027, 07:00 UTC.
NOW = datetime(2027, 3, 1, 7, 0, tzinfo=UTC)
DAYS = 60


def _host(handle: str, calendars: list[dict[str, Any]]) -> dict[str, Any]:
    return {"handle": handle, "timezone": "Europe/Berlin", "email": f"{handle}@example.com",
            "working_hours": {"mon-fri": "09:00-12:00, 13:00-18:00", "sat": "10:00-14:00"},
            "event_types": [{"slug": "call", "title": "Call", "duration": 30,
                             "booking_window": DAYS}],
            "calendars": calendars}


#: Days a calendar's events are spread over, from yesterday (a year: about 5 a weekday).
SPREAD = 366


def _events(count: int, seed: int) -> list[tuple[datetime, datetime]]:
    """``count`` meetings of 15-90 min between 07:00 and 19:00 UTC over :data:`SPREAD` days."""
    rng = random.Random(seed)
    spans = []
    for _ in range(count):
        day = NOW.replace(hour=0) + timedelta(days=rng.randrange(-1, SPREAD))
        start = day + timedelta(hours=7, minutes=15 * rng.randrange(48))
        spans.append((start, start + timedelta(minutes=15 * rng.randrange(1, 7))))
    return spans


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def warm_slots(repeat: int) -> None:
    folder = Path(tempfile.mkdtemp())
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    upgrade(engine)
    clock: Callable[[], datetime] = lambda: NOW  # noqa: E731
    hub = CalendarHub({}, sessionmaker(bind=engine), clock, CalendarSettings())
    factory = make_uow_factory(engine, calendars=hub)
    feeds = [{"ics": f"https://example.com/{n}.ics"} for n in range(3)]
    services.load_hosts(parse_setup({"hosts": [_host("busy", feeds), _host("plain", [])]}),
                        uow=factory())
    host = services.get_host("busy", uow=factory())
    window = hub.window(host, NOW, end=NOW + timedelta(days=SPREAD))  # all 2,000 kept
    with hub.session_factory() as session:
        for n, calendar in enumerate(host.calendars):
            found = merge(_events(2000, n))
            cache.store(session, calendar.id or 0, found, now=NOW, covers=window, validator=None)
        session.execute(calendar_sync.update().values(wanted_at=NOW))
        session.commit()
    start, end = NOW, NOW + timedelta(days=DAYS)

    def run(handle: str) -> tuple[float, int]:
        began = _time.perf_counter()
        slots = services.free_slots(handle, "call", start, end, uow=factory(), clock=clock)
        return _time.perf_counter() - began, len(slots)

    first, _ = run("busy")  # the process's copy is read from the database here
    times: dict[str, list[float]] = {"plain": [], "busy": []}
    counts = {}
    for _ in range(repeat):
        for handle in ("plain", "busy"):
            took, counts[handle] = run(handle)
            times[handle].append(took)
    plain, busy = _median_ms(times["plain"]), _median_ms(times["busy"])
    print(f"warm slots, {DAYS} days, median of {repeat}:")
    print(f"  no calendars            {plain:8.2f} ms  ({counts['plain']} slots)")
    print(f"  3 calendars x 2,000     {busy:8.2f} ms  ({counts['busy']} slots)"
          f"  = {busy / plain:.2f}x")
    print(f"  first call (cache read from the database) {first * 1000:.2f} ms")


def _ics(spans: list[tuple[datetime, datetime]]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    for n, (lo, hi) in enumerate(spans):
        lines += ["BEGIN:VEVENT", f"UID:e{n}@bench", "DTSTAMP:20270101T000000Z",
                  f"DTSTART:{lo:%Y%m%dT%H%M%SZ}", f"DTEND:{hi:%Y%m%dT%H%M%SZ}",
                  "SUMMARY:Meeting", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def _timed(fetch: Callable[[], Any], repeat: int) -> tuple[float, int]:
    samples, count = [], 0
    for _ in range(repeat):
        began = _time.perf_counter()
        found = fetch()
        samples.append(_time.perf_counter() - began)
        count = len(found.intervals or [])
    return _median_ms(samples), count


def cold_fetches(repeat: int, dav_events: int) -> None:
    host = Host(handle="ana", name="Ana", timezone="Europe/Berlin", id=1)
    lo, hi = NOW - timedelta(days=1), NOW + timedelta(days=DAYS + 2)
    print(f"cold fetch of {DAYS + 3} days, median of {repeat}:")
    feed = _ics(_events(2000, 1))
    with serve(lambda _: Answer(200, feed, {"Content-Type": "text/calendar"})) as server:
        calendar = Calendar(kind=CalendarKind.ICS, address=f"{server.url}/f.ics", id=1)
        took, count = _timed(lambda: IcsFetcher().fetch(calendar, host, lo, hi, None), repeat)
        print(f"  ICS feed, 2,000 events          {took:8.1f} ms  ({count} busy intervals)")
    with radicale(Path(tempfile.mkdtemp())) as dav:
        collection = dav.calendar()
        for data in _ics(_events(dav_events, 2)).split(b"BEGIN:VEVENT")[1:]:
            collection.save_event("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:b\r\nBEGIN:VEVENT"
                                  + data.decode().replace("END:VCALENDAR\r\n", "")
                                  + "END:VCALENDAR\r\n")
        calendar = Calendar(kind=CalendarKind.CALDAV, address=dav.calendar_url,
                            username="ana", password_env="PW", id=1)
        client = CaldavCalendars(environ={"PW": "secret"})
        took, count = _timed(lambda: client.fetch(calendar, host, lo, hi, None), repeat)
        print(f"  Radicale, {dav_events:,} events          {took:8.1f} ms  "
              f"({count} busy intervals)")
    state = GoogleState()
    for start, end in _events(2000, 3):
        state.add("primary", {"start": {"dateTime": start.isoformat()},
                              "end": {"dateTime": end.isoformat()}})
    folder = Path(tempfile.mkdtemp())
    engine = make_engine(f"sqlite:///{folder / 'g.db'}")
    upgrade(engine)
    factory = make_uow_factory(engine)
    services.load_hosts(parse_setup({"hosts": [_host("ana", [{"google": "primary"}])]}),
                        uow=factory())
    reader = reader_sessions(engine)
    grants = GrantStore(sessionmaker(bind=engine), Fernet.generate_key().decode(), reader)
    grants.save(1, "refresh-good", NOW)
    with serve(state.handle) as server:
        google = GoogleCalendars(grants, reader, lambda: NOW, client_id="c", client_secret="s",
                                 api_url=f"{server.url}/", token_url=f"{server.url}/token")
        calendar = Calendar(kind=CalendarKind.GOOGLE, address="primary", id=1, host_id=1)

        def fetch() -> Any:
            found = google.fetch(calendar, host, lo, hi, None)
            google.settle()
            return found

        took, count = _timed(fetch, repeat)
        print(f"  Google v3 server, 2,000 events  {took:8.1f} ms  ({count} busy intervals)")


def sync_tick(hosts: int) -> None:
    folder = Path(tempfile.mkdtemp())
    engine = make_engine(f"sqlite:///{folder / 'tick.db'}")
    upgrade(engine)
    feed = _ics(_events(20, 4))
    etag = '"v1"'

    def answer(request: Any) -> Answer:
        if request.headers.get("If-None-Match") == etag:
            return Answer(304)
        return Answer(200, feed, {"Content-Type": "text/calendar", "ETag": etag})

    with serve(answer) as server:
        now = [NOW]
        hub = CalendarHub({"ics": IcsFetcher()}, sessionmaker(bind=engine), lambda: now[0],
                          CalendarSettings())
        factory = make_uow_factory(engine)  # maps the domain classes before any Host is made
        setup = [_host(f"h{n}", [{"ics": f"{server.url}/h{n}.ics"}]) for n in range(hosts)]
        services.load_hosts(parse_setup({"hosts": setup}), uow=factory())
        with hub.session_factory() as session:
            cache.mark_wanted(session, range(1, hosts + 1), NOW)
            session.commit()
        print(f"sync tick, {hosts:,} hosts with one ICS feed each (16 fetch threads):")
        for label in ("first tick (200 + body)", "next tick (304 Not Modified)"):
            began = _time.perf_counter()
            report = refresh_due(now[0], hub)
            took = _time.perf_counter() - began
            print(f"  {label:<30} {took * 1000:8.0f} ms  ({report.refreshed} refreshed, "
                  f"{report.failed} failed)")
            now[0] += timedelta(minutes=3)
        hub.pool.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--dav-events", type=int, default=500)
    args = parser.parse_args()
    warm_slots(args.repeat)
    cold_fetches(max(args.repeat // 6, 3), args.dav_events)
    sync_tick(args.hosts)


if __name__ == "__main__":
    main()


