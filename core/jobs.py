"""The periodic entry point: everything due at an instant (DESIGN 3.3, STYLE 9).

:func:`run_due` is a plain function of ``now``: ``slotbot tick --now T``, the
in-process loop of ``slotbot serve`` and the Celery beat task all call it (and
then deliver the outbox). Every step works through indexed queries and atomic
claims, so running it twice at one instant, or in two processes at once, does
each thing once; a sweep killed halfway leaves nothing half done, because each
claim commits together with the work it stands for.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from core import daily, digests, payments, reminders, services
from core.models import require_aware
from core.ports import UnitOfWork, UnitOfWorkFactory

_LOGGER = logging.getLogger(__name__)

PRUNE_JOB = "prune"


@dataclass(frozen=True)
class JobSettings:
    """Knobs of the periodic jobs.

    Attributes:
        retention_days: bookings that ended longer ago than this are deleted.
        prune_time: host-local time of the daily pruning.
        batch: rows (reminders: bookings; digests and pruning: hosts) claimed
            per transaction.
        digest_chart: Monday's digest carries the past week's chart
            (``SLOTBOT_DIGEST_CHART``; see :func:`core.digests.build`).
    """

    retention_days: int = 90
    prune_time: time = time(3, 0)
    batch: int = reminders.BATCH
    digest_chart: bool = False


@dataclass(frozen=True)
class JobReport:
    """What one sweep did. ``digests``/``pruned`` map host handles to counts."""

    completed: int = 0
    expired: int = 0
    armed: int = 0
    reminders_sent: int = 0
    reminders_skipped: int = 0
    digests: dict[str, int] = field(default_factory=dict)
    pruned: dict[str, int] = field(default_factory=dict)
    outbox_pruned: int = 0
    #: Paid bookings whose payment window ended unpaid (their seats freed).
    holds_expired: int = 0


def run_due(
    now: datetime, *, uow_factory: UnitOfWorkFactory, settings: JobSettings | None = None
) -> JobReport:
    """Do every periodic job due at ``now``, each exactly once.

    In order: mark ended confirmed bookings completed; decline pending requests
    whose confirmation time ran out (``services.expire_pending``); let unpaid holds
    go (``payments.expire_holds``); schedule the reminders
    of new bookings; write due reminders to the outbox; write due daily
    digests; prune old bookings where the host's pruning time has come.

    Args:
        now: aware instant the sweep runs for.

    Returns:
        What was done; the pruned counts are also logged.
    """
    require_aware(now, "now")
    settings = settings or JobSettings()
    completed = complete_past(now, uow_factory=uow_factory)
    expired = services.expire_pending(uow_factory(), now)
    holds = payments.expire_holds(uow_factory(), now, batch=settings.batch)
    armed = reminders.arm(uow_factory=uow_factory, batch=settings.batch)
    sent = reminders.send_due(now, uow_factory=uow_factory, batch=settings.batch)
    written = digests.send_due(now, uow_factory=uow_factory, batch=settings.batch,
                               chart=settings.digest_chart)
    pruned = prune_due(now, uow_factory=uow_factory, settings=settings)
    outbox_pruned = prune_outbox(now, uow_factory=uow_factory, settings=settings)
    return JobReport(completed, expired, armed, sent.sent, sent.skipped, written, pruned,
                     outbox_pruned, holds)


def complete_past(now: datetime, *, uow_factory: UnitOfWorkFactory) -> int:
    """Mark confirmed bookings that ended by ``now`` completed; returns how many."""
    with uow_factory() as uow:
        count = uow.jobs.complete_ended(now)
        uow.commit()
    return count


def prune_outbox(now: datetime, *, uow_factory: UnitOfWorkFactory,
                 settings: JobSettings) -> int:
    """Delete sent and failed notifications older than ``retention_days``, a batch per sweep.

    Queued ones are never deleted: an outage delays messages, it does not lose
    them. At most ``settings.batch`` rows go per sweep, so a backlog drains over
    a few ticks without one long transaction.

    Returns:
        How many were deleted (also logged when not zero).
    """
    with uow_factory() as uow:
        count = uow.outbox.prune(now - timedelta(days=settings.retention_days),
                                 limit=settings.batch)
        uow.commit()
    if count:
        _LOGGER.info("pruned %d delivered notification(s)", count)
    return count


def prune_due(
    now: datetime, *, uow_factory: UnitOfWorkFactory, settings: JobSettings
) -> dict[str, int]:
    """Delete bookings that ended over ``retention_days`` ago, per host at its pruning time.

    Contacts stay, with their totals and last-booked dates. Each host is pruned
    once per local day; the count is logged.

    Returns:
        Host handle -> bookings deleted, for the hosts pruned now.
    """
    cutoff = now - timedelta(days=settings.retention_days)

    def prune(uow: UnitOfWork, runs: Sequence[daily.Due]) -> dict[str, int]:
        pruned = {}
        for run in runs:
            count = pruned[run.schedule.handle] = uow.jobs.prune(run.schedule.id, cutoff)
            _LOGGER.info("pruned %d booking(s) of %s that ended before %s", count,
                         run.schedule.handle, cutoff.isoformat())
        return pruned

    return daily.run_daily(PRUNE_JOB, now, uow_factory=uow_factory,
                           at=lambda _: settings.prune_time, work=prune, batch=settings.batch)
