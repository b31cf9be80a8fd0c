"""A photo, sticker, voice note or file gets a reply in words, and its inbox row is finished."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bots import texts
from bots.inbox import Inbox
from bots.messages import IncomingMessage, KeepAnswer, Reply
from bots.telegram import build_application
from storage.uow import SqlAlchemyUnitOfWork
from tests.e2e.conftest import FIXED_NOW
from tests.e2e.slack_fixtures import SlackHarness
from tests.e2e.telegram_server import Echo, TelegramAPIServer, running_bot

GUEST = 1001
MEDIA = [
    {"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]},
    {"sticker": {"file_id": "s1", "file_unique_id": "u2", "width": 512, "height": 512,
                 "is_animated": False, "is_video": False, "type": "regular"}},
    {"voice": {"file_id": "v1", "file_unique_id": "u3", "duration": 3}},
    {"document": {"file_id": "d1", "file_unique_id": "u4", "file_name": "plan.pdf"}},
]


@pytest.mark.parametrize("content", MEDIA, ids=["photo", "sticker", "voice", "document"])
def test_a_telegram_media_message_is_answered_in_words_and_its_row_done(
    telegram_api: TelegramAPIServer, telegram_inbox: Inbox, content: dict[str, object]
) -> None:
    echo = Echo()
    application = build_application(telegram_api.token, echo, base_url=telegram_api.base_url,
                                    inbox=telegram_inbox)
    with running_bot(application):
        telegram_api.push_media(GUEST, content, language_code="de")
        [reply] = telegram_api.wait_for_messages(GUEST, 1)

    assert reply.plain_text == texts.only_text("de")
    assert telegram_inbox.unfinished() == 0  # stopping drained it: the row is done
    assert echo.received == []  # the conversation never saw it


def test_a_service_message_in_a_group_gets_no_reply_but_its_row_is_done(
    telegram_api: TelegramAPIServer, telegram_inbox: Inbox
) -> None:
    application = build_application(telegram_api.token, Echo(), base_url=telegram_api.base_url,
                                    inbox=telegram_inbox)
    joined = {"new_chat_members": [{"id": 7, "is_bot": False, "first_name": "Bo"}]}
    with running_bot(application):
        update_id = telegram_api.push_media(GUEST, joined, chat_type="group")
        assert telegram_api.wait_until(lambda: update_id in telegram_api.confirmed())  # stored

    assert telegram_api.messages(-GUEST) == []
    assert telegram_inbox.unfinished() == 0  # stopping drained it: the row is done


def test_a_file_shared_in_a_slack_dm_is_answered_in_words_and_its_row_done(
    inbox_uow_factory: Callable[[], SqlAlchemyUnitOfWork]
) -> None:
    inbox = Inbox(inbox_uow_factory, lambda: FIXED_NOW, platform="slack")
    received: list[IncomingMessage] = []

    def handle(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        received.append(message)
        return [Reply("Got it")]

    with SlackHarness(handle, inbox=inbox) as slack:
        event = {**slack.dm_event("U0GUEST", ""), "subtype": "file_share",
                 "files": [{"id": "F1", "name": "plan.pdf"}]}
        assert slack.post_json(slack.event_callback(event)).status == 200
        [post] = slack.api.wait_for_posts(slack.dm_channel("U0GUEST"), 1)

    assert post.args["text"] == texts.only_text("en")
    assert received == []
    assert inbox.unfinished() == 0  # stopping drained it: the row is done
