"""``/healthz``, ``/readyz`` and ``/metrics`` as a small WSGI app.

It works on its own (``slotbot serve --health-port N``: :func:`serve_in_thread`)
and in front of another WSGI app on the same port (:func:`mount`: the Slack
HTTP server), so the serve port answers all four paths of DESIGN 3.3.

* ``GET /healthz`` → 200 ``ok`` while the process serves requests.
* ``GET /readyz`` → 200, or 503 when a check fails; the body is JSON,
  ``{"database": "ok", "broker": "ok", "periodic": "ok"}`` with the reason in
  place of ``ok`` for a failing part: the database answers and is migrated to
  the newest revision, the broker answers, and the in-process periodic loop (if
  this process runs it) is alive and ticked recently.
* ``GET /metrics`` → Prometheus text format (:mod:`config.metrics`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine

from config import metrics
from config.logs import redact
from config.startup import StartupError, check_broker

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

_LOGGER = logging.getLogger(__name__)

PATHS = ("/healthz", "/readyz", "/metrics")
#: Seconds a readiness check may wait for the broker.
CHECK_TIMEOUT = 2.0
OK = "ok"


def database_status(engine: Engine) -> str:
    """``ok``, or why the database is not ready (unreachable, not migrated)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from storage.migrate import MIGRATIONS_DIR

    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except Exception as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        return "unreachable: " + redact(reason[0] if reason else type(exc).__name__)[:200]
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    if current != head:
        return f"not migrated (at {current}, newest {head})"
    return OK


def broker_status(url: str) -> str:
    """``ok``, or why the broker does not answer."""
    try:
        check_broker(url, timeout=CHECK_TIMEOUT)
    except StartupError as exc:
        return str(exc)
    return OK


@dataclass
class Readiness:
    """What ``/readyz`` checks.

    Attributes:
        engine: the database.
        broker_url: ``SLOTBOT_BROKER_URL``.
        periodic: returns ``ok`` or why the in-process loop is not healthy; None
            when this process does not run the loop (a Celery worker does).
    """

    engine: Engine
    broker_url: str
    periodic: Callable[[], str] | None = None

    def check(self) -> dict[str, str]:
        """Each part's status: ``ok`` or the reason."""
        found = {"database": database_status(self.engine),
                 "broker": broker_status(self.broker_url)}
        if self.periodic is not None:
            found["periodic"] = self.periodic()
        return found


def make_app(readiness: Readiness) -> WSGIApplication:
    """The WSGI app answering :data:`PATHS` (404 for anything else)."""
    extra = metrics.registry_for(readiness.engine)

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return _answer(start_response, "405 Method Not Allowed", b"GET only\n")
        if path == "/healthz":
            return _answer(start_response, "200 OK", b"ok\n")
        if path == "/readyz":
            found = readiness.check()
            ready = all(value == OK for value in found.values())
            if not ready:
                _LOGGER.warning("not ready: %s", found)
            body = json.dumps(found).encode() + b"\n"
            return _answer(start_response, "200 OK" if ready else "503 Service Unavailable",
                           body, "application/json")
        if path == "/metrics":
            body = generate_latest(metrics.REGISTRY) + generate_latest(extra)
            return _answer(start_response, "200 OK", body, CONTENT_TYPE_LATEST)
        return _answer(start_response, "404 Not Found", b"not found\n")

    return app


def routed(mounts: Mapping[str, WSGIApplication], fallback: WSGIApplication) -> WSGIApplication:
    """One WSGI app for the ``--health-port``: each path of ``mounts`` goes to its app, by
    exact path, or by prefix for a path ending in ``/`` (``/links/``) — the rule of the
    Slack HTTP server's ``mount`` — and anything else to ``fallback``."""

    def dispatch(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        target = mounts.get(path) or next(
            (app for prefix, app in mounts.items() if prefix.endswith("/")
             and path.startswith(prefix)), fallback)
        return target(environ, start_response)

    return dispatch


def _answer(start_response: StartResponse, status: str, body: bytes,
            content_type: str = "text/plain; charset=utf-8") -> list[bytes]:
    start_response(status, [("Content-Type", content_type),
                            ("Content-Length", str(len(body)))])
    return [body]


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # listen backlog: Stripe may deliver many webhooks at once


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        _LOGGER.debug("%s - " + format, self.address_string(), *args)


def serve_in_thread(app: WSGIApplication, port: int, *, host: str = "0.0.0.0") -> WSGIServer:
    """Serve ``app`` on ``port`` from a daemon thread (``--health-port``).

    Returns:
        The running server (``server_port``; ``shutdown()`` stops it).

    Raises:
        OSError: the port cannot be bound.
    """
    server = make_server(host, port, app, server_class=_Server, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="slotbot-health", daemon=True).start()
    _LOGGER.info("health and metrics on http://%s:%d/healthz", host, server.server_port)
    return server
