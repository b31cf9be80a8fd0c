"""The periodic entry point as the processes run it: jobs, then outbox delivery.

``slotbot tick``, the in-process loop of ``slotbot serve`` and the Celery task
``slotbot.tick`` all call :func:`tick`: :func:`core.jobs.run_due` (reminders,
digests, pruning, completing past bookings) and then
:func:`bots.delivery.deliver_due` with the transports the settings configure.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import IO, Any

from bots import delivery
from config.bootstrap import App
from config.settings import Settings
from core import jobs
from core.models import require_aware
from core.notifications import CALENDAR_CHANNEL
from storage.calendars.sync import SyncReport, refresh_due
from storage.calendars.twoway import check_changes
from storage.calendars.writer import CalendarTransport

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickReport:
    """What one tick did: the jobs' report, the calendars refreshed, the delivery counts."""

    jobs: jobs.JobReport
    delivery: delivery.DeliveryReport
    calendars: SyncReport = field(default_factory=SyncReport)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able (the Celery task's result)."""
        return {"jobs": asdict(self.jobs), "delivery": asdict(self.delivery),
                "calendars": asdict(self.calendars)}

    def summary(self) -> str:
        j, d = self.jobs, self.delivery
        return (f"completed {j.completed}, expired {j.expired}, armed {j.armed}, "
                f"reminders {j.reminders_sent} (skipped {j.reminders_skipped}), "
                f"digests {sum(j.digests.values())}, "
                f"pruned {sum(j.pruned.values())} (+{j.outbox_pruned} notifications); "
                f"delivered {d.sent}, retrying {d.retried}, "
                f"failed {d.failed}" + self._calendar_summary())

    def _calendar_summary(self) -> str:
        c = self.calendars
        if not (c.refreshed or c.failed):
            return ""
        return f"; calendars refreshed {c.refreshed}, failed {c.failed}"


def job_settings(settings: Settings) -> jobs.JobSettings:
    return jobs.JobSettings(retention_days=settings.retention_days,
                            prune_time=settings.prune_time)


def delivery_settings(settings: Settings) -> delivery.DeliverySettings:
    return delivery.DeliverySettings(max_attempts=settings.outbox_max_attempts,
                                     budget=settings.tick_seconds * 0.8)


#: Why email rows fail at once when no SMTP server is configured (``slotbot outbox``).
EMAIL_OFF = "not sent: email is off (SMTP_URL is not set)"


def channels_off(settings: Settings) -> dict[str, str]:
    """Channels that will not be sent with these settings, and why: email without SMTP_URL."""
    return {} if settings.smtp_url else {"email": EMAIL_OFF}


@contextmanager
def transports(settings: Settings, *, console: IO[str] | None = None
               ) -> Iterator[Mapping[str, delivery.AnyTransport]]:
    """The transports the settings allow.

    Console always; Telegram and Slack with a token; email with SMTP_URL (and
    SLOTBOT_MAIL_FROM).
    """
    found: dict[str, delivery.AnyTransport] = {
        "console": delivery.ConsoleTransport(console or sys.stdout)
    }
    if settings.smtp_url and settings.mail_from:
        from mail import SmtpTransport, parse_smtp_url

        found["email"] = SmtpTransport(parse_smtp_url(settings.smtp_url), settings.mail_from)
    with ExitStack() as stack:
        if settings.telegram_bot_token is not None:
            found["telegram"] = stack.enter_context(delivery.TelegramTransport(
                settings.telegram_bot_token.get_secret_value(),
                base_url=settings.telegram_api_base_url))
        if settings.slack_bot_token is not None:
            found["slack"] = delivery.SlackTransport(
                settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
        yield found


def tick(
    app: App,
    now: datetime | None = None,
    *,
    console: IO[str] | None = None,
    pacer: delivery.Pacer | None = None,
) -> TickReport:
    """Run every periodic job due at ``now`` (default: the app's clock), then deliver.

    Args:
        now: aware instant; ``console``: where console-channel messages print.
        pacer: spaces the sends (default: real time, platform limits).
    """
    moment = require_aware(now, "now") if now is not None else app.clock()
    report = jobs.run_due(moment, uow_factory=app.uow_factory,
                          settings=job_settings(app.settings))
    for handle, count in report.pruned.items():
        _LOGGER.info("pruning: %d booking(s) of %s deleted", count, handle)
    refreshed = refresh_due(moment, app.calendars)
    check_changes(moment, app.calendars)
    with transports(app.settings, console=console) as found:
        found = {**found, CALENDAR_CHANNEL: CalendarTransport.for_sender(
            app.calendars, app.settings.mail_from)}
        sent = delivery.deliver_due(moment, uow_factory=app.uow_factory, transports=found,
                                    pacer=pacer, settings=delivery_settings(app.settings),
                                    off=channels_off(app.settings))
    return TickReport(report, sent, refreshed)


class PeriodicLoop:
    """Runs :func:`tick` every ``SLOTBOT_TICK_SECONDS`` in a daemon thread (``slotbot serve``).

    The embedded default: no broker, no worker. Errors are logged and the loop
    goes on; :meth:`stop` ends it after the current tick.
    """

    def __init__(self, app: App, *, on_tick: Callable[[TickReport], None] | None = None
                 ) -> None:
        """Args: ``on_tick`` is called with each tick's report (logging, tests)."""
        self._app = app
        self._on_tick = on_tick
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="slotbot-tick", daemon=True)

    def start(self) -> PeriodicLoop:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                report = tick(self._app)
                _LOGGER.info("tick: %s", report.summary())
                if self._on_tick is not None:
                    self._on_tick(report)
            except Exception:
                _LOGGER.exception("periodic jobs failed; retrying at the next tick")
            self._stop.wait(self._app.settings.tick_seconds)
