"""Recurring meetings by chat: propose the dates, book all on "yes", cancel one or the rest.

In-memory unit of work and the fixed clock of conftest (Mon 30 Nov 2026, 09:00 in Berlin).
Ana (Europe/Berlin) works Mon–Fri 09:00–12:00 and 13:00–17:00.
"""

from datetime import UTC, datetime

import pytest

from bots.conversation import Conversation
from bots.messages import IncomingMessage, Reply
from core import services


class Chat:
    """Sends messages as one guest (with a language and zone) and keeps the replies."""

    def __init__(self, conversation: Conversation, user: str = "carla", *,
                 locale: str | None = None, timezone: str | None = "Europe/Berlin") -> None:
        self.conversation, self.user = conversation, user
        self.locale, self.timezone = locale, timezone
        self.last: list[Reply] = []

    def send(self, text: str = "", payload: str | None = None) -> str:
        self.last = self.conversation.handle(IncomingMessage(
            "console", self.user, self.user, text=text, display_name=self.user.title(),
            payload=payload, timezone=self.timezone, locale=self.locale))
        return "\n".join(r.text for r in self.last)

    @property
    def choices(self) -> list[str]:
        return [c.label for r in self.last for c in r.choices]

    def press(self, label: str) -> str:
        [payload] = [c.payload for r in self.last for c in r.choices if c.label == label]
        return self.send(payload=payload)


@pytest.fixture
def bot(uow, clock):
    return Conversation(lambda: uow, clock)


def live(uow):
    return sorted((b for b in uow.bookings.items if b.is_live), key=lambda b: b.start)


def berlin_10am(day: int) -> datetime:
    return datetime(2026, 12, day, 9, 0, tzinfo=UTC)


def test_books_a_weekly_series_only_after_confirmation(bot, uow):
    chat = Chat(bot)
    text = chat.send("intro call with Ana every Tuesday at 10am")
    assert "Intro call with Ana Lima, 4 times:" in text
    for day in ("Tue 1 Dec", "Tue 8 Dec", "Tue 15 Dec", "Tue 22 Dec"):
        assert f"• {day}, 10:00–10:30 (Europe/Berlin)" in text
    assert "You didn't say how long, so I planned 4" in text
    assert text.endswith("Book all 4?")
    assert chat.choices == ["Yes, book all", "No"]
    assert live(uow) == []

    done = chat.press("Yes, book all")
    assert done.startswith("Booked 4 meetings: Intro call with Ana Lima, Tue 1 Dec 10:00 to "
                           "Tue 22 Dec 10:00")
    booked = live(uow)
    assert [b.start for b in booked] == [berlin_10am(d) for d in (1, 8, 15, 22)]
    assert len({b.series_id for b in booked}) == 1 and booked[0].series_id is not None


def test_a_said_end_sets_the_count_and_no_default_note(bot, uow):
    chat = Chat(bot)
    text = chat.send("intro call with Ana every Tuesday at 10am for 2 weeks")
    assert "2 times:" in text and "planned" not in text
    chat.send("yes")
    assert [b.start for b in live(uow)] == [berlin_10am(1), berlin_10am(8)]


def test_books_a_series_in_german(bot, uow):
    chat = Chat(bot, locale="de-DE")
    text = chat.send("Intro mit Ana jeden Dienstag um 10 Uhr, 3 mal")
    assert "Intro call mit Ana Lima, 3 Termine:" in text
    assert "• Di. 1 Dez., 10:00–10:30 (Europe/Berlin)" in text
    assert "Du hast kein Ende genannt" not in text
    assert text.endswith("Alle 3 buchen?")
    assert chat.choices == ["Ja, alle buchen", "Nein"]
    assert chat.send("ja").startswith("Gebucht: 3 Termine Intro call mit Ana Lima")
    assert [b.start for b in live(uow)] == [berlin_10am(d) for d in (1, 8, 15)]


def test_lists_the_dates_in_both_zones_when_they_differ(bot):
    chat = Chat(bot, "erin", timezone="America/New_York")
    text = chat.send("intro call with Ana every Wednesday at 9am for 2 weeks")
    assert ("• Wed 2 Dec, 09:00–09:30 (America/New_York) = Wed 2 Dec, 15:00–15:30 "
            "(Europe/Berlin)") in text


def test_a_clash_books_nothing_and_names_the_dates(bot, uow, clock):
    other = services.ensure_guest("console", "dan", uow=uow, name="Dan")
    services.book("ana", "intro", berlin_10am(8), guest_id=other.id or 0, uow=uow, clock=clock)
    chat = Chat(bot)
    chat.send("intro call with Ana every Tuesday at 10am")
    text = chat.send("yes")
    assert text.startswith("Nothing booked: 1 of the 4 dates aren't free:")
    assert "• Tue 8 Dec 10:00 (nearest free: Tue 8 Dec " in text
    assert "Tell me another time for the whole series" in text
    assert [b.start for b in live(uow)] == [berlin_10am(8)]  # only Dan's

    again = chat.send("11am")  # the same series at another time
    assert "Intro call with Ana Lima, 4 times:" in again and "Tue 8 Dec, 11:00–11:30" in again
    chat.send("yes")
    assert len(live(uow)) == 5


def test_saying_no_to_a_series_books_nothing(bot, uow):
    chat = Chat(bot)
    chat.send("intro call with Ana every Tuesday at 10am")
    assert "nothing booked" in chat.send("no")
    assert live(uow) == []


def test_a_series_too_long_to_book_is_refused_with_the_limit(bot, uow):
    chat = Chat(bot)
    text = chat.send("intro call with Ana every day at 10 until Dec 2027")
    assert "it must end and have at most 100 meetings" in text
    assert chat.choices == [] and live(uow) == []


def book_series(bot, chat: Chat) -> None:
    chat.send("intro call with Ana every Tuesday at 10am")
    chat.send("yes")


def test_cancelling_an_occurrence_asks_which_and_cancels_only_that_one(bot, uow):
    chat = Chat(bot)
    book_series(bot, chat)
    text = chat.send("cancel my booking on Dec 8")
    assert "is part of a series" in text and "Tue 8 Dec, 10:00–10:30" in text
    assert chat.choices == ["Only this one", "This and all following", "No, keep it"]
    assert len(live(uow)) == 4

    done = chat.press("Only this one")
    assert done.startswith("Cancelled 1: Tue 8 Dec 10:00.")
    assert [b.start for b in live(uow)] == [berlin_10am(d) for d in (1, 15, 22)]


def test_cancelling_this_and_following_keeps_the_earlier_occurrences(bot, uow):
    chat = Chat(bot)
    book_series(bot, chat)
    chat.send("cancel my booking on Dec 8")
    done = chat.send("2")  # a typed number presses the second button
    assert done.startswith("Cancelled 3: Tue 8 Dec 10:00, Tue 15 Dec 10:00, Tue 22 Dec 10:00.")
    assert [b.start for b in live(uow)] == [berlin_10am(1)]


def test_keeping_the_series_cancels_nothing(bot, uow):
    chat = Chat(bot)
    book_series(bot, chat)
    chat.send("cancel my booking on Dec 8")
    assert "left it as it is" in chat.press("No, keep it")
    assert len(live(uow)) == 4


def test_a_single_booking_is_still_cancelled_with_a_plain_yes(bot, uow):
    chat = Chat(bot)
    chat.send("intro call with Ana tomorrow at 10am")
    chat.send("yes")
    text = chat.send("cancel my booking")
    assert "part of a series" not in text and chat.choices == ["Yes, cancel it", "No, keep it"]
    chat.send("yes")
    assert live(uow) == []
