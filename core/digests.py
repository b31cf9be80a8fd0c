"""The host's daily digest: what today holds and what changed since the last one.

Sent at the host's ``digest_time`` in the host's zone, once per local day (see
:mod:`core.daily`), on every platform the host is mapped to (Telegram, Slack).
The outbox payload holds the facts; ``bots.notices`` renders them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core import daily
from core.errors import HostNotFound
from core.models import (
    LIVE_STATUSES,
    Booking,
    BookingStatus,
    Host,
    HostSchedule,
    Payment,
    QueuedMessage,
    Refund,
    require_aware,
)
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.stats import cancelled_between, made_between, per_day, revenue, summarize

KIND = "digest"
JOB = "digest"
#: The digest time ``/slotbot digest on`` sets when the host has none.
DEFAULT_TIME = time(8, 0)
WEEK = timedelta(days=7)


def digest_time(schedule: HostSchedule) -> time | None:
    """When the host's digest goes out (local), or None if it does not."""
    reachable = schedule.telegram_user_id or schedule.slack_user_id
    return schedule.digest_time if schedule.digest_enabled and reachable else None


def build(
    schedule: HostSchedule,
    local_date: date,
    bookings: Sequence[Booking],
    *,
    titles: Mapping[int, str],
    guest_names: Mapping[int, str | None],
    now: datetime,
    since: datetime,
    money: tuple[Sequence[Payment], Sequence[Refund]] = ((), ()),
    chart: bool = False,
) -> dict[str, object]:
    """The digest's payload: the facts of one host's day, JSON-able.

    Args:
        local_date: the host's date the digest is for.
        bookings: the host's bookings made, cancelled or starting since
            ``min(since, now - 7 days, start of local_date)``.
        titles: event type id -> title; ``guest_names``: guest id -> name.
        now: aware instant of the sweep; ``since``: when the last digest went.
        money: the host's payments paid and refunds made in the 7 days before ``now``.
        chart: add the week's chart data (:func:`week_chart`) if ``local_date`` is a
            Monday (the setting ``SLOTBOT_DIGEST_CHART``); ``bookings`` must then
            reach back to the Monday before, 00:00 local.

    Returns:
        ``today`` (bookings starting on the local date, not cancelled or
        declined), ``pending`` (awaiting confirmation, not ended), ``made`` and
        ``cancelled`` since the last digest, ``week``: counts of bookings
        made, cancellations and no-shows over the 7 days before ``now``, and
        ``revenue``: the money of those 7 days per currency (``currency``,
        ``paid``, ``refunded`` in minor units, ``payments``; empty without any), and on a
        charted Monday ``week_chart``: ``[[ISO date, made, cancelled], …]`` for each
        day of the week before, Monday to Sunday.
    """
    require_aware(now, "now")
    zone = ZoneInfo(schedule.timezone)
    day_start = datetime.combine(local_date, time(0), tzinfo=zone)
    day_end = datetime.combine(local_date + timedelta(days=1), time(0), tzinfo=zone)
    week = summarize(bookings, now - WEEK, now)

    def item(b: Booking) -> dict[str, object]:
        return {"booking_id": b.id, "start": b.start.isoformat(), "end": b.end.isoformat(),
                "event_type": titles.get(b.event_type_id, "?"),
                "guest_name": guest_names.get(b.guest_id), "status": b.status.value}

    shown = {*LIVE_STATUSES, BookingStatus.COMPLETED, BookingStatus.NO_SHOW}
    charted = {"week_chart": week_chart(bookings, local_date, zone)} if charts(chart,
                                                                              local_date) else {}
    return {
        "host": schedule.handle,
        "host_name": schedule.name,
        "host_timezone": schedule.timezone,
        "host_locale": schedule.locale,
        "reader": "host",
        "date": local_date.isoformat(),
        "since": since.isoformat(),
        "today": [item(b) for b in bookings
                  if day_start <= b.start < day_end and b.status in shown],
        "pending": [item(b) for b in bookings
                    if b.status is BookingStatus.PENDING and b.end > now],
        "made": [item(b) for b in bookings if made_between(b, since)],
        "cancelled": [item(b) for b in bookings if cancelled_between(b, since)],
        "week": {
            "bookings": week.bookings,
            "cancellations": week.cancellations,
            "no_shows": week.no_shows,
        },
        "revenue": [{"currency": m.currency, "paid": m.paid, "refunded": m.refunded,
                     "payments": m.payments}
                    for m in revenue(*money, titles={}, since=now - WEEK, until=now).total],
        **charted,
    }


def charts(enabled: bool, local_date: date) -> bool:
    """Whether the digest of ``local_date`` carries the week's chart: Mondays, when enabled."""
    return enabled and local_date.weekday() == 0


def week_chart(bookings: Sequence[Booking], local_date: date,
               zone: ZoneInfo) -> list[list[object]]:
    """Bookings made and cancellations per local day of the 7 days before ``local_date``.

    Counted as ``/slotbot stats`` counts them (:func:`core.stats.per_day`; a
    reschedule is neither). Returns ``[[ISO date, made, cancelled], …]``, oldest first.
    """
    first, last = local_date - WEEK, local_date - timedelta(days=1)
    since = datetime.combine(first, time(0), tzinfo=zone)
    until = datetime.combine(local_date, time(0), tzinfo=zone)
    days = per_day([b for b in bookings if made_between(b, since, until)],
                   [b for b in bookings if cancelled_between(b, since, until)],
                   zone, first, last)
    return [[day.isoformat(), made, cancelled] for day, made, cancelled in days]


def send_due(now: datetime, *, uow_factory: UnitOfWorkFactory,
             batch: int = daily.BATCH, chart: bool = False) -> dict[str, int]:
    """Write the digest of every host whose digest time has come today (host-local).

    ``batch`` hosts per transaction: one claim, one read of their bookings
    (with titles and guest names) and one insert of their messages. With
    ``chart``, Monday's digest carries the past week's chart (see :func:`build`).

    Returns:
        Host handle -> messages written (one per platform), for the hosts done now.
    """
    return daily.run_daily(JOB, now, uow_factory=uow_factory, at=digest_time,
                           work=_writer(now, chart=chart), batch=batch)


def set_digest(
    handle: str, *, uow: UnitOfWork, enabled: bool | None = None, at: time | None = None
) -> Host:
    """Turn the host's digest on or off and/or set its local time.

    Turning it on without a time set uses ``DEFAULT_TIME``.

    Raises:
        HostNotFound: no host has this handle.
    """
    with uow:
        host = uow.hosts.get(handle)
        if host is None:
            raise HostNotFound(handle)
        if enabled is not None:
            host.digest_enabled = enabled
        if at is not None:
            host.digest_time, host.digest_enabled = at, True
        if host.digest_enabled and host.digest_time is None:
            host.digest_time = DEFAULT_TIME
        if "digest" not in host.chat_owned:  # kept by `slotbot load`
            host.chat_owned.append("digest")
        uow.commit()
        return host


def _writer(now: datetime, *, chart: bool = False) -> daily.Work:
    def write(uow: UnitOfWork, runs: Sequence[daily.Due]) -> dict[str, int]:
        since = {r.schedule.id: r.last_run or now - timedelta(days=1) for r in runs}
        earliest = {
            r.schedule.id: min(since[r.schedule.id], now - WEEK, datetime.combine(
                r.local_date - (WEEK if charts(chart, r.local_date) else timedelta()),
                time(0), tzinfo=ZoneInfo(r.schedule.timezone)))
            for r in runs
        }
        found: dict[int, list[tuple[Booking, str, str | None]]] = {r.schedule.id: [] for r in runs}
        for row in uow.jobs.digest_activity(list(found), min(earliest.values())):
            if _active_since(row[0], earliest[row[0].host_id]):
                found[row[0].host_id].append(row)
        paid, given_back = uow.payments.of_hosts(list(found), now - WEEK)
        money: dict[int, tuple[list[Payment], list[Refund]]] = {h: ([], []) for h in found}
        for payment in paid:
            money[payment.host_id or 0][0].append(payment)
        for host_id, refund in given_back:
            money[host_id][1].append(refund)
        messages, written = [], {}
        for run in runs:
            schedule, rows = run.schedule, found[run.schedule.id]
            payload = build(schedule, run.local_date, [b for b, _, _ in rows],
                            titles={b.event_type_id: title for b, title, _ in rows},
                            guest_names={b.guest_id: name for b, _, name in rows},
                            now=now, since=since[schedule.id],
                            money=money.get(schedule.id, ([], [])), chart=chart)
            mine = [QueuedMessage(channel, recipient, KIND, payload, now)
                    for channel, recipient in (("telegram", schedule.telegram_user_id),
                                               ("slack", schedule.slack_user_id))
                    if recipient]
            messages += mine
            written[schedule.handle] = len(mine)
        uow.outbox.add_many(messages)
        return written

    return write


def _active_since(booking: Booking, since: datetime) -> bool:
    """Made, cancelled or starting at or after ``since``: what a digest looks at."""
    return any(t is not None and t >= since
               for t in (booking.start, booking.created_at, booking.cancelled_at))
