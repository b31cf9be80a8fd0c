"""Signed deep links on Telegram, through the real python-telegram-bot stack.

A guest books on Telegram; the periodic tick sends the reminder through the
real ``Bot`` to the stand-in Bot API, its cancel / reschedule buttons being
``https://t.me/<bot>?start=<token>`` links; opening one (Telegram then sends
``/start <token>``) asks about that booking. Forged, expired and replayed
links do nothing and say so, in the guest's language.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from bots.delivery import Pacer
from config.bootstrap import App, bootstrap
from config.periodic import tick
from config.settings import Settings
from core import services
from core.action_links import Action, issue
from core.setup_file import parse_setup
from tests.e2e.example_app import EXAMPLE, NOW
from tests.e2e.telegram_server import BOT_USER, TelegramAPIServer
from tests.virtual_time import VirtualTime

KEY = "signed-links-test-key-" + "k" * 20
GUEST = 42
ANA = 1001


@pytest.fixture
def app(tmp_path: Path, telegram_api: TelegramAPIServer) -> App:
    settings = Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'links.db'}",
                        SLOTBOT_LINK_SECRET=KEY, TELEGRAM_BOT_TOKEN=telegram_api.token,
                        TELEGRAM_API_BASE_URL=telegram_api.base_url)
    built = bootstrap(settings, now=NOW)
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=built.uow_factory())
    return built


#: The guest's request in their language (replies follow the language written in).
REQUESTS = {"en": "intro call with Ana tomorrow at 10am",
            "de": "30 Minuten mit Ana morgen um 10 Uhr"}


def book(telegram_api: TelegramAPIServer, language: str = "en") -> None:
    telegram_api.push_text(GUEST, REQUESTS[language], language_code=language)
    [proposal] = telegram_api.wait_for_messages(GUEST, 1)
    telegram_api.press_button(GUEST, proposal, "yes", language_code=language)
    telegram_api.wait_for_messages(GUEST, 1)


def reminder_links(app: App, telegram_api: TelegramAPIServer) -> dict[str, str]:
    """Runs the tick when the 1 h reminder is due; the start tokens of its link buttons."""
    time = VirtualTime()
    telegram_api.open_chat(ANA)  # the host's notices
    report = tick(app, NOW + timedelta(hours=23, minutes=1), console=io.StringIO(),
                  pacer=Pacer(clock=time.clock, sleep=time.sleep))
    assert report.jobs.reminders_sent == 1
    [reminder] = [m for m in telegram_api.wait_for_messages(GUEST, 1)
                  if "Reminder" in m.plain_text or "Erinnerung" in m.plain_text]
    found = {}
    for row in reminder.reply_markup["inline_keyboard"]:
        for button in row:
            url = urlsplit(button["url"])
            assert (url.netloc, url.path) == ("t.me", "/" + BOT_USER["username"])
            [token] = parse_qs(url.query)["start"]
            assert len(token) <= 64 and "callback_data" not in button
            found[button["text"]] = token
    return found


def test_a_reminders_cancel_link_opens_the_cancel_question_once(app, telegram_api, telegram_bot):
    telegram_bot(app.conversation.handle)
    book(telegram_api)
    links = reminder_links(app, telegram_api)
    assert set(links) == {"Cancel it", "Reschedule"}
    telegram_api.push_text(GUEST, f"/start {links['Cancel it']}")
    [question] = telegram_api.wait_for_messages(GUEST, 1)
    assert question.plain_text.startswith("Cancel #1")
    telegram_api.press_button(GUEST, question, "no")
    telegram_api.wait_for_messages(GUEST, 1)
    telegram_api.push_text(GUEST, f"/start {links['Cancel it']}")  # replayed
    [used] = telegram_api.wait_for_messages(GUEST, 1)
    assert used.plain_text == "This link was already used. Nothing was changed."
    telegram_api.push_text(GUEST, f"/start {links['Reschedule']}")
    [ask] = telegram_api.wait_for_messages(GUEST, 1)
    assert ask.plain_text.startswith("When would you like to move #1")
    [booking] = services.list_bookings(uow=app.uow_factory())
    assert booking.booking.is_live


def test_forged_and_expired_links_say_so_in_the_guests_language(app, telegram_api,
                                                                telegram_bot):
    telegram_bot(app.conversation.handle)
    book(telegram_api, "de")
    [view] = services.list_bookings(uow=app.uow_factory())
    token = issue(Action.CANCEL, view.booking.id or 0, view.booking.start, keys=["x" * 40])
    telegram_api.push_text(GUEST, f"/start {token}", language_code="de")
    [forged] = telegram_api.wait_for_messages(GUEST, 1)
    assert forged.plain_text == "Dieser Link ist ungültig. Es wurde nichts geändert."
    expired = issue(Action.CANCEL, view.booking.id or 0, NOW, keys=[KEY])
    telegram_api.push_text(GUEST, f"/start {expired}", language_code="de")
    [late] = telegram_api.wait_for_messages(GUEST, 1)
    assert late.plain_text == "Dieser Link ist abgelaufen. Es wurde nichts geändert."
    assert view.booking.is_live


def test_start_names_an_unknown_host_and_known_ones_still_work(app, telegram_api, telegram_bot):
    telegram_bot(app.conversation.handle)
    telegram_api.push_text(7, "/start bob")
    [unknown] = telegram_api.wait_for_messages(7, 1)
    assert unknown.plain_text.startswith("I don't know a host called “bob”.")
    telegram_api.push_text(7, "/start ana")
    [greeting] = telegram_api.wait_for_messages(7, 1)
    assert "I book time with Ana Lima" in greeting.plain_text
    telegram_api.push_text(8, "/start ana-intro")
    [times] = telegram_api.wait_for_messages(8, 1)
    assert "Free times with Ana Lima" in times.plain_text
