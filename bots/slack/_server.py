"""Serve the Slack bot over HTTP with uvicorn (ASGI) and a Starlette router.

``POST /slack/events`` is Bolt's one URL for events, slash commands and
interactivity: the request is translated to a ``BoltRequest``
(``slack_bolt.adapter.starlette``), dispatched on a worker thread (Bolt's app is
synchronous; the event loop never blocks on it) and Bolt's answer translated
back. Slash commands and button presses get threads of their own: a burst of
events never makes them wait for one. More routes mount beside it: WSGI apps by
exact path as ``mount`` (``{"/healthz": health_app}``: run on worker threads by a2wsgi's
``WSGIMiddleware``), or Starlette ``Route``/``Mount`` objects as ``routes``
(e.g. ``Route("/stripe/webhook", stripe_webhook, methods=["POST"])``).

uvicorn listens with a ``backlog`` of 2048 pending connections (wsgiref had 5)
and stops gracefully: on SIGTERM/SIGINT it stops accepting, finishes the open
requests, then :meth:`SlackServer.run` drains the queued messages for up to
``drain_seconds`` (the rest stays in the inbox for the next process).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import threading
from collections.abc import Mapping, Sequence
from types import FrameType
from typing import TYPE_CHECKING

import anyio.to_thread
import uvicorn
from a2wsgi import WSGIMiddleware
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from bots.slack import _strings
from bots.slack._app import SlackBot

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

logger = logging.getLogger(__name__)

#: One URL for events, slash commands and interactivity (Bolt's default).
EVENTS_PATH = "/slack/events"
#: Requests dispatched to Bolt at the same time (each a short store-and-ack), for
#: events and, apart, for people waiting on the answer (slash commands, buttons).
#: Few for events: more only contend for the GIL (a burst waits in the event loop
#: instead, costing nothing), and the stores of one burst are written together.
DISPATCH_THREADS = 8
INTERACTIVE_THREADS = 16
#: Slash commands and interactivity come form-encoded; the Events API sends JSON.
_FORM = "application/x-www-form-urlencoded"


def asgi_app(bot: SlackBot, *, routes: Sequence[BaseRoute] = (),
             mount: Mapping[str, WSGIApplication] | None = None) -> Starlette:
    """The ASGI application: ``POST /slack/events`` plus ``routes`` and ``mount``.

    Args:
        bot: from ``build_app``.
        routes: more Starlette routes served on the same port.
        mount: WSGI apps served on the same port, by exact path (``/healthz`` …), or by
            prefix for a path ending in ``/`` (``/links/``).
    """
    # Apart, so that a burst of events never makes a slash command wait for a thread.
    events_limiter = anyio.CapacityLimiter(DISPATCH_THREADS)
    interactive_limiter = anyio.CapacityLimiter(INTERACTIVE_THREADS)

    async def events(request: Request) -> Response:
        bolt_request = to_bolt_request(request, await request.body())
        interactive = request.headers.get("content-type", "").startswith(_FORM)
        bolt_response = await anyio.to_thread.run_sync(
            bot.app.dispatch, bolt_request,
            limiter=interactive_limiter if interactive else events_limiter)
        return to_starlette_response(bolt_response)

    wsgi = [Mount(path.rstrip("/"), WSGIMiddleware(target))  # type: ignore[arg-type]
            if path.endswith("/") else
            Route(path, WSGIMiddleware(target), methods=["GET", "HEAD", "POST"])  # type: ignore[arg-type]
            for path, target in (mount or {}).items()]
    return Starlette(routes=[Route(EVENTS_PATH, events, methods=["POST"]), *routes, *wsgi])


class SlackServer:
    """uvicorn serving ``asgi_app(bot)``; bound at construction, so ``port`` is known.

    Args:
        bot: from ``build_app``.
        port: TCP port; 0 picks a free one (read ``server.port``).
        host: interface to bind (default all).
        backlog: the socket's listen backlog.
        drain_seconds: after the HTTP server stopped, how long queued messages may
            still be handled.
        routes, mount: more routes on the same port (see ``asgi_app``).

    Raises:
        OSError: the address cannot be bound.
    """

    def __init__(self, bot: SlackBot, *, port: int, host: str = "0.0.0.0", backlog: int = 2048,
                 drain_seconds: float = 10.0, routes: Sequence[BaseRoute] = (),
                 mount: Mapping[str, WSGIApplication] | None = None) -> None:
        self.bot = bot
        self.host = host
        self.drain_seconds = drain_seconds
        self._socket = socket.create_server((host, port), backlog=backlog, reuse_port=False)
        config = uvicorn.Config(asgi_app(bot, routes=routes, mount=mount), backlog=backlog,
                                lifespan="off",
                                access_log=False, log_config=None, timeout_graceful_shutdown=30)
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._socket.getsockname()[1])

    def run(self) -> None:
        """Serves until SIGTERM/SIGINT (main thread) or :meth:`stop`, then drains (blocks)."""
        if threading.current_thread() is threading.main_thread():
            # uvicorn raises the signal again once it stopped, for the handler it found:
            # make that a no-op, so that the drain below still runs.
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, _ignore)
        self.bot.start()
        logger.info(_strings.log_listening(self.host, self.port, EVENTS_PATH))
        try:
            asyncio.run(self._server.serve(sockets=[self._socket]))
        finally:
            self._socket.close()
            self.bot.stop(self.drain_seconds)

    def start(self) -> SlackServer:
        """Serves in a background thread. The socket already listens: connections
        made before uvicorn runs wait in the backlog."""
        self._thread = threading.Thread(target=self.run, name="slack-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops serving (open requests finish), drains, and waits for the thread."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join()


def _ignore(signum: int, frame: FrameType | None) -> None:
    """Stands in for the default handler uvicorn raises the stop signal for again."""


def serve(bot: SlackBot, port: int, *, host: str = "0.0.0.0", backlog: int = 2048,
          drain_seconds: float = 10.0, routes: Sequence[BaseRoute] = (),
          mount: Mapping[str, WSGIApplication] | None = None) -> None:
    """Serve the bot at ``POST /slack/events`` until SIGTERM/SIGINT, then drain (blocks).

    Arguments as ``SlackServer``.

    Raises:
        OSError: the address cannot be bound.
    """
    SlackServer(bot, port=port, host=host, backlog=backlog, drain_seconds=drain_seconds,
                routes=routes, mount=mount).run()
