"""Host commands through the one handler (Slack, Telegram and ``slotbot command`` share it)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
import yaml

from bots import notices
from bots.conversation import Conversation
from bots.host_commands import HostCommands, Links
from bots.messages import IncomingMessage, Reply
from core import services
from core.models import BookingStatus
from core.setup_file import parse_setup
from tests.unit.conftest import EXAMPLE, NOW
from tests.unit.fakes import FakeUnitOfWork

TUESDAY_10 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Berlin


@pytest.fixture
def host_commands(uow: FakeUnitOfWork, clock) -> HostCommands:
    links = Links(telegram_username=lambda: "SlotBot", slack_app=lambda: ("T0", "A0"))
    return HostCommands(lambda: uow, clock, links=links)


def ask(host_commands: HostCommands, text: str, handle: str = "ana") -> str:
    with host_commands.uow_factory() as uow:
        host = uow.hosts.get(handle)
    assert host is not None
    return host_commands.run(host, text).text


def book(uow: FakeUnitOfWork, clock, start: datetime = TUESDAY_10, slug: str = "intro",
         name: str = "Carla") -> int:
    """A booking made now (``clock``), or a week before ``start`` if that is past."""
    guest = services.ensure_guest("telegram", name.lower(), uow=uow, name=name,
                                  chat_id=name.lower(), email=f"{name.lower()}@example.com")
    made = clock() if start > clock() else start - timedelta(days=7)
    view = services.book("ana", slug, start, guest_id=guest.id or 0, uow=uow,
                         clock=lambda: made)
    return view.booking.id or 0


def starts(uow: FakeUnitOfWork, clock, day: date, slug: str = "intro") -> list[str]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    found = services.free_slots("ana", slug, start, start + timedelta(days=1), uow=uow,
                                clock=clock)
    return [f"{s.start.astimezone(uow.hosts.get('ana').zone):%H:%M}" for s in found]


def moved_to(uow: FakeUnitOfWork, number: int) -> int:
    return next(b.id or 0 for b in uow.bookings.items if b.rescheduled_from_id == number)


def reload_setup_file(uow: FakeUnitOfWork) -> None:
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=uow)


# --- working hours and time off -----------------------------------------------------------


def test_hours_shows_the_week_in_the_host_zone(host_commands):
    assert ask(host_commands, "hours").splitlines() == [
        "Working hours (Europe/Berlin):",
        "Mon: 09:00–12:00, 13:00–17:00", "Tue: 09:00–12:00, 13:00–17:00",
        "Wed: 09:00–12:00, 13:00–17:00", "Thu: 09:00–12:00, 13:00–17:00",
        "Fri: 09:00–12:00, 13:00–17:00", "Sat: 10:00–12:00", "Sun: off",
    ]


def test_hours_change_one_day_and_the_slots_follow(host_commands, uow, clock):
    saturday = date(2026, 12, 5)
    assert starts(uow, clock, saturday) == ["10:00", "10:30", "11:00", "11:30"]
    reply = ask(host_commands, "hours sat 10-14")
    assert reply.startswith("Working hours set for Sat.")
    assert "Sat: 10:00–14:00" in reply
    assert starts(uow, clock, saturday)[-1] == "13:30"
    ask(host_commands, "hours sat off")
    assert starts(uow, clock, saturday) == []
    assert starts(uow, clock, date(2026, 12, 4))  # Friday untouched


def test_hours_for_a_range_of_days_with_a_lunch_break(host_commands, uow, clock):
    ask(host_commands, "hours mon-fri 8-11, 14-18")
    assert "Wed: 08:00–11:00, 14:00–18:00" in ask(host_commands, "hours")
    assert starts(uow, clock, date(2026, 12, 2))[0] == "08:00"


@pytest.mark.parametrize("text", ["hours sat 14-10", "hours someday 9-12", "hours sat 9-12, 11-13",
                                  "hours sat nine to noon"])
def test_bad_hours_are_explained_and_change_nothing(host_commands, text):
    before = ask(host_commands, "hours")
    reply = ask(host_commands, text)
    assert "Example: /slotbot hours mon-fri 9-12, 13-17" in reply
    assert ask(host_commands, "hours") == before


def test_off_lists_time_off_and_on_removes_it(host_commands, uow, clock):
    assert ask(host_commands, "off") == "Time off (Europe/Berlin):\n• Thu 24 Dec 2026"
    ask(host_commands, "off dec 30 - jan 2")
    assert ask(host_commands, "off").splitlines()[1:] == [
        "• Thu 24 Dec 2026", "• Wed 30 Dec 2026 – Sat 2 Jan 2027"]
    reply = ask(host_commands, "on dec 24")
    assert reply == "Thu 24 Dec 2026 is bookable again (09:00–12:00, 13:00–17:00)."
    assert starts(uow, clock, date(2026, 12, 24))
    assert ask(host_commands, "on dec 23") == "Wed 23 Dec 2026 was not time off."


def test_time_off_dates_may_be_written_in_the_host_language(host_commands, uow, clock):
    ask(host_commands, "language de")
    assert ask(host_commands, "off 10. Dezember").startswith("Frei: Do. 10 Dez. 2026")
    assert starts(uow, clock, date(2026, 12, 10)) == []


def test_what_the_host_changed_from_chat_survives_loading_the_setup_file(host_commands, uow,
                                                                         clock):
    ask(host_commands, "hours sat off")
    ask(host_commands, "on dec 24")
    ask(host_commands, "type intro duration 45")
    ask(host_commands, "type intro hide")
    ask(host_commands, 'new type coaching "Coaching session" 60')
    ask(host_commands, "language de")
    ask(host_commands, "digest 07:15")
    reload_setup_file(uow)
    ana = uow.hosts.get("ana")
    assert not [r for r in ana.working_hours if r.weekday == 5]
    assert [r.weekday for r in ana.working_hours].count(0) == 2  # the file's Monday is back
    assert starts(uow, clock, date(2026, 12, 24))
    intro = ana.event_type("intro")
    assert (intro.duration, intro.hidden, intro.buffer_after) == (45, True, 10)
    assert ana.event_type("coaching").title == "Coaching session"
    assert (ana.locale, f"{ana.digest_time:%H:%M}") == ("de", "07:15")


# --- event types and links -------------------------------------------------------------------


def test_types_lists_every_setting(host_commands):
    assert ask(host_commands, "types").splitlines() == [
        "Event types:",
        "• intro — Intro call: 30 min, buffer 0/10 min, notice 2 h, window 60 days, 1 seat",
        "• consultation — Consultation: 60 min, buffer 10/10 min, notice 24 h, window 90 days, "
        "1 seat",
    ]


@pytest.mark.parametrize(("words", "field", "value"), [
    ("duration 45", "duration", 45),
    ("duration 1h", "duration", 60),
    ("buffer 15", "buffer_after", 15),
    ("buffer before 5", "buffer_before", 5),
    ("notice 2h", "minimum_notice", 120),
    ("notice 1d", "minimum_notice", 1440),
    ("window 30d", "booking_window", 30),
    ("window 14", "booking_window", 14),
    ("seats 3", "seats", 3),
    ("confirm on", "requires_confirmation", True),
    ("confirm off", "requires_confirmation", False),
    ("hide", "hidden", True),
    ("show", "hidden", False),
])
def test_type_changes_one_setting(host_commands, uow, words, field, value):
    ask(host_commands, f"type intro {words}")
    assert getattr(uow.hosts.get("ana").event_type("intro"), field) == value


@pytest.mark.parametrize(("text", "answer"), [
    ("type intro duration forever", "I couldn't read “forever” for duration."),
    ("type intro seats 0", "I couldn't read “0” for seats."),
    ("type nope duration 30", "You have no event type “nope”. Yours: intro, consultation."),
    ("type intro colour blue", "Usage: /slotbot type SLUG"),
])
def test_bad_type_changes_are_explained_and_change_nothing(host_commands, uow, text, answer):
    reply = ask(host_commands, text)
    assert reply.startswith(answer)
    intro = uow.hosts.get("ana").event_type("intro")
    assert (intro.duration, intro.seats) == (30, 1)


def test_a_new_type_is_bookable_at_once_and_has_a_link(host_commands, uow, clock):
    reply = ask(host_commands, 'new type coaching "Coaching session" 60')
    assert reply == ("New event type coaching: Coaching session, 60 min. "
                     "Link: https://t.me/SlotBot?start=ana-coaching")
    assert starts(uow, clock, date(2026, 12, 2), "coaching")[:2] == ["09:00", "10:00"]
    assert ask(host_commands, 'new type coaching "Again" 30') == \
        "You already have an event type “coaching”."
    assert "can't be a slug" in ask(host_commands, 'new type "Big one" "Title" 30')


def test_link_gives_telegram_deep_links_and_the_slack_dm(host_commands):
    assert ask(host_commands, "link").splitlines() == [
        "Links to book you:",
        "• all event types: https://t.me/SlotBot?start=ana",
        "• Intro call: https://t.me/SlotBot?start=ana-intro",
        "• Consultation: https://t.me/SlotBot?start=ana-consultation",
        "• Slack (opens a chat with the bot; guests write “book Intro call with Ana Lima”): "
        "https://slack.com/app_redirect?team=T0&app=A0",
    ]
    assert "start=ana-intro" in ask(host_commands, "link intro")
    assert "start=ana-consultation" not in ask(host_commands, "link intro")


def test_without_a_bot_link_says_how_to_get_one(uow, clock):
    commands = HostCommands(lambda: uow, clock)
    assert ask(commands, "link").startswith("No links yet: set TELEGRAM_BOT_USERNAME")


def test_a_hidden_type_is_not_offered_but_its_link_still_books_it(host_commands, uow, clock):
    ask(host_commands, "type consultation hide")
    bot = Conversation(lambda: uow, clock, host_commands=host_commands)

    def send(text: str) -> list[Reply]:
        return bot.handle(IncomingMessage("telegram", "77", "77", text=text))

    greeting = send("/start ana")[-1]
    assert [c.payload for c in greeting.choices] == ["et:intro"]
    assert "Consultation" not in greeting.text
    linked = send("/start ana-consultation")[-1]
    first, second = (datetime.fromisoformat(c.payload.removeprefix("slot:"))
                     for c in linked.choices[:2])
    assert second - first == timedelta(hours=1)  # the consultation's grid, not the intro's


# --- bookings ------------------------------------------------------------------------------


def test_bookings_filter_by_period_type_and_status(host_commands, uow, clock):
    first = book(uow, clock)
    second = book(uow, clock, TUESDAY_10 + timedelta(days=1), "consultation", "Dan")
    services.cancel(first, actor=services.Actor("host", uow.hosts.get("ana").id), uow=uow,
                    clock=clock)
    assert ask(host_commands, "bookings").splitlines() == [
        "Bookings Mon 30 Nov – Sun 6 Dec 2026 (Europe/Berlin): 2",
        "Tue 1 Dec", f"  10:00–10:30 Intro call with Carla #{first} (cancelled)",
        "Wed 2 Dec", f"  10:00–11:00 Consultation with Dan #{second}",
    ]
    assert ask(host_commands, "bookings week consultation").endswith(f"Dan #{second}")
    assert ask(host_commands, "bookings cancelled").splitlines()[0] == \
        "Bookings Mon 30 Nov – Sun 6 Dec 2026 (Europe/Berlin) · cancelled: 1"
    assert ask(host_commands, "bookings today") == "No bookings Mon 30 Nov 2026."
    assert ask(host_commands, "bookings dec 2 - dec 3").splitlines()[0] == \
        "Bookings Wed 2 Dec – Thu 3 Dec 2026 (Europe/Berlin): 1"
    assert ask(host_commands, "bookings someday").startswith("Usage: /slotbot bookings")


def test_booking_shows_guest_contact_history_and_notes(host_commands, uow, clock):
    number = book(uow, clock)
    ask(host_commands, "note Carla prefers mornings")
    moved = ask(host_commands, f"reschedule {number} wednesday 10:00")
    new = moved_to(uow, number)
    assert moved.startswith(f"Moved #{number} to Wed 2 Dec, 10:00–10:30 (Europe/Berlin) "
                            f"(now #{new}). Carla will be told")
    lines = ask(host_commands, f"booking {new}").splitlines()
    assert lines == [
        f"#{new} Intro call, Wed 2 Dec, 10:00–10:30 (Europe/Berlin)",
        "Status: confirmed",
        "Guest: Carla <carla@example.com>",
        "Contact: 1 booking, 0 no-shows",
        "History:",
        f"• moved from #{number} (Tue 1 Dec, 10:00–10:30 (Europe/Berlin))",
        "• booked Mon 30 Nov 09:00",
        "Notes:",
        "• Mon 30 Nov: prefers mornings",
    ]
    assert ask(host_commands, "booking 999") == "There is no booking #999 of yours."
    assert ask(host_commands, f"booking {new}", "bruno") == f"There is no booking #{new} of yours."


def test_host_reschedule_tells_the_guest_with_buttons_to_accept_or_move(host_commands, uow,
                                                                        clock):
    number = book(uow, clock)
    ask(host_commands, f"reschedule {number} 2026-12-02 13:00")
    [row] = [m for m in uow.outbox.items
             if m.kind == "booking_rescheduled" and m.channel == "telegram"]
    assert row.recipient == "carla"
    reply = notices.render(row.kind, row.payload)
    assert "moved your Intro call" in reply.text and "from Tue 1 Dec 10:00" in reply.text
    new = moved_to(uow, number)
    assert [c.payload for c in reply.choices] == [f"ack:{new}", f"move:{new}"]


def test_host_reschedule_to_a_taken_time_names_free_ones(host_commands, uow, clock):
    number = book(uow, clock)
    book(uow, clock, TUESDAY_10 + timedelta(hours=1), name="Dan")
    reply = ask(host_commands, f"reschedule {number} 2026-12-01 11:00")
    assert reply.startswith(f"Tue 1 Dec 11:00 is not free for #{number}")
    assert "Free nearby:" in reply
    assert ask(host_commands, f"reschedule {number} whenever").startswith(
        "I couldn't read a time in “whenever”")


# --- contacts ----------------------------------------------------------------------------


def test_contact_shows_bookings_no_shows_and_notes(host_commands, uow, clock):
    number = book(uow, clock, NOW - timedelta(days=3) + timedelta(hours=1))
    services.mark_no_show(number, actor=services.Actor("host", uow.hosts.get("ana").id),
                          uow=uow, clock=clock)
    ask(host_commands, "note carla asked for a call back")
    assert ask(host_commands, "contact carla").splitlines() == [
        "Carla <carla@example.com>: 1 booking, 1 no-show",
        "Bookings:",
        f"• #{number} Fri 27 Nov 10:00 Intro call (no-show)",
        "Notes:",
        "• Mon 30 Nov: asked for a call back",
    ]
    assert ask(host_commands, "contact zed") == "No contacts matching “zed”."


def test_a_name_several_contacts_share_asks_for_more(host_commands, uow, clock):
    book(uow, clock, name="Ann Lee")
    book(uow, clock, TUESDAY_10 + timedelta(hours=1), name="Ann Bo")
    assert ask(host_commands, "note ann hi") == \
        "Several contacts match “ann”: Ann Bo, Ann Lee. Be more precise."
    assert ask(host_commands, 'note "Ann Bo" hi') == "Note kept for Ann Bo."


# --- help, unknown, language -------------------------------------------------------------


@pytest.mark.parametrize(("typed", "closest"), [("hour", "hours"), ("bookngs", "bookings"),
                                                 ("contcts", "contacts"), ("stat", "stats")])
def test_an_unknown_command_suggests_the_closest(host_commands, typed, closest):
    assert ask(host_commands, typed) == \
        f"Unknown command “{typed}”. Did you mean /slotbot {closest}?"


def test_help_for_one_command_gives_examples(host_commands):
    assert ask(host_commands, "help type").splitlines()[:3] == [
        "• /slotbot type SLUG duration|buffer|notice|window|seats|confirm|hide|show [VALUE] — "
        "change an event type",
        "Examples:",
        "  /slotbot type intro duration 45",
    ]


def test_language_switches_host_replies_with_plurals_and_clock(host_commands, uow, clock):
    book(uow, clock)
    assert ask(host_commands, "language fr") == "Les messages d’hôte sont désormais en français."
    assert ask(host_commands, "contacts").splitlines()[1].startswith(
        "• Carla — 1 réservation, dernière réservation")
    ask(host_commands, "language en-US")
    assert ask(host_commands, "today") == "Nothing booked today (Mon 30 Nov, Europe/Berlin)."
    assert "10:00 AM–10:30 AM Intro call with Carla" in ask(host_commands, "upcoming")
    assert ask(host_commands, "language xx").startswith("Usage: /slotbot language")


# --- who may act -------------------------------------------------------------------------


def message(user: str, *, text: str = "", payload: str | None = None) -> IncomingMessage:
    return IncomingMessage("telegram", user, user, text=text, payload=payload)


def test_only_the_mapped_host_runs_commands(host_commands):
    assert host_commands.answer(message("7", text="/slotbot today")).text.startswith(
        "Sorry, host commands are only for hosts")
    assert host_commands.answer(message("1001", text="/slotbot today")).text.startswith(
        "Nothing booked today")
    assert host_commands.answer(message("1001", text="hello")) is None
    assert host_commands.answer(message("1001", text="/slotbotx")) is None


def test_a_pending_request_notice_has_buttons_that_decide_it(host_commands, uow, clock):
    ask(host_commands, "type intro confirm on")
    number = book(uow, clock)
    [row] = [m for m in uow.outbox.items if m.kind == "booking_requested"
             and m.channel == "telegram"]
    reply = notices.render(row.kind, row.payload)
    assert [(c.label, c.payload) for c in reply.choices] == [
        ("Confirm", f"h:confirm:{number}"), ("Decline", f"h:decline:{number}")]
    confirmed = host_commands.answer(message("1001", payload=f"h:confirm:{number}"))
    assert confirmed.text.startswith(f"Confirmed #{number}")
    assert uow.bookings.get(number).status is BookingStatus.CONFIRMED


def test_decline_asks_for_the_reason_and_tells_the_guest(host_commands, uow, clock):
    ask(host_commands, "type intro confirm on")
    number = book(uow, clock)
    asked = host_commands.answer(message("1001", payload=f"h:decline:{number}"))
    assert asked.text.startswith(f"Why decline #{number}")
    assert [c.payload for c in asked.choices] == [
        f"h:decline:{number}:none", f"h:decline:{number}:busy", f"h:decline:{number}:full",
        f"h:decline:{number}:other"]
    assert asked.choices[-1].label == "Other reason…"
    assert uow.bookings.get(number).status is BookingStatus.PENDING
    done = host_commands.answer(message("1001", payload=f"h:decline:{number}:full"))
    assert done.text == f"Declined #{number}. Carla will be told (fully booked)."
    booking = uow.bookings.get(number)
    assert (booking.status, booking.cancel_reason) == (BookingStatus.DECLINED, "fully booked")


def hosts_chat(uow: FakeUnitOfWork, clock):
    """The host's own chat with the bot: host buttons and plain messages, one turn each."""
    bot = Conversation(lambda: uow, clock)

    def send(text: str = "", payload: str | None = None) -> list[Reply]:
        return bot.handle(message("1001", text=text, payload=payload))

    return send


def test_other_reason_declines_with_the_hosts_next_message(uow, clock):
    ask(HostCommands(lambda: uow, clock), "type intro confirm on")
    number = book(uow, clock)
    send = hosts_chat(uow, clock)
    [asked] = send(payload=f"h:decline:{number}:other")
    assert asked.text.startswith(f"Write the reason for declining #{number} (")
    assert uow.bookings.get(number).status is BookingStatus.PENDING
    [done] = send("We are closed for a team  offsite\nthat week")
    assert done.text == \
        f"Declined #{number}. Carla will be told (We are closed for a team offsite that week)."
    booking = uow.bookings.get(number)
    assert (booking.status, booking.cancel_reason) == \
        (BookingStatus.DECLINED, "We are closed for a team offsite that week")
    [row] = [m for m in uow.outbox.items if m.kind == "booking_declined"
             and m.channel == "telegram"]
    assert "Reason: We are closed for a team offsite that week." in \
        notices.render(row.kind, row.payload).text
    # the question is answered: the next message is an ordinary one again
    assert not send("hello")[0].text.startswith("Declined")


def test_other_reason_is_forgotten_after_another_command_or_half_an_hour(uow, clock):
    ask(HostCommands(lambda: uow, clock), "type intro confirm on")
    number = book(uow, clock)
    send = hosts_chat(uow, clock)
    send(payload=f"h:decline:{number}:other")
    send("/slotbot today")
    send("not a reason any more")
    assert uow.bookings.get(number).status is BookingStatus.PENDING
    send(payload=f"h:decline:{number}:other")
    later = Conversation(lambda: uow, lambda: NOW + timedelta(minutes=31))
    later.handle(message("1001", text="too late to be the reason"))
    assert uow.bookings.get(number).status is BookingStatus.PENDING


def test_other_reason_for_a_decided_request_says_so(uow, clock):
    ask(HostCommands(lambda: uow, clock), "type intro confirm on")
    number = book(uow, clock)
    send = hosts_chat(uow, clock)
    send(payload=f"h:confirm:{number}")
    [answer] = send(payload=f"h:decline:{number}:other")
    assert answer.text == f"Booking #{number} is already confirmed."


def test_a_new_booking_notice_can_cancel_after_asking(host_commands, uow, clock):
    number = book(uow, clock)
    [row] = [m for m in uow.outbox.items if m.kind == "booking_created"
             and m.channel == "telegram"]
    assert [c.payload for c in notices.render(row.kind, row.payload).choices] == \
        [f"h:cancel:{number}"]
    asked = host_commands.answer(message("1001", payload=f"h:cancel:{number}"))
    assert [c.payload for c in asked.choices] == [f"h:cancel!:{number}", f"h:keep:{number}"]
    assert uow.bookings.get(number).is_live
    host_commands.answer(message("1001", payload=f"h:cancel!:{number}"))
    assert uow.bookings.get(number).status is BookingStatus.CANCELLED


def test_presses_by_anyone_but_the_host_are_refused_and_logged(host_commands, uow, clock,
                                                               caplog):
    ask(host_commands, "type intro confirm on")
    number = book(uow, clock)
    caplog.set_level(logging.WARNING, logger="bots.host_commands")
    refused = host_commands.answer(message("7", payload=f"h:confirm:{number}"))
    assert refused.text == "That button is for the host only."
    bruno = IncomingMessage("slack", "D1", "U0BRUNO", payload=f"h:confirm:{number}")
    assert host_commands.answer(bruno).text == f"There is no booking #{number} of yours."
    assert uow.bookings.get(number).status is BookingStatus.PENDING
    assert [r.getMessage() for r in caplog.records] == [
        f"refused host button 'h:confirm:{number}' from telegram user 7 (not a host)",
        f"refused host button 'h:confirm:{number}' from host bruno: not their booking",
    ]


def test_the_guest_accepting_a_moved_time_is_thanked(host_commands):
    assert host_commands.answer(message("carla", payload="ack:4")).text == "Great, thanks!"


def test_slotbot_alone_is_a_dashboard_with_buttons(host_commands, uow, clock):
    ask(host_commands, "type intro confirm on")
    number = book(uow, clock)
    with host_commands.uow_factory() as fake:
        ana = fake.hosts.get("ana")
    reply = host_commands.run(ana, "/slotbot")
    assert reply.text.splitlines() == [
        "Ana Lima — Mon 30 Nov (Europe/Berlin)",
        "Today: 0 bookings",
        "Awaiting your confirmation (1):",
        f"• Tue 1 Dec 10:00–10:30 Intro call with Carla #{number} (pending)",
        "Last 7 days: 1 booking, 0 cancellations, 0 no-shows.",
        "Your link: https://t.me/SlotBot?start=ana",
    ]
    assert [c.payload for c in reply.choices] == [
        f"h:confirm:{number}", f"h:decline:{number}", "h:cmd:today", "h:cmd:upcoming",
        "h:cmd:stats", "h:cmd:link", "h:cmd:help"]
    shortcut = host_commands.answer(message("1001", payload="h:cmd:upcoming"))
    assert shortcut.text.startswith("Next 7 days (Europe/Berlin):")
