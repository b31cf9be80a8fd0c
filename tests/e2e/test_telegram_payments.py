"""Telegram Payments end to end: the real conversation, core and SQLite behind the real
python-telegram-bot Application, against the stand-in Bot API.

A guest books a paid event type: the "yes" holds the seat and the bot sends an
invoice (``sendInvoice``); Telegram's ``pre_checkout_query`` is answered ok while
the hold lasts and refused, in the guest's language, once it has ended; a
``successful_payment`` reported twice (same charge id, new update id) confirms
the booking once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bots.conversation import Conversation
from bots.inbox import Inbox
from bots.messages import IncomingMessage, KeepAnswer, Reply
from bots.telegram import Concurrency, Payments, build_application
from bots.telegram_payments import (
    PaymentDesk,
    PreCheckout,
    SuccessfulPayment,
    TelegramGateway,
    booking_of,
)
from config.bootstrap import App, bootstrap
from config.settings import Settings
from core import services
from core.models import BookingStatus, PaymentStatus
from core.setup_file import parse_setup
from tests.e2e.example_app import NOW
from tests.e2e.telegram_server import Echo, SentMessage, TelegramAPIServer, running_bot
from tests.paid_example import PROVIDER_TOKEN, paid_setup

GUEST = 42


class Clock:
    """The instant everything in the test runs at; the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Paid:
    app: App
    clock: Clock
    api: TelegramAPIServer


@pytest.fixture
def paid(tmp_path: Path, telegram_api: TelegramAPIServer) -> Iterator[Paid]:
    app = bootstrap(Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'paid.db'}"), now=NOW)
    services.load_hosts(parse_setup(paid_setup()), uow=app.uow_factory())
    clock = Clock(NOW)
    conversation = Conversation(app.uow_factory, clock, host_commands=app.host_commands,
                                gateways={"telegram": TelegramGateway(PROVIDER_TOKEN)})
    inbox = Inbox(app.uow_factory, clock, platform="telegram")
    application = build_application(
        telegram_api.token, conversation.handle, base_url=telegram_api.base_url, inbox=inbox,
        payments=Payments(PROVIDER_TOKEN, PaymentDesk(app.uow_factory, clock, PROVIDER_TOKEN)))
    with running_bot(application):
        yield Paid(app, clock, telegram_api)


def hold_a_seat(paid: Paid, *, language_code: str = "en") -> SentMessage:
    """The guest asks for the paid consultation and says yes; returns the invoice."""
    api = paid.api
    api.push_text(GUEST, "consultation with Ana on Wednesday at 10am",
                  language_code=language_code)
    [proposal] = api.wait_for_messages(GUEST, 1)
    api.press_button(GUEST, proposal, "yes", language_code=language_code)
    held, invoice = api.wait_for_messages(GUEST, 2)
    assert invoice.invoice is not None, held.plain_text
    return invoice


def booking(paid: Paid):
    [view] = services.list_bookings(uow=paid.app.uow_factory())
    return view.booking


def test_yes_to_a_paid_event_type_holds_the_seat_and_sends_the_invoice(paid: Paid) -> None:
    invoice = hold_a_seat(paid)

    held = booking(paid)
    assert held.status is BookingStatus.AWAITING_PAYMENT
    assert held.hold_until == NOW + timedelta(minutes=15)
    sent = invoice.invoice
    assert sent is not None
    assert sent["title"] == "Consultation"
    assert sent["currency"] == "EUR"
    assert sent["prices"] == [{"label": "Consultation", "amount": 8000}]
    assert sent["provider_token"] == PROVIDER_TOKEN
    assert sent["start_parameter"] == "ana"
    assert booking_of(sent["payload"], PROVIDER_TOKEN) == held.id
    assert booking_of(sent["payload"], "another-token") is None
    assert sent["description"] == (f"#{held.id} Consultation with Ana Lima, "
                                   "Wed 25 Nov, 10:00–11:00 (Europe/Berlin). "
                                   "Held for you until 10:15.")
    [text] = [m for m in paid.api.messages(GUEST) if m.invoice is None][-1:]
    assert "Pay €80.00" in text.plain_text


def test_pre_checkout_is_answered_ok_while_the_hold_lasts(paid: Paid) -> None:
    invoice = hold_a_seat(paid)
    paid.clock.now = NOW + timedelta(minutes=14)

    answer = paid.api.wait_for_pre_checkout_answer(paid.api.pay(GUEST, invoice))

    assert answer["ok"] is True
    assert "error_message" not in answer


def test_pre_checkout_is_refused_in_the_guests_language_once_the_hold_ended(paid: Paid) -> None:
    invoice = hold_a_seat(paid, language_code="de")
    paid.clock.now = NOW + timedelta(minutes=15)

    answer = paid.api.wait_for_pre_checkout_answer(
        paid.api.pay(GUEST, invoice, language_code="de"))

    assert answer["ok"] is False
    assert "abgelaufen" in answer["error_message"]
    assert booking(paid).status is BookingStatus.AWAITING_PAYMENT  # the tick lets it go


def test_successful_payment_delivered_twice_confirms_once(paid: Paid) -> None:
    api = paid.api
    invoice = hold_a_seat(paid)
    assert api.wait_for_pre_checkout_answer(api.pay(GUEST, invoice))["ok"] is True
    _, charge = api.paid(GUEST, invoice)
    api.paid(GUEST, invoice, charge_id=charge)  # Telegram reports it again, new update id
    api.push_text(GUEST, "my bookings")  # the same chat's lane: handled after both

    [listing] = api.wait_for_messages(GUEST, 1)

    confirmed = booking(paid)
    assert confirmed.status is BookingStatus.CONFIRMED
    assert f"#{confirmed.id}" in listing.plain_text
    with paid.app.uow_factory() as uow:
        [payment] = uow.payments.of_booking(confirmed.id or 0)
        notices = [(m.kind, m.channel) for m in uow.outbox.list()]
    assert payment.status is PaymentStatus.PAID
    assert (payment.provider, payment.provider_payment_id) == ("telegram", charge)
    assert payment.provider_charge_id == f"provider_{charge}"
    assert (payment.amount, payment.currency) == (8000, "EUR")
    assert [n for n in notices if n[0] == "booking_paid"] == [("booking_paid", "telegram")]
    told_host = [channel for kind, channel in notices if kind == "booking_created"]
    assert sorted(told_host) == sorted(set(told_host))  # once on each of the host's channels


#: An invoice as the stand-in server keeps it (for tests with a stand-in desk).
INVOICE = SentMessage(1, GUEST, "Consultation", "Consultation", None, invoice={
    "title": "Consultation", "description": "#1", "payload": "b1.0", "currency": "EUR",
    "prices": [{"label": "Consultation", "amount": 8000}]})


class Desk:
    """Our own payments side, answering at once (or once ``ready`` is set): records the
    queries it was asked."""

    def __init__(self, ready: threading.Event | None = None) -> None:
        self.asked: list[PreCheckout] = []
        self.ready = ready

    def pre_checkout(self, query: PreCheckout) -> str | None:
        self.asked.append(query)
        if self.ready is not None:
            assert self.ready.wait(10), "never released"
        return None

    def paid(self, payment: SuccessfulPayment) -> None:
        raise AssertionError("not paid in this test")


def test_pre_checkout_is_answered_while_the_chats_lane_and_every_worker_are_busy(
    telegram_api: TelegramAPIServer,
) -> None:
    release = threading.Event()

    def busy(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        assert release.wait(10), "never released"
        return [Reply("done")]

    desk = Desk()
    application = build_application(telegram_api.token, busy, base_url=telegram_api.base_url,
                                    concurrency=Concurrency(workers=1),
                                    payments=Payments(PROVIDER_TOKEN, desk))
    with running_bot(application):
        telegram_api.push_text(GUEST, "a slow turn")  # holds the chat's lane and the worker
        answer = telegram_api.wait_for_pre_checkout_answer(telegram_api.pay(GUEST, INVOICE))
        release.set()
        telegram_api.wait_for_messages(GUEST, 1)

    assert answer["ok"] is True
    assert [(q.payload, q.total_amount, q.currency) for q in desk.asked] == [("b1.0", 8000, "EUR")]


def test_a_guest_cancel_inside_the_policy_records_a_manual_refund_and_says_so(paid: Paid) -> None:
    api = paid.api
    invoice = hold_a_seat(paid)
    api.paid(GUEST, invoice)
    api.push_text(GUEST, "cancel my booking")
    [question] = api.wait_for_messages(GUEST, 1)
    api.press_button(GUEST, question, "yes")

    [answer] = api.wait_for_messages(GUEST, 1)

    assert answer.plain_text.startswith("Cancelled #1")
    assert "Ana Lima will refund €80.00 to you by hand" in answer.plain_text
    with paid.app.uow_factory() as uow:
        [refund] = uow.payments.refunds(booking_id=1)
        to_host = {m.channel for m in uow.outbox.list() if m.kind == "refund_manual"}
    assert (refund.status.value, refund.reason, refund.amount) == ("manual", "guest_cancel", 8000)
    assert "telegram" in to_host


def test_a_check_slower_than_its_limit_is_answered_try_again_not_left_to_time_out(
    telegram_api: TelegramAPIServer,
) -> None:
    ready = threading.Event()
    application = build_application(
        telegram_api.token, Echo(), base_url=telegram_api.base_url,
        payments=Payments(PROVIDER_TOKEN, Desk(ready), answer_within=0.2))
    with running_bot(application):
        answer = telegram_api.wait_for_pre_checkout_answer(
            telegram_api.pay(GUEST, INVOICE, language_code="es"))
        ready.set()

    assert answer["ok"] is False
    assert answer["error_message"].startswith("No pude comprobar tu reserva a tiempo.")
