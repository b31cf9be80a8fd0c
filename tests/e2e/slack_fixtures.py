"""``SlackHarness``: the real Bolt app over HTTP, driven like Slack drives it.

It starts the fake Web API (``slack_server.SlackApiServer``), builds the app with
``bots.slack.build_app`` against it, serves it on a free port and sends correctly
signed requests (v0 HMAC-SHA256, https://api.slack.com/authentication/verifying-requests-from-slack)
for DMs, button presses and ``/slotbot`` commands::

    with SlackHarness(conversation.handle, now=NOW) as slack:
        slack.send_dm("U0GUEST", "book intro friday 3pm")
        post = slack.api.wait_for_posts(slack.dm_channel("U0GUEST"), 1)[-1]
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlencode

from bots.inbox import Inbox
from bots.slack import EVENTS_PATH, Handle, SlackServer, build_app
from tests.e2e.slack_server import FakeUser, SlackApiServer

BOT_TOKEN = "xoxb-slotbot-test"
SIGNING_SECRET = "slotbot-test-signing-secret"
#: The fixed "now" of the harness unless a test gives its own.
DEFAULT_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DEFAULT_USERS = (
    FakeUser("U0GUEST", "Gina Guest", tz="America/New_York", locale="en-US"),
    FakeUser("U0ANA", "Ana Lima", tz="Europe/Berlin", locale="de-DE"),
)


def sign(body: bytes, *, timestamp: int, secret: str = SIGNING_SECRET) -> dict[str, str]:
    """The two headers Slack adds to every request it sends.

    Args:
        body: the exact request body.
        timestamp: ``X-Slack-Request-Timestamp``, Unix seconds.
        secret: the signing secret.

    Returns:
        ``X-Slack-Request-Timestamp`` and ``X-Slack-Signature`` (``v0=<hex>``).
    """
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


@dataclass(frozen=True)
class HttpResult:
    """The app's answer to one request."""

    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class SlackHarness:
    """The Slack app under test plus the fake Slack around it; a context manager.

    Attributes:
        api: the fake Web API (recorded calls, ``wait_for_posts``, ``wait_for_responses``).
        now: the fixed instant the app's clock returns and requests are signed at.
    """

    def __init__(
        self,
        handle: Handle,
        *,
        now: datetime = DEFAULT_NOW,
        users: Iterable[FakeUser] = DEFAULT_USERS,
        inbox: Inbox | None = None,
        workers: int = 8,
        served_at: str | None = None,
    ) -> None:
        """Prepare (not start) the harness; entering the context starts it.

        Args:
            handle: the conversation under test.
            now: aware; the app's clock and the signing timestamp.
            users: who ``users.info`` knows.
            inbox: the Slack inbox of the app; None stores nothing.
            workers: the app's worker threads.
            served_at: the events URL of an app served elsewhere (a ``slotbot serve
                slack`` process): entering starts only the fake Web API, and
                ``handle``, ``inbox`` and ``workers`` are not used.
        """
        self.now = now
        self.api = SlackApiServer(token=BOT_TOKEN, users=users)
        self._handle = handle
        self._inbox = inbox
        self._workers = workers
        self._ids = itertools.count(1)
        self._server: SlackServer | None = None
        self._served_at = served_at

    def __enter__(self) -> Self:
        self.api.__enter__()
        if self._served_at is not None:
            return self
        try:
            bot = build_app(
                token=BOT_TOKEN,
                signing_secret=SIGNING_SECRET,
                handle=self._handle,
                base_url=self.api.base_url,
                clock=lambda: self.now,
                inbox=self._inbox,
                workers=self._workers,
            )
            self._server = SlackServer(bot, port=0, host="127.0.0.1").start()
        except BaseException:
            self.api.__exit__(None, None, None)
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.stop()
        self.api.__exit__(exc_type, exc, tb)

    @property
    def events_url(self) -> str:
        """Where Slack would POST events, commands and interactivity."""
        if self._served_at is not None:
            return self._served_at
        if self._server is None:
            raise RuntimeError("the harness is not started; use it as a context manager")
        return f"http://127.0.0.1:{self._server.port}{EVENTS_PATH}"

    @staticmethod
    def dm_channel(user: str) -> str:
        """The id of the bot's DM channel with ``user`` in this harness."""
        return f"D{user}"

    # -- raw requests -------------------------------------------------------------

    def post(
        self,
        body: bytes,
        *,
        content_type: str,
        timestamp: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResult:
        """POST ``body`` to the app, signed at ``timestamp`` (default ``now``).

        Args:
            body: the request body.
            content_type: its media type.
            timestamp: Unix seconds to sign at; default ``now``.
            headers: sent instead of the signature headers when given.

        Returns:
            The HTTP status and body (4xx/5xx are returned, not raised).
        """
        if headers is None:
            headers = sign(body, timestamp=timestamp or int(self.now.timestamp()))
        request = urllib.request.Request(
            self.events_url,
            data=body,
            method="POST",
            headers={"Content-Type": content_type, **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return HttpResult(response.status, response.read())
        except urllib.error.HTTPError as error:
            return HttpResult(error.code, error.read())

    def post_json(self, payload: Mapping[str, Any], **kwargs: Any) -> HttpResult:
        """``post`` a JSON body (the Events API)."""
        return self.post(json.dumps(payload).encode(), content_type="application/json", **kwargs)

    def post_form(self, fields: Mapping[str, str], **kwargs: Any) -> HttpResult:
        """``post`` a form body (slash commands, interactivity)."""
        return self.post(
            urlencode(fields).encode(), content_type="application/x-www-form-urlencoded", **kwargs
        )

    # -- what Slack sends ---------------------------------------------------------

    def event_callback(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """An Events API envelope around ``event``."""
        return {
            "token": "legacy-verification-token",
            "team_id": self.api.team_id,
            "api_app_id": "A0SLOTBOT",
            "event": dict(event),
            "type": "event_callback",
            "event_id": f"Ev{next(self._ids):08d}",
            "event_time": int(self.now.timestamp()),
            "authorizations": [
                {"team_id": self.api.team_id, "user_id": self.api.bot_user_id, "is_bot": True}
            ],
        }

    def dm_event(self, user: str, text: str) -> dict[str, Any]:
        """A ``message.im`` event: ``user`` wrote ``text`` (as Slack escapes it) to the bot."""
        return {
            "type": "message",
            "channel": self.dm_channel(user),
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": f"{int(self.now.timestamp())}.{next(self._ids):06d}",
            "team": self.api.team_id,
        }

    def send_dm(self, user: str, text: str, **kwargs: Any) -> HttpResult:
        """``user`` writes ``text`` to the bot in their DM."""
        return self.post_json(self.event_callback(self.dm_event(user, text)), **kwargs)

    def press(
        self,
        user: str,
        payload: str,
        *,
        action_id: str = "choice_0",
        ephemeral_in: str | None = None,
    ) -> HttpResult:
        """``user`` presses a button carrying ``payload``.

        Args:
            user: who presses.
            payload: the button's value.
            action_id: the button's ``action_id``.
            ephemeral_in: the channel of the ephemeral message (a ``/slotbot``
                answer) the button is on; default a normal message in the user's DM.
        """
        channel = ephemeral_in or self.dm_channel(user)
        body = {
            "type": "block_actions",
            "team": {"id": self.api.team_id, "domain": "slotbot-test"},
            "user": {"id": user, "team_id": self.api.team_id},
            "api_app_id": "A0SLOTBOT",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "channel_id": channel,
                "is_ephemeral": ephemeral_in is not None,
            },
            "trigger_id": f"trigger-{next(self._ids)}",
            "channel": {"id": channel, "name": "directmessage"},
            "response_url": self.api.response_url(f"press-{next(self._ids)}"),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "choices",
                    "value": payload,
                    "text": {"type": "plain_text", "text": payload},
                    "action_ts": f"{int(self.now.timestamp())}.000200",
                }
            ],
        }
        return self.post_form({"payload": json.dumps(body)})

    def slash(self, user: str, text: str, *, channel: str = "C0GENERAL") -> tuple[HttpResult, str]:
        """``user`` runs ``/slotbot text`` in ``channel``.

        Returns:
            The app's HTTP answer and the ``response_url`` target to pass to
            ``api.wait_for_responses``.
        """
        target = f"command-{next(self._ids)}"
        fields = {
            "token": "legacy-verification-token",
            "team_id": self.api.team_id,
            "team_domain": "slotbot-test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/slotbot",
            "text": text,
            "api_app_id": "A0SLOTBOT",
            "response_url": self.api.response_url(target),
            "trigger_id": f"trigger-{next(self._ids)}",
        }
        return self.post_form(fields), target
