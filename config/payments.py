"""Payment providers as the settings configure them, and the outbox transport that calls them.

:func:`gateways` builds the providers (Stripe with ``STRIPE_SECRET_KEY``, Telegram
Payments with ``TELEGRAM_PAYMENT_PROVIDER_TOKEN``).
The ``payment`` outbox channel holds the provider calls made after the commit.

:mod:`core.payments` writes two kinds of rows (recipient: the provider's name):
``refund`` (payload ``refund_id``) and ``close_checkout`` (``checkout_id``).
:class:`PaymentTransport` carries them out with the provider's gateway and
records the outcome (:func:`core.payments.refund_done`); a provider that is
down (:class:`~core.errors.PaymentUnavailable`) is retried by the outbox's
backoff, a refusal for good — or the outbox giving up after its last retry
(:meth:`PaymentTransport.gave_up`) — is recorded as a failed refund and told to the host.
"""

from __future__ import annotations

from config.settings import Settings
from core import payments
from core.errors import PaymentRefused, PaymentUnavailable, RetryLater, Undeliverable
from core.models import OutboxMessage, RefundStatus
from core.ports import Clock, PaymentGateway, PaymentGateways, UnitOfWorkFactory


def gateways(settings: Settings) -> dict[str, PaymentGateway]:
    """The payment providers the settings configure, by name (empty: none)."""
    found: dict[str, PaymentGateway] = {}
    if settings.stripe_secret_key is not None:
        from storage.payments.stripe_gateway import StripeGateway

        found["stripe"] = StripeGateway(settings.stripe_secret_key.get_secret_value(),
                                        api_base=settings.stripe_api_base,
                                        success_url=settings.stripe_success_url)
    if settings.telegram_payment_provider_token is not None:
        from bots.telegram_payments import TelegramGateway

        found["telegram"] = TelegramGateway(
            settings.telegram_payment_provider_token.get_secret_value())
    return found


class PaymentTransport:
    """A :class:`bots.delivery.MessageTransport` (and ``GivesUp``) for
    :data:`core.payments.PAYMENT_CHANNEL`."""

    def __init__(self, gateways: PaymentGateways, uow_factory: UnitOfWorkFactory,
                 clock: Clock) -> None:
        self._gateways = gateways
        self._uow_factory = uow_factory
        self._clock = clock

    def send_message(self, message: OutboxMessage) -> None:
        """Raises: RetryLater (provider down or not configured), Undeliverable (unknown kind)."""
        gateway = self._gateways.get(message.recipient)
        if gateway is None:
            raise RetryLater(f"no {message.recipient} gateway configured")
        try:
            if message.kind == "close_checkout":
                gateway.close_checkout(str(message.payload["checkout_id"]))
            elif message.kind == "refund":
                self._refund(int(str(message.payload["refund_id"])))
            else:
                raise Undeliverable(f"unknown payment job {message.kind!r}")
        except PaymentRefused as exc:
            if message.kind != "refund":
                raise Undeliverable(str(exc)) from None
            payments.refund_done(int(str(message.payload["refund_id"])),
                                 uow=self._uow_factory(), clock=self._clock, error=exc.reason)
        except PaymentUnavailable as exc:
            raise RetryLater(str(exc)) from None

    def gave_up(self, message: OutboxMessage, error: str) -> None:
        """The outbox gave up on ``message`` (out of retries): a refund is marked failed
        with ``error`` and the host told, once (:func:`core.payments.refund_done`)."""
        if message.kind == "refund":
            payments.refund_done(int(str(message.payload["refund_id"])),
                                 uow=self._uow_factory(), clock=self._clock, error=error)

    def _refund(self, refund_id: int) -> None:
        with self._uow_factory() as uow:
            refund = uow.payments.get_refund(refund_id)
            payment = uow.payments.get(refund.payment_id) if refund is not None else None
        if refund is None or payment is None or refund.status is not RefundStatus.REQUESTED:
            return  # made already (a redelivery) or gone
        gateway = self._gateways[refund.provider]
        made = gateway.refund(payment, refund)
        payments.refund_done(refund_id, uow=self._uow_factory(), clock=self._clock,
                             provider_refund_id=made)
