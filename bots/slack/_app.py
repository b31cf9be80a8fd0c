"""The Bolt app: Slack events, button presses and ``/slotbot`` → inbox → ``IncomingMessage``.

Only translation happens here; the conversation (``handle``) decides everything.
Every request is acknowledged at once, after it is stored; the work runs after.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bots import texts
from bots.inbox import AnswerKeeper, Inbox, InboxEntry, drawn, replies_from_json
from bots.lanes import Lanes
from bots.messages import Attachment, Handle, IncomingMessage, KeepAnswer, Reply
from bots.slack import _strings
from bots.slack._render import ACTION_ID_PREFIX, fallback_text, render
from bots.slack._storing import GroupStore
from bots.slack._text import to_plain
from bots.slack._users import UserDirectory
from bots.slack._verification import ClockedRequestVerification
from core.ports import Clock

logger = logging.getLogger(__name__)

PLATFORM = "slack"
COMMAND = "/slotbot"
#: How often a Web API call rate-limited with HTTP 429 is retried after Retry-After.
RATE_LIMIT_RETRIES = 2
_CHOICE_ACTION = re.compile(rf"^{ACTION_ID_PREFIX}\d+$")


@dataclass
class SlackBot:
    """The Bolt app and the machinery behind it; serve ``app``, ``start`` and ``stop`` the rest.

    Attributes:
        app: the Bolt app (``/slack/events``).
        inbox: the Slack inbox, or None when nothing is stored.
    """

    app: App
    inbox: Inbox | None
    _lanes: Lanes
    _adapter: _Adapter
    _stop: threading.Event | None = None
    _sweeper: threading.Thread | None = None

    def start(self) -> None:
        """Starts the inbox sweep (lease renewal, takeover of dead processes' rows)."""
        if self.inbox is None or self._sweeper is not None:
            return
        self._stop = threading.Event()
        self._sweeper = threading.Thread(target=self._sweep, args=(self.inbox, self._stop),
                                         name="slack-inbox", daemon=True)
        self._sweeper.start()

    def stop(self, drain_seconds: float) -> int:
        """Stops taking work; waits up to ``drain_seconds`` for the queued messages.

        Returns:
            How many queued messages were left for the next process (stored, not lost).
        """
        if self._stop is not None:
            self._stop.set()
        left = self._lanes.close(drain_seconds)
        self._adapter.close()  # after the lanes: their answers and done marks go through it
        if left:
            logger.warning(_strings.log_left_in_inbox(left))
        return left

    def pending(self) -> int:
        """Messages queued or being handled in this process."""
        return self._lanes.pending()

    def _sweep(self, inbox: Inbox, stop: threading.Event) -> None:
        period = inbox.settings.lease.total_seconds() / 3
        while not stop.is_set():
            try:
                for entry in inbox.sweep():
                    self._adapter.queue(entry)
            except Exception:
                logger.exception(_strings.log_sweep_failed())
            stop.wait(period)


def build_app(
    *,
    token: str,
    signing_secret: str,
    handle: Handle,
    base_url: str | None = None,
    clock: Clock | None = None,
    user_cache_size: int = 1024,
    inbox: Inbox | None = None,
    workers: int = 8,
) -> SlackBot:
    """Build the Slack bot: guest DMs, button presses and the ``/slotbot`` command.

    Every request is verified, stored in the ``inbox`` (a Slack retry of a stored
    ``event_id`` — ``X-Slack-Retry-Num`` — or a repeated ``trigger_id`` is dropped;
    the requests arriving together are stored in one transaction) and acknowledged
    with an empty 200 at once, in the request's own thread; the
    work then runs on ``workers`` threads, each user's messages in order (one
    user's flood holds one worker at most), so acks never wait behind guests.

    - A DM (``message.im`` event; no subtype, not from a bot) → ``handle``; the
      replies are posted to that DM with ``chat.postMessage``. A file shared in
      the DM (subtype ``file_share``) is answered ``texts.only_text()`` instead.
    - A button press (``block_actions``, ``action_id`` ``choice_N``): ``handle``
      gets ``payload`` = the button's value, ``text`` = "". The replies go to the
      channel, or, for a button on an ephemeral ``/slotbot`` answer, to the
      ``response_url`` (ephemeral again).
    - ``/slotbot TEXT``: ``handle`` gets ``text`` = "/slotbot TEXT"; the replies go
      to the command's ``response_url``, visible to that user only.
    - Opening the App Home tab (``app_home_opened``) → ``handle`` with ``text`` =
      "/slotbot" (a host's dashboard); the replies' blocks are published with
      ``views.publish``. A button pressed there is answered in the user's DM.
    - A reply's attachment (a stats chart) is uploaded with ``files_upload_v2``
      after its text: to the DM or channel of the message, or, for a ``/slotbot``
      answer, to the user's DM with the bot.

    Name, zone and locale come from ``users.info``, cached per user for
    ``bots.slack._users.USER_TTL`` (10 minutes; by ``clock``). Calls
    answered with HTTP 429 are retried after the server's ``Retry-After``. Request
    signatures are always verified: a missing, wrong or stale (more than 5 minutes
    from ``clock``) signature gets HTTP 401 and nothing runs. If ``handle`` raises,
    the user gets a short apology and the error is logged. If storing fails, the
    request gets HTTP 500 (Slack retries events).

    Constructing the app calls ``auth.test`` once to learn the bot's own ids.

    Args:
        token: the bot token (``xoxb-…``).
        signing_secret: the app's signing secret.
        handle: the conversation; called on the worker threads.
        base_url: the Web API base URL (``SLACK_API_URL``), e.g.
            ``http://127.0.0.1:8123/api/``; default Slack's.
        clock: the current instant (aware) for signature freshness and the user
            cache's expiry; default the wall clock.
        user_cache_size: how many users' ``users.info`` answers to keep (default 1024).
        inbox: the Slack inbox; None stores nothing (no duplicate detection).
        workers: messages handled at the same time.

    Returns:
        The bot; serve ``bot.app`` with ``serve`` or ``SlackServer``.

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
        # Listeners only store and queue; the response waits for the store.
        process_before_response=True,
    )
    lanes = Lanes(workers, name="slack-handle")
    users = UserDirectory(client, max_size=user_cache_size, clock=clock)
    adapter = _Adapter(handle, users, client, inbox, lanes)
    app.event("message")(adapter.on_message)
    app.action(_CHOICE_ACTION)(adapter.on_press)
    app.command(COMMAND)(adapter.on_command)
    app.event("app_home_opened")(adapter.on_home)
    return SlackBot(app, inbox, lanes, adapter)


class _Adapter:
    """The listeners (store + queue) and the work (translate, ``handle``, send)."""

    def __init__(self, handle: Handle, users: UserDirectory, client: WebClient,
                 inbox: Inbox | None, lanes: Lanes) -> None:
        self._handle = handle
        self._users = users
        self._client = client
        self._inbox = inbox
        self._store = GroupStore(inbox) if inbox is not None else None
        self._lanes = lanes

    # -- in the request's thread: store, queue, ack ----------------------------------

    def on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if not _is_guest_dm(event):
            return
        self._accept(body.get("event_id") or f"ts:{event.get('ts')}", {
            "kind": "file" if event.get("subtype") == "file_share" else "message",
            "channel": event["channel"], "user": event["user"],
            "text": to_plain(event.get("text", "")),
        })

    def on_press(self, ack: Ack, body: dict[str, Any]) -> None:
        container = body.get("container") or {}
        self._accept(f"action:{body.get('trigger_id') or body['actions'][0].get('action_ts')}", {
            "kind": "press",
            # None: a button in the App Home tab, answered in the user's DM
            "channel": (body.get("channel") or {}).get("id") or container.get("channel_id"),
            "user": body["user"]["id"], "payload": body["actions"][0]["value"],
            "ephemeral": bool(container.get("is_ephemeral")),
            "response_url": body.get("response_url"),
        })
        ack()

    def on_command(self, ack: Ack, command: dict[str, Any]) -> None:
        self._accept(f"command:{command.get('trigger_id')}", {
            "kind": "command", "channel": command["channel_id"], "user": command["user_id"],
            "text": f"{command['command']} {to_plain(command.get('text', ''))}".strip(),
            "response_url": command.get("response_url"),
        })
        ack()

    def on_home(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """The App Home tab: the ``/slotbot`` answer (a host's dashboard), via ``views.publish``."""
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        user = str(event["user"])
        self._accept(body.get("event_id") or f"home:{user}:{event.get('event_ts')}", {
            "kind": "home", "channel": str(event.get("channel") or user), "user": user,
            "text": COMMAND,
        })

    def _accept(self, delivery_id: str, payload: dict[str, Any]) -> None:
        if self._store is None:
            self.queue(InboxEntry(0, PLATFORM, delivery_id, payload))
            return
        entry = self._store.accept(delivery_id, payload)
        if entry is None:
            logger.info(_strings.log_duplicate(delivery_id))
            return
        self.queue(entry)

    def close(self) -> None:
        """No more requests come and the lanes are drained: stop the inbox's writer."""
        if self._store is not None:
            self._store.close()

    def queue(self, entry: InboxEntry) -> None:
        """Queue ``entry`` on its user's lane."""
        self._lanes.submit(entry.payload["user"], lambda: self._work(entry))

    # -- on the worker threads ------------------------------------------------------

    def _work(self, entry: InboxEntry) -> None:
        payload = entry.payload
        if payload.get("channel") is None:
            channel = self._open_dm(payload["user"])
            if channel is None:
                return  # left in the inbox: the sweep tries again
            payload = {**payload, "channel": channel}
        if entry.replies is not None:  # answered before a restart: only send
            replies = replies_from_json(entry.replies)
        elif payload["kind"] == "file":  # only text is read
            replies = [Reply(texts.only_text(self._users.lookup(payload["user"]).locale))]
        else:
            keeper = AnswerKeeper(entry) if self._store is not None else None
            replies = self._replies(self._incoming(payload), kind=payload["kind"], keep=keeper)
            if self._store is not None and keeper is not None and keeper.missed(replies):
                replies = drawn(replies)  # the stored answer keeps the chart
                self._store.answered(entry, replies)
        if payload["kind"] == "home":
            self._publish_home(payload["user"], replies)
        elif payload["kind"] == "command" or payload.get("ephemeral"):
            self._respond(Respond(response_url=payload.get("response_url")), replies)
            self._attach(None, replies, user_id=payload["user"])
        else:
            self._post(entry, payload["channel"], replies)
        if self._store is not None:
            self._store.done(entry)

    def _incoming(self, payload: dict[str, Any]) -> IncomingMessage:
        user = self._users.lookup(payload["user"])
        return IncomingMessage(
            platform=PLATFORM,
            chat_id=payload["channel"],
            user_id=payload["user"],
            text=payload.get("text", ""),
            payload=payload.get("payload"),
            display_name=user.display_name,
            locale=user.locale,
            timezone=user.timezone,
            private=payload["channel"].startswith("D"),  # Slack's direct-message channels
        )

    def _replies(self, message: IncomingMessage, *, kind: str,
                 keep: KeepAnswer | None) -> list[Reply]:
        try:
            return self._handle(message, keep)
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

    def _open_dm(self, user_id: str) -> str | None:
        """The user's DM channel with the bot (``conversations.open``), or None."""
        try:
            return str(self._client.conversations_open(users=user_id)["channel"]["id"])
        except (SlackApiError, SlackClientError, OSError, KeyError) as error:
            logger.error(_strings.log_post_failed(user_id, str(error)))
            return None

    def _publish_home(self, user_id: str, replies: list[Reply]) -> None:
        blocks = [block for reply in replies for block in render(reply)]
        try:
            self._client.views_publish(user_id=user_id, view={"type": "home", "blocks": blocks})
        except (SlackApiError, SlackClientError, OSError) as error:
            logger.error(_strings.log_post_failed(f"home of {user_id}", str(error)))

    def _attach(self, channel: str | None, replies: list[Reply], *,
                user_id: str | None = None) -> None:
        """Upload the replies' attachments (``files_upload_v2``) to ``channel``.

        Without a channel (an ephemeral ``/slotbot`` answer) they go to the user's
        DM with the bot (``conversations.open``), never to a shared channel.
        """
        files = [r.attachment for r in replies if r.attachment is not None]
        if not files:
            return
        if channel is None and user_id is not None:
            channel = self._open_dm(user_id)
        if channel is None:
            return
        for file in files:
            if not self._upload(channel, file):
                return

    def _upload(self, channel: str, file: Attachment) -> bool:
        try:
            self._client.files_upload_v2(channel=channel, file=file.png(), title=file.title,
                                         alt_txt=file.title, filename="slotbot-chart.png")
        except (SlackApiError, SlackClientError, OSError, KeyError) as error:
            logger.error(_strings.log_upload_failed(channel, str(error)))
            return False
        return True

    def _post(self, entry: InboxEntry, channel: str, replies: list[Reply]) -> None:
        """Post the answer's parts — messages, then uploads — skipping the ones a killed
        process delivered already, recording each delivered part but the last (the
        row's ``done`` records that one)."""
        files = [r.attachment for r in replies if r.attachment is not None]
        total = len(replies) + len(files)
        for index in range(min(entry.parts_sent, total), total):
            if index < len(replies):
                reply = replies[index]
                try:
                    self._client.chat_postMessage(
                        channel=channel, text=fallback_text(reply), blocks=render(reply)
                    )
                except (SlackApiError, SlackClientError, OSError) as error:
                    logger.error(_strings.log_post_failed(channel, str(error)))
                    return
            elif not self._upload(channel, files[index - len(replies)]):
                return
            if self._inbox is not None and index + 1 < total:
                self._inbox.sent(entry, index + 1)


def _is_guest_dm(event: dict[str, Any]) -> bool:
    """A person's new message or file in a DM with the bot: no edits, joins or bot posts."""
    return (
        event.get("channel_type") == "im"
        and event.get("subtype", "file_share") == "file_share"
        and "bot_id" not in event
        and bool(event.get("user"))
        and bool(event.get("channel"))
    )
