"""``POST /stripe/webhook``: Stripe's events about Checkout Sessions, verified, handled once.

The adapter of Stripe's side, like the chat adapters: it verifies the request
(``stripe.Webhook.construct_event`` with ``STRIPE_WEBHOOK_SECRET`` and a
tolerance of :data:`TOLERANCE` seconds: an unsigned, wrongly signed or stale
request is answered 400 and changes nothing), translates the event and calls
:mod:`core.payments`:

* ``checkout.session.completed`` (when ``payment_status`` is ``paid``) and
  ``checkout.session.async_payment_succeeded`` → :func:`core.payments.record_payment`
  (keyed by the PaymentIntent: the same money reported twice confirms once);
* ``checkout.session.expired`` → :func:`core.payments.checkout_expired`;
* anything else is acknowledged and ignored.

Each event is recorded by its id (``payment_events``) in the transaction of its
effect, so a replayed event (Stripe retries until it sees a 2xx) does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import stripe

from core import payments
from core.payments import Received
from core.ports import Clock, UnitOfWork, UnitOfWorkFactory

_LOGGER = logging.getLogger(__name__)

PATH = "/stripe/webhook"
#: Seconds a signature's timestamp may be old (Stripe's default, 5 minutes).
TOLERANCE = 300
#: Largest body read, bytes (Stripe's events are a few kB).
MAX_BODY = 512 * 1024
_PAID = ("checkout.session.completed", "checkout.session.async_payment_succeeded")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class Answer:
    """The HTTP answer: ``status`` code and a one-line ``text``."""

    status: int
    text: str


def handle(body: bytes, signature: str | None, *, secret: str, uow_factory: UnitOfWorkFactory,
           clock: Clock) -> Answer:
    """Verify and handle one webhook request.

    Returns:
        400 for a request that does not verify; 200 otherwise (handled,
        replayed or ignored), so Stripe stops retrying.
    """
    try:
        event = stripe.Webhook.construct_event(body.decode("utf-8"), signature, secret,
                                               tolerance=TOLERANCE)
    except (ValueError, UnicodeDecodeError, stripe.SignatureVerificationError) as exc:
        _LOGGER.warning("stripe webhook refused: %s", type(exc).__name__)
        return Answer(400, "refused")
    kind, session = str(event.type), event.data.object.to_dict()
    with uow_factory() as uow:
        if not uow.payments.first_event("stripe", str(event.id), kind, clock()):
            return Answer(200, "replayed")
        done = _act(kind, session, uow=uow, clock=clock)
        uow.commit()
    _LOGGER.info("stripe %s %s: %s", kind, event.id, done)
    return Answer(200, done)


def _act(kind: str, session: dict[str, Any], *, uow: UnitOfWork, clock: Clock) -> str:
    if kind in _PAID and session.get("payment_status") == "paid":
        metadata = session.get("metadata") or {}
        booking = str(metadata.get("booking_id") or "")
        result = payments.record_payment(Received(
            provider="stripe", provider_payment_id=str(session.get("payment_intent")),
            amount=int(session.get("amount_total") or 0),
            currency=str(session.get("currency") or "").upper(),
            booking_id=int(booking) if booking.isdigit() else None,
            checkout_id=str(session.get("id"))), uow=uow, clock=clock)
        return result.outcome.value
    if kind == "checkout.session.expired":
        freed = payments.checkout_expired("stripe", str(session.get("id")), uow=uow,
                                          clock=clock)
        return "freed" if freed else "expired"
    return "ignored"


def make_app(*, secret: str, uow_factory: UnitOfWorkFactory, clock: Clock) -> WsgiApp:
    """The WSGI app answering ``POST /stripe/webhook`` (405 for other methods)."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return _reply(start_response, Answer(405, "POST only"))
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return _reply(start_response, Answer(400, "refused"))
        body = environ["wsgi.input"].read(length)
        answer = handle(body, environ.get("HTTP_STRIPE_SIGNATURE"), secret=secret,
                        uow_factory=uow_factory, clock=clock)
        return _reply(start_response, answer)

    return app


_REASONS = {200: "OK", 400: "Bad Request", 405: "Method Not Allowed"}


def _reply(start_response: StartResponse, answer: Answer) -> list[bytes]:
    body = (answer.text + "\n").encode()
    start_response(f"{answer.status} {_REASONS[answer.status]}",
                   [("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(body)))])
    return [body]
