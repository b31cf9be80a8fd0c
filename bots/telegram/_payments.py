"""Telegram Payments in the adapter: invoices out, ``pre_checkout_query`` and
``successful_payment`` in.

- An invoice (a reply's :class:`bots.messages.Invoice`) is sent with
  ``sendInvoice`` and the provider token (:func:`bots.telegram._render.render_invoice`).
- A ``pre_checkout_query`` must be answered within 10 seconds of the guest's
  tap, or the payment fails. It therefore skips the chat's lane and the worker
  pool (:class:`bots.telegram._lanes.ChatLanes` runs it at once) and its
  re-check runs on threads of its own, :data:`CHECK_THREADS` of them; a check
  that takes longer than :data:`ANSWER_WITHIN` seconds is answered "try again"
  rather than not at all.
- A ``successful_payment`` message goes through the chat's lane like any
  message; it is recorded once by its ``telegram_payment_charge_id``
  (:meth:`bots.telegram_payments.PaymentDesk.paid`), and the guest's and host's
  notices go out through the outbox.

Both kinds of update are stored in the inbox first like every update (a
duplicate ``update_id`` is dropped) and marked done once handled.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bots import texts
from bots.messages import Invoice
from bots.telegram._render import render_invoice
from bots.telegram_payments import PreCheckout, SuccessfulPayment
from bots.texts import Texts

if TYPE_CHECKING:
    from bots.telegram._application import _Relay

#: Seconds a pre-checkout re-check may take before the guest is asked to try again
#: (Telegram gives 10 s for the whole answer, the round trips included).
ANSWER_WITHIN = 6.0
#: Threads that run pre-checkout re-checks (never busy with conversation turns).
CHECK_THREADS = 2

_LOGGER = logging.getLogger(__name__)


class Desk(Protocol):
    """What the adapter asks of the payments side (:class:`bots.telegram_payments.PaymentDesk`)."""

    def pre_checkout(self, query: PreCheckout) -> str | None: ...
    def paid(self, payment: SuccessfulPayment) -> object: ...


@dataclass(frozen=True)
class Payments:
    """Telegram Payments for :func:`bots.telegram.build_application`.

    Attributes:
        provider_token: ``TELEGRAM_PAYMENT_PROVIDER_TOKEN``; sent with each invoice,
            never logged.
        desk: answers the pre-checkout queries and records the payments.
        answer_within: seconds a pre-checkout check may take before the guest is
            asked to try again (default :data:`ANSWER_WITHIN`).
    """

    provider_token: str
    desk: Desk
    answer_within: float = ANSWER_WITHIN

    def __repr__(self) -> str:
        return f"Payments(provider_token=<hidden>, desk={self.desk!r}, " \
               f"answer_within={self.answer_within})"


class PaymentHandlers:
    """The PTB callbacks of the two payment updates, and the invoice sender."""

    def __init__(self, payments: Payments, relay: _Relay) -> None:
        self.payments = payments
        self.relay = relay
        self.checks = ThreadPoolExecutor(CHECK_THREADS, thread_name_prefix="telegram-checkout")

    async def send_invoice(self, context: ContextTypes.DEFAULT_TYPE, chat_id: str,
                           invoice: Invoice) -> None:
        """``sendInvoice`` to the chat; a refusal is logged (the hold then just runs out)."""
        try:
            await context.bot.send_invoice(
                chat_id=chat_id, **render_invoice(invoice, self.payments.provider_token))
        except (TelegramError, ValueError):
            _LOGGER.exception("Sending an invoice to chat %s failed", chat_id)

    async def pre_checkout(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer ``ok`` while the hold is live, else refuse with the reason."""
        query = update.pre_checkout_query
        assert query is not None  # PreCheckoutQueryHandler
        locale = query.from_user.language_code
        asked = PreCheckout(query.invoice_payload, query.currency, query.total_amount, locale)
        loop = asyncio.get_running_loop()
        try:
            refusal = await asyncio.wait_for(
                loop.run_in_executor(self.checks, self.payments.desk.pre_checkout, asked),
                self.payments.answer_within)
        except TimeoutError:
            _LOGGER.warning("Pre-checkout query %s: the check took over %ss", query.id,
                            self.payments.answer_within)
            refusal = Texts(texts.language(locale)).text("invoice_slow")
        except Exception:
            _LOGGER.exception("Pre-checkout query %s: the check failed", query.id)
            refusal = Texts(texts.language(locale)).text("invoice_slow")
        try:
            await query.answer(ok=refusal is None, error_message=refusal)
        except TelegramError:
            _LOGGER.warning("Could not answer pre-checkout query %s", query.id, exc_info=True)
        await self._done(update)

    async def paid(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Record the money (once per charge id); the notices follow through the outbox."""
        message = update.message
        payment = message.successful_payment if message is not None else None
        assert payment is not None  # filters.SUCCESSFUL_PAYMENT
        received = SuccessfulPayment(payment.invoice_payload, payment.currency,
                                     payment.total_amount, payment.telegram_payment_charge_id,
                                     payment.provider_payment_charge_id)
        try:
            await self.relay.run(self.payments.desk.paid, received)
        except Exception:
            _LOGGER.exception("Recording Telegram payment %s failed; it stays in the inbox",
                              payment.telegram_payment_charge_id)
            return  # not done: the next process takes it over and records it
        await self._done(update)

    async def _done(self, update: Update) -> None:
        queue = self.relay.queue
        entry = queue.entry(update) if queue is not None else None
        if entry is not None and queue is not None:
            await self.relay.keep(queue.inbox.done, entry)
