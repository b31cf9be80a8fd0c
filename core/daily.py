"""Once-a-day work per host at a local wall-clock time (digests, pruning).

A job is due for a host once the host's local time has reached the job's time
on the current local date; it runs at most once per host and local date,
however many sweeps run: the ``daily_runs`` row claimed in the job's own
transaction is the proof. Local times are resolved with ``zoneinfo``, so they
stay right across DST changes (a time skipped by a spring-forward happens just
after the gap; a repeated one, at its first occurrence).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from core.models import HostSchedule, require_aware
from core.ports import UnitOfWork, UnitOfWorkFactory

#: Hosts claimed per transaction.
BATCH = 500


@dataclass(frozen=True)
class Due:
    """One host's run of a job: the host, its local date, when the job last ran for it.

    ``last_run`` is the aware UTC instant of the latest run for an earlier
    local date, or None if there was none.
    """

    schedule: HostSchedule
    local_date: date
    last_run: datetime | None


#: The work of one job for a batch of host runs, inside the claiming unit of work;
#: returns host handle -> a count for the report.
Work = Callable[[UnitOfWork, Sequence[Due]], Mapping[str, int]]


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
    batch: int = BATCH,
) -> dict[str, int]:
    """Run ``job`` for every host it is due for and has not run for today (host-local).

    Hosts go in batches of ``batch``, each one transaction: read when the job
    last ran for them, claim (host, job, local date) for the whole batch in one
    statement, do the work for the hosts this claim won, commit. A concurrent
    sweep that loses a host's claim does nothing for that host.

    Args:
        at: the job's local time for a host (None: not for this host).
        work: does the job inside the claiming unit of work.
        batch: hosts per transaction.

    Returns:
        Host handle -> the count ``work`` returned, for the hosts run now.
    """
    with uow_factory() as uow:
        due = [(s, d) for s in uow.jobs.schedules()
               if (d := due_date(s.timezone, at(s), now)) is not None]
        done = uow.jobs.daily_done(job, {d for _, d in due}) if due else set()
    todo = [(s, d) for s, d in due if (s.id, d) not in done]
    results: dict[str, int] = {}
    for first in range(0, len(todo), batch):
        chunk = todo[first:first + batch]
        with uow_factory() as uow:
            # Read before claiming, so today's row (ours) is not the "last run".
            last = uow.jobs.last_daily_many(job, [s.id for s, _ in chunk],
                                            before=max(d for _, d in chunk))
            won = uow.jobs.claim_daily_many(job, [(s.id, d) for s, d in chunk], now)
            runs = [Due(s, d, last.get(s.id)) for s, d in chunk if s.id in won]
            if runs:
                results.update(work(uow, runs))
                uow.commit()
    return results
