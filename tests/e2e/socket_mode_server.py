"""A local WebSocket server speaking Slack's Socket Mode protocol.

https://api.slack.com/apis/socket-mode: the app calls ``apps.connections.open``
with its app token (``SlackApiServer(app_token=..., socket_url=...)`` answers it
with this server's ``ws://`` URL), opens the WebSocket, gets
``{"type": "hello"}``, then receives envelopes (``events_api``, ``interactive``,
``slash_commands``) and acknowledges each with ``{"envelope_id": …}`` (plus a
``payload`` when it answers in the ack). Tornado serves the socket on its own
event loop in a thread; tests wait for acks with a condition variable, never a
sleep.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from typing import Any, Self

import tornado.netutil
import tornado.web
import tornado.websocket

PATH = "/link"


class SocketModeServer:
    """Accepts Socket Mode connections on ``127.0.0.1``; use as a context manager."""

    def __init__(self, *, app_id: str = "A0SLOTBOT") -> None:
        self.app_id = app_id
        self._sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._changed = threading.Condition()
        self._connections: list[_Handler] = []
        self.acks: list[dict[str, Any]] = []
        self.tickets: list[str] = []
        self._ids = itertools.count(1)

    @property
    def url(self) -> str:
        """The ``ws://`` URL ``apps.connections.open`` hands out."""
        return f"ws://127.0.0.1:{self._sockets[0].getsockname()[1]}{PATH}"

    def __enter__(self) -> Self:
        self._thread.start()
        self._ready.wait(5)
        return self

    def __exit__(self, *exc_info: object) -> None:
        async def stop() -> None:
            for connection in list(self._connections):
                connection.close()
            self._server.stop()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        application = tornado.web.Application([(PATH, _Handler, {"server": self})])
        self._server = tornado.httpserver.HTTPServer(application)
        self._server.add_sockets(self._sockets)
        self._loop.call_soon(self._ready.set)
        self._loop.run_forever()
        self._loop.close()

    # --- called on the server's loop -------------------------------------------------------

    def _opened(self, connection: _Handler) -> None:
        with self._changed:
            self._connections.append(connection)
            self.tickets.append(connection.get_argument("ticket", ""))
            self._changed.notify_all()
        connection.write_message(json.dumps({
            "type": "hello", "num_connections": len(self._connections),
            "debug_info": {"host": "applink-local", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.app_id},
        }))

    def _closed(self, connection: _Handler) -> None:
        with self._changed:
            if connection in self._connections:
                self._connections.remove(connection)
            self._changed.notify_all()

    def _received(self, message: str) -> None:
        with self._changed:
            self.acks.append(json.loads(message))
            self._changed.notify_all()

    # --- called by tests -------------------------------------------------------------------

    def wait_for_connection(self, timeout: float = 10.0) -> None:
        """Block until a client has connected (and got its ``hello``)."""
        with self._changed:
            if not self._changed.wait_for(lambda: bool(self._connections), timeout):
                raise AssertionError("no Socket Mode client connected")

    def send(self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = False,
             retry_attempt: int = 0) -> str:
        """Push one envelope to the connected client.

        Args:
            kind: ``events_api``, ``interactive`` or ``slash_commands``.
            payload: what Slack would POST over HTTP (an event callback, a
                ``block_actions`` body, the slash command's fields).

        Returns:
            The envelope id (wait for its ack with :meth:`wait_for_ack`).
        """
        envelope_id = f"env-{next(self._ids):06d}"
        message = json.dumps({
            "envelope_id": envelope_id, "type": kind, "payload": payload,
            "accepts_response_payload": accepts_response_payload,
            "retry_attempt": retry_attempt, "retry_reason": "",
        })
        with self._changed:
            connection = self._connections[-1]
        self._loop.call_soon_threadsafe(connection.write_message, message)
        return envelope_id

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """Block until the client acknowledged ``envelope_id``; return the ack."""
        def found() -> dict[str, Any] | None:
            return next((a for a in self.acks if a.get("envelope_id") == envelope_id), None)

        with self._changed:
            if not self._changed.wait_for(lambda: found() is not None, timeout):
                raise AssertionError(f"no ack for {envelope_id}; acks: {self.acks!r}")
            ack = found()
            assert ack is not None
            return ack


class _Handler(tornado.websocket.WebSocketHandler):
    def initialize(self, server: SocketModeServer) -> None:
        self._slack = server

    def open(self, *args: str, **kwargs: str) -> None:
        self._slack._opened(self)

    def on_message(self, message: str | bytes) -> None:
        self._slack._received(message if isinstance(message, str) else message.decode())

    def on_close(self) -> None:
        self._slack._closed(self)
