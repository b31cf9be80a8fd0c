"""The guest hears the host's policies: the change cutoff and the cap on upcoming bookings."""

from datetime import UTC, datetime

import pytest

from bots.conversation import Conversation
from core import services
from tests.unit.test_conversation import Chat

#: Tuesday 1 Dec 2026, 10:00 in Berlin: 25 hours after the tests' NOW.
TUESDAY_10 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def bot(uow, clock):
    return Conversation(lambda: uow, clock)


def carla(uow) -> int:
    return services.ensure_guest("console", "carla", uow=uow, name="Carla").id or 0


def test_guest_is_told_when_the_cancel_cutoff_has_passed(bot, uow, clock):
    ana = uow.hosts.get("ana")
    ana.event_type("intro").cancel_notice = 26 * 60
    view = services.book("ana", "intro", TUESDAY_10, guest_id=carla(uow), uow=uow, clock=clock)
    chat = Chat(bot)
    chat.send("cancel my booking")
    text = chat.send("yes")
    assert text.startswith(f"Sorry, #{view.booking.id} can no longer be changed here")
    assert "until Mon 30 Nov 08:00. Please contact Ana Lima directly." in text
    assert view.booking.is_live


def test_guest_over_the_cap_is_told_instead_of_booked(bot, uow, clock):
    uow.hosts.get("ana").max_active_per_guest = 1
    services.book("ana", "intro", TUESDAY_10, guest_id=carla(uow), uow=uow, clock=clock)
    chat = Chat(bot)
    chat.send("30 min with Ana tomorrow at 11am?")
    text = chat.send("yes")
    assert text.startswith("You already have as many upcoming bookings with Ana Lima as "
                           "allowed (1).")
    assert sum(b.is_live for b in uow.bookings.items) == 1
