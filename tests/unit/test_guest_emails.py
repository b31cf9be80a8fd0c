"""A guest's own changes reach their calendar: one email with the invitation, no second chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from bots.delivery import facts
from core import services
from core.services import Actor
from mail import render_email

# Tuesday 1 Dec 2026, 10:00 in Berlin.
TUESDAY_10 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SENDER = "bookings@slotbot.example"
HOST_RECIPIENTS = {"1001", "U0ANA", "ana@example.com"}


def erin(uow, email: str | None = "erin@example.com"):
    return services.ensure_guest("telegram", "e1", uow=uow, name="Erin", chat_id="c-erin",
                                 email=email)


def rows_to_guest(uow):
    return [m for m in uow.outbox.items if m.recipient not in HOST_RECIPIENTS]


def test_guest_gets_exactly_one_email_per_own_change_and_no_extra_chat(uow, clock):
    guest = erin(uow)
    me = Actor("guest", guest.id or 0)
    view = services.book("ana", "intro", TUESDAY_10, guest_id=guest.id or 0, uow=uow,
                         clock=clock)
    booked = rows_to_guest(uow)
    uow.outbox.items.clear()
    moved = services.reschedule(view.booking.id or 0, TUESDAY_10 + timedelta(hours=1),
                                actor=me, uow=uow, clock=clock)
    rescheduled = rows_to_guest(uow)
    uow.outbox.items.clear()
    services.cancel(moved.booking.id or 0, actor=me, uow=uow, clock=clock)
    cancelled = rows_to_guest(uow)

    for rows, kind, booking_id in ((booked, "booking_created", view.booking.id),
                                   (rescheduled, "booking_rescheduled", moved.booking.id),
                                   (cancelled, "booking_cancelled", moved.booking.id)):
        [row] = rows
        assert (row.channel, row.recipient, row.kind) == ("email", "erin@example.com", kind)
        assert (row.payload["reader"], row.payload["actor"]) == ("guest", "guest")
        assert row.payload["booking_id"] == booking_id
    assert rescheduled[0].payload["previous_start"] == TUESDAY_10.isoformat()
    # The host still hears about the cancellation on every channel.
    assert {m.recipient for m in uow.outbox.items if m.kind == "booking_cancelled"} == \
        HOST_RECIPIENTS | {"erin@example.com"}


def test_guest_without_email_gets_nothing_for_own_changes(uow, clock):
    guest = erin(uow, email=None)
    me = Actor("guest", guest.id or 0)
    view = services.book("ana", "intro", TUESDAY_10, guest_id=guest.id or 0, uow=uow,
                         clock=clock)
    moved = services.reschedule(view.booking.id or 0, TUESDAY_10 + timedelta(hours=1),
                                actor=me, uow=uow, clock=clock)
    services.cancel(moved.booking.id or 0, actor=me, uow=uow, clock=clock)
    assert rows_to_guest(uow) == []
    assert {m.kind for m in uow.outbox.items} == {
        "booking_created", "booking_rescheduled", "booking_cancelled"}


def test_host_made_changes_still_reach_the_guests_chat_and_email_once(uow, clock):
    guest = erin(uow)
    view = services.book("ana", "intro", TUESDAY_10, guest_id=guest.id or 0, uow=uow,
                         clock=clock)
    host = Actor("host", view.host.id or 0)
    uow.outbox.items.clear()
    moved = services.reschedule(view.booking.id or 0, TUESDAY_10 + timedelta(hours=1),
                                actor=host, uow=uow, clock=clock)
    services.cancel(moved.booking.id or 0, actor=host, uow=uow, clock=clock)
    assert [(m.channel, m.recipient, m.kind) for m in uow.outbox.items] == [
        ("telegram", "c-erin", "booking_rescheduled"),
        ("email", "erin@example.com", "booking_rescheduled"),
        ("telegram", "c-erin", "booking_cancelled"),
        ("email", "erin@example.com", "booking_cancelled"),
    ]
    assert all("actor" not in m.payload for m in uow.outbox.items)


def test_pending_request_gets_no_invitation_until_confirmed_but_its_cancel_is_sent(uow, clock):
    intro = next(e for e in services.get_host("ana", uow=uow).event_types if e.slug == "intro")
    intro.requires_confirmation = True
    guest = erin(uow)
    me = Actor("guest", guest.id or 0)
    view = services.book("ana", "intro", TUESDAY_10, guest_id=guest.id or 0, uow=uow,
                         clock=clock)
    moved = services.reschedule(view.booking.id or 0, TUESDAY_10 + timedelta(hours=1),
                                actor=me, uow=uow, clock=clock)
    assert rows_to_guest(uow) == []
    services.cancel(moved.booking.id or 0, actor=me, uow=uow, clock=clock)
    assert [(m.channel, m.kind) for m in rows_to_guest(uow)] == [("email", "booking_cancelled")]


def test_own_changes_update_one_calendar_event_worded_as_the_guests(uow, clock):
    """Book, move, cancel by the guest: REQUEST, REQUEST, CANCEL under one UID."""
    guest = erin(uow)
    me = Actor("guest", guest.id or 0)
    view = services.book("ana", "intro", TUESDAY_10, guest_id=guest.id or 0, uow=uow,
                         clock=clock)
    moved = services.reschedule(view.booking.id or 0, TUESDAY_10 + timedelta(hours=1),
                                actor=me, uow=uow, clock=clock)
    services.cancel(moved.booking.id or 0, actor=me, uow=uow, clock=clock)

    seen = []
    for message in rows_to_guest(uow):
        email = render_email(message.kind, facts(message, lambda: uow),
                             recipient=message.recipient, stamp=message.created_at,
                             sender=SENDER)
        [event] = Calendar.from_ical(email.calendar).walk("VEVENT")
        seen.append((email.text.split(" #")[0], email.method, str(event["UID"]),
                     event["SEQUENCE"], event.decoded("DTSTART")))
    uid = f"slotbot-booking-{view.booking.id}@slotbot.example"
    new_time = TUESDAY_10 + timedelta(hours=1)
    assert seen == [
        ("Your booking is confirmed:", "REQUEST", uid, 0, TUESDAY_10),
        ("You moved your Intro call with Ana Lima (now", "REQUEST", uid, 3, new_time),
        ("You cancelled your Intro call with Ana Lima", "CANCEL", uid, 5, new_time),
    ]
