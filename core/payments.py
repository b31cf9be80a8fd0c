"""Paid event types: hold the seat, take the money, confirm, refund by policy.

A paid booking (an event type with a price) starts ``awaiting_payment``: it
holds its seat exactly like ``pending`` (availability and the booking
transaction count it) until ``hold_until`` (``payment_window`` minutes after
the guest's "yes"). Then:

* the provider reports the money (:func:`record_payment`, keyed by provider +
  provider payment id, so a report delivered twice does nothing): the booking
  is ``confirmed`` with the usual notices;
* the hold ends first (:func:`expire_holds`, in the periodic tick): the booking
  is cancelled with :data:`HOLD_EXPIRED_REASON`, its seat is free, its
  checkout is closed at the provider and the guest is told;
* money that arrives after the hold ended confirms the booking only if its seat
  is still free (checked again with the host's calendar locked); otherwise it
  is refunded automatically and the guest told: never a double booking.

Refunds are recorded (:class:`core.models.Refund`) in the transaction that
decides them and carried out afterwards through the outbox
(:data:`PAYMENT_CHANNEL`, kind ``refund``) by the provider's transport, with
retries. Providers without a refund API (:data:`MANUAL_REFUND_PROVIDERS`,
Telegram Payments) get a ``manual`` refund: the host is asked to make it by
hand and the guest is told so.

Every function here runs in the caller's unit of work (re-entrant: a savepoint
inside a conversation turn) and commits it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.booking_rules import check_free, view_of
from core.errors import (
    BookingNotFound,
    BookingNotLive,
    DuplicatePayment,
    NotAllowed,
    PaymentsOff,
    SlotUnavailable,
)
from core.ids import stored_id
from core.models import (
    Booking,
    BookingStatus,
    EventType,
    OutboxMessage,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from core.notifications import notify_guest, notify_host
from core.ports import Checkout, CheckoutOrder, Clock, PaymentGateway, PaymentGateways, UnitOfWork
from core.views import Actor, BookingView

#: The outbox channel of provider calls made after the commit: ``refund`` (payload
#: ``refund_id``) and ``close_checkout`` (payload ``provider``, ``checkout_id``).
PAYMENT_CHANNEL = "payment"
#: Reason stored on a paid booking whose hold ended before the money came.
HOLD_EXPIRED_REASON = "payment window expired"
#: Reason stored on a paid booking whose checkout could not be opened.
CHECKOUT_FAILED_REASON = "payment could not be started"
#: Providers that cannot refund through an API: their refunds are ``manual``.
MANUAL_REFUND_PROVIDERS = frozenset({"telegram"})
#: Why money goes back: the guest cancelled inside the policy, the host cancelled,
#: the money came after the hold and the seat was taken (or the booking was gone),
#: the booking was paid already, the amount was not the price, the host asked.
REFUND_REASONS = ("guest_cancel", "host_cancel", "seat_taken", "already_paid",
                  "amount_mismatch", "host")
#: Bookings whose hold :func:`expire_holds` lets go per transaction.
BATCH = 200


class Outcome(enum.StrEnum):
    """What :func:`record_payment` did with the money."""

    CONFIRMED = "confirmed"
    DUPLICATE = "duplicate"
    REFUNDED = "refunded"


@dataclass(frozen=True)
class Received:
    """Money a provider reports for a booking.

    ``amount`` in the currency's minor unit; ``provider_payment_id`` the
    provider's id of the payment (the idempotency key, with ``provider``);
    ``checkout_id`` the checkout it was paid through, when known (finds the
    booking even after a reschedule); ``booking_id`` the booking the checkout
    was made for (Stripe metadata, Telegram payload), used when the checkout is
    not on record.
    """

    provider: str
    provider_payment_id: str
    amount: int
    currency: str
    booking_id: int | None = None
    checkout_id: str | None = None
    provider_charge_id: str | None = None


@dataclass(frozen=True)
class PaymentResult:
    """What became of money received: ``late`` when it came after the hold ended."""

    outcome: Outcome
    booking_id: int | None
    payment: Payment | None = None
    refund: Refund | None = None
    late: bool = False


# --- booking ------------------------------------------------------------------------------


def hold(booking: Booking, event_type: EventType, now: datetime) -> None:
    """Make a new booking of a paid event type a hold: ``awaiting_payment`` until
    ``now + payment_window`` (called by :func:`core.services.book`)."""
    booking.status = BookingStatus.AWAITING_PAYMENT
    booking.hold_until = now + timedelta(minutes=event_type.payment_window)


def gateway_for(platform: str, gateways: PaymentGateways) -> PaymentGateway:
    """The provider a guest on ``platform`` pays through: Telegram Payments on
    Telegram when configured, else Stripe Checkout.

    Raises:
        PaymentsOff: no provider fits.
    """
    for name in (("telegram", "stripe") if platform == "telegram" else ("stripe",)):
        if name in gateways:
            return gateways[name]
    raise PaymentsOff(platform)


def open_checkout(booking_id: int, *, gateway: PaymentGateway, uow: UnitOfWork,
                  clock: Clock) -> Checkout:
    """Open the checkout of a held booking and record the payment as ``open``.

    The provider is called inside the transaction (like a calendar read), so
    the payment row and the hold commit together; a checkout whose transaction
    then fails is never shown and, if paid anyway, is refunded
    (:func:`record_payment` finds no live hold).

    Raises:
        BookingNotFound. BookingNotLive: the booking is not ``awaiting_payment``.
        PaymentUnavailable: the provider failed; nothing is recorded (the caller
            lets the hold go with :func:`release_hold`).
    """
    now = clock()
    with uow:
        booking = uow.bookings.get(booking_id)
        if booking is None:
            raise BookingNotFound(booking_id)
        if booking.status is not BookingStatus.AWAITING_PAYMENT or booking.hold_until is None:
            raise BookingNotLive(booking_id, booking.status.value)
        view = view_of(uow, booking)
        event_type = view.event_type
        amount, currency = event_type.price or 0, event_type.currency or ""
        order = CheckoutOrder(
            booking_id=booking_id, amount=amount, currency=currency,
            title=f"{event_type.title} — {view.host.name}",
            description=f"#{booking_id} {booking.start.isoformat()}",
            hold_until=booking.hold_until, guest_email=view.guest.email,
            locale=view.guest.locale)
        checkout = gateway.open_checkout(order, now=now)
        uow.payments.add(Payment(
            booking_id=booking_id, host_id=booking.host_id, event_type_id=booking.event_type_id,
            provider=gateway.name, amount=amount, currency=currency, created_at=now,
            checkout_id=checkout.checkout_id, checkout_url=checkout.url))
        uow.commit()
        return checkout


def release_hold(booking_id: int, *, uow: UnitOfWork, clock: Clock,
                 reason: str = CHECKOUT_FAILED_REASON) -> None:
    """Let a hold go at once (its checkout could not be opened): cancelled with
    ``reason``, seat free, nobody notified (the guest hears it in the reply)."""
    now = clock()
    with uow:
        booking = uow.bookings.get_for_update(booking_id)
        if booking is not None and booking.status is BookingStatus.AWAITING_PAYMENT:
            _let_go(booking, now, reason)
        uow.commit()


def hold_live(provider: str, checkout_id: str, *, uow: UnitOfWork, clock: Clock) -> bool:
    """Whether the checkout may still be paid: its payment is open and its booking
    is ``awaiting_payment`` with the hold not ended (read with the host's calendar
    locked; Telegram's ``pre_checkout_query``)."""
    now = clock()
    with uow:
        payment = uow.payments.by_checkout(provider, checkout_id)
        booking = uow.bookings.get(payment.booking_id) if payment is not None else None
        if payment is None or booking is None or payment.status is not PaymentStatus.OPEN:
            return False
        uow.hosts.lock(view_of(uow, booking).host)
        current = uow.bookings.get_for_update(payment.booking_id)
        return (current is not None and current.status is BookingStatus.AWAITING_PAYMENT
                and current.hold_until is not None and now < current.hold_until)


# --- money in -----------------------------------------------------------------------------


def record_payment(received: Received, *, uow: UnitOfWork, clock: Clock) -> PaymentResult:
    """Record money a provider reports, once, and confirm or refund its booking.

    With the host's calendar locked: a payment already recorded under
    (provider, provider payment id) is a duplicate and changes nothing. Else the
    payment is recorded ``paid`` and its booking:

    * ``awaiting_payment``: becomes ``confirmed`` (``pending`` when the event type
      requires confirmation: a decline or an expiry then refunds); the host gets
      ``booking_created`` (``booking_requested``) and the guest ``booking_paid``;
    * cancelled because its hold ended, with the seat still free (checked
      again, like a new booking): confirmed the same way (``late``);
    * anything else (seat taken, cancelled by the guest, paid already, gone, the
      amount not the price): the money is refunded (``seat_taken``,
      ``already_paid``, ``amount_mismatch``) and the guest gets ``payment_refunded``.

    Returns:
        The outcome, with the payment and any refund.
    """
    now = clock()
    with uow:
        opened = (uow.payments.by_checkout(received.provider, received.checkout_id)
                  if received.checkout_id else None)
        booking_id = opened.booking_id if opened is not None else received.booking_id
        booking = uow.bookings.get(booking_id) if booking_id is not None else None
        view = view_of(uow, booking) if booking is not None else None
        if view is not None:
            uow.hosts.lock(view.host)
            booking = uow.bookings.get_for_update(stored_id(view.booking.id))
        known = uow.payments.by_provider_id(received.provider, received.provider_payment_id)
        if known is not None:
            return PaymentResult(Outcome.DUPLICATE, known.booking_id, known)
        expected = ((opened.amount, opened.currency) if opened is not None
                    else (view.event_type.price, view.event_type.currency) if view else None)
        payment = _paid(opened, received, booking, now)
        try:
            if payment.id is None:
                uow.payments.add(payment)
        except DuplicatePayment:
            return PaymentResult(Outcome.DUPLICATE, booking_id)
        if booking is None or view is None:
            refund = _refund(uow, payment, "seat_taken", now, None)
            uow.commit()
            return PaymentResult(Outcome.REFUNDED, booking_id, payment, refund, late=True)
        view = BookingView(booking, view.host, view.event_type, view.guest)
        result = _settle(uow, view, payment, now, expected=expected)
        uow.commit()
        return result


def _paid(opened: Payment | None, received: Received, booking: Booking | None,
          now: datetime) -> Payment:
    payment = opened or Payment(
        booking_id=received.booking_id or 0,
        host_id=booking.host_id if booking else None,
        event_type_id=booking.event_type_id if booking else None,
        provider=received.provider, amount=received.amount, currency=received.currency,
        created_at=now, checkout_id=received.checkout_id)
    payment.amount, payment.currency = received.amount, received.currency
    payment.status = PaymentStatus.PAID
    payment.provider_payment_id = received.provider_payment_id
    payment.provider_charge_id = received.provider_charge_id
    payment.paid_at = now
    return payment


def _settle(uow: UnitOfWork, view: BookingView, payment: Payment, now: datetime, *,
            expected: tuple[int | None, str | None] | None) -> PaymentResult:
    """Confirm the booking the payment is for, or refund the payment.

    ``expected``: (amount, currency) the guest was asked for.
    """
    booking = view.booking
    if (payment.amount, payment.currency) != expected:
        return _refunded(uow, view, payment, "amount_mismatch", now)
    late = False
    if booking.status is not BookingStatus.AWAITING_PAYMENT:
        if not _revivable(uow, view, now):
            reason = ("already_paid" if booking.status is BookingStatus.CONFIRMED
                      else "seat_taken")
            return _refunded(uow, view, payment, reason, now)
        late = True
    asks = view.event_type.requires_confirmation
    booking.status = BookingStatus.PENDING if asks else BookingStatus.CONFIRMED
    booking.created_at = now if asks else booking.created_at  # the host's time to decide
    booking.hold_until = None
    booking.cancelled_at = None
    booking.cancel_reason = None
    paid = {"amount": payment.amount, "currency": payment.currency}
    notify_host(uow, view, "booking_requested" if asks else "booking_created", now, **paid)
    notify_guest(uow, view, "booking_paid", now, **paid)
    return PaymentResult(Outcome.CONFIRMED, booking.id, payment, late=late)


def _revivable(uow: UnitOfWork, view: BookingView, now: datetime) -> bool:
    """Whether a booking whose hold ended may still have its seat (checked as if new)."""
    booking = view.booking
    if booking.status is not BookingStatus.CANCELLED or \
            booking.cancel_reason != HOLD_EXPIRED_REASON or booking.start <= now:
        return False
    minutes = int(booking.duration.total_seconds() // 60)
    try:
        check_free(uow, view.host, view.event_type, booking.start, now=now, duration=minutes,
                   ignore_id=booking.id, guest_id=booking.guest_id)
    except SlotUnavailable:
        return False
    return True


def _refunded(uow: UnitOfWork, view: BookingView, payment: Payment, reason: str,
              now: datetime) -> PaymentResult:
    refund = _refund(uow, payment, reason, now, view)
    return PaymentResult(Outcome.REFUNDED, view.booking.id, payment, refund,
                         late=view.booking.status is not BookingStatus.AWAITING_PAYMENT)


def checkout_expired(provider: str, checkout_id: str, *, uow: UnitOfWork, clock: Clock) -> bool:
    """The provider closed an unpaid checkout (Stripe ``checkout.session.expired``).

    The payment becomes ``expired``; its booking, if still held and with no
    other open checkout, lets its seat go like an ended hold (the guest is told).

    Returns:
        Whether a hold was let go.
    """
    now = clock()
    with uow:
        payment = uow.payments.by_checkout(provider, checkout_id)
        if payment is None or payment.status is not PaymentStatus.OPEN:
            return False
        payment.status = PaymentStatus.EXPIRED
        booking = uow.bookings.get(payment.booking_id)
        freed = False
        still_open = any(p.status is PaymentStatus.OPEN
                         for p in uow.payments.of_booking(payment.booking_id))
        if booking is not None and booking.status is BookingStatus.AWAITING_PAYMENT \
                and not still_open:
            view = view_of(uow, booking)
            uow.hosts.lock(view.host)
            current = uow.bookings.get_for_update(payment.booking_id)
            if current is not None and current.status is BookingStatus.AWAITING_PAYMENT:
                _expire(uow, BookingView(current, view.host, view.event_type, view.guest), now)
                freed = True
        uow.commit()
        return freed


# --- holds --------------------------------------------------------------------------------


def expire_holds(uow: UnitOfWork, now: datetime, *, batch: int = BATCH) -> int:
    """Let go every hold that ended by ``now`` (the periodic tick): the booking is
    cancelled with :data:`HOLD_EXPIRED_REASON`, its open checkouts are closed at the
    provider (outbox, ``close_checkout``) and the guest gets ``payment_expired``.

    Idempotent; up to ``batch`` holds per call.

    Returns:
        How many holds ended.
    """
    count = 0
    with uow:
        for booking in uow.payments.expired_holds(now, batch):
            view = view_of(uow, booking)
            uow.hosts.lock(view.host)
            current = uow.bookings.get_for_update(stored_id(booking.id))
            if current is None or current.status is not BookingStatus.AWAITING_PAYMENT:
                continue
            _expire(uow, BookingView(current, view.host, view.event_type, view.guest), now)
            count += 1
        uow.commit()
    return count


def _expire(uow: UnitOfWork, view: BookingView, now: datetime) -> None:
    _let_go(view.booking, now, HOLD_EXPIRED_REASON)
    _close_open(uow, stored_id(view.booking.id), now)
    notify_guest(uow, view, "payment_expired", now)


def _let_go(booking: Booking, now: datetime, reason: str) -> None:
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancel_reason = reason
    booking.hold_until = None


def _close_open(uow: UnitOfWork, booking_id: int, now: datetime) -> None:
    """Mark the booking's open payments expired and close their checkouts at the provider."""
    for payment in uow.payments.of_booking(booking_id):
        if payment.status is not PaymentStatus.OPEN:
            continue
        payment.status = PaymentStatus.EXPIRED
        if payment.checkout_id and payment.provider not in MANUAL_REFUND_PROVIDERS:
            uow.outbox.add(OutboxMessage(
                PAYMENT_CHANNEL, payment.provider, "close_checkout",
                {"provider": payment.provider, "checkout_id": payment.checkout_id,
                 "booking_id": booking_id}, created_at=now))


# --- refunds ------------------------------------------------------------------------------


def refundable(view: BookingView, actor: Actor, now: datetime) -> bool:
    """Whether cancelling now gives the money back in full: always when the host
    cancels; for the guest, up to ``refund_until`` minutes before the start."""
    if actor.kind == "host":
        return True
    until = view.event_type.refund_until
    return until is not None and now <= view.booking.start - timedelta(minutes=until)


def settle_cancel(uow: UnitOfWork, view: BookingView, actor: Actor, now: datetime
                  ) -> list[Refund]:
    """The money side of a cancel (called by :func:`core.services.cancel`, in its
    transaction): unpaid checkouts are closed; paid payments are refunded in full
    when :func:`refundable`, else kept.

    Returns:
        The refunds recorded (empty: nothing to give back).
    """
    booking_id = stored_id(view.booking.id)
    _close_open(uow, booking_id, now)
    if not refundable(view, actor, now):
        return []
    reason = "host_cancel" if actor.kind == "host" else "guest_cancel"
    return [_refund(uow, p, reason, now, view, tell_guest=actor.kind == "host")
            for p in uow.payments.of_booking(booking_id) if p.status is PaymentStatus.PAID]


def refund_booking(booking_id: int, *, actor: Actor, uow: UnitOfWork, clock: Clock
                   ) -> list[Refund]:
    """The host gives the money of a booking back in full (``/slotbot refund ID``);
    the booking itself stays as it is. The guest is told.

    Raises:
        BookingNotFound, NotAllowed (a guest, or another host's booking),
        BookingNotLive: nothing paid is left to refund.
    """
    now = clock()
    if actor.kind != "host":
        raise NotAllowed("only the host refunds")
    with uow:
        booking = uow.bookings.get(booking_id)
        if booking is None:
            raise BookingNotFound(booking_id)
        if booking.host_id != actor.id:
            raise NotAllowed(f"booking #{booking_id} is with another host")
        view = view_of(uow, booking)
        uow.hosts.lock(view.host)
        paid = [p for p in uow.payments.of_booking(booking_id) if p.status is PaymentStatus.PAID]
        if not paid:
            raise BookingNotLive(booking_id, "not paid")
        refunds = [_refund(uow, p, "host", now, view) for p in paid]
        uow.commit()
        return refunds


def _refund(uow: UnitOfWork, payment: Payment, reason: str, now: datetime,
            view: BookingView | None, *, tell_guest: bool = True) -> Refund:
    """Record a full refund of ``payment``; queue it to the provider (or to the host,
    by hand); tell the guest (``payment_refunded``) when ``tell_guest``."""
    manual = payment.provider in MANUAL_REFUND_PROVIDERS
    refund = Refund(payment_id=stored_id(payment.id), booking_id=payment.booking_id,
                    provider=payment.provider, amount=payment.amount,
                    currency=payment.currency, reason=reason, created_at=now,
                    status=RefundStatus.MANUAL if manual else RefundStatus.REQUESTED)
    uow.payments.add_refund(refund)
    payment.status = PaymentStatus.REFUNDED
    if not manual:
        uow.outbox.add(OutboxMessage(PAYMENT_CHANNEL, payment.provider, "refund",
                                     {"refund_id": refund.id, "booking_id": refund.booking_id},
                                     created_at=now))
    if view is not None:
        facts = {"amount": refund.amount, "currency": refund.currency,
                 "refund_reason": reason, "manual": manual}
        if tell_guest:
            notify_guest(uow, view, "payment_refunded", now, **facts)
        if manual:
            notify_host(uow, view, "refund_manual", now, **facts)
    return refund


def money_of(booking_id: int, *, uow: UnitOfWork) -> tuple[list[Payment], list[Refund]]:
    """The payments and refunds recorded for a booking, each oldest first."""
    with uow:
        return uow.payments.of_booking(booking_id), uow.payments.refunds(booking_id=booking_id)


def refund_done(refund_id: int, *, uow: UnitOfWork, clock: Clock,
                provider_refund_id: str | None = None, error: str | None = None) -> None:
    """Record what the provider said to a refund: made (its id) or refused for good
    (``error``; the host gets ``refund_failed``)."""
    now = clock()
    with uow:
        refund = uow.payments.get_refund(refund_id)
        if refund is None or refund.status is not RefundStatus.REQUESTED:
            return
        refund.done_at = now
        if error is None:
            refund.status = RefundStatus.SUCCEEDED
            refund.provider_refund_id = provider_refund_id
        else:
            refund.status = RefundStatus.FAILED
            refund.last_error = error[:500]
            booking = uow.bookings.get(refund.booking_id)
            if booking is not None:
                notify_host(uow, view_of(uow, booking), "refund_failed", now,
                            amount=refund.amount, currency=refund.currency, error=error[:200])
        uow.commit()

