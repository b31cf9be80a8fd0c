"""A turn has one effect: copies of a "yes", a second seat, a guest that did not change."""

from datetime import timedelta

import pytest

from bots.conversation import DUPLICATE_WINDOW, Conversation
from core import services
from core.errors import AlreadyBooked
from tests.unit.conftest import NOW
from tests.unit.test_conversation import Chat, live

WORKSHOP = "workshop with Bruno tomorrow at 10am"


@pytest.fixture
def bot(uow, clock):
    return Conversation(lambda: uow, clock)


def test_a_second_copy_of_yes_is_answered_already_done_and_books_nothing(bot, uow):
    chat = Chat(bot)
    chat.send(WORKSHOP)
    assert "Booked #" in chat.send(payload="yes")
    assert chat.send(payload="yes") == "Already done — see my message above."
    assert chat.send("yes") == "Already done — see my message above."
    assert len(live(uow)) == 1


def test_a_yes_long_after_the_booking_is_no_copy(uow):
    now = [NOW]
    chat = Chat(Conversation(lambda: uow, lambda: now[0]))
    chat.send(WORKSHOP)
    chat.send("yes")
    now[0] = NOW + DUPLICATE_WINDOW + timedelta(seconds=1)
    assert "expired" in chat.send("yes")


def test_a_guest_cannot_take_a_second_seat_of_a_slot_they_hold(bot, uow, clock):
    chat = Chat(bot)
    chat.send(WORKSHOP)
    chat.send("yes")
    [booking] = live(uow)
    assert chat.send(WORKSHOP) == f"You already have a seat at that time (booking #{booking.id})."
    with pytest.raises(AlreadyBooked) as raised:
        services.book("bruno", "workshop", booking.start, guest_id=booking.guest_id,
                      uow=uow, clock=clock)
    assert raised.value.booking_id == booking.id
    assert len(live(uow)) == 1


def test_another_guest_still_gets_a_seat_of_the_same_slot(bot, uow):
    Chat(bot).send(WORKSHOP)
    Chat(bot).send("yes")
    dan = Chat(bot, "dan", name="Dan")
    dan.send(WORKSHOP)
    assert "Booked #" in dan.send("yes")
    assert len(live(uow)) == 2


def test_ensure_guest_commits_nothing_when_nothing_changed(uow):
    services.ensure_guest("console", "carla", uow=uow, name="Carla", chat_id="c")
    commits = uow.commits
    services.ensure_guest("console", "carla", uow=uow, name="Carla", chat_id="c")
    services.ensure_guest("console", "carla", uow=uow)
    assert uow.commits == commits
    services.ensure_guest("console", "carla", uow=uow, name="Carla Lopes")
    assert uow.commits == commits + 1


@pytest.mark.parametrize("yes", ["yes", "ok", "👍"])
def test_yes_to_a_list_of_times_asks_which_one_and_keeps_the_list(bot, uow, yes):
    chat = Chat(bot)
    chat.send("anything free for an intro call with Ana on Thursday morning?")
    offered = chat.choices
    assert len(offered) > 1
    assert chat.send(yes) == "Which one? Tap a button or type its number."
    assert chat.choices == offered
    assert "Thu 3 Dec" in chat.send("2") and chat.choices == ["Yes, book it", "No"]
    assert live(uow) == []
