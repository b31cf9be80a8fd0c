"""The payment notices, in every language and for each reader."""

from __future__ import annotations

import pytest

from bots import notices
from bots.locales import LANGUAGES, translations

BASE = {"booking_id": 7, "host": "ana", "host_name": "Ana Lima", "host_timezone": "Europe/Berlin",
        "event_type": "Coaching", "guest_name": "Bo", "guest_timezone": "Europe/Berlin",
        "start": "2026-12-03T09:00:00+00:00", "end": "2026-12-03T10:00:00+00:00",
        "status": "confirmed", "reason": None, "amount": 5000, "currency": "EUR"}
LANGS = sorted(LANGUAGES)


def guest(lang: str, **extra: object) -> dict[str, object]:
    return {**BASE, "reader": "guest", "guest_locale": lang, **extra}


def host(lang: str, **extra: object) -> dict[str, object]:
    return {**BASE, "reader": "host", "host_locale": lang, **extra}


@pytest.mark.parametrize("lang", LANGS)
def test_paid_expired_and_refunded_read_in_every_language(lang: str) -> None:
    paid = notices.render("booking_paid", guest(lang)).text
    expired = notices.render("payment_expired", guest(lang)).text
    assert "#7" in paid and ("50,00" in paid or "50.00" in paid)
    assert "#7" in expired
    for reason in ("seat_taken", "already_paid", "amount_mismatch", "host", "host_cancel",
                   "guest_cancel"):
        text = notices.render("payment_refunded", guest(lang, refund_reason=reason)).text
        assert "#7" in text and "50" in text
    by_hand = notices.render("payment_refunded", guest(lang, refund_reason="host_cancel",
                                                       manual=True)).text
    assert by_hand.startswith(notices.render("payment_refunded", guest(
        lang, refund_reason="host_cancel")).text) and "Ana Lima" in by_hand


def test_a_paid_request_says_the_host_still_confirms() -> None:
    text = notices.render("booking_paid", guest("en", status="pending")).text
    assert text == ("Payment of €50.00 received for #7 (Coaching with Ana Lima, Thu 3 Dec, "
                    "10:00–11:00 (Europe/Berlin)). Ana Lima will confirm it; if not, you get "
                    "the money back.")


@pytest.mark.parametrize("lang", LANGS)
def test_the_host_reads_what_was_paid_and_what_to_refund_by_hand(lang: str) -> None:
    created = notices.render("booking_created", host(lang)).text
    assert created.endswith(translations(lang).gettext("host_paid_suffix").format(
        amount=notices.texts_for(host(lang)).money(5000, "EUR")))
    manual = notices.render("refund_manual", host(lang)).text
    failed = notices.render("refund_failed", host(lang, error="No such payment_intent")).text
    assert "Bo" in manual and "#7" in manual
    assert "No such payment_intent" in failed


def test_a_cancel_with_a_refund_tells_the_host_the_amount() -> None:
    payload = host("en", refunded=5000)
    del payload["amount"]
    text = notices.render("booking_cancelled", payload).text
    assert text.endswith(" Refunded: €50.00.")
