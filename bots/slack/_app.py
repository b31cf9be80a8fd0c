"""The Bolt app: Slack events, button presses and ``/slotbot`` → ``IncomingMessage`` → replies.

Only translation happens here; the conversation (``handle``) decides everything.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bots.messages import IncomingMessage, Reply
from bots.slack import _strings
from bots.slack._render import ACTION_ID_PREFIX, fallback_text, render
from bots.slack._text import to_plain
from bots.slack._users import UserDirectory
from bots.slack._verification import ClockedRequestVerification
from core.ports import Clock

logger = logging.getLogger(__name__)

#: The conversation: one incoming message in, the replies to send out.
Handle = Callable[[IncomingMessage], list[Reply]]

PLATFORM = "slack"
COMMAND = "/slotbot"
#: How often a Web API call rate-limited with HTTP 429 is retried after Retry-After.
RATE_LIMIT_RETRIES = 2
_CHOICE_ACTION = re.compile(rf"^{ACTION_ID_PREFIX}\d+$")


def build_app(
    *,
    token: str,
    signing_secret: str,
    handle: Handle,
    base_url: str | None = None,
    clock: Clock | None = None,
    user_cache_size: int = 1024,
) -> App:
    """Build the Slack app: guest DMs, button presses and the ``/slotbot`` command.

    - A DM (``message.im`` event; no subtype, not from a bot) → ``handle``; the
      replies are posted to that DM with ``chat.postMessage``.
    - A button press (``block_actions``, ``action_id`` ``choice_N``) is acknowledged
      at once; ``handle`` gets ``payload`` = the button's value, ``text`` = "". The
      replies go to the channel, or, for a button on an ephemeral ``/slotbot``
      answer, to the ``response_url`` (ephemeral again).
    - ``/slotbot TEXT`` is acknowledged at once (empty 200, within Slack's 3 s);
      a lazy listener then calls ``handle`` with ``text`` = "/slotbot TEXT" and
      posts the replies to the command's ``response_url``, visible to that user only.
    - Opening the App Home tab (``app_home_opened``) → ``handle`` with ``text`` =
      "/slotbot" (a host's dashboard); the replies' blocks are published with
      ``views.publish``. A button pressed there is answered in the user's DM.
    - A reply's attachment (a stats chart) is uploaded with ``files_upload_v2``
      after its text: to the DM or channel of the message, or, for a ``/slotbot``
      answer, to the user's DM with the bot.

    Name, zone and locale come from ``users.info`` (cached per user). Calls
    answered with HTTP 429 are retried after the server's ``Retry-After``. Request
    signatures are always verified: a missing, wrong or stale (more than 5 minutes
    from ``clock``) signature gets HTTP 401 and nothing runs. If ``handle`` raises,
    the user gets a short apology and the error is logged.

    Constructing the app calls ``auth.test`` once to learn the bot's own ids.

    Args:
        token: the bot token (``xoxb-…``).
        signing_secret: the app's signing secret.
        handle: the conversation; called on Bolt's worker threads.
        base_url: the Web API base URL (``SLACK_API_URL``), e.g.
            ``http://127.0.0.1:8123/api/``; default Slack's.
        clock: the current instant (aware) for signature freshness; default the
            wall clock.
        user_cache_size: how many users' ``users.info`` answers to keep (default 1024).

    Returns:
        The Bolt app; serve it with ``serve`` or ``make_server``.

    Raises:
        ValueError: ``signing_secret`` is empty or ``user_cache_size`` is below 1.
        slack_bolt.error.BoltError: ``auth.test`` rejected the token.
    """
    client = WebClient(token=token, base_url=base_url or WebClient.BASE_URL)
    # Slack answers 429 with Retry-After when a channel gets more than ~1 message/s.
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    app = App(
        client=client,
        name="slotbot",
        # Not off: replaced by the same Bolt middleware with our clock, in the same place.
        request_verification_enabled=False,
        before_authorize=ClockedRequestVerification(signing_secret, clock),
    )
    adapter = _Adapter(handle, UserDirectory(client, max_size=user_cache_size))
    app.event("message")(adapter.on_message)
    app.action(_CHOICE_ACTION)(ack=_ack, lazy=[adapter.on_press])
    app.command(COMMAND)(ack=_ack, lazy=[adapter.on_command])
    app.event("app_home_opened")(adapter.on_home)
    return app


def _ack(ack: Ack) -> None:
    ack()


class _Adapter:
    """The listeners: translate, call ``handle``, send the rendered replies."""

    def __init__(self, handle: Handle, users: UserDirectory) -> None:
        self._handle = handle
        self._users = users

    def on_message(self, event: dict[str, Any], client: WebClient) -> None:
        if not _is_guest_dm(event):
            return
        message = self._incoming(
            chat_id=event["channel"], user_id=event["user"], text=to_plain(event.get("text", ""))
        )
        replies = self._replies(message, kind="message")
        self._post(client, message.chat_id, replies)
        self._attach(client, message.chat_id, replies)

    def on_home(self, event: dict[str, Any], client: WebClient) -> None:
        """The App Home tab: the ``/slotbot`` answer (a host's dashboard), via ``views.publish``."""
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        user = str(event["user"])
        message = self._incoming(chat_id=str(event.get("channel") or user), user_id=user,
                                 text=COMMAND)
        blocks = [block for reply in self._replies(message, kind="home tab")
                  for block in render(reply)]
        try:
            client.views_publish(user_id=user, view={"type": "home", "blocks": blocks})
        except (SlackApiError, SlackClientError, OSError) as error:
            logger.error(_strings.log_post_failed(f"home of {user}", str(error)))

    def on_press(self, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        if channel is None:  # a button in the App Home tab: answer in the user's DM
            try:
                opened = client.conversations_open(users=body["user"]["id"])
                channel = str(opened["channel"]["id"])
            except (SlackApiError, SlackClientError, OSError, KeyError) as error:
                logger.error(_strings.log_post_failed(body["user"]["id"], str(error)))
                return
        message = self._incoming(
            chat_id=channel, user_id=body["user"]["id"], payload=body["actions"][0]["value"]
        )
        replies = self._replies(message, kind="button press")
        if container.get("is_ephemeral"):
            # A button on a /slotbot answer: the reply stays visible to that user only.
            self._respond(respond, replies)
            self._attach(client, None, replies, user_id=message.user_id)
        else:
            self._post(client, channel, replies)
            self._attach(client, channel, replies)

    def on_command(self, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        text = f"{command['command']} {to_plain(command.get('text', ''))}".strip()
        message = self._incoming(
            chat_id=command["channel_id"], user_id=command["user_id"], text=text
        )
        replies = self._replies(message, kind="command")
        self._respond(respond, replies)
        self._attach(client, None, replies, user_id=message.user_id)

    def _incoming(
        self, *, chat_id: str, user_id: str, text: str = "", payload: str | None = None
    ) -> IncomingMessage:
        user = self._users.lookup(user_id)
        return IncomingMessage(
            platform=PLATFORM,
            chat_id=chat_id,
            user_id=user_id,
            text=text,
            payload=payload,
            display_name=user.display_name,
            locale=user.locale,
            timezone=user.timezone,
            private=chat_id.startswith("D"),  # Slack's direct-message channels
        )

    def _replies(self, message: IncomingMessage, *, kind: str) -> list[Reply]:
        try:
            return self._handle(message)
        except Exception:
            logger.exception(_strings.log_handle_failed(kind, message.user_id))
            return [Reply(text=_strings.apology())]

    @staticmethod
    def _respond(respond: Respond, replies: list[Reply]) -> None:
        for reply in replies:
            try:
                response = respond(
                    text=fallback_text(reply),
                    blocks=render(reply),
                    response_type="ephemeral",
                    replace_original=False,
                )
            except (SlackClientError, OSError) as error:
                logger.error(_strings.log_respond_failed(str(error)))
                return
            if response.status_code != 200:
                detail = f"HTTP {response.status_code}: {response.body}"
                logger.error(_strings.log_respond_failed(detail))
                return

    @staticmethod
    def _attach(client: WebClient, channel: str | None, replies: list[Reply], *,
                user_id: str | None = None) -> None:
        """Upload the replies' attachments (``files_upload_v2``) to ``channel``.

        Without a channel (an ephemeral ``/slotbot`` answer) they go to the user's
        DM with the bot (``conversations.open``), never to a shared channel.
        """
        files = [r.attachment for r in replies if r.attachment is not None]
        if not files:
            return
        try:
            if channel is None:
                channel = str(client.conversations_open(users=user_id)["channel"]["id"])
            for file in files:
                path = file.file()
                client.files_upload_v2(channel=channel, file=path, title=file.title,
                                       alt_txt=file.title, filename=os.path.basename(path))
        except (SlackApiError, SlackClientError, OSError, KeyError) as error:
            logger.error(_strings.log_upload_failed(str(channel or user_id), str(error)))

    @staticmethod
    def _post(client: WebClient, channel: str, replies: list[Reply]) -> None:
        for reply in replies:
            try:
                client.chat_postMessage(
                    channel=channel, text=fallback_text(reply), blocks=render(reply)
                )
            except (SlackApiError, SlackClientError, OSError) as error:
                logger.error(_strings.log_post_failed(channel, str(error)))
                return


def _is_guest_dm(event: dict[str, Any]) -> bool:
    """A person's new message in a DM with the bot: no edits, joins or bot posts."""
    return (
        event.get("channel_type") == "im"
        and "subtype" not in event
        and "bot_id" not in event
        and bool(event.get("user"))
        and bool(event.get("channel"))
    )
