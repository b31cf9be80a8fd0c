"""Paid event types on SQLite and PostgreSQL: the hold, the money, expiry, refunds, the race.

The payment provider is a small in-test gateway at the port
(:class:`core.ports.PaymentGateway`); Stripe itself is exercised through the
``stripe`` library in ``tests/e2e/test_stripe.py``.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier

import pytest
from sqlalchemy import Engine

from core import jobs, payments, services
from core.errors import SlotUnavailable
from core.models import BookingStatus, PaymentStatus, Refund, RefundStatus
from core.payments import Outcome, Received
from core.ports import Checkout, CheckoutOrder
from core.services import Actor
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
SETUP = {"hosts": [{
    "handle": "ana", "name": "Ana Lima", "timezone": "UTC", "telegram_user_id": "1001",
    "working_hours": {"mon-sun": "08:00-18:00"},
    "event_types": [
        {"slug": "coaching", "title": "Coaching", "duration": 60, "price": "50.00",
         "currency": "EUR", "refund_policy": {"full_until": "24h"}},
        {"slug": "intro", "title": "Intro", "duration": 30},
    ],
}]}

Factory = Callable[[], SqlAlchemyUnitOfWork]


class Gateway:
    """A provider at the port: numbered checkouts, refunds recorded."""

    name = "stripe"
    refunds_by_api = True

    def __init__(self) -> None:
        self.opened: list[CheckoutOrder] = []
        self.refunded: list[int] = []

    def open_checkout(self, order: CheckoutOrder, *, now: datetime) -> Checkout:
        self.opened.append(order)
        return Checkout(f"cs_{order.booking_id}_{len(self.opened)}",
                        f"https://pay.example/{len(self.opened)}")

    def close_checkout(self, checkout_id: str) -> None:
        return None

    def refund(self, payment: object, refund: Refund) -> str:
        self.refunded.append(refund.id or 0)
        return f"re_{refund.id}"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def app(uow_factory: Factory) -> tuple[Factory, Clock, list[int]]:
    services.load_hosts(parse_setup(SETUP), uow=uow_factory())
    guests = [services.ensure_guest("console", f"g{n}", uow=uow_factory(), name=f"G{n}",
                                    chat_id=f"g{n}").id or 0 for n in range(3)]
    return uow_factory, Clock(), guests


def hold(factory: Factory, clock: Clock, guest: int, gateway: Gateway) -> tuple[int, str]:
    view = services.book("ana", "coaching", START, guest_id=guest, uow=factory(), clock=clock)
    checkout = payments.open_checkout(view.booking.id or 0, gateway=gateway, uow=factory(),
                                      clock=clock)
    return view.booking.id or 0, checkout.checkout_id


def paid(booking_id: int, checkout_id: str, pi: str, amount: int = 5000) -> Received:
    return Received("stripe", pi, amount, "EUR", booking_id=booking_id, checkout_id=checkout_id)


def status(factory: Factory, booking_id: int) -> BookingStatus:
    with factory() as uow:
        booking = uow.bookings.get(booking_id)
        assert booking is not None
        return booking.status


def kinds(factory: Factory) -> Counter[tuple[str, str]]:
    with factory() as uow:
        return Counter((m.kind, m.channel) for m in uow.outbox.list())


def test_a_paid_booking_holds_its_seat_until_paid_then_confirms_once(app) -> None:
    factory, clock, (ana, bo, _) = app
    gateway = Gateway()
    booking_id, checkout_id = hold(factory, clock, ana, gateway)
    assert status(factory, booking_id) is BookingStatus.AWAITING_PAYMENT
    assert gateway.opened[0].amount == 5000 and gateway.opened[0].currency == "EUR"
    assert gateway.opened[0].hold_until == NOW + timedelta(minutes=15)
    slots = services.free_slots("ana", "coaching", START, START + timedelta(hours=1),
                                uow=factory(), clock=clock)
    assert slots == []
    with pytest.raises(SlotUnavailable):
        services.book("ana", "coaching", START, guest_id=bo, uow=factory(), clock=clock)
    assert kinds(factory) == Counter()  # nobody is told of an unpaid hold

    first = payments.record_payment(paid(booking_id, checkout_id, "pi_1"), uow=factory(),
                                    clock=clock)
    again = payments.record_payment(paid(booking_id, checkout_id, "pi_1"), uow=factory(),
                                    clock=clock)
    assert (first.outcome, again.outcome) == (Outcome.CONFIRMED, Outcome.DUPLICATE)
    assert status(factory, booking_id) is BookingStatus.CONFIRMED
    assert kinds(factory) == Counter({("booking_created", "telegram"): 1,
                                      ("booking_paid", "console"): 1})
    with factory() as uow:
        [payment] = uow.payments.of_booking(booking_id)
        assert (payment.status, payment.amount, payment.provider_payment_id) == (
            PaymentStatus.PAID, 5000, "pi_1")


def test_an_ended_hold_frees_the_seat_closes_the_checkout_and_tells_the_guest(app) -> None:
    factory, clock, (ana, bo, _) = app
    booking_id, checkout_id = hold(factory, clock, ana, Gateway())
    report = jobs.run_due(NOW + timedelta(minutes=14), uow_factory=factory)
    assert report.holds_expired == 0
    report = jobs.run_due(NOW + timedelta(minutes=15), uow_factory=factory)
    assert report.holds_expired == 1
    assert status(factory, booking_id) is BookingStatus.CANCELLED
    with factory() as uow:
        [payment] = uow.payments.of_booking(booking_id)
        assert payment.status is PaymentStatus.EXPIRED
        closing = [m for m in uow.outbox.list() if m.kind == "close_checkout"]
        assert [m.payload["checkout_id"] for m in closing] == [checkout_id]
    assert kinds(factory)[("payment_expired", "console")] == 1
    assert jobs.run_due(NOW + timedelta(minutes=16), uow_factory=factory).holds_expired == 0
    clock.now = NOW + timedelta(minutes=16)
    services.book("ana", "coaching", START, guest_id=bo, uow=factory(), clock=clock)


def test_money_after_the_hold_confirms_while_the_seat_is_free(app) -> None:
    factory, clock, (ana, _, _) = app
    booking_id, checkout_id = hold(factory, clock, ana, Gateway())
    jobs.run_due(NOW + timedelta(minutes=20), uow_factory=factory)
    clock.now = NOW + timedelta(minutes=25)
    result = payments.record_payment(paid(booking_id, checkout_id, "pi_late"), uow=factory(),
                                     clock=clock)
    assert (result.outcome, result.late) == (Outcome.CONFIRMED, True)
    assert status(factory, booking_id) is BookingStatus.CONFIRMED


def test_money_after_the_hold_with_the_seat_taken_is_refunded_never_double_booked(app) -> None:
    factory, clock, (ana, bo, _) = app
    gateway = Gateway()
    first, checkout_id = hold(factory, clock, ana, gateway)
    jobs.run_due(NOW + timedelta(minutes=20), uow_factory=factory)
    clock.now = NOW + timedelta(minutes=21)
    second, second_checkout = hold(factory, clock, bo, gateway)
    late = payments.record_payment(paid(first, checkout_id, "pi_a"), uow=factory(), clock=clock)
    assert (late.outcome, late.late) == (Outcome.REFUNDED, True)
    assert late.refund is not None and late.refund.reason == "seat_taken"
    assert late.refund.status is RefundStatus.REQUESTED and late.refund.amount == 5000
    assert status(factory, first) is BookingStatus.CANCELLED
    on_time = payments.record_payment(paid(second, second_checkout, "pi_b"), uow=factory(),
                                      clock=clock)
    assert on_time.outcome is Outcome.CONFIRMED
    with factory() as uow:
        refunds = [m for m in uow.outbox.list() if m.kind == "refund"]
        assert [m.payload["refund_id"] for m in refunds] == [late.refund.id]
    assert kinds(factory)[("payment_refunded", "console")] == 1


def test_a_wrong_amount_is_refunded_and_books_nothing(app) -> None:
    factory, clock, (ana, _, _) = app
    booking_id, checkout_id = hold(factory, clock, ana, Gateway())
    result = payments.record_payment(paid(booking_id, checkout_id, "pi_x", amount=100),
                                     uow=factory(), clock=clock)
    assert result.outcome is Outcome.REFUNDED and result.refund is not None
    assert result.refund.reason == "amount_mismatch"
    assert status(factory, booking_id) is BookingStatus.AWAITING_PAYMENT


@pytest.mark.parametrize(("hours_before", "refunded"), [(30, True), (20, False)])
def test_a_guest_cancel_refunds_in_full_only_inside_the_policy(app, hours_before: int,
                                                               refunded: bool) -> None:
    factory, clock, (ana, _, _) = app
    booking_id, checkout_id = hold(factory, clock, ana, Gateway())
    payments.record_payment(paid(booking_id, checkout_id, "pi_c"), uow=factory(), clock=clock)
    clock.now = START - timedelta(hours=hours_before)
    services.cancel(booking_id, actor=Actor("guest", ana), uow=factory(), clock=clock)
    _, refunds = payments.money_of(booking_id, uow=factory())
    assert [(r.amount, r.reason) for r in refunds] == ([(5000, "guest_cancel")] if refunded
                                                        else [])


def test_a_telegram_refund_is_recorded_for_the_host_to_make_by_hand(app) -> None:
    factory, clock, (ana, _, _) = app
    view = services.book("ana", "coaching", START, guest_id=ana, uow=factory(), clock=clock)
    booking_id = view.booking.id or 0
    received = Received("telegram", "tg_charge_1", 5000, "EUR", booking_id=booking_id)
    assert payments.record_payment(received, uow=factory(),
                                   clock=clock).outcome is Outcome.CONFIRMED
    services.cancel(booking_id, actor=Actor("guest", ana), uow=factory(), clock=clock)
    _, [refund] = payments.money_of(booking_id, uow=factory())
    assert refund.status is RefundStatus.MANUAL
    assert kinds(factory)[("refund_manual", "telegram")] == 1
    with factory() as uow:
        assert not [m for m in uow.outbox.list() if m.kind == "refund"]


def test_the_money_follows_a_reschedule(app) -> None:
    factory, clock, (ana, _, _) = app
    booking_id, checkout_id = hold(factory, clock, ana, Gateway())
    moved = services.reschedule(booking_id, START + timedelta(hours=2),
                                actor=Actor("guest", ana), uow=factory(), clock=clock)
    assert moved.booking.status is BookingStatus.AWAITING_PAYMENT
    result = payments.record_payment(paid(booking_id, checkout_id, "pi_m"), uow=factory(),
                                     clock=clock)
    assert (result.outcome, result.booking_id) == (Outcome.CONFIRMED, moved.booking.id)


@pytest.fixture
def racing(engine: Engine, engine_url: str) -> Iterator[tuple[Factory, list[int]]]:
    pool_engine = make_engine(engine_url, pool_size=20)
    factory = make_uow_factory(pool_engine)
    services.load_hosts(parse_setup(SETUP), uow=factory())
    guests = [services.ensure_guest("console", f"r{n}", uow=factory(), chat_id=f"r{n}").id or 0
              for n in range(20)]
    yield factory, guests
    pool_engine.dispose()


def test_hold_race_twenty_guests_one_seat_payments_out_of_order(racing) -> None:
    """Each guest holds the seat in turn (the previous hold ended); then all twenty
    payments arrive at once, in random order: exactly one booking is confirmed."""
    factory, guests = racing
    clock, gateway = Clock(), Gateway()
    held = []
    for guest in guests:
        held.append(hold(factory, clock, guest, gateway))
        clock.now += timedelta(minutes=16)
        jobs.run_due(clock.now, uow_factory=factory)
    order = list(enumerate(held))
    random.Random(13).shuffle(order)
    barrier = Barrier(len(order), timeout=60)

    def pay(item: tuple[int, tuple[int, str]]) -> str:
        n, (booking_id, checkout_id) = item
        barrier.wait()
        return payments.record_payment(paid(booking_id, checkout_id, f"pi_{n}"), uow=factory(),
                                       clock=clock).outcome.value

    with ThreadPoolExecutor(max_workers=len(order)) as pool:
        outcomes = Counter(pool.map(pay, order))
    assert outcomes == Counter(confirmed=1, refunded=19)
    with factory() as uow:
        live = [b for b in uow.bookings.list() if b.is_live]
        assert len(live) == 1 and live[0].status is BookingStatus.CONFIRMED
        assert len(uow.payments.refunds()) == 19


def test_a_checkout_is_payable_only_while_its_hold_lasts(app) -> None:
    factory, clock, (ana, _, _) = app
    _, checkout_id = hold(factory, clock, ana, Gateway())
    assert payments.hold_live("stripe", checkout_id, uow=factory(), clock=clock)
    assert not payments.hold_live("stripe", "cs_unknown", uow=factory(), clock=clock)
    clock.now = NOW + timedelta(minutes=15)
    assert not payments.hold_live("stripe", checkout_id, uow=factory(), clock=clock)
