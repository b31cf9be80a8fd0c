"""Guests' chat notices with signed links: the cancel / move buttons open them."""

from bots import notices
from bots.link_start import telegram_links
from bots.telegram import render

KEY = "k" * 40
PAYLOAD = {"booking_id": 7, "host_name": "Ana Lima", "host_timezone": "Europe/Berlin",
           "event_type": "Intro call", "guest_timezone": "Europe/Berlin",
           "start": "2026-12-01T09:00:00+00:00", "end": "2026-12-01T09:30:00+00:00",
           "status": "confirmed", "reader": "guest", "minutes_before": 60}
LINKS = {"cancel": "https://t.me/bot?start=C", "move": "https://t.me/bot?start=M"}


def test_a_reminders_buttons_become_link_buttons():
    reply = notices.render("reminder", {**PAYLOAD, "links": LINKS})
    assert [(c.label, c.url) for c in reply.choices] == [
        ("Cancel it", LINKS["cancel"]), ("Reschedule", LINKS["move"])]
    keyboard = render(reply)["reply_markup"].inline_keyboard
    assert [b.url for row in keyboard for b in row] == [LINKS["cancel"], LINKS["move"]]
    assert all(b.callback_data is None for row in keyboard for b in row)


def test_without_links_the_reminder_keeps_its_dialog_buttons():
    reply = notices.render("reminder", PAYLOAD)
    assert [c.payload for c in reply.choices] == ["cancel:7", "move:7"]
    assert all(c.url is None for c in reply.choices)


def test_a_host_moved_notice_keeps_accept_and_links_the_rest():
    payload = {**PAYLOAD, "actor": "host", "links": LINKS}
    reply = notices.render("booking_rescheduled", payload)
    assert reply.choices[0].payload == "ack:7"
    assert [c.url for c in reply.choices][1:] == [LINKS["cancel"], LINKS["move"]]


def test_hosts_notices_get_no_links():
    assert telegram_links("reminder", {**PAYLOAD, "reader": "host"}, keys=[KEY],
                          bot_username="bot") is None
    links = telegram_links("booking_created", PAYLOAD, keys=[KEY], bot_username="bot")
    assert links is not None and all(url.startswith("https://t.me/bot?start=")
                                     for url in links.values())
