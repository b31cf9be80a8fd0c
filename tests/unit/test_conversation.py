"""The guest dialog with an in-memory unit of work and a fixed clock (errbot's testbot)."""

from datetime import UTC, datetime, timedelta

import pytest

from bots import texts
from bots.conversation import Conversation
from bots.messages import IncomingMessage, Reply
from core.models import BookingStatus
from tests.unit.conftest import NOW


class Chat:
    """Sends messages as one guest and keeps the replies."""

    def __init__(self, conversation: Conversation, user: str = "carla", *,
                 name: str = "Carla", platform: str = "console", timezone: str | None = None):
        self.conversation, self.user, self.name = conversation, user, name
        self.platform, self.timezone = platform, timezone
        self.last: list[Reply] = []

    def send(self, text: str = "", payload: str | None = None) -> str:
        self.last = self.conversation.handle(IncomingMessage(
            self.platform, self.user, self.user, text=text, display_name=self.name,
            payload=payload, timezone=self.timezone))
        return "\n".join(r.text for r in self.last)

    @property
    def choices(self) -> list[str]:
        return [c.label for r in self.last for c in r.choices]


@pytest.fixture
def bot(uow, clock):
    return Conversation(lambda: uow, clock)


def live(uow):
    return [b for b in uow.bookings.items if b.is_live]


def test_books_only_after_explicit_confirmation(bot, uow):
    chat = Chat(bot)
    text = chat.send("30 min with Ana tomorrow at 10am?")
    assert "Intro call with Ana Lima on Tue 1 Dec, 10:00–10:30 (Europe/Berlin)" in text
    assert chat.choices == ["Yes, book it", "No"]
    assert live(uow) == []
    assert "Booked #" in chat.send("yes")
    [booking] = live(uow)
    assert booking.start == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert booking.status is BookingStatus.CONFIRMED


def test_saying_no_books_nothing(bot, uow):
    chat = Chat(bot)
    chat.send("30 min with Ana tomorrow at 10am?")
    assert "nothing booked" in chat.send("no")
    assert live(uow) == []


def test_taken_slot_offers_nearest_free_times_as_choices(bot, uow):
    first = Chat(bot)
    first.send("30 min with Ana tomorrow at 10am?")
    first.send("yes")
    second = Chat(bot, "dan", name="Dan")
    text = second.send("intro call with Ana tomorrow at 10am")
    assert "isn't available" in text
    assert second.choices and "Tue 1 Dec 10:00" not in second.choices
    second.send("1")  # a typed number picks the first choice
    assert second.choices == ["Yes, book it", "No"]
    second.send("yes")
    assert len(live(uow)) == 2


def test_window_lists_free_slots_in_the_guests_zone(bot):
    chat = Chat(bot, "erin", name="Erin", timezone="America/New_York")
    text = chat.send("anything free for an intro call with Ana on Thursday morning?")
    assert "times in America/New_York" in text
    # Ana's afternoon hours, 13:00–17:00 in Berlin, are 07:00–11:00 in New York.
    assert chat.choices[0] == "Thu 3 Dec 07:00"
    text = chat.send("1")
    assert "Thu 3 Dec, 07:00–07:30 (America/New_York) = Thu 3 Dec, 13:00–13:30 (Europe/Berlin)"\
        in text


def test_state_survives_a_restart(uow, clock):
    Chat(Conversation(lambda: uow, clock)).send("30 min with Ana tomorrow at 10am?")
    restarted = Chat(Conversation(lambda: uow, clock))
    assert "Booked #" in restarted.send("yes")


def test_stale_confirmation_expires(uow):
    Chat(Conversation(lambda: uow, lambda: NOW)).send("30 min with Ana tomorrow at 10am?")
    later = Chat(Conversation(lambda: uow, lambda: NOW + timedelta(hours=2)))
    assert "expired" in later.send("yes")
    assert live(uow) == []


def test_cancel_asks_first_then_cancels(bot, uow):
    chat = Chat(bot)
    chat.send("30 min with Ana tomorrow at 10am?")
    chat.send("yes")
    assert "Cancel #" in chat.send("cancel my booking")
    assert live(uow)
    assert "Cancelled #" in chat.send("yes")
    assert live(uow) == []


def test_reschedule_moves_after_confirmation(bot, uow):
    chat = Chat(bot)
    chat.send("30 min with Ana tomorrow at 10am?")
    chat.send("yes")
    assert "to Wed 2 Dec, 15:00–15:30" in chat.send("move my call to Wednesday 3pm")
    assert "Moved:" in chat.send("yes")
    [booking] = live(uow)
    assert booking.start == datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
    assert booking.rescheduled_from_id is not None


def test_guest_sets_timezone_once_and_it_is_remembered(bot, uow):
    chat = Chat(bot)
    assert "America/New_York" in chat.send("my timezone is America/New_York")
    chat.send("30 min with Ana tomorrow at 10am")
    assert "(America/New_York)" in "\n".join(r.text for r in chat.last)
    assert "Mars/Base" in chat.send("timezone Mars/Base")


def test_times_default_to_the_hosts_zone_and_say_so_once(bot):
    chat = Chat(bot)
    text = chat.send("30 min with Ana tomorrow at 10am?")
    assert "Times are in Europe/Berlin, Ana Lima's zone" in text
    assert "Times are in" not in chat.send("no")
    assert chat.last[-1].choices == ()


def test_unknown_input_gets_help_never_silence(bot):
    text = Chat(bot).send("blorp")
    assert "For example" in text or "for example" in text


def test_too_long_message_gets_a_clear_answer(bot):
    assert "too long" in Chat(bot).send("x" * 5000)


def test_host_commands_are_refused_to_guests(bot):
    assert "only for hosts" in Chat(bot, platform="telegram").send("/slotbot today")


def test_host_runs_commands_from_their_mapped_account(bot):
    chat = Chat(bot, "1001", platform="telegram")
    assert "Nothing booked today" in chat.send("/slotbot today")


def test_choosing_a_host_when_none_is_named(bot):
    chat = Chat(bot)
    chat.send("I'd like to book a meeting")
    assert chat.choices == ["Ana Lima", "Bruno Costa"]
    chat.send("Ana Lima")
    assert chat.choices == ["Intro call (30 min)", "Consultation (60 min)"]


def test_failures_become_an_apology(uow, clock):
    def broken():
        raise RuntimeError("database down")

    replies = Conversation(broken, clock).handle(IncomingMessage("console", "x", "x", "hi"))
    assert [r.text for r in replies] == [texts.apology()]


def test_anyone_free_searches_across_hosts(bot, uow):
    chat = Chat(bot, "frank", name="Frank", timezone="America/New_York")
    chat.send("anyone free tomorrow between 10am and 1pm?")
    # 10:00 in New York is 16:00 in Berlin, Ana's last hour; Bruno's 90-minute
    # workshop fits his New York morning. One offer per host, earliest first.
    assert chat.choices == ["Ana Lima · Tue 1 Dec 10:00", "Bruno Costa · Tue 1 Dec 10:00"]
    text = chat.send("2")
    assert text.startswith("Design workshop with Bruno Costa on Tue 1 Dec, 10:00–11:30")
    assert "Booked #" in chat.send("yes")
    assert [b.host_id for b in live(uow)] == [uow.hosts.get("bruno").id]


def test_a_stated_length_picks_among_allowed_durations(bot, uow):
    ana = uow.hosts.get("ana")
    ana.event_type("consultation").other_durations = [90]
    chat = Chat(bot)
    text = chat.send("90 minutes with Ana on Wednesday at 2pm")
    assert "Consultation with Ana Lima on Wed 2 Dec, 14:00–15:30" in text
    chat.send("yes")
    [booking] = live(uow)
    assert booking.end - booking.start == timedelta(minutes=90)


def test_reminder_buttons_cancel_or_move_that_booking(bot, uow):
    chat = Chat(bot)
    chat.send("30 min with Ana tomorrow at 10am")
    chat.send("yes")
    [booking] = live(uow)
    question = chat.send(payload=f"move:{booking.id}")
    assert question.startswith(f"When would you like to move #{booking.id}")
    assert "to Tue 1 Dec, 15:00–15:30" in chat.send("3pm")
    assert chat.send(payload=f"cancel:{booking.id}").startswith(f"Cancel #{booking.id}")
    assert "Cancelled #" in chat.send("yes")
    assert live(uow) == []
    assert "can't find" in chat.send(payload="cancel:999")


def test_a_first_hello_gets_an_introduction_not_an_apology(bot):
    chat = Chat(bot)
    assert chat.send("hello").startswith("I book meetings with Ana Lima, Bruno Costa.")
    assert chat.send("blorp").startswith("Sorry, I didn't get that.")


def test_naming_the_host_later_keeps_the_time_asked_for(bot):
    chat = Chat(bot)
    chat.send("anything free tomorrow before 10?")
    chat.send("with Ana")
    chat.send("intro call")
    # Still tomorrow before 10:00, not "from now on".
    assert chat.choices == ["Tue 1 Dec 09:00", "Tue 1 Dec 09:30"]


def test_a_time_written_in_another_zone_is_shown_in_both(bot, uow):
    chat = Chat(bot, timezone="Europe/Berlin")
    text = chat.send("30 min with Ana tomorrow at 9am London time?")
    assert "09:00 London = 10:00 Berlin" in text
    assert "10:00–10:30 (Europe/Berlin)" in text
    assert "Booked #" in chat.send("yes")
    [booking] = live(uow)
    assert booking.start == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_an_ambiguous_zone_is_asked_about_not_guessed(bot, uow):
    chat = Chat(bot, timezone="Europe/Berlin")
    text = chat.send("30 min with Ana tomorrow at 11am IST?")
    assert "more than one time zone" in text
    assert chat.choices == [] and live(uow) == []


def test_a_stated_home_zone_is_remembered(bot, uow):
    chat = Chat(bot)
    assert "Chicago" in chat.send("I'm based in Chicago")
    [guest] = [g for g in uow.guests.items if g.platform_user_id == "carla"]
    assert guest.timezone == "America/Chicago"
