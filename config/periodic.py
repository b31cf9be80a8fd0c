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
import time as _time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import IO, Any

from bots import delivery
from config.bootstrap import App
from config.metrics import TICK_SECONDS
from config.settings import Settings
from core import jobs
from core.models import require_aware

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickReport:
    """What one tick did: the jobs' report and the delivery counts."""

    jobs: jobs.JobReport
    delivery: delivery.DeliveryReport

    def as_dict(self) -> dict[str, Any]:
        """JSON-able (the Celery task's result)."""
        return {"jobs": asdict(self.jobs), "delivery": asdict(self.delivery)}

    def summary(self) -> str:
        j, d = self.jobs, self.delivery
        return (f"completed {j.completed}, expired {j.expired}, armed {j.armed}, "
                f"reminders {j.reminders_sent} (skipped {j.reminders_skipped}), "
                f"digests {sum(j.digests.values())}, "
                f"pruned {sum(j.pruned.values())} (+{j.outbox_pruned} notifications); "
                f"delivered {d.sent}, retrying {d.retried}, "
                f"failed {d.failed}")


def job_settings(settings: Settings) -> jobs.JobSettings:
    return jobs.JobSettings(retention_days=settings.retention_days,
                            prune_time=settings.prune_time)


def delivery_settings(settings: Settings) -> delivery.DeliverySettings:
    return delivery.DeliverySettings(max_attempts=settings.outbox_max_attempts,
                                     budget=settings.tick_seconds * 0.8)


#: Why email rows fail at once when no SMTP server is configured (``slotbot outbox``).
EMAIL_OFF = "not sent: email is off (SMTP_URL is not set)"
#: The same for the chat platforms without a bot token.
TELEGRAM_OFF = "not sent: Telegram is off (TELEGRAM_BOT_TOKEN is not set)"
SLACK_OFF = "not sent: Slack is off (SLACK_BOT_TOKEN is not set)"


def channels_off(settings: Settings) -> dict[str, str]:
    """Channels that will not be sent with these settings, and why: email without
    SMTP_URL, Telegram and Slack without their bot token. Their notices are marked
    failed with the reason, so none waits forever or goes out in a burst when a
    token appears later."""
    off = {"email": EMAIL_OFF, "telegram": TELEGRAM_OFF, "slack": SLACK_OFF}
    configured = {"email": settings.smtp_url, "telegram": settings.telegram_bot_token,
                  "slack": settings.slack_bot_token}
    return {channel: reason for channel, reason in off.items() if not configured[channel]}


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
    started = _time.perf_counter()
    report = jobs.run_due(moment, uow_factory=app.uow_factory,
                          settings=job_settings(app.settings))
    for handle, count in report.pruned.items():
        _LOGGER.info("pruning: %d booking(s) of %s deleted", count, handle)
    with transports(app.settings, console=console) as found:
        sent = delivery.deliver_due(moment, uow_factory=app.uow_factory, transports=found,
                                    pacer=pacer, settings=delivery_settings(app.settings),
                                    off=channels_off(app.settings))
    TICK_SECONDS.observe(_time.perf_counter() - started)
    return TickReport(report, sent)


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
        #: ``time.monotonic()`` when the loop started and when its last tick ended well.
        self.started_at: float | None = None
        self.last_tick_at: float | None = None

    def status(self, now: float | None = None) -> str:
        """``ok``, or why the loop is unhealthy: not running, or no good tick for three
        periods (``now``: ``time.monotonic()`` by default). Shown by ``/readyz``."""
        if not self._thread.is_alive() or self.started_at is None:
            return "periodic loop is not running"
        since = self.last_tick_at or self.started_at
        late = (now if now is not None else _time.monotonic()) - since
        if late > 3 * self._app.settings.tick_seconds:
            return f"no successful tick for {late:.0f}s"
        return "ok"

    def start(self) -> PeriodicLoop:
        self.started_at = _time.monotonic()
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                report = tick(self._app)
                self.last_tick_at = _time.monotonic()
                _LOGGER.info("tick: %s", report.summary())
                if self._on_tick is not None:
                    self._on_tick(report)
            except Exception:
                _LOGGER.exception("periodic jobs failed; retrying at the next tick")
            self._stop.wait(self._app.settings.tick_seconds)
