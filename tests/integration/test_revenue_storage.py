"""Revenue read from storage on SQLite and PostgreSQL: the digest's batch query and stats."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from core import digests, payments, services, stats
from core.models import EventType, Guest, Host, WorkingHours
from tests.paid_example import PROVIDER_TOKEN

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # Tuesday 08:00 in Berlin: the digests are due


def _paid_host(uow_factory, handle: str, telegram_id: str) -> None:
    """A host with a 50.00 EUR call, one paid 2 days ago, one paid and refunded today."""
    from bots.telegram_payments import TelegramGateway

    with uow_factory() as uow:
        uow.hosts.add(Host(handle, handle.title(), "Europe/Berlin", telegram_user_id=telegram_id,
                           digest_time=time(8),
                           working_hours=[WorkingHours(day, time(0), time(0)) for day in range(7)],
                           event_types=[
                               EventType("call", "Call", 30, price=5000, currency="EUR",
                                         minimum_notice=0)]))
        guest = Guest("telegram", f"g-{handle}", name="Guest", chat_id=f"g-{handle}")
        uow.guests.add(guest)
        uow.commit()
        guest_id = guest.id or 0
    gateway = TelegramGateway(PROVIDER_TOKEN)
    for n, paid_at in enumerate((NOW - timedelta(days=2), NOW - timedelta(hours=2))):
        clock = lambda paid_at=paid_at: paid_at  # noqa: E731
        view = services.book(handle, "call", NOW + timedelta(days=1, hours=n), guest_id=guest_id,
                             uow=uow_factory(), clock=clock)
        checkout = payments.open_checkout(view.booking.id or 0, gateway=gateway,
                                          uow=uow_factory(), clock=clock)
        payments.record_payment(payments.Received(
            "telegram", f"charge-{handle}-{n}", 5000, "EUR", booking_id=view.booking.id,
            checkout_id=checkout.checkout_id), uow=uow_factory(), clock=clock)
        if n:
            host = services.get_host(handle, uow=uow_factory())
            payments.refund_booking(view.booking.id or 0,
                                    actor=services.Actor("host", host.id or 0),
                                    uow=uow_factory(), clock=clock)


def test_the_digest_reads_each_hosts_money_in_one_batch(uow_factory) -> None:
    _paid_host(uow_factory, "ana", "1001")
    _paid_host(uow_factory, "eve", "1002")
    with uow_factory() as uow:
        ids = [h.id or 0 for h in uow.hosts.list()]
        paid, given_back = uow.payments.of_hosts(ids, NOW - timedelta(days=7))
        assert len(paid) == 4 and sorted(h for h, _ in given_back) == sorted(ids)
        assert uow.payments.of_hosts([], NOW) == ([], [])

    assert digests.send_due(NOW, uow_factory=uow_factory) == {"ana": 1, "eve": 1}

    with uow_factory() as uow:
        sent = [m.payload for m in uow.outbox.list() if m.kind == "digest"]
    assert [p["revenue"] for p in sent] == [
        [{"currency": "EUR", "paid": 10_000, "refunded": 5000, "payments": 2}]] * 2


def test_stats_count_the_money_of_the_period(uow_factory) -> None:
    _paid_host(uow_factory, "ana", "1001")
    report = stats.host_report("ana", 7, uow=uow_factory(), clock=lambda: NOW)
    assert report.currency == "EUR"
    assert report.current.revenue.total == (stats.Money("EUR", 10_000, 5000, 2),)
    assert report.current.revenue.by_event_type == (
        ("Call", (stats.Money("EUR", 10_000, 5000, 2),)),)
    assert report.previous.revenue.total == ()
