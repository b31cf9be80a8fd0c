"""``/slotbot refund ID`` on an in-memory unit of work: asked first, refunded once, only the
host's own bookings; a provider with a refund API gets the refund queued."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import yaml

from bots.host_commands import HostCommands
from core import payments, services
from core.models import Payment, Refund
from core.ports import Checkout, CheckoutOrder
from core.setup_file import parse_setup
from tests.paid_example import paid_setup
from tests.unit.conftest import NOW
from tests.unit.fakes import FakeUnitOfWork


class CardGateway:
    """A payment provider with a refund API, as :mod:`core.payments` sees one (a port fake)."""

    name = "stripe"
    refunds_by_api = True

    def open_checkout(self, order: CheckoutOrder, *, now: datetime) -> Checkout:
        return Checkout(f"cs_{order.booking_id}", f"https://pay.example/{order.booking_id}")

    def close_checkout(self, checkout_id: str) -> None:
        raise AssertionError("nothing to close")

    def refund(self, payment: Payment, refund: Refund) -> str:
        raise AssertionError("refunds go through the outbox")


@pytest.fixture
def paid() -> tuple[FakeUnitOfWork, HostCommands, int]:
    """Ana's consultation, paid by card: the booking's id."""
    uow = FakeUnitOfWork()
    services.load_hosts(parse_setup(yaml.safe_load(yaml.safe_dump(paid_setup()))), uow=uow)
    guest = services.ensure_guest("slack", "U1", uow=uow, name="Carla", chat_id="D1")
    view = services.book("ana", "consultation", NOW + timedelta(days=2, hours=1),
                         guest_id=guest.id or 0, uow=uow, clock=lambda: NOW)
    checkout = payments.open_checkout(view.booking.id or 0, gateway=CardGateway(), uow=uow,
                                      clock=lambda: NOW)
    payments.record_payment(payments.Received("stripe", "pi_1", 8000, "EUR",
                                              checkout_id=checkout.checkout_id),
                            uow=uow, clock=lambda: NOW)
    return uow, HostCommands(lambda: uow, lambda: NOW), view.booking.id or 0


def test_refund_asks_with_buttons_then_queues_one_refund_to_the_provider(paid):
    uow, commands, n = paid
    ana = services.get_host("ana", uow=uow)

    asked = commands.run(ana, f"refund #{n}")
    assert asked.text.startswith(f"Refund €80.00 to Carla for #{n} (")
    assert "through Stripe? The guest will be told; the booking itself stays." in asked.text
    assert [c.payload for c in asked.choices] == [f"h:refund!:{n}", f"h:norefund:{n}"]
    assert uow.payments.refunds() == []

    done = commands.press(ana, f"h:refund!:{n}")
    again = commands.press(ana, f"h:refund!:{n}")

    assert done.text == f"Refunding €80.00 to Carla for #{n}; they are told."
    assert again.text == f"Nothing paid to refund for #{n}."
    [refund] = uow.payments.refunds()
    assert (refund.status.value, refund.provider, refund.amount) == ("requested", "stripe", 8000)
    assert [(m.channel, m.kind) for m in uow.outbox.list() if m.channel == "payment"] == [
        ("payment", "refund")]
    assert uow.bookings.get(n).status.value == "confirmed"  # the booking itself stays


def test_refund_is_only_for_the_hosts_own_paid_bookings(paid):
    uow, commands, n = paid
    bruno = services.get_host("bruno", uow=uow)
    assert commands.run(bruno, f"refund {n}").text == f"There is no booking #{n} of yours."
    assert commands.press(bruno, f"h:refund!:{n}").text == f"There is no booking #{n} of yours."
    ana = services.get_host("ana", uow=uow)
    assert commands.run(ana, "refund").text == "Usage: /slotbot refund ID [yes]"
    assert commands.run(ana, f"refund {n} please").text == "Usage: /slotbot refund ID [yes]"
    assert uow.payments.refunds() == []
