"""Paid event types in the dialog: the checkout after "yes", the refund line after a cancel.

After the guest's "yes" to a paid event type, :func:`checkout` opens the
payment (:func:`core.payments.open_checkout`) through the provider of the
guest's platform (:func:`core.payments.gateway_for`) and answers with the
link (or, on Telegram, with the invoice the adapter sends: :func:`invoice`);
the booking holds its seat meanwhile (``awaiting_payment``) and is confirmed
when the provider reports the money. When no provider fits or it fails, the
hold is undone with the savepoint it was made in (the caller's), and
the guest is told nothing was booked.
"""

from __future__ import annotations

from bots.conversation._turn import Turn
from bots.messages import Invoice
from bots.texts import Texts
from core import payments
from core.ids import stored_id
from core.models import PaymentStatus
from core.services import BookingView


def checkout(turn: Turn, view: BookingView) -> tuple[str, Invoice | None]:
    """Open the payment of a held booking; the reply's text (with the link) and, for a
    provider without a page (Telegram Payments), the invoice the platform shows.

    Raises:
        PaymentsOff, PaymentUnavailable: from :mod:`core.payments`; the caller
            rolls the hold back.
    """
    gateway = payments.gateway_for(turn.message.platform, turn.gateways)
    opened = payments.open_checkout(stored_id(view.booking.id), gateway=gateway, uow=turn.uow,
                                    clock=turn.clock)
    bill = None if opened.url else invoice(view, opened.checkout_id, turn.t, turn.tz)
    return turn.t.pay(view, opened.url, turn.tz), bill


def invoice(view: BookingView, payload: str, t: Texts, tz: str) -> Invoice:
    """The invoice of a held booking in the guest's language: the event type's title,
    what, with whom and when (in ``tz``), held until when; the price in minor units."""
    b, et = view.booking, view.event_type
    description = t.text("invoice_description", id=b.id, title=et.title, host=view.host.name,
                         when=t.span(b.start, b.end, tz),
                         until=t.clock(b.hold_until or b.start, tz))
    return Invoice(payload=payload, title=et.title, description=description, label=et.title,
                   amount=et.price or 0, currency=et.currency or "",
                   start=view.host.handle)


def refund_note(turn: Turn, view: BookingView) -> str:
    """The money line of a cancel's reply ("" for a booking that was never paid)."""
    paid, refunds = payments.money_of(stored_id(view.booking.id), uow=turn.uow)
    was_paid = any(p.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED) for p in paid)
    return turn.t.refund_note(view.host.name, refunds, was_paid)
