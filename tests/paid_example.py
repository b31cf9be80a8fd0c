"""The example hosts with a paid event type, and a database with money in it.

Ana's consultation costs 80.00 EUR, refunded in full up to 24 h before. In
:func:`paid_app`, Carla paid hers through Telegram Payments three days before
``NOW`` (booking #1) and Dan's is still held (booking #2, ``awaiting_payment``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from bots.telegram_payments import TelegramGateway
from config.bootstrap import App, bootstrap
from config.settings import Settings
from core import host_settings, payments, services
from core.setup_file import parse_setup

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hosts.yaml"
#: Monday 30 Nov 2026, 08:00 UTC (09:00 in Berlin).
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
#: A Telegram Payments provider token (test mode).
PROVIDER_TOKEN = "284685063:TEST:payments-provider-token"


def paid_setup() -> dict[str, object]:
    """``examples/hosts.yaml`` with Ana's consultation at 80.00 EUR (refunded up to 24 h
    before the start)."""
    setup = yaml.safe_load(EXAMPLE.read_text())
    setup["hosts"][0]["event_types"][1].update(price="80.00", currency="EUR",
                                               refund_policy={"full_until": "24h"})
    return dict(setup)


def paid_app(database: Path, locale: str | None = None) -> App:
    """Slotbot on the SQLite file ``database`` at ``NOW``: booking #1 paid, #2 held."""
    app = bootstrap(Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{database}"), now=NOW)
    uow = app.uow_factory
    services.load_hosts(parse_setup(paid_setup()), uow=uow())
    if locale:
        host_settings.set_locale("ana", locale, uow=uow())
    carla = services.ensure_guest("telegram", "c1", uow=uow(), name="Carla", chat_id="c1")
    dan = services.ensure_guest("telegram", "d1", uow=uow(), name="Dan", chat_id="d1")
    paid_at = NOW - timedelta(days=3)
    gateway = TelegramGateway(PROVIDER_TOKEN)
    for n, guest in enumerate((carla, dan)):
        at = paid_at if n == 0 else NOW
        view = services.book("ana", "consultation", NOW + timedelta(days=2, hours=1 + 4 * n),
                             guest_id=guest.id or 0, uow=uow(), clock=lambda at=at: at)
        checkout = payments.open_checkout(view.booking.id or 0, gateway=gateway, uow=uow(),
                                          clock=lambda at=at: at)
        if n == 0:
            payments.record_payment(payments.Received(
                "telegram", "tg_charge_1", 8000, "EUR", booking_id=view.booking.id,
                checkout_id=checkout.checkout_id, provider_charge_id="prov_1"),
                uow=uow(), clock=lambda: paid_at)
    return app
