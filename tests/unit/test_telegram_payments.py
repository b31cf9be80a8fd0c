"""Telegram Payments without the network: signed payloads, the invoice's rendering and
storage, and the pre-checkout decision on an in-memory unit of work."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml

from bots.inbox import replies_from_json, replies_to_json
from bots.messages import Invoice, Reply
from bots.telegram import render_invoice
from bots.telegram_payments import PaymentDesk, PreCheckout, TelegramGateway, booking_of, sign
from core import payments, services
from core.errors import PaymentRefused
from core.setup_file import parse_setup
from tests.paid_example import PROVIDER_TOKEN, paid_setup
from tests.unit.conftest import NOW
from tests.unit.fakes import FakeUnitOfWork

INVOICE = Invoice(payload="b7.0123456789abcdef", title="Consultation", description="#7",
                  label="Consultation", amount=8000, currency="EUR", start="ana")


def test_a_payload_names_its_booking_only_under_the_token_that_signed_it():
    payload = sign(12, PROVIDER_TOKEN)
    assert len(payload.encode()) <= 128 and PROVIDER_TOKEN not in payload
    assert booking_of(payload, PROVIDER_TOKEN) == 12
    assert booking_of(payload, "another:TEST:token") is None
    assert booking_of(payload.replace("b12", "b13"), PROVIDER_TOKEN) is None
    for forged in ("", "b12", "b12.", "x12.abc", "b١٢." + payload.partition(".")[2]):
        assert booking_of(forged, PROVIDER_TOKEN) is None


def test_the_gateway_never_refunds_and_never_shows_its_token():
    gateway = TelegramGateway(PROVIDER_TOKEN)
    assert (gateway.name, gateway.refunds_by_api) == ("telegram", False)
    assert PROVIDER_TOKEN not in repr(gateway)
    with pytest.raises(PaymentRefused):
        gateway.refund(None, None)  # type: ignore[arg-type]


def test_an_invoice_is_cut_to_telegrams_limits_but_its_payload_never_is():
    long = Invoice(payload=INVOICE.payload, title="T" * 40, description="D" * 300,
                   label="L" * 40, amount=8000, currency="EUR")
    rendered = render_invoice(long, PROVIDER_TOKEN)
    assert len(rendered["title"]) == 32 and rendered["title"].endswith("…")
    assert len(rendered["description"]) == 255
    assert len(rendered["prices"][0].label) == 32 and rendered["prices"][0].amount == 8000
    assert rendered["provider_token"] == PROVIDER_TOKEN
    for bad in (Invoice("x" * 129, "T", "D", "L", 8000, "EUR"), Invoice("p", "T", "D", "L", 0,
                                                                        "EUR")):
        with pytest.raises(ValueError):
            render_invoice(bad, PROVIDER_TOKEN)


def test_a_reply_keeps_its_invoice_in_the_inbox():
    replies = [Reply("Held for you", invoice=INVOICE), Reply("plain")]
    assert replies_from_json(replies_to_json(replies)) == replies


@pytest.fixture
def held() -> tuple[FakeUnitOfWork, str]:
    """Ana's paid consultation held for a guest at NOW (15 minutes), its invoice payload."""
    uow = FakeUnitOfWork()
    services.load_hosts(parse_setup(yaml.safe_load(yaml.safe_dump(paid_setup()))), uow=uow)
    guest = services.ensure_guest("telegram", "42", uow=uow, name="Carla", chat_id="42")
    view = services.book("ana", "consultation", NOW + timedelta(days=2, hours=1),
                         guest_id=guest.id or 0, uow=uow, clock=lambda: NOW)
    checkout = payments.open_checkout(view.booking.id or 0,
                                      gateway=TelegramGateway(PROVIDER_TOKEN), uow=uow,
                                      clock=lambda: NOW)
    return uow, checkout.checkout_id


def _ask(uow: FakeUnitOfWork, minutes: int, query: PreCheckout) -> str | None:
    clock = lambda: NOW + timedelta(minutes=minutes)  # noqa: E731
    return PaymentDesk(lambda: uow, clock, PROVIDER_TOKEN).pre_checkout(query)


def test_pre_checkout_says_yes_only_to_our_invoice_at_its_price_while_held(held):
    uow, payload = held
    assert _ask(uow, 14, PreCheckout(payload, "EUR", 8000, "en")) is None
    assert _ask(uow, 15, PreCheckout(payload, "EUR", 8000, "en")) == (
        "The time to pay for this booking has run out and it was let go. "
        "Please ask me again for a time.")
    assert "no longer matches" in (_ask(uow, 1, PreCheckout(payload, "EUR", 7000, "en")) or "")
    assert "no longer matches" in (_ask(uow, 1, PreCheckout(payload, "USD", 8000, "en")) or "")
    forged = sign(1, "another:TEST:token")
    assert _ask(uow, 1, PreCheckout(forged, "EUR", 8000, "fr")) == (
        "Cette facture ne vient pas de moi, elle ne peut pas être payée.")
