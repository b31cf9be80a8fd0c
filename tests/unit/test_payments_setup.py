"""Paid event types in the setup file and amounts in minor units (Babel's currency data)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import SetupError
from core.money import format_amount, to_decimal, to_minor
from core.setup_file import hosts_from, read_setup

BASE = """
hosts:
  - handle: ana
    timezone: Europe/Berlin
    event_types:
"""


def problems(entry: str) -> list[str]:
    with pytest.raises(SetupError) as caught:
        read_setup(BASE + f"      - {{slug: a, duration: 30, {entry}}}\n")
    return caught.value.problems


def event_type(entry: str):
    [host] = hosts_from(read_setup(BASE + f"      - {{slug: a, duration: 30, {entry}}}\n"))
    return host.event_types[0]


@pytest.mark.parametrize(("entry", "price", "currency"), [
    ('price: "50.00", currency: EUR', 5000, "EUR"),
    ("price: 50, currency: USD", 5000, "USD"),
    ("price: 19.99, currency: GBP", 1999, "GBP"),  # a YAML float, read through its text
    ('price: "1500", currency: JPY', 1500, "JPY"),  # no minor unit
    ('price: "1.250", currency: KWD', 1250, "KWD"),  # three digits
])
def test_prices_become_integers_of_the_currencys_minor_unit(entry, price, currency) -> None:
    found = event_type(entry)
    assert (found.price, found.currency, found.paid) == (price, currency, True)
    assert (found.payment_window, found.refund_until) == (15, None)


@pytest.mark.parametrize(("policy", "minutes"), [("24h", 1440), ("90m", 90), ("2d", 2880),
                                                 ("45", 45)])
def test_payment_window_and_refund_policy(policy, minutes) -> None:
    found = event_type(f'price: "50.00", currency: EUR, payment_window: 20, '
                       f"refund_policy: {{full_until: {policy}}}")
    assert (found.payment_window, found.refund_until) == (20, minutes)


def test_a_free_event_type_has_no_price() -> None:
    found = event_type("seats: 1")
    assert (found.price, found.currency, found.paid) == (None, None, False)


@pytest.mark.parametrize(("entry", "message"), [
    ('price: "50.00", currency: EURO',
     "hosts[0].event_types[0].currency: 'EURO' is not an ISO 4217 currency code like EUR or USD"),
    ('price: "50.00", currency: XYZ',
     "hosts[0].event_types[0].currency: 'XYZ' is not an ISO 4217 currency code like EUR or USD"),
    ('price: "50.005", currency: EUR',
     "hosts[0].event_types[0]: price 50.005 has more than 2 decimal places for EUR"),
    ('price: "10.5", currency: JPY',
     "hosts[0].event_types[0]: price 10.5 has more than 0 decimal places for JPY"),
    ('price: fifty, currency: EUR',
     "hosts[0].event_types[0].price: 'fifty' is not a price like \"50.00\""),
    ('price: "-5", currency: EUR',
     "hosts[0].event_types[0].price: Input should be greater than or equal to 0, got '-5'"),
    ("payment_window: 20",
     "hosts[0].event_types[0]: payment_window and refund_policy belong to a paid event type "
     "(give price and currency)"),
    ('price: "5", currency: EUR, payment_window: 0',
     "hosts[0].event_types[0].payment_window: Input should be greater than or equal to 1, got 0"),
    ('price: "5", currency: EUR, refund_policy: {full_until: soon}',
     "hosts[0].event_types[0].refund_policy.full_until: 'soon' is not a span like 24h, 90m or "
     "2d"),
    ('price: "5", currency: EUR, refund_policy: {full_untl: 24h}',
     "hosts[0].event_types[0].refund_policy.full_untl: unknown key; did you mean full_until?"),
])
def test_bad_payment_keys_are_one_line_each_with_their_path(entry, message) -> None:
    assert problems(entry)[0] == message


def test_amounts_round_trip_exactly_and_format_per_locale() -> None:
    assert to_minor(Decimal("0.10"), "EUR") == 10
    assert to_decimal(5000, "EUR") == Decimal("50.00")
    assert to_decimal(1250, "KWD") == Decimal("1.250")
    assert format_amount(5000, "EUR", "de") == "50,00\xa0€"
    assert format_amount(5000, "USD", "en") == "$50.00"
    assert format_amount(1500, "JPY", "fr") == "1\u202f500\xa0JPY"
