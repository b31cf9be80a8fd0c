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
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial
from typing import IO, TYPE_CHECKING, Any

from bots import delivery
from bots.link_page import LINKED_KINDS, email_links
from bots.link_start import telegram_links
from config.bootstrap import App
from config.metrics import TICK_SECONDS
from config.payments import PaymentTransport
from config.settings import Settings
from core import jobs
from core.models import require_aware
from core.notifications import CALENDAR_CHANNEL
from core.payments import PAYMENT_CHANNEL
from core.ports import UnitOfWorkFactory
from storage.calendars.sync import SyncReport, refresh_due
from storage.calendars.twoway import check_changes
from storage.calendars.writer import CalendarTransport

if TYPE_CHECKING:
    from mail.smtp import LinkMaker

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
        return (f"completed {j.completed}, expired {j.expired}, "
                f"holds let go {j.holds_expired}, armed {j.armed}, "
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
                            prune_time=settings.prune_time, digest_chart=settings.digest_chart)


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


def link_maker(settings: Settings) -> LinkMaker | None:
    """Signed move/cancel links for guests' emails, when a link key and public URL are set."""
    keys, public_url = settings.link_keys, settings.public_url
    if not keys or not public_url:
        return None
    return partial(email_links, keys=keys, public_url=public_url)


def chat_links(app: App) -> dict[str, delivery.ChatLinks]:
    """The signed cancel / move deep links of guests' Telegram notices.

    Only with a link key and a Telegram bot; the bot's username is
    ``TELEGRAM_BOT_USERNAME`` or asked with getMe once per process (the host
    commands' :class:`bots.host_commands.Links`). Without it, the notices keep
    their ordinary buttons.
    """
    keys = app.settings.link_keys
    if not keys or app.settings.telegram_bot_token is None:
        return {}

    def telegram(kind: str, payload: Mapping[str, Any]) -> Mapping[str, str] | None:
        if kind not in LINKED_KINDS or payload.get("reader") != "guest":
            return None
        username = app.host_commands.links.telegram_username()
        return telegram_links(kind, payload, keys=keys, bot_username=username) \
            if username else None

    return {"telegram": telegram}


@contextmanager
def transports(settings: Settings, *, console: IO[str] | None = None,
               uow_factory: UnitOfWorkFactory | None = None
               ) -> Iterator[Mapping[str, delivery.AnyTransport]]:
    """The transports the settings allow.

    Console always; Telegram and Slack with a token; email with SMTP_URL (and
    SLOTBOT_MAIL_FROM), in each host's branding and templates read through
    ``uow_factory`` (None: the defaults).
    """
    found: dict[str, delivery.AnyTransport] = {
        "console": delivery.ConsoleTransport(console or sys.stdout)
    }
    if settings.smtp_url and settings.mail_from:
        from mail import SmtpTransport, parse_smtp_url
        from mail.host_mail import lookup

        found["email"] = SmtpTransport(
            parse_smtp_url(settings.smtp_url), settings.mail_from, links=link_maker(settings),
            hosts=lookup(uow_factory) if uow_factory is not None else None)
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
    refreshed = refresh_due(moment, app.calendars)
    check_changes(moment, app.calendars)
    with transports(app.settings, console=console, uow_factory=app.uow_factory) as found:
        found = {**found, CALENDAR_CHANNEL: CalendarTransport.for_sender(
            app.calendars, app.settings.mail_from)}
        if app.gateways:  # refunds and checkout closings (core.payments)
            found[PAYMENT_CHANNEL] = PaymentTransport(app.gateways, app.uow_factory, app.clock)
        sent = delivery.deliver_due(moment, uow_factory=app.uow_factory, transports=found,
                                    pacer=pacer, settings=delivery_settings(app.settings),
                                    off=channels_off(app.settings), links=chat_links(app))
    TICK_SECONDS.observe(_time.perf_counter() - started)
    return TickReport(report, sent, refreshed)


@dataclass(frozen=True)
class LoopStatus:
    """What the in-process periodic loop is doing, for ``/readyz`` and logs.

    Instants are aware, from the app's clock. ``ready`` is False while the
    thread is not running or the latest tick failed; ``last_error`` is the
    exception's type and message (never a traceback).
    """

    running: bool
    started_at: datetime | None
    last_success_at: datetime | None
    last_failure_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    failures: int

    @property
    def ready(self) -> bool:
        return self.running and self.consecutive_failures == 0


#: The loop of this process, if ``slotbot serve`` started one (see :func:`loop_status`).
_current: PeriodicLoop | None = None


def loop_status() -> LoopStatus | None:
    """The status of this process's periodic loop, or None if it runs none.

    ``slotbot serve`` on the embedded broker runs the jobs in-process; with a
    real broker the Celery worker runs them and this is None. ``/readyz`` reports
    not ready when the status is not :attr:`LoopStatus.ready`.
    """
    return _current.status() if _current is not None else None


class PeriodicLoop:
    """Runs :func:`tick` every ``SLOTBOT_TICK_SECONDS`` in a daemon thread (``slotbot serve``).

    The embedded default: no broker, no worker. A tick that fails (any
    exception) is logged with its traceback, counted in :meth:`status`, and the
    loop starts again at the next period; the thread never dies of it.
    :meth:`stop` ends it after the current tick.
    """

    def __init__(
        self,
        app: App,
        *,
        on_tick: Callable[[TickReport], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        run: Callable[[App], TickReport] = tick,
    ) -> None:
        """Args: ``on_tick`` is called with each tick's report and ``on_error``
        with each failure, after :meth:`status` has it (logging, metrics, tests);
        ``run`` is the tick itself (tests give a failing one)."""
        self._app = app
        self._on_tick = on_tick
        self._on_error = on_error
        self._run_tick = run
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="slotbot-tick", daemon=True)
        self._lock = threading.Lock()
        self._started_at: datetime | None = None
        self._last_success_at: datetime | None = None
        self._last_failure_at: datetime | None = None
        self._last_error: str | None = None
        self._streak = 0
        self._failures = 0

    def start(self) -> PeriodicLoop:
        """Start the thread and make this the loop :func:`loop_status` reports."""
        global _current
        self._started_at = self._app.clock()
        _current = self
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def status(self) -> LoopStatus:
        with self._lock:
            return LoopStatus(running=self._thread.is_alive() and not self._stop.is_set(),
                              started_at=self._started_at,
                              last_success_at=self._last_success_at,
                              last_failure_at=self._last_failure_at,
                              last_error=self._last_error,
                              consecutive_failures=self._streak, failures=self._failures)

    def readiness(self, now: datetime | None = None) -> str:
        """``ok``, or why the loop is unhealthy, for ``/readyz``: not running, the
        latest tick failed, or no good tick for three periods (``now``: the app's clock)."""
        status = self.status()
        if not status.running or status.started_at is None:
            return "periodic loop is not running"
        if status.consecutive_failures:
            return f"the latest tick failed: {status.last_error}"
        since = status.last_success_at or status.started_at
        late = ((now or self._app.clock()) - since).total_seconds()
        if late > 3 * self._app.settings.tick_seconds:
            return f"no successful tick for {late:.0f}s"
        return "ok"

    def _run(self) -> None:
        while not self._stop.is_set():
            self.step()
            self._stop.wait(self._app.settings.tick_seconds)

    def step(self) -> None:
        """Run one tick and record how it went (what the thread does every period)."""
        try:
            report = self._run_tick(self._app)
            _LOGGER.info("tick: %s", report.summary())
            if self._on_tick is not None:
                self._on_tick(report)
        except Exception as exc:
            _LOGGER.exception("periodic jobs failed (%d in a row); restarting at the next tick",
                              self._streak + 1)
            first_line = next(iter(str(exc).splitlines()), "")[:200]  # no SQL, no parameters
            with self._lock:
                self._streak += 1
                self._failures += 1
                self._last_failure_at = self._app.clock()
                self._last_error = f"{type(exc).__name__}: {first_line}"
            if self._on_error is not None:
                self._on_error(exc)
            return
        with self._lock:
            self._streak = 0
            self._last_success_at = self._app.clock()
