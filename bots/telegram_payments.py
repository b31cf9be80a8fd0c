"""Telegram Payments as a payment provider: signed invoices, the pre-checkout re-check, the money.

No python-telegram-bot here (the adapter's handlers are in
:mod:`bots.telegram._payments`); this module is what they and the composition
root need:

* :class:`TelegramGateway` is the :class:`core.ports.PaymentGateway` named
  ``telegram``: opening a checkout makes the invoice payload — the booking id
  signed with HMAC-SHA256 under a key derived from the provider token — and the
  invoice (:class:`bots.messages.Invoice`, made by the conversation) is then
  sent by the adapter (``sendInvoice``).
  Telegram has no refund method in the Bot API, so its refunds are ``manual``
  (:data:`core.payments.MANUAL_REFUND_PROVIDERS`: the host is asked to refund
  in the provider's dashboard and the guest is told so).
* :class:`PaymentDesk` answers what Telegram asks and reports:
  ``pre_checkout_query`` (:meth:`PaymentDesk.pre_checkout`: still payable? —
  :func:`core.payments.hold_live`, with the host's calendar locked) and
  ``successful_payment`` (:meth:`PaymentDesk.paid`:
  :func:`core.payments.record_payment`, keyed by ``telegram_payment_charge_id``,
  so an update delivered twice confirms once).

See https://core.telegram.org/bots/payments and
https://core.telegram.org/bots/api#sendinvoice.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime

from bots import texts
from bots.texts import Texts
from core import payments
from core.errors import PaymentRefused
from core.models import Payment, PaymentStatus, Refund
from core.ports import Checkout, CheckoutOrder, Clock, UnitOfWorkFactory

PROVIDER = "telegram"
#: Hex digits of the payload's signature (64 bits: forging one takes 2**64 tries).
SIGNATURE_DIGITS = 16

_LOGGER = logging.getLogger(__name__)


def _key(provider_token: str) -> bytes:
    """The signing key: derived from the provider token, so no other setting is needed."""
    return hashlib.sha256(b"slotbot-invoice:" + provider_token.encode()).digest()


def sign(booking_id: int, provider_token: str) -> str:
    """The invoice payload of a booking: ``b<id>.<signature>`` (at most 38 bytes)."""
    body = f"b{booking_id}"
    mac = hmac.new(_key(provider_token), body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac[:SIGNATURE_DIGITS]}"


def booking_of(payload: str, provider_token: str) -> int | None:
    """The booking id of a payload made by :func:`sign`, or None if it is not one of ours."""
    body, _, mac = payload.partition(".")
    if not (body.startswith("b") and body[1:].isascii() and body[1:].isdigit()):
        return None
    expected = sign(int(body[1:]), provider_token).partition(".")[2]
    return int(body[1:]) if hmac.compare_digest(mac, expected) else None


class TelegramGateway:
    """Telegram Payments, seen from :mod:`core.payments` (a ``PaymentGateway``).

    Args:
        provider_token: ``TELEGRAM_PAYMENT_PROVIDER_TOKEN`` (from @BotFather,
            per payment provider); it signs the payloads and is never logged.
    """

    name = PROVIDER
    refunds_by_api = False

    def __init__(self, provider_token: str) -> None:
        self._token = provider_token

    def __repr__(self) -> str:
        return "TelegramGateway(provider_token=<hidden>)"

    def open_checkout(self, order: CheckoutOrder, *, now: datetime) -> Checkout:
        """The invoice's payload; the adapter sends the invoice itself (no page URL).

        It "expires" with the hold: the pre-checkout re-check refuses it afterwards.
        """
        return Checkout(sign(order.booking_id, self._token), None, order.hold_until)

    def close_checkout(self, checkout_id: str) -> None:
        """Nothing to close at Telegram: a sent invoice cannot be withdrawn, and
        :meth:`PaymentDesk.pre_checkout` refuses it once its hold has ended."""

    def refund(self, payment: Payment, refund: Refund) -> str:
        """Never possible: the Bot API has no refund method.

        Raises:
            PaymentRefused: always (core records Telegram refunds as ``manual``
                and never queues them here).
        """
        raise PaymentRefused(PROVIDER, "the Bot API cannot refund; refund in the provider's "
                                       "dashboard")


@dataclass(frozen=True)
class PreCheckout:
    """A ``pre_checkout_query``: who pays what for which invoice (Telegram's fields)."""

    payload: str
    currency: str
    total_amount: int
    locale: str | None = None


@dataclass(frozen=True)
class SuccessfulPayment:
    """A ``successful_payment`` message: the invoice and Telegram's and the provider's ids."""

    payload: str
    currency: str
    total_amount: int
    telegram_payment_charge_id: str
    provider_payment_charge_id: str | None = None


class PaymentDesk:
    """Answers Telegram's pre-checkout queries and records its payments (blocking; run
    it off the event loop).

    Args:
        uow_factory: units of work on the database.
        clock: the current instant (aware UTC).
        provider_token: verifies the payloads (see :func:`sign`).
    """

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, provider_token: str) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._token = provider_token

    def pre_checkout(self, query: PreCheckout) -> str | None:
        """Whether the invoice may be paid now: None for yes, else why not (in the guest's
        language, for ``answerPreCheckoutQuery``'s ``error_message``).

        Refused: a payload we did not sign, an amount or currency other than the
        open payment's, a hold that has ended or was let go (checked in a
        transaction, with the host's calendar locked: :func:`core.payments.hold_live`).
        """
        t = Texts(texts.language(query.locale))
        if booking_of(query.payload, self._token) is None:
            _LOGGER.warning("refused a pre-checkout query for an invoice we did not sign")
            return t.text("invoice_unknown")
        with self._uow_factory() as uow:
            payment = uow.payments.by_checkout(PROVIDER, query.payload)
        if payment is None or payment.status is not PaymentStatus.OPEN:
            return t.text("invoice_expired")
        if (payment.amount, payment.currency) != (query.total_amount, query.currency):
            return t.text("invoice_changed")
        if not payments.hold_live(PROVIDER, query.payload, uow=self._uow_factory(),
                                  clock=self._clock):
            return t.text("invoice_expired")
        return None

    def paid(self, payment: SuccessfulPayment) -> payments.PaymentResult:
        """Record the money once (by ``telegram_payment_charge_id``) and confirm its booking
        — or refund it by policy (a hold let go and its seat taken): see
        :func:`core.payments.record_payment`. The guest's and host's notices go
        through the outbox.
        """
        booking_id = booking_of(payment.payload, self._token)
        if booking_id is None:
            _LOGGER.warning("a Telegram payment for an invoice we did not sign (charge %s)",
                            payment.telegram_payment_charge_id)
        received = payments.Received(
            provider=PROVIDER, provider_payment_id=payment.telegram_payment_charge_id,
            amount=payment.total_amount, currency=payment.currency, booking_id=booking_id,
            checkout_id=payment.payload, provider_charge_id=payment.provider_payment_charge_id)
        result = payments.record_payment(received, uow=self._uow_factory(), clock=self._clock)
        _LOGGER.info("Telegram payment %s for booking %s: %s",
                     payment.telegram_payment_charge_id, result.booking_id, result.outcome.value)
        return result

