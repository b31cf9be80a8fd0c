"""The Slack adapter through the real slack-bolt stack, over HTTP, against a local Slack.

Requests are signed like Slack signs them; replies are read back from the fake
Web API (``slack_server``). A scripted stand-in plays the conversation.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient

from bots.messages import Choice, IncomingMessage, KeepAnswer, Reply
from bots.slack import UserDirectory, build_app, escape, fallback_text, render, to_plain
from tests.e2e.slack_fixtures import BOT_TOKEN, SlackHarness, sign
from tests.e2e.slack_server import FakeUser, SlackApiServer

GUEST = "U0GUEST"
GUEST_DM = SlackHarness.dm_channel(GUEST)
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."

Answer = Callable[[IncomingMessage], list[Reply]]


def greet(message: IncomingMessage) -> list[Reply]:
    return [Reply(f"Hello {message.display_name}!", (Choice("Friday 15:00", "slot:42"),))]


class ScriptedConversation:
    """Stands in for the conversation: records every message, answers with ``answer``."""

    def __init__(self, answer: Answer = greet) -> None:
        self.answer = answer
        self._messages: list[IncomingMessage] = []
        self._lock = threading.Lock()

    def __call__(self, message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        with self._lock:
            self._messages.append(message)
        return self.answer(message)

    @property
    def messages(self) -> list[IncomingMessage]:
        with self._lock:
            return list(self._messages)


@pytest.fixture
def conversation() -> ScriptedConversation:
    return ScriptedConversation()


@pytest.fixture
def slack(conversation: ScriptedConversation) -> Iterator[SlackHarness]:
    with SlackHarness(conversation) as harness:
        yield harness


def _texts(post_blocks: list[dict]) -> list[str]:
    return [block["text"]["text"] for block in post_blocks if block["type"] == "section"]


# -- guest DMs -------------------------------------------------------------------------


def test_dm_reaches_handle_with_profile_from_users_info(
    slack: SlackHarness, conversation: ScriptedConversation
) -> None:
    answer = slack.send_dm(GUEST, "book intro friday 3pm")

    assert answer.status == 200
    slack.api.wait_for_posts(GUEST_DM, 1)
    assert conversation.messages == [
        IncomingMessage(
            platform="slack",
            chat_id=GUEST_DM,
            user_id=GUEST,
            text="book intro friday 3pm",
            display_name="Gina Guest",
            locale="en-US",
            timezone="America/New_York",
        )
    ]


def test_reply_is_posted_to_the_dm_as_blocks_with_escaped_mrkdwn(
    conversation: ScriptedConversation,
) -> None:
    users = [FakeUser("U0TRICKY", "<b>&", tz="Asia/Tokyo")]
    with SlackHarness(conversation, users=users) as slack:
        slack.send_dm("U0TRICKY", "hi")
        [post] = slack.api.wait_for_posts(slack.dm_channel("U0TRICKY"), 1)

    assert conversation.messages[0].display_name == "<b>&"
    assert post.token == BOT_TOKEN
    assert post.args["text"] == "Hello &lt;b&gt;&amp;!"
    assert post.args["blocks"] == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Hello &lt;b&gt;&amp;!"}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "choice_0",
                    "text": {"type": "plain_text", "text": "Friday 15:00"},
                    "value": "slot:42",
                }
            ],
        },
    ]


def test_every_reply_is_posted_in_order(conversation: ScriptedConversation) -> None:
    conversation.answer = lambda message: [Reply("first"), Reply("second")]
    with SlackHarness(conversation) as slack:
        slack.send_dm(GUEST, "hi")
        posts = slack.api.wait_for_posts(GUEST_DM, 2)

    assert [post.args["text"] for post in posts] == ["first", "second"]


def test_slack_markup_in_a_dm_arrives_as_plain_text(
    slack: SlackHarness, conversation: ScriptedConversation
) -> None:
    slack.send_dm(GUEST, "mail <mailto:gina@example.com|gina@example.com> &amp; 1 &lt; 2")
    slack.api.wait_for_posts(GUEST_DM, 1)

    assert conversation.messages[0].text == "mail gina@example.com & 1 < 2"


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"subtype": "message_changed"}, id="edit"),
        pytest.param({"bot_id": "B0OTHER"}, id="another-bot"),
        pytest.param({"user": "UBOT"}, id="own-message"),
        pytest.param({"channel_type": "channel", "channel": "C0GENERAL"}, id="not-a-dm"),
    ],
)
def test_ignores_edits_bots_own_and_non_dm_messages(
    slack: SlackHarness, conversation: ScriptedConversation, extra: dict[str, str]
) -> None:
    ignored = {**slack.dm_event(GUEST, "ignore me"), **extra}
    assert slack.post_json(slack.event_callback(ignored)).status == 200
    slack.send_dm(GUEST, "real one")
    slack.api.wait_for_posts(GUEST_DM, 1)

    assert [message.text for message in conversation.messages] == ["real one"]
    assert len(slack.api.calls("chat.postMessage")) == 1


def test_users_info_is_asked_once_per_user(
    slack: SlackHarness, conversation: ScriptedConversation
) -> None:
    slack.send_dm(GUEST, "one")
    slack.api.wait_for_posts(GUEST_DM, 1)
    slack.send_dm(GUEST, "two")
    slack.api.wait_for_posts(GUEST_DM, 2)

    lookups = slack.api.calls("users.info")
    assert [call.args["user"] for call in lookups] == [GUEST]
    assert lookups[0].args["include_locale"] in ("1", "true", True)
    assert [m.timezone for m in conversation.messages] == ["America/New_York"] * 2


def test_unknown_user_still_gets_an_answer_without_profile(
    slack: SlackHarness, conversation: ScriptedConversation
) -> None:
    slack.send_dm("U0NOBODY", "hello")
    slack.api.wait_for_posts(slack.dm_channel("U0NOBODY"), 1)

    message = conversation.messages[0]
    assert (message.display_name, message.timezone, message.locale) == (None, None, None)


def test_rate_limited_post_is_retried_after_retry_after(slack: SlackHarness) -> None:
    slack.api.rate_limit("chat.postMessage")

    slack.send_dm(GUEST, "hi")
    first, retry = slack.api.wait_for_posts(GUEST_DM, 2)

    assert first.args == retry.args


def test_handle_error_becomes_a_short_apology_and_is_logged(
    conversation: ScriptedConversation, caplog: pytest.LogCaptureFixture
) -> None:
    def fail(message: IncomingMessage) -> list[Reply]:
        raise RuntimeError("database is down")

    conversation.answer = fail
    with caplog.at_level(logging.ERROR, logger="bots.slack"), SlackHarness(conversation) as slack:
        slack.send_dm(GUEST, "hi")
        [post] = slack.api.wait_for_posts(GUEST_DM, 1)

    assert post.args["text"] == APOLOGY
    [record] = [r for r in caplog.records if r.name.startswith("bots.slack")]
    assert GUEST in record.getMessage()
    assert record.exc_info is not None and "database is down" in str(record.exc_info[1])


# -- buttons -----------------------------------------------------------------------------


def test_button_press_reaches_handle_as_payload_and_reply_goes_to_the_dm(
    slack: SlackHarness, conversation: ScriptedConversation
) -> None:
    answer = slack.press(GUEST, "slot:42", action_id="choice_3")

    assert answer.status == 200
    [post] = slack.api.wait_for_posts(GUEST_DM, 1)
    assert conversation.messages == [
        IncomingMessage(
            platform="slack",
            chat_id=GUEST_DM,
            user_id=GUEST,
            text="",
            payload="slot:42",
            display_name="Gina Guest",
            locale="en-US",
            timezone="America/New_York",
        )
    ]
    assert post.args["text"] == "Hello Gina Guest!"


def test_button_on_an_ephemeral_answer_is_answered_ephemerally(
    slack: SlackHarness, conversation: ScriptedConversation
) -> None:
    answer = slack.press("U0ANA", "cancel:7", ephemeral_in="C0GENERAL")

    assert answer.status == 200
    [response] = slack.api.wait_for_calls(lambda call: call.method == "response_url", 1)
    assert response.args["response_type"] == "ephemeral"
    assert response.args["replace_original"] is False
    assert response.args["text"] == "Hello Ana Lima!"
    assert slack.api.calls("chat.postMessage") == []
    message = conversation.messages[0]
    assert (message.chat_id, message.payload) == ("C0GENERAL", "cancel:7")


# -- /slotbot ----------------------------------------------------------------------------


def test_slash_command_is_acked_before_the_work_and_answered_ephemerally(
    conversation: ScriptedConversation,
) -> None:
    release = threading.Event()
    today = Reply("Today: 2 bookings", (Choice("Cancel #7", "cancel:7"),))

    def slow_answer(message: IncomingMessage) -> list[Reply]:
        assert release.wait(timeout=5)
        return [today]

    conversation.answer = slow_answer
    with SlackHarness(conversation) as slack:
        answer, target = slack.slash("U0ANA", "today")
        assert (answer.status, answer.body) == (200, b"")
        assert slack.api.calls("response_url") == []
        release.set()
        [response] = slack.api.wait_for_responses(target, 1)

    assert response.args["response_type"] == "ephemeral"
    assert response.args["text"] == "Today: 2 bookings"
    assert response.args["blocks"] == render(today)
    message = conversation.messages[0]
    assert (message.text, message.chat_id, message.user_id) == (
        "/slotbot today",
        "C0GENERAL",
        "U0ANA",
    )
    assert message.timezone == "Europe/Berlin"


def test_slash_command_without_text_arrives_as_the_bare_command(
    slack: SlackHarness, conversation: ScriptedConversation
) -> None:
    _, target = slack.slash("U0ANA", "")
    slack.api.wait_for_responses(target, 1)

    assert conversation.messages[0].text == "/slotbot"


# -- request verification ----------------------------------------------------------------


def _dm_body(slack: SlackHarness) -> bytes:
    return json.dumps(slack.event_callback(slack.dm_event(GUEST, "forged"))).encode()


def _assert_nothing_ran(slack: SlackHarness, conversation: ScriptedConversation) -> None:
    """A signed DM sent afterwards is the only thing handled and answered."""
    slack.send_dm(GUEST, "genuine")
    slack.api.wait_for_posts(GUEST_DM, 1)
    assert [message.text for message in conversation.messages] == ["genuine"]
    assert len(slack.api.calls("chat.postMessage")) == 1


def test_unsigned_request_gets_401_and_is_not_acted_upon(
    slack: SlackHarness, conversation: ScriptedConversation
) -> None:
    answer = slack.post(_dm_body(slack), content_type="application/json", headers={})

    assert answer.status == 401
    _assert_nothing_ran(slack, conversation)


@pytest.mark.parametrize(
    "age",
    [
        pytest.param(timedelta(minutes=6), id="6-min-old"),
        pytest.param(-timedelta(minutes=6), id="6-min-ahead"),
    ],
)
def test_request_signed_too_far_from_now_gets_401(
    slack: SlackHarness, conversation: ScriptedConversation, age: timedelta
) -> None:
    timestamp = int((slack.now - age).timestamp())

    answer = slack.post(_dm_body(slack), content_type="application/json", timestamp=timestamp)

    assert answer.status == 401
    _assert_nothing_ran(slack, conversation)


def test_request_signed_four_minutes_ago_is_accepted(
    slack: SlackHarness, conversation: ScriptedConversation
) -> None:
    timestamp = int((slack.now - timedelta(minutes=4)).timestamp())

    answer = slack.post(_dm_body(slack), content_type="application/json", timestamp=timestamp)

    assert answer.status == 200
    slack.api.wait_for_posts(GUEST_DM, 1)
    assert [message.text for message in conversation.messages] == ["forged"]


def test_wrong_signature_gets_401(slack: SlackHarness, conversation: ScriptedConversation) -> None:
    body = _dm_body(slack)
    headers = sign(body, timestamp=int(slack.now.timestamp()), secret="not-our-secret")

    answer = slack.post(body, content_type="application/json", headers=headers)

    assert answer.status == 401
    _assert_nothing_ran(slack, conversation)


def test_unsigned_slash_command_gets_401_and_no_response(
    slack: SlackHarness, conversation: ScriptedConversation
) -> None:
    body = urlencode({"command": "/slotbot", "text": "today", "user_id": "U0ANA"}).encode()

    answer = slack.post(body, content_type="application/x-www-form-urlencoded", headers={})

    assert answer.status == 401
    _assert_nothing_ran(slack, conversation)
    assert slack.api.calls("response_url") == []


def test_url_verification_challenge_is_answered(slack: SlackHarness) -> None:
    challenge = {
        "token": "t",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3g",
        "type": "url_verification",
    }

    answer = slack.post_json(challenge)

    assert answer.status == 200
    assert answer.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3g"}


def test_unsigned_url_verification_gets_401(slack: SlackHarness) -> None:
    challenge = {"token": "t", "challenge": "abc", "type": "url_verification"}

    assert slack.post_json(challenge, headers={}).status == 401


def test_empty_signing_secret_is_refused_at_build_time() -> None:
    with pytest.raises(ValueError, match="signing_secret"):
        build_app(
            token=BOT_TOKEN,
            signing_secret="",
            handle=ScriptedConversation(),
            base_url="http://127.0.0.1:9/api/",
        )


# -- user cache --------------------------------------------------------------------------


def test_user_cache_keeps_only_the_most_recently_used_users() -> None:
    users = [FakeUser(f"U{n}", f"User {n}") for n in (1, 2, 3)]
    with SlackApiServer(token=BOT_TOKEN, users=users) as api:
        directory = UserDirectory(WebClient(token=BOT_TOKEN, base_url=api.base_url), max_size=2)
        for user_id in ("U1", "U2", "U1", "U3", "U1", "U2"):
            directory.lookup(user_id)

        asked = [call.args["user"] for call in api.calls("users.info")]

    assert asked == ["U1", "U2", "U3", "U2"]


def test_user_cache_asks_again_only_once_the_ttl_is_over() -> None:
    now = [datetime(2026, 3, 2, 9, 0, tzinfo=UTC)]
    with SlackApiServer(token=BOT_TOKEN, users=[FakeUser("U1", "User 1")]) as api:
        directory = UserDirectory(WebClient(token=BOT_TOKEN, base_url=api.base_url),
                                  ttl=timedelta(minutes=10), clock=lambda: now[0])
        directory.lookup("U1")
        now[0] += timedelta(minutes=9, seconds=59)
        directory.lookup("U1")  # within the TTL: from the cache
        asked_within = len(api.calls("users.info"))
        now[0] += timedelta(seconds=1)
        user = directory.lookup("U1")  # 10 minutes after the answer: asked again

        asked = len(api.calls("users.info"))

    assert (asked_within, asked) == (1, 2)
    assert user.display_name == "User 1"


# -- rendering ---------------------------------------------------------------------------


def test_render_escapes_only_ampersand_and_angle_brackets() -> None:
    reply = Reply("Tom & Jerry <b>*bold*</b> café")

    assert render(reply) == [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "Tom &amp; Jerry &lt;b&gt;*bold*&lt;/b&gt; café"},
        }
    ]
    assert fallback_text(reply) == "Tom &amp; Jerry &lt;b&gt;*bold*&lt;/b&gt; café"


def test_render_puts_at_most_25_buttons_per_actions_block_with_unique_ids() -> None:
    reply = Reply("Pick one", tuple(Choice(f"{n}:00", f"slot:{n}") for n in range(30)))

    blocks = render(reply)

    assert [block["type"] for block in blocks] == ["section", "actions", "actions"]
    assert [len(block["elements"]) for block in blocks[1:]] == [25, 5]
    buttons = [button for block in blocks[1:] for button in block["elements"]]
    assert [b["action_id"] for b in buttons] == [f"choice_{n}" for n in range(30)]
    assert [b["value"] for b in buttons] == [f"slot:{n}" for n in range(30)]


def test_render_shortens_button_labels_to_75_characters() -> None:
    [_, actions] = render(Reply("?", (Choice("x" * 80, "p"),)))

    label = actions["elements"][0]["text"]["text"]
    assert len(label) == 75 and label.endswith("…")


def test_render_without_text_has_only_buttons() -> None:
    assert [b["type"] for b in render(Reply("", (Choice("Yes", "y"),)))] == ["actions"]


def test_render_splits_long_text_at_line_breaks() -> None:
    lines = ["a" * 2000, "b" * 2000]

    assert _texts(render(Reply("\n".join(lines)))) == lines


def test_render_never_splits_inside_an_entity() -> None:
    text = "x" * 2998 + "&&" + "y" * 10

    sections = _texts(render(Reply(text)))

    assert all(len(section) <= 3000 for section in sections)
    assert sections == ["x" * 2998, "&amp;&amp;" + "y" * 10]


@pytest.mark.parametrize(
    ("slack_text", "plain"),
    [
        ("a &lt;b&gt; &amp;amp;", "a <b> &amp;"),
        ("<mailto:ana@example.com|ana@example.com>", "ana@example.com"),
        ("see <https://example.com/x>", "see https://example.com/x"),
        ("<https://example.com|the site>", "the site"),
        ("ask <@U0ANA>", "ask @U0ANA"),
    ],
)
def test_to_plain_removes_slack_markup(slack_text: str, plain: str) -> None:
    assert to_plain(slack_text) == plain


def test_escape_round_trips_through_to_plain() -> None:
    text = "1 < 2 & 3 > 2 &amp; <@U1>"

    assert to_plain(escape(text)) == text
