from datetime import timedelta

from core import services
from core.models import BookingStatus
from core.services import Actor
from core.stats import summarize
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


