import struct
from datetime import timedelta
from pathlib import Path

import pytest

from bots import charts, host_commands
from bots.host_texts import HostTexts
from core import services
from core.models import BookingStatus
from core.services import Actor
from core.stats import host_report, summarize
from tests.unit.conftest import NOW


def test_stats_count_bookings_cancellations_no_shows_and_hours(uow, clock):
    carla = services.ensure_guest("telegram", "c", uow=uow, name="Carla", chat_id="c")
    day = NOW + timedelta(days=1, hours=1)  # Tuesday 10:00 in Berlin
    kept = services.book("ana", "intro", day, guest_id=carla.id, uow=uow, clock=clock)
    gone = services.book("ana", "intro", day + timedelta(hours=1), guest_id=carla.id, uow=uow,
                         clock=clock)
    moved = services.book("ana", "consultation", day + timedelta(days=1), guest_id=carla.id,
                          uow=uow, clock=clock)
    services.cancel(gone.booking.id, actor=Actor("guest", carla.id), uow=uow, clock=clock)
    services.reschedule(moved.booking.id, day + timedelta(days=1, hours=1),
                        actor=Actor("guest", carla.id), uow=uow, clock=clock)
    kept.booking.status = BookingStatus.NO_SHOW
    numbers = summarize(uow.bookings.items, NOW - timedelta(days=1), NOW + timedelta(days=3))
    # Three made (a reschedule is not a new booking), one cancelled (the move is
    # not a cancellation), one no-show; 30 min held + 60 min booked.
    assert (numbers.bookings, numbers.cancellations, numbers.no_shows) == (3, 1, 1)
    assert numbers.minutes_booked == 90




# --- /slotbot stats: the report, its text and its chart ------------------------------------


def _past(uow, clock, name: str, start, *, made_days_before: int = 1):
    guest = services.ensure_guest("telegram", name, uow=uow, name=name, chat_id=name)
    made = start - timedelta(days=made_days_before)
    return services.book("ana", "intro", start, guest_id=guest.id, uow=uow, clock=lambda: made)


def _history(uow, clock):
    """Four meetings in the last 7 days (one no-show, one cancelled), one made before."""
    tue = NOW - timedelta(days=6) + timedelta(hours=1)  # Tue 24 Nov 10:00 Berlin
    a = _past(uow, clock, "a", tue)
    b = _past(uow, clock, "b", tue + timedelta(hours=1))
    c = _past(uow, clock, "c", tue + timedelta(days=1))
    d = _past(uow, clock, "d", tue + timedelta(days=2, hours=4))
    _past(uow, clock, "e", NOW - timedelta(days=10), made_days_before=3)  # the period before
    host = Actor("host", uow.hosts.get("ana").id)
    services.mark_no_show(b.booking.id, actor=host, uow=uow, clock=clock)
    services.cancel(c.booking.id, actor=host, uow=uow,
                    clock=lambda: c.booking.start - timedelta(hours=5))
    services.reschedule(d.booking.id, d.booking.start + timedelta(hours=1), actor=host, uow=uow,
                        clock=lambda: d.booking.start - timedelta(hours=2))
    return a, b, c, d


def test_report_counts_rates_lead_time_utilization_and_busiest_hours(uow, clock):
    _history(uow, clock)
    report = host_report("ana", 7, uow=uow, clock=clock)
    now = report.current
    # a, b, c and d made in the period (e before it); c cancelled; d moved once.
    assert (now.made, now.cancellations, now.reschedules) == (4, 1, 1)
    # Scheduled: a, b, c and d's new time; held: a and d; b a no-show.
    assert (now.scheduled, now.held, now.no_shows) == (4, 2, 1)
    assert now.completion_rate == 0.5
    assert now.no_show_rate == pytest.approx(1 / 3)
    assert now.lead_minutes == 1440
    assert now.booked_minutes == 90  # a, b (no-show: the time was booked) and d
    # From Mon 23 Nov 09:00 to Mon 30 Nov 09:00 Berlin: five days of 7 h and Saturday's 2 h.
    assert now.available_minutes == (5 * 7 + 2) * 60
    assert now.utilization == pytest.approx(90 / now.available_minutes)
    assert now.busiest_hours[0] == (10, 1)
    assert report.previous.made == 1


def test_report_rows_per_day_feed_the_chart_series(uow, clock):
    _history(uow, clock)
    report = host_report("ana", 7, uow=uow, clock=clock)
    chart = charts.stats_series(report, HostTexts())
    assert chart.labels == ("Mon 23 Nov", "Tue 24 Nov", "Wed 25 Nov", "Thu 26 Nov",
                            "Fri 27 Nov", "Sat 28 Nov", "Sun 29 Nov", "Mon 30 Nov")
    assert chart.series == (("made", (2, 1, 1, 0, 0, 0, 0, 0)),
                            ("cancelled", (0, 0, 1, 0, 0, 0, 0, 0)))


def test_chart_is_a_valid_png(tmp_path, uow, clock):
    _history(uow, clock)
    chart = charts.stats_series(host_report("ana", 7, uow=uow, clock=clock), HostTexts("de"))
    path = charts.render_png(chart, tmp_path / "chart.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (800, 360)
    from matplotlib.image import imread

    assert imread(path).shape[:2] == (360, 800)


def test_stats_command_replies_with_text_and_the_chart(uow, clock):
    _history(uow, clock)
    ana = uow.hosts.get("ana")
    reply = host_commands.run(ana, "stats 7d", uow_factory=lambda: uow, clock=clock)
    assert reply.text.splitlines() == [
        "Your numbers, the last 7 days up to Mon 30 Nov (Europe/Berlin):",
        "Bookings made: 4 (0.57 per day) (+3 vs the previous period)",
        "Cancellations: 1 (+1 vs the previous period)",
        "Reschedules: 1 (+1 vs the previous period)",
        "Completion rate: 50% of 4 meetings",
        "No-show rate: 33%",
        "Average lead time: 24 h",
        "Utilization: 4% (1.5 h booked of 37 h available)",
        "Busiest hours: 10:00 (1), 11:00 (1), 15:00 (1)",
    ]
    assert reply.attachment is not None
    assert reply.attachment.title == "Bookings made and cancellations per day"
    path = Path(reply.attachment.file())  # drawn when asked, after the unit of work
    assert path.read_bytes()[:4] == b"\x89PNG"
    path.unlink()


@pytest.mark.parametrize("period", ["forever", "0d", "400d"])
def test_stats_with_a_bad_period_says_how(uow, clock, period):
    ana = uow.hosts.get("ana")
    reply = host_commands.run(ana, f"stats {period}", uow_factory=lambda: uow, clock=clock)
    assert reply.text == "Usage: /slotbot stats [7d|30d|90d]"
    assert reply.attachment is None
