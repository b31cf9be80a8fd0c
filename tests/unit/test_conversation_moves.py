"""The dialog acts on shifts, several windows, day moves, lengths, aliases and whole series."""

from datetime import UTC, datetime

import pytest

from bots.conversation import Conversation
from tests.unit.test_conversation import Chat, live


@pytest.fixture
def bot(uow, clock):
    return Conversation(lambda: uow, clock)


def booked(bot, text: str = "intro call with Ana tomorrow at 10am") -> Chat:
    chat = Chat(bot)
    chat.send(text)
    chat.send("yes")
    return chat


def test_a_shift_with_nothing_under_discussion_moves_the_next_booking_after_a_yes(bot, uow):
    chat = booked(bot)
    text = chat.send("eine halbe Stunde später bitte")
    assert "von Di. 1 Dez. 10:00 auf Di. 1 Dez., 10:30–11:00" in text  # as written: German
    [booking] = live(uow)
    assert booking.start == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # not moved yet
    assert "Verschoben:" in chat.send("ja")
    [booking] = live(uow)
    assert booking.start == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_a_shift_of_the_proposed_slot_proposes_the_moved_slot(bot, uow):
    chat = Chat(bot)
    chat.send("intro call with Ana tomorrow at 10am")
    assert "Tue 1 Dec, 09:30–10:00" in chat.send("bring it forward by half an hour")
    assert chat.choices == ["Yes, book it", "No"] and live(uow) == []


def test_a_shift_without_bookings_says_there_are_none(bot):
    assert Chat(bot).send("make it 45 minutes later") == "You have no upcoming bookings."


def test_no_to_a_shifted_booking_keeps_it(bot, uow):
    chat = booked(bot)
    chat.send("make it 45 minutes later")  # 10:45 is off the half-hour grid: other times
    assert "left it as it is" in chat.send("no")
    assert len(live(uow)) == 1


def test_friday_or_monday_morning_offers_times_on_both_days(bot):
    chat = Chat(bot)
    chat.send("intro call with Ana, Friday or Monday morning?")
    days = {label.split(" 2026")[0].rsplit(" ", 1)[0] for label in chat.choices}
    assert days == {"Mon 30 Nov", "Fri 4 Dec"}


def test_a_move_from_one_day_to_another_keeps_the_time(bot, uow):
    chat = booked(bot, "intro call with Ana Wednesday at 10am")
    text = chat.send("von Mittwoch auf Donnerstag, gleiche Uhrzeit")
    assert "Mi. 2 Dez. 10:00 auf Do. 3 Dez., 10:00–10:30" in text  # replies in German now
    chat.send("ja")
    [booking] = live(uow)
    assert booking.start == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_a_move_from_a_day_without_a_booking_says_so_and_asks_which(bot):
    chat = booked(bot)
    text = chat.send("move it from Mon to Wed")
    assert "You have nothing booked on Mon 30 Nov." in text
    assert len(chat.choices) == 1 and chat.choices[0].endswith("Intro call – Tue 1 Dec 10:00")


def test_not_monday_but_tuesday_offers_tuesday(bot):
    chat = Chat(bot)
    chat.send("intro call with Ana Monday afternoon")
    chat.send("not Monday — maybe Tuesday?")
    assert chat.choices and all(label.startswith("Tue 1 Dec") for label in chat.choices)


def test_a_length_the_event_type_lacks_is_said_and_the_nearest_proposed(bot, uow):
    chat = Chat(bot)
    text = chat.send("45 min intro call with Ana tomorrow at 10")
    assert "isn't offered for 45 min (only 30 min)" in text
    assert "10:00–10:30" in text
    chat.send("yes")
    [booking] = live(uow)
    assert booking.end - booking.start == datetime(1, 1, 1, 0, 30) - datetime(1, 1, 1)


def test_an_alias_from_the_setup_file_names_the_event_type(bot):
    chat = Chat(bot)
    text = chat.send("una consulta con Ana el viernes a las 10")
    assert "Consultation con Ana Lima el vie 4 dic, 10:00–11:00" in text


def test_cancel_the_whole_series_asks_once_and_cancels_every_remaining_meeting(bot, uow):
    chat = booked(bot, "intro call with Ana every Tuesday at 10am")
    assert len(live(uow)) == 4
    assert "4 left" in chat.send("cancel the whole series")
    assert chat.choices == ["Yes, cancel all", "No, keep it"]
    assert "Cancelled 4" in chat.send("yes")
    assert live(uow) == []


def test_keeping_the_whole_series_cancels_nothing(bot, uow):
    chat = booked(bot, "intro call with Ana every Tuesday at 10am")
    chat.send("die ganze Serie absagen")
    assert "lasse alles" in chat.send("nein")
    assert len(live(uow)) == 4


def test_a_shift_while_choosing_a_new_time_moves_the_booking_being_moved(bot):
    chat = booked(bot, "intro call with Ana Thursday at 10am")
    chat.send("intro call with Ana tomorrow at 10am")
    chat.send("yes")  # two bookings: Tue 1 Dec (the next) and Thu 3 Dec
    chat.send("move my booking")
    [thursday] = [c.payload for r in chat.last for c in r.choices if "Thu 3 Dec" in c.label]
    chat.send(payload=thursday)
    chat.send("Friday")  # Friday's free times are offered
    text = chat.send("actually, just an hour later")
    assert "from Thu 3 Dec 10:00 to Thu 3 Dec, 11:00–11:30" in text


def test_yes_but_later_proposes_the_later_time_instead_of_booking_the_first(bot, uow):
    chat = Chat(bot)
    chat.send("intro call with Ana tomorrow at 10am")
    text = chat.send("yes, but half an hour later")
    assert "Tue 1 Dec, 10:30–11:00" in text and live(uow) == []
    chat.send("yes")
    [booking] = live(uow)
    assert booking.start == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_a_team_search_over_two_windows_offers_hosts_free_in_each(bot):
    chat = Chat(bot, "erin", name="Erin", timezone="America/New_York")
    chat.send("anyone free Wednesday or Thursday between 10 and 11am?")
    days = {label.split(" · ")[1].rsplit(" ", 1)[0] for label in chat.choices}
    assert days == {"Wed 2 Dec", "Thu 3 Dec"}


def test_between_two_offered_lengths_the_longer_is_proposed(bot, uow):
    uow.hosts.get("ana").event_type("intro").other_durations = [15, 60]
    chat = Chat(bot)
    text = chat.send("45 min intro call with Ana tomorrow at 10")
    assert "isn't offered for 45 min (only 15, 30, 60 min)" in text
    assert "nearest: 60 min" in text and "10:00–11:00" in text
