"""Stripe Checkout as a :class:`core.ports.PaymentGateway`, through the ``stripe`` library.

One hosted Checkout Session per paid booking (``mode=payment``, one line item
with the price, the booking id in ``metadata`` and ``client_reference_id``).
Its ``expires_at`` is the hold's end, except that Stripe accepts only 30
minutes to 24 hours from creation: a shorter hold (the default 15 minutes) gets
a session that expires at 30 minutes (plus a minute of margin), and Slotbot's
own hold governs: when it ends the tick frees the seat and closes the session
through the API (:meth:`StripeGateway.close_checkout`, ``POST
/v1/checkout/sessions/{id}/expire``), and money that still arrives is
confirmed or refunded by :func:`core.payments.record_payment`.

Refunds use ``POST /v1/refunds`` on the PaymentIntent with the idempotency key
``slotbot-refund-<PaymentIntent>-<refund id>``, so a retried refund is made once. Errors are
reported by their kind and Stripe's message, never with the key.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import stripe

from core.errors import PaymentRefused, PaymentUnavailable
from core.models import Payment, Refund
from core.ports import Checkout, CheckoutOrder

#: Stripe's limits on a Checkout Session's ``expires_at``, from its creation.
SHORTEST_SESSION = timedelta(minutes=30)
LONGEST_SESSION = timedelta(hours=24)
#: Added to the shortest, so a slow request does not fall under Stripe's limit.
MARGIN = timedelta(minutes=1)
#: Checkout page languages Stripe offers among ours.
LOCALES = frozenset({"en", "de", "es", "fr", "pt"})


def session_expiry(hold_until: datetime, now: datetime) -> datetime:
    """When the session ends: the hold's end, kept inside Stripe's 30 min – 24 h."""
    return min(max(hold_until, now + SHORTEST_SESSION + MARGIN), now + LONGEST_SESSION)


class StripeGateway:
    """Checkout Sessions and Refunds on one Stripe account.

    Args:
        secret_key: ``STRIPE_SECRET_KEY`` (``sk_…``).
        api_base: the API root (``STRIPE_API_BASE``); None: Stripe's. Tests point
            it at a local server speaking Stripe's REST shape.
        success_url: where Checkout sends the guest after paying; None: not sent.
        timeout: seconds per request.
    """

    name = "stripe"
    refunds_by_api = True

    def __init__(self, secret_key: str, *, api_base: str | None = None,
                 success_url: str | None = None, timeout: float = 10.0) -> None:
        self._client = stripe.StripeClient(
            secret_key, base_addresses={"api": api_base} if api_base else None,
            http_client=stripe.RequestsClient(timeout=timeout), max_network_retries=1)
        self._success_url = success_url

    def open_checkout(self, order: CheckoutOrder, *, now: datetime) -> Checkout:
        """``POST /v1/checkout/sessions``.

        Raises:
            PaymentUnavailable: Stripe refused or could not be reached.
        """
        booking = str(order.booking_id)
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [{"quantity": 1, "price_data": {
                "currency": order.currency.lower(), "unit_amount": order.amount,
                "product_data": {"name": order.title, "description": order.description}}}],
            "metadata": {"booking_id": booking},
            "payment_intent_data": {"metadata": {"booking_id": booking}},
            "client_reference_id": booking,
            "expires_at": int(session_expiry(order.hold_until, now).timestamp()),
        }
        if self._success_url:
            params["success_url"] = self._success_url
        if order.guest_email:
            params["customer_email"] = order.guest_email
        if order.locale and order.locale[:2] in LOCALES:
            params["locale"] = order.locale[:2]
        try:
            session = self._client.v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]
        except stripe.StripeError as exc:
            raise PaymentUnavailable(self.name, _reason(exc)) from None
        return Checkout(session.id, session.url,
                        datetime.fromtimestamp(session.expires_at, UTC))

    def close_checkout(self, checkout_id: str) -> None:
        """``POST /v1/checkout/sessions/{id}/expire``; a session no longer open is left alone.

        Raises:
            PaymentUnavailable: try again later.
        """
        try:
            self._client.v1.checkout.sessions.expire(checkout_id)
        except stripe.InvalidRequestError:
            return  # completed or expired already: nothing is left to close
        except stripe.StripeError as exc:
            raise PaymentUnavailable(self.name, _reason(exc)) from None

    def refund(self, payment: Payment, refund: Refund) -> str:
        """``POST /v1/refunds`` of the PaymentIntent, idempotent per refund.

        Raises:
            PaymentRefused: Stripe refused it (unknown payment, more than paid).
            PaymentUnavailable: try again later.
        """
        if not payment.provider_payment_id:
            raise PaymentRefused(self.name, "the payment has no PaymentIntent")
        params = {"payment_intent": payment.provider_payment_id, "amount": refund.amount,
                  "metadata": {"booking_id": str(refund.booking_id),
                               "reason": refund.reason}}
        try:
            made = self._client.v1.refunds.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": idempotency_key(payment, refund)})
        except (stripe.InvalidRequestError, stripe.CardError) as exc:
            raise PaymentRefused(self.name, _reason(exc)) from None
        except stripe.StripeError as exc:
            raise PaymentUnavailable(self.name, _reason(exc)) from None
        return str(made.id)


def idempotency_key(payment: Payment, refund: Refund) -> str:
    """``slotbot-refund-<PaymentIntent>-<refund id>``: the same refund retried is made once,
    and another database's refund #1 (a restore, a second install) never collides."""
    return f"slotbot-refund-{payment.provider_payment_id}-{refund.id}"


def _reason(exc: stripe.StripeError) -> str:
    """The error's kind and Stripe's own message (which never carries the key)."""
    message = exc.user_message or ""
    return f"{type(exc).__name__}: {message}"[:300] if message else type(exc).__name__
