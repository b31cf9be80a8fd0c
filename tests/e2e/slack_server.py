"""A local HTTP server speaking the parts of the Slack Web API Slotbot uses.

It serves ``/api/<method>`` for ``auth.test``, ``bots.info``, ``chat.postMessage``,
``chat.postEphemeral``, ``users.info``, ``conversations.open``, ``views.publish``,
(for Socket Mode) ``apps.connections.open`` and the two calls of a file upload
(``files.getUploadURLExternal``, ``files.completeUploadExternal``) (query, form or
JSON bodies, as slack_sdk sends them; the bot token checked as ``Authorization:
Bearer``), ``/upload/<file id>`` as the upload URL (the raw file bytes, as
``files_upload_v2`` POSTs them), and ``/response/<id>`` as a slash command's
``response_url``. Every
call is recorded; tests wait for calls with a condition variable, never a sleep.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

RESPONSE_METHOD = "response_url"
UPLOAD_METHOD = "upload"
#: How often the servers look for a shutdown request (keeps teardown fast).
POLL_SECONDS = 0.01


@dataclass(frozen=True)
class FakeUser:
    """A workspace member as ``users.info`` reports them."""

    id: str
    real_name: str
    tz: str = "UTC"
    locale: str = "en-US"


@dataclass(frozen=True)
class ApiCall:
    """One recorded request.

    Attributes:
        method: the Web API method (``chat.postMessage``) or ``response_url``.
        args: the parameters (query + body); ``blocks`` decoded to a list.
        token: the bearer token sent, if any.
        target: for ``response_url`` calls, the ``<id>`` in ``/response/<id>``.
    """

    method: str
    args: dict[str, Any]
    token: str | None = None
    target: str | None = None


@dataclass
class _State:
    token: str
    users: dict[str, FakeUser]
    bot_user_id: str
    bot_id: str
    team_id: str
    app_token: str | None = None
    socket_url: str | None = None
    calls: list[ApiCall] = field(default_factory=list)
    rate_limited: dict[str, int] = field(default_factory=dict)
    retry_after: dict[str, int] = field(default_factory=dict)
    failures: dict[str, list[int]] = field(default_factory=dict)
    changed: threading.Condition = field(default_factory=threading.Condition)
    url: str = ""
    #: file id -> (filename, announced length) from getUploadURLExternal.
    pending_files: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: file id -> the bytes POSTed to its upload URL.
    uploads: dict[str, bytes] = field(default_factory=dict)


class SlackApiServer:
    """The fake Slack Web API on ``127.0.0.1`` and a free port; use as a context manager."""

    def __init__(
        self,
        *,
        token: str,
        users: Iterable[FakeUser] = (),
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        team_id: str = "T0SLOTBOT",
        app_token: str | None = None,
        socket_url: str | None = None,
    ) -> None:
        """Bind a free port; entering the context starts serving.

        Args:
            token: the only bot token accepted.
            users: who ``users.info`` knows.
            bot_user_id: ``auth.test``'s ``user_id`` (the bot's own user).
            bot_id: ``auth.test``'s ``bot_id``.
            team_id: the workspace id.
            app_token: the only app-level token ``apps.connections.open`` accepts.
            socket_url: the Socket Mode WebSocket URL it answers with
                (``socket_mode_server.SocketModeServer.url``).
        """
        self._state = _State(
            token=token,
            users={user.id: user for user in users},
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            team_id=team_id,
            app_token=app_token,
            socket_url=socket_url,
        )
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self._state))
        self._httpd.daemon_threads = True
        self._state.url = f"http://127.0.0.1:{self._httpd.server_port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
        )

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self._httpd.server_port}"

    @property
    def base_url(self) -> str:
        """The Web API base URL for slack_sdk's ``WebClient(base_url=...)``."""
        return f"{self.url}/api/"

    @property
    def team_id(self) -> str:
        return self._state.team_id

    @property
    def bot_user_id(self) -> str:
        return self._state.bot_user_id

    @property
    def bot_id(self) -> str:
        return self._state.bot_id

    def response_url(self, target: str) -> str:
        """A ``response_url`` on this server; posts to it are recorded with ``target``."""
        return f"{self.url}/response/{target}"

    def uploaded(self, file_id: str) -> bytes:
        """The bytes uploaded for ``file_id`` (KeyError if none were)."""
        with self._state.changed:
            return self._state.uploads[file_id]

    def add_user(self, user: FakeUser) -> None:
        """Make ``users.info`` know (or update) a user."""
        with self._state.changed:
            self._state.users[user.id] = user

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 0) -> None:
        """Answer the next ``times`` calls of ``method`` with HTTP 429 and ``Retry-After``."""
        with self._state.changed:
            self._state.rate_limited[method] = times
            self._state.retry_after[method] = retry_after

    def fail(self, method: str, times: int = 1, status: int = 500) -> None:
        """Answer the next ``times`` calls of ``method`` (after any 429s) with ``status``
        and ``{"ok": false, "error": "internal_error"}``."""
        with self._state.changed:
            self._state.failures.setdefault(method, []).extend([status] * times)

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Every recorded call so far, in arrival order, optionally of one method."""
        with self._state.changed:
            return [c for c in self._state.calls if method is None or c.method == method]

    def calls_after(self, index: int, timeout: float) -> list[ApiCall]:
        """The calls recorded after the first ``index``, waiting up to ``timeout`` seconds
        for one (an empty list if none came): follow the calls as they arrive."""
        state = self._state
        with state.changed:
            state.changed.wait_for(lambda: len(state.calls) > index, timeout)
            return state.calls[index:]

    def wait_for_calls(
        self, matches: Callable[[ApiCall], bool], count: int, timeout: float = 5.0
    ) -> list[ApiCall]:
        """Block until at least ``count`` recorded calls satisfy ``matches``.

        Args:
            matches: which calls count.
            count: how many are needed.
            timeout: seconds to wait at most (default 5).

        Returns:
            All matching calls, in arrival order.

        Raises:
            AssertionError: fewer than ``count`` arrived in time (lists every call).
        """
        state = self._state
        with state.changed:
            arrived = state.changed.wait_for(
                lambda: sum(1 for c in state.calls if matches(c)) >= count, timeout
            )
            if not arrived:
                raise AssertionError(f"expected {count} matching calls; got {state.calls!r}")
            return [c for c in state.calls if matches(c)]

    def wait_for_posts(self, channel: str, count: int, timeout: float = 5.0) -> list[ApiCall]:
        """Block until ``count`` ``chat.postMessage`` calls to ``channel`` arrived; return them."""
        return self.wait_for_calls(
            lambda c: c.method == "chat.postMessage" and c.args.get("channel") == channel,
            count,
            timeout,
        )

    def wait_for_responses(self, target: str, count: int, timeout: float = 5.0) -> list[ApiCall]:
        """Block until ``count`` posts to ``response_url(target)`` arrived; return them."""
        return self.wait_for_calls(
            lambda c: c.method == RESPONSE_METHOD and c.target == target, count, timeout
        )


class _Server(ThreadingHTTPServer):
    """A listen backlog as deep as a real front door's: with ``socketserver``'s default
    of 5, a few clients connecting at once overflowed it, and the kernel's dropped SYN
    cost the caller a 1 s retransmission (a "slow reply" that was this server's)."""

    request_queue_size = 1024


def _handler_for(state: _State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the recorded calls are the log."""

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            if parts.path.startswith("/upload/"):
                self._upload(parts.path[8:])
                return
            args: dict[str, Any] = dict(parse_qsl(parts.query))
            args.update(self._body())
            if isinstance(args.get("blocks"), str):
                args["blocks"] = json.loads(args["blocks"])
            if parts.path.startswith("/response/"):
                self._record(ApiCall(RESPONSE_METHOD, args, target=parts.path[10:]))
                self._send(200, b"ok", "text/plain")
                return
            if not parts.path.startswith("/api/"):
                self._send(404, b"not found", "text/plain")
                return
            method = parts.path[5:]
            auth = self.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
            token = token or args.pop("token", None)
            self._record(ApiCall(method, args, token=token))
            if self._take_rate_limit(method):
                self.send_response(429)
                self.send_header("Retry-After", str(state.retry_after.get(method, 0)))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            failure = self._take_failure(method)
            if failure:
                body = json.dumps({"ok": False, "error": "internal_error"}).encode()
                self._send(failure, body, "application/json; charset=utf-8")
                return
            if method == "apps.connections.open":
                answer: dict[str, Any] = _open_connection(state, token)
            elif token != state.token:
                answer = {"ok": False, "error": "invalid_auth"}
            else:
                answer = _answer(state, method, args)
            self._send(200, json.dumps(answer).encode(), "application/json; charset=utf-8")

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            if not raw:
                return {}
            if self.headers.get("Content-Type", "").startswith("application/json"):
                decoded = json.loads(raw)
                return decoded if isinstance(decoded, dict) else {}
            return dict(parse_qsl(raw))

        def _upload(self, file_id: str) -> None:
            data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with state.changed:
                known = file_id in state.pending_files
                if known:
                    state.uploads[file_id] = data
            self._record(ApiCall(UPLOAD_METHOD, {"file_id": file_id, "length": len(data)}))
            self._send(200 if known else 404, b"OK" if known else b"unknown file", "text/plain")

        def _take_rate_limit(self, method: str) -> bool:
            with state.changed:
                left = state.rate_limited.get(method, 0)
                if left:
                    state.rate_limited[method] = left - 1
                return bool(left)

        def _take_failure(self, method: str) -> int | None:
            with state.changed:
                queued = state.failures.get(method)
                return queued.pop(0) if queued else None

        def _record(self, call: ApiCall) -> None:
            with state.changed:
                state.calls.append(call)
                state.changed.notify_all()

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _open_connection(state: _State, token: str | None) -> dict[str, Any]:
    """``apps.connections.open``: a WebSocket URL for the app token, else ``invalid_auth``."""
    if state.app_token is None or token != state.app_token or state.socket_url is None:
        return {"ok": False, "error": "invalid_auth"}
    return {"ok": True, "url": f"{state.socket_url}?ticket=t{len(state.calls)}"}


def _answer(state: _State, method: str, args: dict[str, Any]) -> dict[str, Any]:
    """The Web API's JSON answer to an authorized call."""
    if method == "auth.test":
        return {
            "ok": True,
            "url": "https://slotbot-test.slack.com/",
            "team": "Slotbot Test",
            "user": "slotbot",
            "team_id": state.team_id,
            "user_id": state.bot_user_id,
            "bot_id": state.bot_id,
            "is_enterprise_install": False,
        }
    if method in ("chat.postMessage", "chat.postEphemeral"):
        if not args.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not args.get("text") and not args.get("blocks"):
            return {"ok": False, "error": "no_text"}
        ts = f"{1_790_000_000 + len(state.calls)}.000100"
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        message = {"type": "message", "text": args.get("text", ""), "bot_id": state.bot_id}
        return {"ok": True, "channel": args["channel"], "ts": ts, "message": message}
    if method == "users.info":
        user = state.users.get(str(args.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        info: dict[str, Any] = {
            "id": user.id,
            "team_id": state.team_id,
            "name": user.real_name.lower().replace(" ", "."),
            "real_name": user.real_name,
            "tz": user.tz,
            "profile": {"real_name": user.real_name, "display_name": user.real_name},
        }
        if str(args.get("include_locale")).lower() in ("true", "1"):
            info["locale"] = user.locale
        return {"ok": True, "user": info}
    if method == "bots.info":
        if args.get("bot") != state.bot_id:
            return {"ok": False, "error": "bot_not_found"}
        return {"ok": True, "bot": {"id": state.bot_id, "app_id": "A0SLOTBOT",
                                    "user_id": state.bot_user_id}}
    if method == "files.getUploadURLExternal":
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        with state.changed:
            file_id = f"F{len(state.pending_files) + 1:04d}"
            state.pending_files[file_id] = (str(args["filename"]), int(args["length"]))
        return {"ok": True, "upload_url": f"{state.url}/upload/{file_id}", "file_id": file_id}
    if method == "files.completeUploadExternal":
        files = args.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        if not files or not (args.get("channel_id") or args.get("channels")):
            return {"ok": False, "error": "invalid_arguments"}
        with state.changed:
            for item in files:
                announced = state.pending_files.get(item.get("id"))
                if announced is None or len(state.uploads.get(item["id"], b"")) != announced[1]:
                    return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
    if method == "views.publish":
        view = args.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        if not args.get("user_id") or not isinstance(view, dict) or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": "V0HOME", **view}}
    if method == "conversations.open":
        users = str(args.get("users", "")).split(",")
        if len(users) != 1 or users[0] not in state.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": f"D{users[0]}"}}
    return {"ok": False, "error": "unknown_method"}
