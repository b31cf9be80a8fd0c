"""Serve a Bolt app over HTTP at ``/slack/events`` with the standard library.

Bolt's own ``App.start`` serves one request at a time and cannot bind port 0;
this is Bolt's WSGI adapter on a threading ``wsgiref`` server instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.simple_server import make_server as _make_wsgi_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bots.slack import _strings

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

logger = logging.getLogger(__name__)

#: One URL for events, slash commands and interactivity (Bolt's default).
EVENTS_PATH = "/slack/events"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _LoggingRequestHandler(WSGIRequestHandler):
    """Access lines go to ``logging`` (debug) instead of stderr."""

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s - " + format, self.address_string(), *args)


def make_server(app: App, *, port: int, host: str = "0.0.0.0",
                mount: Mapping[str, WSGIApplication] | None = None) -> WSGIServer:
    """Bind (but do not start) a threading HTTP server for the app.

    Args:
        app: the app from ``build_app``.
        port: TCP port; 0 picks a free one (read it from ``server.server_port``).
        host: interface to bind (default all).
        mount: other WSGI apps on the same port, by exact path (``/healthz`` …).

    Returns:
        The server; call ``serve_forever()``, and ``shutdown()``/``server_close()``
        to stop it.

    Raises:
        OSError: the address cannot be bound.
    """
    slack: WSGIApplication = SlackRequestHandler(app, path=EVENTS_PATH)
    paths = dict(mount or {})

    def dispatch(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return paths.get(environ.get("PATH_INFO", ""), slack)(environ, start_response)

    return _make_wsgi_server(
        host,
        port,
        dispatch,
        server_class=_ThreadingWSGIServer,
        handler_class=_LoggingRequestHandler,
    )


def serve(app: App, port: int, *, host: str = "0.0.0.0",
          mount: Mapping[str, WSGIApplication] | None = None) -> None:
    """Serve the app at ``POST /slack/events`` until interrupted (blocks).

    Args:
        app: the app from ``build_app``.
        port: TCP port.
        host: interface to bind (default all).
        mount: as for ``make_server``.

    Raises:
        OSError: the address cannot be bound.
    """
    with make_server(app, port=port, host=host, mount=mount) as server:
        logger.info(_strings.log_listening(host, server.server_port, EVENTS_PATH))
        server.serve_forever()
