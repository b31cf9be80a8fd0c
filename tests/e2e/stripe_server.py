"""A local HTTP server speaking the parts of Stripe's REST API Slotbot uses.

Endpoints (form-encoded bodies with Stripe's ``a[b][0][c]`` nesting, as the
``stripe`` library sends them; the secret key checked as ``Authorization:
Bearer``; errors in Stripe's ``{"error": {"type", "message"}}`` shape):

* ``POST /v1/checkout/sessions`` — create (``expires_at`` must be 30 minutes to
  24 hours after creation, as on Stripe);
* ``GET /v1/checkout/sessions/{id}`` — retrieve;
* ``POST /v1/checkout/sessions/{id}/expire`` — only an ``open`` session;
* ``POST /v1/refunds`` — of a PaymentIntent, at most what is left of it;
  ``Idempotency-Key`` honoured (the same key returns the first refund; with other
  parameters it is refused, as on Stripe).

The "guest" side: :meth:`StripeServer.pay` completes a session (a new
PaymentIntent) and returns the ``checkout.session.completed`` event;
``POST /pay/{id}`` (the session's ``url``: the guest paying on the checkout
page) does the same and, like Stripe, delivers the signed event to
``webhook_url`` when one is given;
:meth:`StripeServer.event` builds any event; :func:`sign` signs a payload with
Stripe's scheme (``Stripe-Signature: t=<unix>,v1=<HMAC-SHA256(secret, "t.payload")>``).
The server's clock is injected (``now``), so expiry limits follow the test's clock.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl

SECRET_KEY = "sk_test_slotbot_local"
WEBHOOK_SECRET = "whsec_slotbot_local"
_KEY = re.compile(r"([^\[\]]+)|\[([^\[\]]*)\]")


def sign(payload: str, secret: str = WEBHOOK_SECRET, *, timestamp: int) -> str:
    """The ``Stripe-Signature`` header of ``payload`` signed at ``timestamp`` (unix seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def decode_form(body: str) -> dict[str, Any]:
    """``line_items[0][price_data][unit_amount]=5000`` → nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = [a or b for a, b in _KEY.findall(key)]
        node: Any = root
        for part, following in zip(parts, [*parts[1:], None], strict=True):
            if following is None:
                node[part] = value
                break
            child: Any = [] if following.isdigit() else {}
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append(child)
                node = node[index]
            else:
                node = node.setdefault(part, child)
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _lists(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_lists(v) for v in node]
    return node


@dataclass
class _State:
    now: Callable[[], datetime]
    base_url: str = ""
    webhook_url: str | None = None
    server: StripeServer | None = None
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotent: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)


class StripeError(Exception):
    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message


class StripeServer:
    """Run with ``with StripeServer(now=clock) as stripe_api:``; ``base_url`` is the API root."""

    def __init__(self, *, now: Callable[[], datetime], port: int = 0,
                 webhook_url: str | None = None) -> None:
        self.state = _State(now=now, webhook_url=webhook_url, server=self)
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self.state))
        self.state.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.01}, daemon=True)

    @property
    def base_url(self) -> str:
        return self.state.base_url

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def sessions(self) -> dict[str, dict[str, Any]]:
        return self.state.sessions

    @property
    def refunds(self) -> dict[str, dict[str, Any]]:
        return self.state.refunds

    def pay(self, session_id: str) -> dict[str, Any]:
        """The guest pays an open session: it completes with a new PaymentIntent.

        Returns:
            The ``checkout.session.completed`` event (a JSON-able dict).
        """
        with self.state.lock:
            session = self.state.sessions[session_id]
            assert session["status"] == "open", f"{session_id} is {session['status']}"
            session.update(status="complete", payment_status="paid",
                           payment_intent=f"pi_test_{next(self.state.ids)}")
        return self.event("checkout.session.completed", session)

    def deliver(self, event: dict[str, Any]) -> tuple[int, str]:
        """POST ``event`` to ``webhook_url``, signed now, as Stripe does; (status, body)."""
        assert self.state.webhook_url, "no webhook_url"
        body = json.dumps(event)
        header = sign(body, timestamp=int(time.time()))
        request = urllib.request.Request(self.state.webhook_url, body.encode(), {
            "Content-Type": "application/json", "Stripe-Signature": header}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode().strip()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode().strip()

    def event(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        """An event of ``kind`` about ``obj``, with a fresh ``evt_…`` id."""
        return {"id": f"evt_test_{next(self.state.ids)}", "object": "event",
                "api_version": "2025-01-27.acacia", "type": kind,
                "created": int(self.state.now().timestamp()),
                "data": {"object": dict(obj)}, "livemode": False, "pending_webhooks": 1}


def _handler(state: _State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = decode_form(self.rfile.read(length).decode()) if length else {}
            path = self.path.split("?")[0]
            with state.lock:
                state.calls.append((method, path))
            paying = re.fullmatch(r"/pay/([^/]+)", path)
            if paying and method == "POST" and state.server is not None:
                event = state.server.pay(paying[1])
                delivered = state.server.deliver(event) if state.webhook_url else None
                self._json(200, {"event": event["id"], "webhook": delivered})
                return
            try:
                if self.headers.get("Authorization") != f"Bearer {SECRET_KEY}":
                    raise StripeError(401, "invalid_request_error", "Invalid API Key provided")
                self._json(200, self._route(method, path, form))
            except StripeError as exc:
                self._json(exc.status, {"error": {"type": exc.kind, "message": exc.message}})

        def _route(self, method: str, path: str, form: dict[str, Any]) -> dict[str, Any]:
            if (method, path) == ("POST", "/v1/checkout/sessions"):
                return _create_session(state, form)
            match = re.fullmatch(r"/v1/checkout/sessions/([^/]+)(/expire)?", path)
            if match and match[1] in state.sessions:
                session = state.sessions[match[1]]
                if method == "GET" and not match[2]:
                    return session
                if method == "POST" and match[2]:
                    return _expire(state, session)
            if (method, path) == ("POST", "/v1/refunds"):
                return _refund(state, form, self.headers.get("Idempotency-Key"))
            raise StripeError(404, "invalid_request_error", f"Unrecognized request URL {path}")

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", f"req_{next(state.ids)}")
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _create_session(state: _State, form: dict[str, Any]) -> dict[str, Any]:
    now = int(state.now().timestamp())
    expires_at = int(form.get("expires_at") or now + 24 * 3600)
    if not now + 30 * 60 <= expires_at <= now + 24 * 3600:
        raise StripeError(400, "invalid_request_error",
                          "The `expires_at` timestamp must be between 30 minutes and 24 hours "
                          "from Checkout Session creation.")
    if form.get("mode") != "payment" or not form.get("line_items"):
        raise StripeError(400, "invalid_request_error", "mode=payment and line_items required")
    item = form["line_items"][0]
    price = item["price_data"]
    amount = int(price["unit_amount"]) * int(item.get("quantity") or 1)
    with state.lock:
        session_id = f"cs_test_{next(state.ids)}"
        session = {
            "id": session_id, "object": "checkout.session", "mode": "payment",
            "status": "open", "payment_status": "unpaid", "payment_intent": None,
            "amount_total": amount, "currency": price["currency"],
            "metadata": form.get("metadata") or {},
            "client_reference_id": form.get("client_reference_id"),
            "customer_email": form.get("customer_email"),
            "success_url": form.get("success_url"), "locale": form.get("locale"),
            "created": now, "expires_at": expires_at, "livemode": False,
            "url": f"{state.base_url}/pay/{session_id}",
        }
        state.sessions[session_id] = session
    return session


def _expire(state: _State, session: dict[str, Any]) -> dict[str, Any]:
    with state.lock:
        if session["status"] != "open":
            raise StripeError(400, "invalid_request_error",
                              f"Only Checkout Sessions with a status in [\"open\"] can be "
                              f"expired. This Checkout Session has a status of "
                              f"\"{session['status']}\".")
        session["status"] = "expired"
    return session


def _refund(state: _State, form: dict[str, Any], key: str | None) -> dict[str, Any]:
    with state.lock:
        intent = form.get("payment_intent")
        if key and key in state.idempotent:
            if state.idempotent[key]["payment_intent"] != intent:
                raise StripeError(400, "idempotency_error",
                                  "Keys for idempotent requests can only be used with the same "
                                  "parameters they were first used with.")
            return state.idempotent[key]
        paid = [s for s in state.sessions.values() if s["payment_intent"] == intent]
        if not paid:
            raise StripeError(400, "invalid_request_error",
                              f"No such payment_intent: '{intent}'")
        given = sum(r["amount"] for r in state.refunds.values()
                    if r["payment_intent"] == intent)
        amount = int(form.get("amount") or paid[0]["amount_total"] - given)
        if given + amount > paid[0]["amount_total"]:
            raise StripeError(400, "invalid_request_error",
                              "Refund amount is greater than unrefunded amount on charge")
        refund = {"id": f"re_test_{next(state.ids)}", "object": "refund", "amount": amount,
                  "currency": paid[0]["currency"], "payment_intent": intent,
                  "status": "succeeded", "metadata": form.get("metadata") or {}}
        state.refunds[refund["id"]] = refund
        if key:
            state.idempotent[key] = refund
        return refund
