"""Revenue: money received and given back per period, currency and event type (pure), and
its lines in the daily digest (golden, English and German)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bots import notices
from core import digests
from core.models import HostSchedule, Payment, PaymentStatus, Refund, RefundStatus
from core.stats import Money, revenue
from tests.golden import assert_golden

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # Tuesday 08:00 in Berlin
WEEK = timedelta(days=7)
TITLES = {1: "Intro call", 2: "Consultation"}


def _payment(id_: int, amount: int, paid_at: datetime | None, *, event_type: int = 2,
             currency: str = "EUR", status: PaymentStatus = PaymentStatus.PAID) -> Payment:
    return Payment(booking_id=id_, host_id=1, event_type_id=event_type, provider="telegram",
                   amount=amount, currency=currency, created_at=paid_at or NOW - WEEK,
                   status=status, paid_at=paid_at, id=id_)


def _refund(payment: Payment, at: datetime, *,
            status: RefundStatus = RefundStatus.MANUAL) -> Refund:
    return Refund(payment_id=payment.id or 0, booking_id=payment.booking_id,
                  provider=payment.provider, amount=payment.amount, currency=payment.currency,
                  reason="host", created_at=at, status=status)


def test_payments_count_when_paid_and_refunds_when_made_even_for_older_payments():
    old = _payment(1, 8000, NOW - 3 * WEEK, status=PaymentStatus.REFUNDED)
    fresh = _payment(2, 8000, NOW - timedelta(days=1))
    intro = _payment(3, 2500, NOW - timedelta(days=2), event_type=1)
    unpaid = _payment(4, 8000, None, status=PaymentStatus.OPEN)
    refunds = [_refund(old, NOW - timedelta(hours=1)),
               _refund(intro, NOW - timedelta(hours=2), status=RefundStatus.FAILED)]

    found = revenue([old, fresh, intro, unpaid], refunds, titles=TITLES, since=NOW - WEEK,
                    until=NOW)

    assert found.total == (Money("EUR", paid=10_500, refunded=8000, payments=2),)
    assert found.total[0].net == 2500
    assert found.by_event_type == (
        ("Consultation", (Money("EUR", paid=8000, refunded=8000, payments=1),)),
        ("Intro call", (Money("EUR", paid=2500, refunded=0, payments=1),)),
    )


def test_a_period_starts_after_since_and_includes_until_and_keeps_currencies_apart():
    at_since = _payment(1, 1000, NOW - WEEK)
    at_until = _payment(2, 2000, NOW, currency="USD")
    euro = _payment(3, 3000, NOW - timedelta(days=3))

    found = revenue([at_since, at_until, euro], [], titles=TITLES, since=NOW - WEEK, until=NOW)

    assert found.total == (Money("EUR", 3000, 0, 1), Money("USD", 2000, 0, 1))
    assert revenue([], [], titles=TITLES, since=NOW - WEEK, until=NOW).total == ()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_digest_tells_the_weeks_revenue_in_the_hosts_locale(lang):
    schedule = HostSchedule(1, "ana", "Ana Lima", "Europe/Berlin", time(8), True, "1001",
                            locale=lang)
    paid = [_payment(1, 8000, NOW - timedelta(days=2)), _payment(2, 8000, NOW - timedelta(1))]
    payload = digests.build(schedule, date(2026, 12, 1), [], titles={}, guest_names={},
                            now=NOW, since=NOW - timedelta(days=1),
                            money=(paid, [_refund(paid[0], NOW - timedelta(hours=3))]))

    assert payload["revenue"] == [{"currency": "EUR", "paid": 16_000, "refunded": 8000,
                                   "payments": 2}]
    assert_golden(f"host/{lang}/digest_revenue.txt", notices.render("digest", payload).text + "\n")


def test_a_digest_without_money_says_nothing_about_revenue():
    schedule = HostSchedule(1, "ana", "Ana Lima", "Europe/Berlin", time(8), True, "1001")
    payload = digests.build(schedule, date(2026, 12, 1), [], titles={}, guest_names={},
                            now=NOW, since=NOW - timedelta(days=1))
    assert payload["revenue"] == []
    assert "Revenue" not in notices.render("digest", payload).text
