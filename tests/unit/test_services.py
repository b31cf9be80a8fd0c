from datetime import UTC, datetime, timedelta

import pytest

from core import services
from core.errors import BookingNotFound, BookingNotLive, NotAllowed, SlotUnavailable, TooSoon
from core.models import BookingStatus
from core.services import Actor
from tests.unit.conftest import NOW

# Tuesday 1 Dec 2026, 10:00 in Berlin.
TUESDAY_10 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def guest(uow, user="g1", name="Carla", chat="c1"):
    return services.ensure_guest("telegram", user, uow=uow, name=name, chat_id=chat)


def test_book_confirms_and_notifies_host_through_outbox(uow, clock):
    carla = guest(uow)
    view = services.book("ana", "intro", TUESDAY_10, guest_id=carla.id, uow=uow, clock=clock)
    assert view.booking.status is BookingStatus.CONFIRMED
    assert view.booking.start == TUESDAY_10
    assert view.booking.end == TUESDAY_10 + timedelta(minutes=30)
    assert uow.hosts.locked == ["ana"]
    kinds = {(m.channel, m.recipient, m.kind) for m in uow.outbox.items}
    assert ("telegram", "1001", "booking_created") in kinds
    assert ("email", "ana@example.com", "booking_created") in kinds


def test_second_guest_cannot_take_a_booked_slot_and_gets_alternatives(uow, clock):
    services.book("ana", "intro", TUESDAY_10, guest_id=guest(uow).id, uow=uow, clock=clock)
    other = guest(uow, user="g2", name="Dan", chat="c2")
    with pytest.raises(SlotUnavailable) as caught:
        services.book("ana", "intro", TUESDAY_10, guest_id=other.id, uow=uow, clock=clock)
    assert caught.value.alternatives
    assert all(s.start != TUESDAY_10 for s in caught.value.alternatives)


def test_booking_inside_minimum_notice_is_too_soon(uow, clock):
    with pytest.raises(TooSoon) as caught:
        services.book("ana", "intro", NOW + timedelta(minutes=60), guest_id=guest(uow).id,
                      uow=uow, clock=clock)
    assert caught.value.earliest == NOW + timedelta(minutes=120)


def test_guest_cancels_own_booking_and_host_is_told(uow, clock):
    carla = guest(uow)
    view = services.book("ana", "intro", TUESDAY_10, guest_id=carla.id, uow=uow, clock=clock)
    uow.outbox.items.clear()
    services.cancel(view.booking.id, actor=Actor("guest", carla.id), uow=uow, clock=clock,
                    reason="ill")
    assert view.booking.status is BookingStatus.CANCELLED
    assert view.booking.cancel_reason == "ill"
    assert {m.kind for m in uow.outbox.items} == {"booking_cancelled"}
    assert {m.recipient for m in uow.outbox.items} == {"1001", "U0ANA", "ana@example.com"}
    with pytest.raises(BookingNotLive):
        services.cancel(view.booking.id, actor=Actor("guest", carla.id), uow=uow, clock=clock)


def test_guest_cannot_cancel_someone_elses_booking(uow, clock):
    view = services.book("ana", "intro", TUESDAY_10, guest_id=guest(uow).id, uow=uow, clock=clock)
    other = guest(uow, user="g2")
    with pytest.raises(BookingNotFound):
        services.cancel(view.booking.id, actor=Actor("guest", other.id), uow=uow, clock=clock)


def test_host_cancel_tells_the_guest_and_other_hosts_may_not(uow, clock):
    view = services.book("ana", "intro", TUESDAY_10, guest_id=guest(uow).id, uow=uow, clock=clock)
    bruno = uow.hosts.get("bruno")
    with pytest.raises(NotAllowed):
        services.cancel(view.booking.id, actor=Actor("host", bruno.id), uow=uow, clock=clock)
    uow.outbox.items.clear()
    services.cancel(view.booking.id, actor=Actor("host", view.host.id), uow=uow, clock=clock)
    assert [(m.channel, m.recipient) for m in uow.outbox.items] == [("telegram", "c1")]


def test_reschedule_links_new_booking_to_cancelled_old_one(uow, clock):
    carla = guest(uow)
    old = services.book("ana", "intro", TUESDAY_10, guest_id=carla.id, uow=uow, clock=clock)
    new = services.reschedule(old.booking.id, TUESDAY_10 + timedelta(minutes=30),
                              actor=Actor("guest", carla.id), uow=uow, clock=clock)
    assert old.booking.status is BookingStatus.CANCELLED
    assert new.booking.rescheduled_from_id == old.booking.id
    assert new.booking.start == TUESDAY_10 + timedelta(minutes=30)
    assert [v.booking.id for v in services.guest_bookings(carla.id, uow=uow, clock=clock)] == [
        new.booking.id]


def test_reschedule_may_overlap_its_own_old_time(uow, clock):
    carla = guest(uow)
    old = services.book("ana", "consultation", TUESDAY_10, guest_id=carla.id, uow=uow, clock=clock)
    with pytest.raises(SlotUnavailable):  # the grid steps 60 minutes for a 60-minute type
        services.reschedule(old.booking.id, TUESDAY_10 + timedelta(minutes=30),
                            actor=Actor("guest", carla.id), uow=uow, clock=clock)
    new = services.reschedule(old.booking.id, TUESDAY_10 + timedelta(hours=1),
                              actor=Actor("guest", carla.id), uow=uow, clock=clock)
    assert new.booking.start == TUESDAY_10 + timedelta(hours=1)


def test_free_slots_leave_out_booked_time_and_its_buffer(uow, clock):
    day = (datetime(2026, 12, 1, 0, tzinfo=UTC), datetime(2026, 12, 2, 0, tzinfo=UTC))
    before = services.free_slots("ana", "intro", *day, uow=uow, clock=clock)
    services.book("ana", "intro", TUESDAY_10, guest_id=guest(uow).id, uow=uow, clock=clock)
    after = services.free_slots("ana", "intro", *day, uow=uow, clock=clock)
    removed = {s.start for s in before} - {s.start for s in after}
    # 10:00 is booked; 10:30 starts inside its 10-minute buffer after, and 09:30's
    # own buffer after would run into it.
    half = timedelta(minutes=30)
    assert removed == {TUESDAY_10 - half, TUESDAY_10, TUESDAY_10 + half}


def test_load_hosts_is_idempotent_and_updates_in_place(uow):
    import yaml

    from core.setup_file import parse_setup
    from tests.unit.conftest import EXAMPLE

    intro_id = uow.hosts.get("ana").event_type("intro").id
    data = yaml.safe_load(EXAMPLE.read_text())
    data["hosts"][0]["event_types"][0]["duration"] = 45
    services.load_hosts(parse_setup(data), uow=uow)
    ana = uow.hosts.get("ana")
    assert len(uow.hosts.items) == 2
    assert ana.event_type("intro").id == intro_id
    assert ana.event_type("intro").duration == 45
