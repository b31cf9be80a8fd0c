"""The periodic jobs on the in-memory unit of work, at fixed instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bots import host_commands, notices
from core import digests, jobs, reminders
from core.daily import due_date
from core.models import Booking, BookingStatus, BookingToArm, HostSchedule, OutboxStatus
from core.services import Actor, book, cancel, ensure_guest, reschedule
from tests.unit.conftest import NOW

#: Tuesday 1 Dec 2026, 10:00 in Berlin.
TUESDAY_10 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _carla(uow):
    return ensure_guest("telegram", "42", uow=uow, name="Carla", chat_id="42")


def _book(uow, clock, start=TUESDAY_10, guest=None, slug="intro"):
    guest = guest or _carla(uow)
    return book("ana", slug, start, guest_id=guest.id, uow=uow, clock=clock).booking


def _sent(uow, kind):
    return [m for m in uow.outbox.items if m.kind == kind]


def _tick(uow, at):
    return jobs.run_due(at, uow_factory=lambda: uow)


def test_guest_gets_reminders_24h_and_1h_before_each_once(uow, clock):
    booking = _book(uow, clock)
    for at in (NOW, TUESDAY_10 - timedelta(hours=24, minutes=1)):
        _tick(uow, at)
    assert _sent(uow, "reminder") == []

    _tick(uow, TUESDAY_10 - timedelta(hours=24))
    _tick(uow, TUESDAY_10 - timedelta(hours=24))  # the same instant again
    _tick(uow, TUESDAY_10 - timedelta(hours=1))
    _tick(uow, TUESDAY_10 - timedelta(minutes=30))

    sent = _sent(uow, "reminder")
    assert [(m.channel, m.recipient, m.payload["minutes_before"]) for m in sent] == [
        ("telegram", "42", 1440), ("telegram", "42", 60)]
    assert {m.payload["booking_id"] for m in sent} == {booking.id}


def test_cancelled_booking_gets_no_reminder(uow, clock):
    booking = _book(uow, clock)
    _tick(uow, NOW)
    cancel(booking.id, actor=Actor("guest", booking.guest_id), uow=uow, clock=clock)
    report = _tick(uow, TUESDAY_10 - timedelta(hours=1))
    assert _sent(uow, "reminder") == []
    assert report.reminders_skipped == 2


def test_rescheduling_rearms_the_reminders_for_the_new_time(uow, clock):
    booking = _book(uow, clock)
    _tick(uow, NOW)
    later = TUESDAY_10 + timedelta(days=1)
    moved = reschedule(booking.id, later, actor=Actor("guest", booking.guest_id),
                       uow=uow, clock=clock).booking
    for at in (TUESDAY_10 - timedelta(hours=1), later - timedelta(hours=24),
               later - timedelta(hours=1)):
        _tick(uow, at)
    sent = [(m.payload["booking_id"], m.payload["start"], m.payload["minutes_before"])
            for m in _sent(uow, "reminder")]
    assert sent == [(moved.id, later.isoformat(), 1440), (moved.id, later.isoformat(), 60)]


def test_missed_reminders_are_sent_late_once_and_only_before_the_start(uow, clock):
    first = _book(uow, clock)
    second = _book(uow, clock, start=TUESDAY_10 + timedelta(hours=3),
                   guest=ensure_guest("telegram", "43", uow=uow, name="Dan", chat_id="43"))
    _tick(uow, NOW)
    # The worker was down from Monday morning until Tuesday 12:30 Berlin: the first
    # booking has started, both reminders of the second are overdue.
    _tick(uow, TUESDAY_10 + timedelta(hours=2, minutes=30))
    sent = _sent(uow, "reminder")
    assert [(m.payload["booking_id"], m.payload["minutes_before"]) for m in sent] == [
        (second.id, 60)]
    assert first.id not in {m.payload["booking_id"] for m in sent}


def test_booking_made_within_a_day_gets_only_the_later_reminder():
    start = NOW + timedelta(hours=5)
    due = reminders.schedule(BookingToArm(1, start, NOW, (1440, 60)))
    assert due == [(60, start - timedelta(hours=1))]
    assert reminders.schedule(BookingToArm(2, start, NOW, (1440, 60),
                                           BookingStatus.CANCELLED)) == []


def test_reminder_offsets_are_configurable_per_event_type(uow, clock):
    uow.hosts.get("ana").event_type("intro").reminder_minutes = [120, 15]
    _book(uow, clock)
    for minutes in (1440, 120, 60, 15):
        _tick(uow, TUESDAY_10 - timedelta(minutes=minutes))
    assert [m.payload["minutes_before"] for m in _sent(uow, "reminder")] == [120, 15]


def test_digest_goes_at_host_local_time_once_per_day_on_each_platform(uow, clock):
    booking = _book(uow, clock)
    before = datetime(2026, 12, 1, 6, 59, tzinfo=UTC)  # 07:59 in Berlin
    _tick(uow, before)
    assert [m for m in _sent(uow, "digest") if m.payload["host"] == "ana"] == []

    for at in (before + timedelta(minutes=1), before + timedelta(hours=3)):
        _tick(uow, at)
    ana = [m for m in _sent(uow, "digest") if m.payload["host"] == "ana"]
    assert [(m.channel, m.recipient, m.payload["date"]) for m in ana] == [
        ("telegram", "1001", "2026-12-01"), ("slack", "U0ANA", "2026-12-01")]
    assert [i["booking_id"] for i in ana[0].payload["today"]] == [booking.id]


def test_digest_time_follows_daylight_saving_time(uow):
    schedule = HostSchedule(1, "ana", "Ana", "Europe/Berlin", time(8), True, "1001")
    # Sunday 29 March 2026 clocks go forward: 08:00 in Berlin is 06:00 UTC, not 07:00.
    assert digests.digest_time(schedule) == time(8)
    assert due_date("Europe/Berlin", time(8), datetime(2026, 3, 29, 5, 59, tzinfo=UTC)) is None
    assert due_date("Europe/Berlin", time(8), datetime(2026, 3, 29, 6, 0, tzinfo=UTC)) == date(
        2026, 3, 29)
    assert due_date("Europe/Berlin", time(8), datetime(2026, 3, 28, 6, 59, tzinfo=UTC)) is None


def test_digest_off_sends_nothing_and_command_turns_it_back_on(uow, clock):
    ana = uow.hosts.get("ana")
    assert host_commands.run(ana, "digest off", uow_factory=lambda: uow, clock=clock).text == \
        "Daily digest off."
    _tick(uow, datetime(2026, 12, 1, 9, tzinfo=UTC))
    assert not [m for m in _sent(uow, "digest") if m.payload["host"] == "ana"]
    reply = host_commands.run(ana, "digest 07:30", uow_factory=lambda: uow, clock=clock).text
    assert reply == "Daily digest on, at 07:30 (Europe/Berlin)."
    _tick(uow, datetime(2026, 12, 2, 6, 30, tzinfo=UTC))  # 07:30 in Berlin
    assert len([m for m in _sent(uow, "digest") if m.payload["host"] == "ana"]) == 2
    assert host_commands.run(ana, "digest soon", uow_factory=lambda: uow, clock=clock).text \
        .startswith("Usage: /slotbot digest")


def _booking(id_, start, *, status=BookingStatus.CONFIRMED, created=None, cancelled=None,
             reason=None, guest_id=1):
    b = Booking(1, 1, guest_id, start, start + timedelta(minutes=30), status=status,
                created_at=created, cancelled_at=cancelled, cancel_reason=reason)
    b.id = id_
    return b


DIGEST_NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # Tuesday 08:00 in Berlin
SINCE = DIGEST_NOW - timedelta(days=1)
GOLDEN_DIGEST = """\
Your Slotbot digest for Tue 1 Dec (Europe/Berlin)

Today (2):
• 10:00–10:30 Intro call with Carla #11
• 14:00–14:30 Intro call with Dan #12 (pending)

Awaiting your confirmation (1):
• Tue 1 Dec 14:00–14:30 Intro call with Dan #12 (pending)

Since the last digest: 2 new bookings, 1 cancellation.
• new: Tue 1 Dec 10:00–10:30 Intro call with Carla #11
• new: Tue 1 Dec 14:00–14:30 Intro call with Dan #12 (pending)
• cancelled: Wed 2 Dec 09:00–09:30 Intro call with Erin #13

Last 7 days: 3 bookings, 1 cancellation, 1 no-show."""


def test_digest_shows_today_pending_changes_and_week_numbers():
    schedule = HostSchedule(1, "ana", "Ana Lima", "Europe/Berlin", time(8), True, "1001")
    at = datetime.fromisoformat
    bookings = [
        _booking(10, at("2026-11-27T09:00+00:00"), status=BookingStatus.NO_SHOW,
                 created=at("2026-11-26T09:00+00:00")),
        _booking(11, at("2026-12-01T09:00+00:00"), created=at("2026-11-30T12:00+00:00")),
        _booking(12, at("2026-12-01T13:00+00:00"), status=BookingStatus.PENDING,
                 created=at("2026-11-30T13:00+00:00"), guest_id=2),
        _booking(13, at("2026-12-02T08:00+00:00"), status=BookingStatus.CANCELLED,
                 created=at("2026-11-20T08:00+00:00"), cancelled=at("2026-11-30T20:00+00:00"),
                 guest_id=3),
        _booking(14, at("2026-12-03T08:00+00:00"), status=BookingStatus.CANCELLED,
                 created=at("2026-11-20T08:00+00:00"), cancelled=at("2026-11-30T21:00+00:00"),
                 reason="rescheduled"),
    ]
    payload = digests.build(schedule, date(2026, 12, 1), bookings, titles={1: "Intro call"},
                            guest_names={1: "Carla", 2: "Dan", 3: "Erin"}, now=DIGEST_NOW,
                            since=SINCE)
    assert payload["week"] == {"bookings": 3, "cancellations": 1, "no_shows": 1}
    assert notices.render("digest", payload).text == GOLDEN_DIGEST


def test_empty_digest_says_so():
    schedule = HostSchedule(1, "ana", "Ana Lima", "Europe/Berlin", time(8), True, "1001")
    payload = digests.build(schedule, date(2026, 12, 1), [], titles={}, guest_names={},
                            now=DIGEST_NOW, since=SINCE)
    assert notices.render("digest", payload).text.splitlines()[2] == "Nothing booked today."


def test_pruning_deletes_old_bookings_at_3am_and_keeps_contacts(uow, clock):
    old = _book(uow, clock)
    recent = _book(uow, clock, start=TUESDAY_10 + timedelta(days=1))
    later = TUESDAY_10 + timedelta(days=91)  # 90 days after the first ended
    at_2am = datetime.combine(later.date(), time(1), tzinfo=UTC)  # 02:00 in Berlin
    assert "ana" not in _tick(uow, at_2am).pruned
    report = _tick(uow, at_2am + timedelta(hours=1))
    assert report.pruned == {"ana": 1}
    assert [b.id for b in uow.bookings.items] == [recent.id]
    assert old.status is BookingStatus.COMPLETED
    ana = uow.hosts.get("ana")
    [(contact, guest)] = uow.contacts.search(ana.id, None)
    assert (guest.name, contact.total_bookings, contact.last_booked_at) == ("Carla", 2, NOW)
    assert _tick(uow, at_2am + timedelta(hours=5)).pruned == {}


def test_ended_confirmed_bookings_are_completed(uow, clock):
    booking = _book(uow, clock)
    assert _tick(uow, TUESDAY_10 + timedelta(minutes=29)).completed == 0
    assert _tick(uow, TUESDAY_10 + timedelta(minutes=30)).completed == 1
    assert booking.status is BookingStatus.COMPLETED


def test_contacts_command_lists_and_searches(uow, clock):
    _book(uow, clock)
    dan = ensure_guest("telegram", "43", uow=uow, name="Dan Brown", chat_id="43")
    _book(uow, clock, start=TUESDAY_10 + timedelta(hours=1), guest=dan)
    _book(uow, clock, start=TUESDAY_10 + timedelta(hours=4), guest=dan)
    ana = uow.hosts.get("ana")
    listing = host_commands.run(ana, "contacts", uow_factory=lambda: uow, clock=clock).text
    assert listing.splitlines() == [
        "Contacts (2):",
        "• Carla — 1 booking, last booked Mon 30 Nov 2026",
        "• Dan Brown — 2 bookings, last booked Mon 30 Nov 2026",
    ]
    found = host_commands.run(ana, "contacts brown", uow_factory=lambda: uow, clock=clock).text
    assert found.splitlines()[1:] == ["• Dan Brown — 2 bookings, last booked Mon 30 Nov 2026"]
    assert host_commands.run(ana, "contacts zoe", uow_factory=lambda: uow, clock=clock).text == \
        "No contacts matching “zoe”."


def test_reminder_text_shows_both_zones_and_shortcuts():
    payload = {"booking_id": 7, "host_name": "Ana Lima", "host_timezone": "Europe/Berlin",
               "event_type": "Intro call", "guest_timezone": "America/New_York",
               "start": TUESDAY_10.isoformat(), "end": (TUESDAY_10 + timedelta(minutes=30))
               .isoformat(), "status": "confirmed", "reader": "guest", "minutes_before": 1440}
    reply = notices.render("reminder", payload)
    assert reply.text == (
        "Reminder: Intro call with Ana Lima in 24 hours, Tue 1 Dec, 04:00–04:30 "
        "(America/New_York) = Tue 1 Dec, 10:00–10:30 (Europe/Berlin) (#7).")
    assert [(c.label, c.payload) for c in reply.choices] == [
        ("Cancel it", "cancel:7"), ("Reschedule", "move:7")]


def test_outbox_status_is_untouched_by_the_jobs(uow, clock):
    _book(uow, clock)
    _tick(uow, TUESDAY_10 - timedelta(hours=1))
    assert {m.status for m in uow.outbox.items} == {OutboxStatus.QUEUED}


def test_digest_in_the_hosts_language_has_buttons_for_pending_requests():
    schedule = HostSchedule(1, "ana", "Ana Lima", "Europe/Berlin", time(8), True, "1001",
                            locale="de")
    pending = _booking(12, datetime.fromisoformat("2026-12-01T13:00+00:00"),
                       status=BookingStatus.PENDING,
                       created=datetime.fromisoformat("2026-11-30T13:00+00:00"))
    payload = digests.build(schedule, date(2026, 12, 1), [pending], titles={1: "Erstgespräch"},
                            guest_names={1: "Carla"}, now=DIGEST_NOW, since=SINCE)
    reply = notices.render("digest", payload)
    assert reply.text.splitlines() == [
        "Deine Slotbot-Übersicht für Di. 1 Dez. (Europe/Berlin)",
        "",
        "Heute (1):",
        "• 14:00–14:30 Erstgespräch mit Carla #12 (offen)",
        "",
        "Wartet auf deine Bestätigung (1):",
        "• Di. 1 Dez. 14:00–14:30 Erstgespräch mit Carla #12 (offen)",
        "",
        "Seit der letzten Übersicht: 1 neue Buchung, 0 Absagen.",
        "• neu: Di. 1 Dez. 14:00–14:30 Erstgespräch mit Carla #12 (offen)",
        "",
        "Letzte 7 Tage: 1 Buchung, 0 Absagen, 0-mal nicht erschienen.",
    ]
    assert [(c.label, c.payload) for c in reply.choices] == [
        ("#12 bestätigen", "h:confirm:12"), ("#12 ablehnen", "h:decline:12")]
