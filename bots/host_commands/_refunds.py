"""``/slotbot refund ID``: give a guest's money back in full, after a confirmation button.

The command only asks (what was paid, to whom, through which provider), with
the buttons ``h:refund!:ID`` (refund) and ``h:norefund:ID`` (don't);
``refund ID yes`` is the typed confirmation (the console has no buttons). It
refunds through :func:`core.payments.refund_booking`: a Stripe payment is
refunded by Stripe's Refund API (queued in the outbox, retried); a Telegram
payment cannot be refunded through the Bot API, so it is recorded as
``manual`` and the host is told to refund it in the provider's dashboard. The
booking itself stays as it is (cancel it with ``/slotbot cancel``, which refunds
by itself).
"""

from __future__ import annotations

from collections.abc import Sequence

from bots.host_commands._base import Ctx, booking_id, guest_name, line
from bots.host_commands._bookings import refused
from bots.messages import Choice, Reply
from core import booking_details, payments
from core.errors import BookingNotFound, BookingNotLive, SlotbotError
from core.models import Payment, PaymentStatus, RefundStatus
from core.services import Actor


def refund(ctx: Ctx) -> Reply:
    """``refund ID``: what would be refunded, and the buttons to do it or not;
    ``refund ID yes``: refund now."""
    number = booking_id(ctx.args)
    if number is None or len(ctx.args) > 2 or ctx.args[1:] not in ([], ["yes"]):
        return ctx.usage("refund")
    if ctx.args[1:] == ["yes"]:
        return refund_now(ctx, number)
    try:
        detail = booking_details.booking_detail(ctx.host.handle, number, uow=ctx.uow_factory())
    except BookingNotFound:
        return ctx.say("host_no_booking", id=number)
    paid = _paid(payments.money_of(number, uow=ctx.uow_factory())[0])
    if not paid:
        return ctx.say("host_refund_nothing", id=number)
    t = ctx.t
    key = ("host_refund_ask_manual" if any(p.provider in payments.MANUAL_REFUND_PROVIDERS
                                           for p in paid) else "host_refund_ask")
    return Reply(t.text(key, id=number, amount=_total(ctx, paid),
                        guest=guest_name(detail.view, t), line=line(detail.view, t, ctx.tz),
                        provider=_providers(ctx, paid)),
                 (Choice(t.text("host_button_refund_yes"), f"h:refund!:{number}"),
                  Choice(t.text("host_button_refund_no"), f"h:norefund:{number}")))


def refund_now(ctx: Ctx, number: int) -> Reply:
    """The confirmation button: refund every paid payment of the booking in full."""
    try:
        view = booking_details.booking_detail(ctx.host.handle, number,
                                              uow=ctx.uow_factory()).view
        made = payments.refund_booking(number, actor=Actor("host", ctx.host.id or 0),
                                       uow=ctx.uow_factory(), clock=ctx.clock)
    except BookingNotLive:
        return ctx.say("host_refund_nothing", id=number)
    except SlotbotError as exc:
        return refused(ctx, number, exc)
    amount = ctx.t.money(sum(r.amount for r in made), made[0].currency)
    manual = any(r.status is RefundStatus.MANUAL for r in made)
    return ctx.say("host_refunded_manual" if manual else "host_refunded", id=number,
                   amount=amount, guest=guest_name(view, ctx.t))


def _paid(found: Sequence[Payment]) -> list[Payment]:
    return [p for p in found if p.status is PaymentStatus.PAID]


def _total(ctx: Ctx, paid: Sequence[Payment]) -> str:
    """``80,00 €`` (several currencies: joined with " + ")."""
    by_currency: dict[str, int] = {}
    for p in paid:
        by_currency[p.currency] = by_currency.get(p.currency, 0) + p.amount
    return " + ".join(ctx.t.money(amount, currency) for currency, amount in by_currency.items())


def _providers(ctx: Ctx, paid: Sequence[Payment]) -> str:
    return ", ".join(sorted({ctx.t.text(f"host_provider_{p.provider}") for p in paid}))
