"""Stripe Checkout end to end: the ``stripe`` library against a local Stripe, real webhooks.

The gateway (:class:`storage.payments.stripe_gateway.StripeGateway`) talks to
``tests/e2e/stripe_server.py`` through the real ``stripe`` library (its API base
pointed there); webhooks are signed with Stripe's scheme and POSTed over HTTP to
the real ``/stripe/webhook`` WSGI app, which verifies them with
``stripe.Webhook.construct_event``. Both engines.
"""

from __future__ import annotations

import io
import json
import random
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from threading import Barrier
from typing import Any

import pytest
from sqlalchemy import Engine

from bots import console, delivery, stripe_webhook
from bots.conversation import Conversation
from config import health
from config.payments import PaymentTransport
from core import jobs, payments, services
from core.models import BookingStatus, Payment, PaymentStatus, Refund, RefundStatus
from core.payments import PAYMENT_CHANNEL
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.payments.stripe_gateway import StripeGateway
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory
from tests.e2e.stripe_server import SECRET_KEY, WEBHOOK_SECRET, StripeServer, sign

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday; 10:00 in Berlin
SETUP = {"hosts": [{
    "handle": "ana", "name": "Ana Lima", "timezone": "Europe/Berlin", "slack_user_id": "U0ANA",
    "working_hours": {"mon-fri": "09:00-17:00"},
    "event_types": [{"slug": "coaching", "title": "Coaching", "duration": 60, "price": "50.00",
                     "currency": "EUR", "refund_policy": {"full_until": "24h"},
                     "booking_window": 30}],
}]}
Factory = Callable[[], SqlAlchemyUnitOfWork]


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Stack:
    """A Slotbot with Stripe: the database, the clock, the local Stripe, the webhook URL."""

    factory: Factory
    clock: Clock
    stripe: StripeServer
    gateway: StripeGateway
    webhook_url: str

    def conversation(self) -> Conversation:
        return Conversation(self.factory, self.clock, gateways={"stripe": self.gateway})

    def chat(self, guest: str, lines: list[str], locale: str = "en") -> str:
        out = io.StringIO()
        console.run(self.conversation().handle, lines, out, guest_id=guest, name=guest.title(),
                    timezone="Europe/Berlin", locale=locale)
        return out.getvalue()

    def post(self, event: dict[str, Any] | str, *, secret: str = WEBHOOK_SECRET,
             age: int = 0, signed: bool = True) -> tuple[int, str]:
        """POST an event as Stripe would (signed ``age`` seconds ago by the real clock,
        which ``construct_event`` checks against)."""
        body = event if isinstance(event, str) else json.dumps(event)
        headers = {"Content-Type": "application/json"}
        if signed:
            headers["Stripe-Signature"] = sign(body, secret, timestamp=int(time.time()) - age)
        request = urllib.request.Request(self.webhook_url, body.encode(), headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode().strip()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode().strip()

    def deliver(self, settings: delivery.DeliverySettings | None = None
                ) -> delivery.DeliveryReport:
        """Deliver the ``payment`` outbox rows (refunds, checkout closings) now."""
        transport = PaymentTransport({"stripe": self.gateway}, self.factory, self.clock)
        return delivery.deliver_due(self.clock.now, uow_factory=self.factory,
                                    transports={PAYMENT_CHANNEL: transport}, settings=settings)


def start_stack(factory: Factory) -> Iterator[Stack]:
    clock = Clock()
    services.load_hosts(parse_setup(SETUP), uow=factory())
    with StripeServer(now=clock) as stripe_api:
        app = stripe_webhook.make_app(secret=WEBHOOK_SECRET, uow_factory=factory, clock=clock)
        server = health.serve_in_thread(health.routed({stripe_webhook.PATH: app},
                                                      lambda e, s: []), 0, host="127.0.0.1")
        try:
            yield Stack(factory, clock, stripe_api,
                        StripeGateway(SECRET_KEY, api_base=stripe_api.base_url),
                        f"http://127.0.0.1:{server.server_port}{stripe_webhook.PATH}")
        finally:
            server.shutdown()
            server.server_close()


@pytest.fixture
def stack(uow_factory: Factory) -> Iterator[Stack]:
    yield from start_stack(uow_factory)


def only_session(stack: Stack) -> dict[str, Any]:
    [session] = stack.stripe.sessions.values()
    return session


def booking_status(stack: Stack, booking_id: int) -> BookingStatus:
    with stack.factory() as uow:
        booking = uow.bookings.get(booking_id)
        assert booking is not None
        return booking.status


def hold(stack: Stack, guest_id: int, start: datetime) -> tuple[int, str]:
    view = services.book("ana", "coaching", start, guest_id=guest_id, uow=stack.factory(),
                         clock=stack.clock)
    checkout = payments.open_checkout(view.booking.id or 0, gateway=stack.gateway,
                                      uow=stack.factory(), clock=stack.clock)
    return view.booking.id or 0, checkout.checkout_id


#: The reply's words before the link, the amount as Babel formats it (no-break spaces).
LINK_WORDS = {"en": "Pay €50.00 here", "de": "Bezahle 50,00\xa0€ hier",
              "es": "Paga 50,00\xa0€ aquí", "fr": "Payez 50,00\xa0€ ici",
              "pt": "Pague €\xa050,00 aqui"}


@pytest.mark.parametrize("lang", sorted(LINK_WORDS))
def test_the_console_answers_yes_with_a_checkout_link_in_every_language(stack: Stack,
                                                                         lang: str) -> None:
    out = stack.chat("bo", ["/start ana", "1", "1", "1"], locale=lang)
    session = only_session(stack)
    assert f"{LINK_WORDS[lang]}" in out and session["url"] in out
    assert session["metadata"] == {"booking_id": "1"} and session["client_reference_id"] == "1"
    assert (session["amount_total"], session["currency"]) == (5000, "eur")
    assert session["locale"] == lang
    # The hold is 15 minutes; Stripe takes 30 minutes at least: the session outlives it.
    assert session["expires_at"] == int((NOW + timedelta(minutes=31)).timestamp())
    assert booking_status(stack, 1) is BookingStatus.AWAITING_PAYMENT


def test_a_signed_completed_webhook_confirms_once_however_often_it_comes(stack: Stack) -> None:
    stack.chat("bo", ["/start ana", "1", "1", "1"])
    event = stack.stripe.pay(only_session(stack)["id"])
    assert stack.post(event) == (200, "confirmed")
    assert stack.post(event) == (200, "replayed")  # Stripe retrying the same event
    again = stack.stripe.event("checkout.session.completed", event["data"]["object"])
    assert stack.post(again) == (200, "duplicate")  # another event, the same money
    assert booking_status(stack, 1) is BookingStatus.CONFIRMED
    with stack.factory() as uow:
        created = [m for m in uow.outbox.list() if m.kind == "booking_created"]
        paid = [m for m in uow.outbox.list() if m.kind == "booking_paid"]
        [payment] = uow.payments.of_booking(1)
    assert len(created) == 1 and len(paid) == 1
    assert (payment.status, payment.provider_payment_id) == (
        PaymentStatus.PAID, event["data"]["object"]["payment_intent"])


@pytest.mark.parametrize(("how", "kwargs"), [
    ("unsigned", {"signed": False}),
    ("wrongly signed", {"secret": "whsec_someone_else"}),
    ("stale", {"age": stripe_webhook.TOLERANCE + 60}),
])
def test_unverified_webhooks_are_refused_and_change_nothing(stack: Stack, how: str,
                                                            kwargs: dict[str, Any]) -> None:
    stack.chat("bo", ["/start ana", "1", "1", "1"])
    event = stack.stripe.pay(only_session(stack)["id"])
    assert stack.post(event, **kwargs) == (400, "refused"), how
    assert booking_status(stack, 1) is BookingStatus.AWAITING_PAYMENT
    with stack.factory() as uow:
        assert uow.payments.by_provider_id("stripe", event["data"]["object"]["payment_intent"]) \
            is None
        assert uow.payments.first_event("stripe", event["id"], "probe", NOW)  # never recorded
    assert stack.post("not json at all") == (400, "refused")


def test_an_ended_hold_closes_the_session_at_stripe_and_frees_the_seat(stack: Stack) -> None:
    stack.chat("bo", ["/start ana", "1", "1", "1"])
    session_id = only_session(stack)["id"]
    stack.clock.now = NOW + timedelta(minutes=15)
    assert jobs.run_due(stack.clock.now, uow_factory=stack.factory).holds_expired == 1
    assert stack.deliver().sent == 1
    assert stack.stripe.sessions[session_id]["status"] == "expired"
    expired = stack.stripe.event("checkout.session.expired", stack.stripe.sessions[session_id])
    assert stack.post(expired) == (200, "expired")  # let go already
    assert booking_status(stack, 1) is BookingStatus.CANCELLED
    assert "Pay €50.00" in stack.chat("cy", ["/start ana", "1", "1", "1"])  # the seat is free


def test_stripe_expiring_the_session_first_frees_the_seat(stack: Stack) -> None:
    stack.chat("bo", ["/start ana", "1", "1", "1"])
    session = only_session(stack)
    session["status"] = "expired"
    assert stack.post(stack.stripe.event("checkout.session.expired", session)) == (200, "freed")
    assert booking_status(stack, 1) is BookingStatus.CANCELLED


def test_a_late_payment_for_a_taken_seat_is_refunded_through_stripe(stack: Stack) -> None:
    stack.chat("bo", ["/start ana", "1", "1", "1"])
    first = only_session(stack)["id"]
    stack.clock.now = NOW + timedelta(minutes=16)
    jobs.run_due(stack.clock.now, uow_factory=stack.factory)  # hold ended; not closed yet
    out = stack.chat("cy", ["/start ana", "1", "1", "1"])
    assert "#2" in out  # the freed 10:00 went to Cy
    late = stack.stripe.pay(first)  # Bo pays before Stripe hears the session is closed
    assert stack.post(late) == (200, "refunded")
    report = stack.deliver()
    assert report.sent == 2 and report.failed == 0  # the refund, then the closing (done)
    [refund] = stack.stripe.refunds.values()
    assert (refund["payment_intent"], refund["amount"]) == (
        late["data"]["object"]["payment_intent"], 5000)
    with stack.factory() as uow:
        [record] = uow.payments.refunds(booking_id=1)
        told = [m for m in uow.outbox.list() if m.kind == "payment_refunded"]
    assert (record.status, record.provider_refund_id, record.reason) == (
        RefundStatus.SUCCEEDED, refund["id"], "seat_taken")
    assert [m.recipient for m in told] == ["bo"]
    assert booking_status(stack, 1) is BookingStatus.CANCELLED
    assert booking_status(stack, 2) is BookingStatus.AWAITING_PAYMENT


def test_a_guest_cancel_inside_the_policy_refunds_in_full_once(stack: Stack) -> None:
    stack.chat("bo", ["/start ana", "Thursday 10am", "yes"])  # 48 h ahead, paid
    assert stack.post(stack.stripe.pay(only_session(stack)["id"])) == (200, "confirmed")
    out = stack.chat("bo", ["cancel my booking", "1"])
    assert "Cancelled #1" in out and "€50.00 will be refunded to you." in out
    assert stack.deliver().sent == 1
    assert stack.deliver().sent == 0  # made once
    [refund] = stack.stripe.refunds.values()
    assert refund["amount"] == 5000
    with stack.factory() as uow:
        [record] = uow.payments.refunds(booking_id=1)
        [payment] = uow.payments.of_booking(1)
    assert (record.status, payment.status) == (RefundStatus.SUCCEEDED, PaymentStatus.REFUNDED)


def test_a_refund_out_of_retries_is_failed_with_its_error_and_the_host_told_once(
        stack: Stack) -> None:
    stack.chat("bo", ["/start ana", "Thursday 10am", "yes"])  # 48 h ahead, paid
    assert stack.post(stack.stripe.pay(only_session(stack)["id"])) == (200, "confirmed")
    stack.chat("bo", ["cancel my booking", "1"])
    stack.gateway = StripeGateway(SECRET_KEY, api_base="http://127.0.0.1:9", timeout=2)  # down
    settings = delivery.DeliverySettings(max_attempts=2)
    assert stack.deliver(settings).retried == 1
    stack.clock.now += timedelta(hours=1)  # past the backoff
    assert stack.deliver(settings).failed == 1  # the last try: given up
    stack.clock.now += timedelta(hours=1)
    assert stack.deliver(settings).failed == 0
    with stack.factory() as uow:
        [record] = uow.payments.refunds(booking_id=1)
        told = [m for m in uow.outbox.list() if m.kind == "refund_failed"]
        [job] = [m for m in uow.outbox.list() if m.kind == "refund"]
    assert record.status is RefundStatus.FAILED
    assert record.last_error and record.last_error == job.last_error  # the last try's error
    assert [(m.channel, m.payload["amount"]) for m in told] == [("slack", 5000)]
    assert not stack.stripe.refunds


def test_a_guest_cancel_too_close_to_the_start_keeps_the_money(stack: Stack) -> None:
    stack.chat("bo", ["/start ana", "1", "2", "1"])  # today 11:00 Berlin: inside 24 h
    assert stack.post(stack.stripe.pay(only_session(stack)["id"])) == (200, "confirmed")
    out = stack.chat("bo", ["cancel my booking", "1"])
    assert "No refund is due this close to the start." in out
    assert stack.deliver().sent == 0 and not stack.stripe.refunds


@pytest.fixture
def racing(engine: Engine, engine_url: str) -> Iterator[Stack]:
    pool_engine = make_engine(engine_url, pool_size=20)
    yield from start_stack(make_uow_factory(pool_engine))
    pool_engine.dispose()


def test_hold_race_twenty_guests_one_paid_seat_webhooks_out_of_order(racing: Stack) -> None:
    """Twenty guests hold the one seat in turn (each hold ends before the next), all
    twenty pay, and the completed webhooks arrive at once in random order: exactly one
    booking is confirmed, the other nineteen payments are refunded through Stripe."""
    stack = racing
    start = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    guests = [services.ensure_guest("console", f"r{n}", uow=stack.factory(),
                                    chat_id=f"r{n}").id or 0 for n in range(20)]
    held = []
    for guest in guests:
        held.append(hold(stack, guest, start))
        stack.clock.now += timedelta(minutes=16)
        jobs.run_due(stack.clock.now, uow_factory=stack.factory)
    events = [stack.stripe.pay(checkout_id) for _, checkout_id in held]
    random.Random(13).shuffle(events)
    barrier = Barrier(len(events), timeout=60)

    def post(event: dict[str, Any]) -> str:
        barrier.wait()
        status, text = stack.post(event)
        assert status == 200
        return text

    with ThreadPoolExecutor(max_workers=len(events)) as pool:
        outcomes = Counter(pool.map(post, events))
    assert outcomes == Counter(confirmed=1, refunded=19)
    while stack.deliver().sent:
        pass
    assert len(stack.stripe.refunds) == 19
    with stack.factory() as uow:
        live = [b for b in uow.bookings.list() if b.is_live]
        refunds = uow.payments.refunds()
    assert [b.status for b in live] == [BookingStatus.CONFIRMED]
    assert Counter(r.status for r in refunds) == Counter({RefundStatus.SUCCEEDED: 19})


def test_paying_on_the_checkout_page_confirms_through_the_webhook_stripe_sends(
        stack: Stack) -> None:
    stack.stripe.state.webhook_url = stack.webhook_url
    out = stack.chat("bo", ["/start ana", "1", "1", "1"])
    url = only_session(stack)["url"]
    assert url in out
    with urllib.request.urlopen(urllib.request.Request(url, b"", method="POST"),
                                timeout=30) as page:
        answer = json.loads(page.read())
    assert answer["webhook"] == [200, "confirmed"]
    assert booking_status(stack, 1) is BookingStatus.CONFIRMED


def test_stripe_down_books_nothing_and_says_so(stack: Stack) -> None:
    stack.gateway = StripeGateway(SECRET_KEY, api_base="http://127.0.0.1:9", timeout=2)
    out = stack.chat("bo", ["/start ana", "1", "1", "1"])
    assert "the payment for Ana Lima can't be started right now, so nothing was booked" in out
    with stack.factory() as uow:
        assert uow.bookings.list() == [] and uow.payments.list() == []


def test_a_wrong_stripe_key_books_nothing(stack: Stack) -> None:
    stack.gateway = StripeGateway("sk_test_wrong", api_base=stack.stripe.base_url)
    out = stack.chat("bo", ["/start ana", "1", "1", "1"])
    assert "nothing was booked" in out and "sk_test_wrong" not in out
    with stack.factory() as uow:
        assert uow.bookings.list() == []


def test_without_a_payment_provider_a_paid_type_cannot_be_booked(stack: Stack) -> None:
    out = io.StringIO()
    console.run(Conversation(stack.factory, stack.clock).handle, ["/start ana", "1", "1", "1"],
                out, guest_id="bo", locale="de")
    assert "Zahlungen sind hier noch nicht eingerichtet, darum ist nichts gebucht" in \
        out.getvalue()
    with stack.factory() as uow:
        assert uow.bookings.list() == []


def test_my_bookings_shows_an_unpaid_hold_as_awaiting_payment(stack: Stack) -> None:
    stack.chat("bo", ["/start ana", "1", "1", "1"])
    assert "(awaiting payment)" in stack.chat("bo", ["my bookings"])


def test_refund_keys_never_collide_across_databases(stack: Stack) -> None:
    """Refund #1 of a restored (or another) database on the same Stripe account is its own."""
    stack.chat("bo", ["/start ana", "1", "1", "1"])
    stack.chat("cy", ["/start ana", "1", "1", "1"])
    intents = [stack.stripe.pay(s)["data"]["object"]["payment_intent"]
               for s in list(stack.stripe.sessions)]
    made = []
    for intent in intents:
        payment = Payment(booking_id=1, host_id=1, event_type_id=1, provider="stripe",
                          amount=5000, currency="EUR", created_at=NOW,
                          provider_payment_id=intent)
        refund = Refund(payment_id=1, booking_id=1, provider="stripe", amount=5000,
                        currency="EUR", reason="host", created_at=NOW, id=1)
        made.append(stack.gateway.refund(payment, refund))
        assert stack.gateway.refund(payment, refund) == made[-1]  # a retry: the same refund
    assert len(set(made)) == 2 and len(stack.stripe.refunds) == 2
