"""Monday's digest with the past week's chart (``SLOTBOT_DIGEST_CHART``): data, PNG, tick."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, time, timedelta

from bots import charts, notices
from bots.host_texts import HostTexts
from core import digests, jobs
from core.models import Booking, BookingStatus, HostSchedule
from core.services import ensure_guest

SCHEDULE = HostSchedule(1, "ana", "Ana Lima", "Europe/Berlin", time(8), True, "1001")
MONDAY = date(2026, 11, 30)
MONDAY_8 = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
at = datetime.fromisoformat


def booking(id_: int, *, created: str, cancelled: str | None = None,
            reason: str | None = None, moved_from: int | None = None) -> Booking:
    start = at("2026-12-03T09:00+00:00")
    b = Booking(1, 1, 1, start, start + timedelta(minutes=30),
                status=BookingStatus.CANCELLED if cancelled else BookingStatus.CONFIRMED,
                created_at=at(created), cancelled_at=at(cancelled) if cancelled else None,
                cancel_reason=reason, rescheduled_from_id=moved_from)
    b.id = id_
    return b


WEEK = [
    booking(1, created="2026-11-22T23:30+00:00"),  # Mon 23 Nov 00:30 in Berlin
    booking(2, created="2026-11-27T10:00+00:00"),
    booking(3, created="2026-11-27T15:00+00:00", cancelled="2026-11-28T12:00+00:00"),
    booking(4, created="2026-11-25T10:00+00:00", cancelled="2026-11-26T10:00+00:00",
            reason="rescheduled"),  # made on the 25th, then moved: not a cancellation …
    booking(5, created="2026-11-26T10:00+00:00", moved_from=4),  # … and not a new booking
    booking(6, created="2026-11-22T22:30+00:00"),  # Sun 22 Nov 23:30: the week before
    booking(7, created="2026-11-29T23:10+00:00"),  # Mon 30 Nov 00:10: today
]


def build(local_date: date, now: datetime, *, chart: bool) -> dict[str, object]:
    return digests.build(SCHEDULE, local_date, WEEK, titles={1: "Intro call"},
                         guest_names={1: "Carla"}, now=now, since=now - timedelta(days=1),
                         chart=chart)


def test_monday_digest_counts_the_past_week_per_local_day():
    assert build(MONDAY, MONDAY_8, chart=True)["week_chart"] == [
        ["2026-11-23", 1, 0], ["2026-11-24", 0, 0], ["2026-11-25", 1, 0],
        ["2026-11-26", 0, 0], ["2026-11-27", 2, 0], ["2026-11-28", 0, 1],
        ["2026-11-29", 0, 0]]


def test_only_mondays_and_only_with_the_setting_have_the_chart():
    assert "week_chart" not in build(MONDAY, MONDAY_8, chart=False)
    tuesday = build(MONDAY + timedelta(days=1), MONDAY_8 + timedelta(days=1), chart=True)
    assert "week_chart" not in tuesday
    assert notices.render("digest", tuesday).attachment is None


def test_the_chart_series_are_the_weeks_counts_in_the_hosts_language():
    payload = build(MONDAY, MONDAY_8, chart=True)
    chart = charts.week_series(payload["week_chart"], HostTexts("de"))  # type: ignore[arg-type]
    assert chart.title == "Letzte Woche: neue Buchungen und Absagen pro Tag"
    assert chart.labels[0] == "Mo. 23 Nov." and len(chart.labels) == 7
    assert chart.series == (("neu", (1, 0, 1, 0, 2, 0, 0)), ("abgesagt", (0, 0, 0, 0, 0, 1, 0)))


def test_the_digest_reply_attaches_the_chart_as_a_png():
    reply = notices.render("digest", build(MONDAY, MONDAY_8, chart=True))
    assert reply.text.startswith("Your Slotbot digest for Mon 30 Nov")
    assert reply.attachment is not None
    assert reply.attachment.title == "Last week: bookings made and cancellations per day"
    with open(reply.attachment.file(), "rb") as png:
        data = png.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (800, 360)  # IHDR: width, height


def test_the_tick_reads_back_to_last_mondays_midnight_for_the_chart(uow):
    guest = ensure_guest("telegram", "42", uow=uow, name="Carla", chat_id="42")
    ana = uow.hosts.get("ana")
    early = Booking(ana.id, ana.event_type("intro").id, guest.id or 0,
                    at("2026-11-23T05:00+00:00"), at("2026-11-23T05:30+00:00"),
                    status=BookingStatus.COMPLETED, created_at=at("2026-11-23T00:00+00:00"))
    uow.bookings.add(early)  # made and held on Monday 23 Nov before 08:00: > 7 days ago
    jobs.run_due(MONDAY_8, uow_factory=lambda: uow,
                 settings=jobs.JobSettings(digest_chart=True))
    [digest] = [m for m in uow.outbox.items if m.kind == "digest" and m.channel == "telegram"
                and m.payload["host"] == "ana"]
    assert digest.payload["week_chart"][0] == ["2026-11-23", 1, 0]
