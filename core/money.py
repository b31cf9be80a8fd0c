"""Amounts of money: integers in the currency's minor unit, never floats.

A price of ``50.00`` EUR is ``5000`` (cents); ``1500`` JPY is ``1500`` (the yen
has no minor unit); ``1.500`` KWD is ``1500`` (fils, three digits). How many
digits a currency has comes from Babel's CLDR data
(:func:`babel.numbers.get_currency_precision`), and the ISO 4217 codes it knows
(:func:`babel.numbers.is_currency`) are the ones accepted.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision, is_currency


def known_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code Babel knows (``EUR``, ``JPY``)."""
    return len(code) == 3 and code.isupper() and is_currency(code)


def digits(currency: str) -> int:
    """Digits of the currency's minor unit: 2 for EUR, 0 for JPY, 3 for KWD."""
    return int(get_currency_precision(currency))


def to_minor(price: Decimal, currency: str) -> int:
    """``Decimal("50.00")`` EUR → ``5000``.

    Raises:
        ValueError: ``price`` has more decimal places than the currency has
            (``50.005`` EUR, ``10.5`` JPY), or is negative.
    """
    if price < 0:
        raise ValueError(f"{price} is negative")
    scaled = price.scaleb(digits(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{price} has more than {digits(currency)} decimal places for "
                         f"{currency}")
    return int(scaled)


def to_decimal(amount: int, currency: str) -> Decimal:
    """``5000`` EUR → ``Decimal("50.00")`` (exact, with the currency's places)."""
    places = digits(currency)
    return Decimal(amount).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def format_amount(amount: int, currency: str, locale: str = "en") -> str:
    """``5000`` EUR in ``de`` → ``50,00 €`` (Babel's CLDR pattern of the locale)."""
    return str(format_currency(to_decimal(amount, currency), currency, locale=locale))
