"""Once-a-day work per host at a local wall-clock time (digests, pruning).

A job is due for a host once the host's local time has reached the job's time
on the current local date; it runs at most once per host and local date,
however many sweeps run: the ``daily_runs`` row claimed in the job's own
transaction is the proof. Local times are resolved with ``zoneinfo``, so they
stay right across DST changes (a time skipped by a spring-forward happens just
after the gap; a repeated one, at its first occurrence).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from core.models import HostSchedule, require_aware
from core.ports import UnitOfWork, UnitOfWorkFactory

#: The work of one job for one host on one local date; returns a count for the report.
Work = Callable[[UnitOfWork, HostSchedule, date], int]


def due_date(timezone: str, at: time | None, now: datetime) -> date | None:
    """The local date whose run is due at ``now``, or None before ``at`` (or without it).

    Args:
        timezone: the host's IANA zone.
        at: local wall-clock time of the job; None means never.
        now: aware instant.
    """
    if at is None:
        return None
    zone = ZoneInfo(timezone)
    today = require_aware(now, "now").astimezone(zone).date()
    return today if now >= datetime.combine(today, at, tzinfo=zone) else None


def run_daily(
    job: str,
    now: datetime,
    *,
    uow_factory: UnitOfWorkFactory,
    at: Callable[[HostSchedule], time | None],
    work: Work,
) -> dict[str, int]:
    """Run ``job`` for every host it is due for and has not run for today (host-local).

    Each host's run is one transaction: claim (host, job, local date), do the
    work, commit. A concurrent sweep that loses the claim does nothing.

    Args:
        at: the job's local time for a host (None: not for this host).
        work: does the job inside the claiming unit of work.

    Returns:
        Host handle -> the count ``work`` returned, for the hosts run now.
    """
    with uow_factory() as uow:
        due = [(s, d) for s in uow.jobs.schedules()
               if (d := due_date(s.timezone, at(s), now)) is not None]
        done = uow.jobs.daily_done(job, {d for _, d in due}) if due else set()
    results: dict[str, int] = {}
    for schedule, local_date in due:
        if (schedule.id, local_date) in done:
            continue
        with uow_factory() as uow:
            if uow.jobs.claim_daily(schedule.id, job, local_date, now):
                results[schedule.handle] = work(uow, schedule, local_date)
                uow.commit()
    return results
