"""A small threaded HTTP server on 127.0.0.1 with switchable faults, for calendar tests.

``mode`` makes every request ``hang`` (until released), answer ``500``,
``429`` (with ``Retry-After: 7``) or ``garbage`` (200 with a body that is
no protocol at all); ``ok`` lets the handler answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Handler = Callable[[Request], Answer]


class Loopback:
    """The server's state: its URL, the requests seen, the fault mode."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.mode = "ok"
        self.requests: list[Request] = []
        self.release = threading.Event()
        self.url = ""

    def answer(self, request: Request) -> Answer:
        self.requests.append(request)
        if self.mode == "hang":
            self.release.wait(30)
        if self.mode == "500":
            return Answer(500, b"oops")
        if self.mode == "429":
            return Answer(429, b"slow down", {"Retry-After": "7"})
        if self.mode == "garbage":
            return Answer(200, b"\x00\xffnot a calendar{{{", {"Content-Type": "text/calendar"})
        return self.handler(request)


@contextmanager
def serve(handler: Handler) -> Iterator[Loopback]:
    """Run a loopback server answering with ``handler``; yields its state."""
    state = Loopback(handler)

    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            answer = state.answer(Request(self.command, self.path, dict(self.headers), body))
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_PROPFIND = do_REPORT = _any

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
