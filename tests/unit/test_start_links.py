"""``/start <argument>`` in the dialog: a host, a host's event type, a signed link, or nothing."""

from datetime import timedelta

import pytest

from bots.conversation import Conversation
from bots.messages import IncomingMessage
from core.action_links import Action, issue
from tests.unit.conftest import NOW
from tests.unit.test_conversation import Chat, live

KEY = "k" * 40
BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.fixture
def bot(uow, clock):
    return Conversation(lambda: uow, clock, link_keys=[KEY])


def booked(bot, uow, user="carla"):
    chat = Chat(bot, user, platform="telegram")
    chat.send("30 min with Ana tomorrow at 10am")
    chat.send("yes")
    [booking] = [b for b in live(uow) if b.guest_id == chat_guest(uow, user)]
    return chat, booking


def chat_guest(uow, user):
    guest = uow.guests.get("telegram", user)
    return guest.id if guest else None


def test_a_respelled_signature_is_forged_so_a_used_link_cannot_come_back(bot, uow):
    chat, booking = booked(bot, uow)
    token = issue(Action.CANCEL, booking.id, booking.start, keys=[KEY])
    # the last character's 2 spare low bits set: the same signature bytes, spelled otherwise
    respelled = token[:-1] + BASE64[BASE64.index(token[-1]) | 1]
    chat.send(f"/start {token}")
    chat.send("no")
    assert chat.send(f"/start {respelled}") == "This link is not valid. Nothing was changed."


def test_a_signed_cancel_link_asks_about_that_booking_then_cancels(bot, uow):
    chat, booking = booked(bot, uow)
    token = issue(Action.CANCEL, booking.id, booking.start, keys=[KEY])
    assert chat.send(f"/start {token}").startswith(f"Cancel #{booking.id}")
    assert "Cancelled #" in chat.send("yes")
    assert live(uow) == []


def test_a_signed_reschedule_link_asks_for_the_new_time(bot, uow):
    chat, booking = booked(bot, uow)
    token = issue(Action.RESCHEDULE, booking.id, booking.start, keys=[KEY])
    assert chat.send(f"/start {token}").startswith(f"When would you like to move #{booking.id}")
    assert "to Tue 1 Dec, 15:00–15:30" in chat.send("3pm")


def test_forged_expired_and_replayed_links_do_nothing_and_say_so(bot, uow, clock):
    chat, booking = booked(bot, uow)
    token = issue(Action.CANCEL, booking.id, booking.start, keys=[KEY])
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert chat.send(f"/start {forged}") == "This link is not valid. Nothing was changed."
    other_key = issue(Action.CANCEL, booking.id, booking.start, keys=["x" * 40])
    assert chat.send(f"/start {other_key}") == "This link is not valid. Nothing was changed."
    stale = issue(Action.CANCEL, booking.id, NOW - timedelta(seconds=1), keys=[KEY])
    assert chat.send(f"/start {stale}") == "This link has expired. Nothing was changed."
    chat.send(f"/start {token}")
    chat.send("no")  # kept
    assert chat.send(f"/start {token}") == "This link was already used. Nothing was changed."
    assert [b.id for b in live(uow)] == [booking.id]


def test_a_refused_link_is_answered_in_the_guests_language(bot, uow):
    chat = Chat(bot, "carla", platform="telegram")  # a guest who writes German
    chat.send("30 Minuten mit Ana morgen um 10 Uhr")
    chat.send("ja")
    [booking] = live(uow)
    token = issue(Action.CANCEL, booking.id, NOW, keys=[KEY])  # expires now
    assert chat.send(f"/start {token}") == "Dieser Link ist abgelaufen. Es wurde nichts geändert."


def test_another_guests_link_changes_nothing(bot, uow):
    _, booking = booked(bot, uow)
    token = issue(Action.CANCEL, booking.id, booking.start, keys=[KEY])
    intruder = Chat(bot, "mallory", platform="telegram")
    assert "can't find" in intruder.send(f"/start {token}")
    assert intruder.send("yes") != ""
    assert [b.id for b in live(uow)] == [booking.id]


def test_start_with_an_unknown_host_says_so_and_lists_the_hosts(bot):
    text = Chat(bot).send("/start bob")
    assert text.startswith("I don't know a host called “bob”.")
    assert "Ana Lima" in text and "Bruno Costa" in text


def test_start_with_a_host_or_its_event_type_still_greets_or_offers_times(bot):
    chat = Chat(bot)
    assert "I book time with Ana Lima" in chat.send("/start ana")
    assert chat.choices  # the event types
    chat = Chat(bot, "dora")
    assert "Free times with Ana Lima" in chat.send("/start ana-intro")
    assert chat.choices  # its slots


def test_without_link_keys_a_token_is_just_an_unknown_host(uow, clock):
    bot = Conversation(lambda: uow, clock)
    chat, booking = booked(bot, uow)
    token = issue(Action.CANCEL, booking.id, booking.start, keys=[KEY])
    assert chat.send(f"/start {token}").startswith("I don't know a host called")
    assert [b.id for b in live(uow)] == [booking.id]


def test_a_signed_link_in_a_group_shows_nothing_and_stays_usable_in_private(bot, uow):
    chat, booking = booked(bot, uow)
    token = issue(Action.CANCEL, booking.id, booking.start, keys=[KEY])
    in_group = bot.handle(IncomingMessage("telegram", "-500", "carla", text=f"/start {token}",
                                          display_name="Carla", private=False))
    assert [r.text for r in in_group] == [
        "This link works only in a private chat with me. Open it there; nothing was changed."]
    assert all(not r.choices for r in in_group)
    assert chat.send(f"/start {token}").startswith(f"Cancel #{booking.id}")  # not used up
