"""The language of replies (the catalogs themselves: tests/unit/test_catalogs.py)."""

from datetime import UTC, datetime

import pytest

from bots.conversation import Conversation
from bots.messages import IncomingMessage
from bots.texts import Texts, language
from core.models import Slot


@pytest.mark.parametrize(
    ("tag", "lang"), [("de-DE", "de"), ("pt_BR", "pt"), ("ja", "en"), (None, "en"), ("FR", "fr")]
)
def test_platform_language_tags_map_to_catalogs(tag, lang):
    assert language(tag) == lang


def test_dates_are_formatted_for_the_language_and_zone():
    slot = Slot(datetime(2026, 12, 1, 9, tzinfo=UTC), datetime(2026, 12, 1, 9, 30, tzinfo=UTC), 1)
    assert Texts("en").slot_label(slot, "Europe/Berlin") == "Tue 1 Dec 10:00"
    assert Texts("de").slot_label(slot, "Europe/Berlin") == "Di. 1 Dez. 10:00"
    assert Texts("es").span(slot.start, slot.end, "America/New_York", "Europe/Berlin") == (
        "mar 1 dic, 04:00–04:30 (America/New_York) = mar 1 dic, 10:00–10:30 (Europe/Berlin)"
    )


def test_a_german_speaking_guest_gets_german_replies_and_buttons(uow, clock):
    bot = Conversation(lambda: uow, clock)

    def send(text="", payload=None):
        return bot.handle(
            IncomingMessage("telegram", "9", "9", text=text, payload=payload, locale="de-DE")
        )

    [greeting] = send("/start ana")  # the time-zone note and the greeting: one message
    note, greeting_text = greeting.text.split("\n\n", 1)
    assert note.startswith("(Zeiten in Europe/Berlin, der Zeitzone von Ana Lima.")
    assert greeting_text.startswith("Hallo! Ich buche Termine mit Ana Lima")
    [offer] = send("", payload="et:intro")
    assert offer.text == "Freie Zeiten bei Ana Lima (Zeiten in Europe/Berlin), ab Mo. 30 Nov.:"
    [proposal] = send("", payload=offer.choices[0].payload)
    assert [c.label for c in proposal.choices] == ["Ja, buchen", "Nein"]
    [done] = send("", payload="yes")
    assert done.text.startswith("Gebucht #")


@pytest.mark.parametrize(
    ("locale", "request_text", "yes", "booked"),
    [
        ("de", "30 Minuten mit Ana morgen um 10 Uhr", "ja", "Gebucht #"),
        ("es", "30 min con Ana mañana a las 10", "sí", "Reservado #"),
        ("fr", "30 min avec Ana demain à 10h", "oui", "Réservé #"),
        ("pt", "30 min com a Ana amanhã às 10h", "sim", "Marcado #"),
    ],
)
def test_guests_book_by_typing_in_their_language(uow, clock, locale, request_text, yes, booked):
    bot = Conversation(lambda: uow, clock)

    def send(text):
        return bot.handle(IncomingMessage("telegram", "5", "5", text=text, locale=locale))

    *_, proposal = send(request_text)
    assert "10:00–10:30 (Europe/Berlin)" in proposal.text
    [done] = send(yes)
    assert done.text.startswith(booked)
    assert [b.start for b in uow.bookings.items] == [datetime(2026, 12, 1, 9, tzinfo=UTC)]


def test_a_correction_moves_the_proposal(uow, clock):
    bot = Conversation(lambda: uow, clock)

    def send(text):
        return bot.handle(IncomingMessage("console", "c", "c", text=text))

    send("intro call with Ana tomorrow at 10am")
    [proposal] = send("no, 4pm")
    assert "Tue 1 Dec, 16:00–16:30" in proposal.text
    [later] = send("an hour later")
    # 17:00 is when Ana's day ends, so the nearest free times are offered instead.
    assert later.text.startswith("Tue 1 Dec 17:00 isn't available")
    assert [c.label for c in later.choices] == [
        "Tue 1 Dec 15:30",
        "Tue 1 Dec 16:00",
        "Tue 1 Dec 16:30",
    ]
