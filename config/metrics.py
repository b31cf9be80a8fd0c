"""Prometheus metrics (prometheus-client), served at ``/metrics`` by :mod:`config.health`.

Two kinds:

* this process's counters and histograms, on :data:`REGISTRY`:
  ``slotbot_messages_total{platform,intent}``, ``slotbot_reply_seconds{platform}``,
  and ``slotbot_tick_seconds``;
* the database's state, read at each scrape by :class:`DatabaseCollector`, so
  they are right however many processes write: ``slotbot_bookings{status}``
  (created = all statuses; ``cancelled``) and ``slotbot_outbox_messages{channel,status}``
  (``queued``, ``sent``, ``failed``) and ``slotbot_calendar_sync_failures{kind}`` (the
  failed syncs in a row of the calendars of each kind: 0 while every one answers).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select

from bots.messages import Handle, IncomingMessage, KeepAnswer, Reply

if TYPE_CHECKING:
    from bots.conversation import Answer

#: This process's metrics (the database ones are added per app by :func:`registry_for`).
REGISTRY = CollectorRegistry(auto_describe=True)

MESSAGES = Counter("slotbot_messages", "Messages handled, by platform and intent",
                   ["platform", "intent"], registry=REGISTRY)
REPLY_SECONDS = Histogram(
    "slotbot_reply_seconds", "Time from a message's arrival to its replies being ready",
    ["platform"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
TICK_SECONDS = Histogram(
    "slotbot_tick_seconds", "Duration of one run of the periodic jobs and outbox delivery",
    registry=REGISTRY, buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0))


def metered(answer: Callable[[IncomingMessage, KeepAnswer | None], Answer]) -> Handle:
    """A handle that answers through ``answer`` (:meth:`bots.conversation.Conversation.answer`)
    and also counts each message by the intent the conversation found, and times its replies."""

    def measured(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        started = time.perf_counter()
        intent = "unknown"
        try:
            answered = answer(message, keep)
            intent = answered.intent
            return answered.replies
        finally:
            REPLY_SECONDS.labels(message.platform).observe(time.perf_counter() - started)
            MESSAGES.labels(message.platform, intent).inc()

    return measured


class DatabaseCollector(Collector):
    """Bookings, outbox messages and calendar sync failures, counted at scrape."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def collect(self) -> Iterator[Metric]:
        from storage.orm import bookings, calendar_sync, calendars, outbox

        by_status = GaugeMetricFamily("slotbot_bookings", "Bookings in the database, by status",
                                      labels=["status"])
        messages = GaugeMetricFamily("slotbot_outbox_messages",
                                     "Outbox messages in the database, by channel and status",
                                     labels=["channel", "status"])
        failing = GaugeMetricFamily(
            "slotbot_calendar_sync_failures",
            "Failed syncs in a row of the external calendars, by kind", labels=["kind"])
        with self._engine.connect() as connection:
            for status, count in connection.execute(
                    select(bookings.c.status, func.count()).group_by(bookings.c.status)):
                by_status.add_metric([_value(status)], count)
            for channel, status, count in connection.execute(
                    select(outbox.c.channel, outbox.c.status, func.count())
                    .group_by(outbox.c.channel, outbox.c.status)):
                messages.add_metric([channel, _value(status)], count)
            for kind, failures in connection.execute(
                    select(calendars.c.kind, func.coalesce(func.sum(calendar_sync.c.failures), 0))
                    .select_from(calendars.outerjoin(
                        calendar_sync, calendar_sync.c.calendar_id == calendars.c.id))
                    .group_by(calendars.c.kind)):
                failing.add_metric([_value(kind)], failures)
        yield by_status
        yield messages
        yield failing


def _value(status: object) -> str:
    return str(getattr(status, "value", status))


def registry_for(engine: Engine) -> CollectorRegistry:
    """A registry with the database metrics of ``engine`` (scraped with :data:`REGISTRY`)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(engine))
    return registry
