"""Golden files: the host's replies about money (refund, revenue), in English and German.

Ana's consultation costs 80.00 EUR; Carla pays hers through Telegram Payments,
Dan's is still held. ``SLOTBOT_UPDATE_GOLDEN=1 pytest tests/integration/test_host_payment_replies.py``
rewrites the files after an intended change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bots.messages import Reply
from bots.telegram_payments import TelegramGateway
from config.bootstrap import App, bootstrap
from config.settings import Settings
from core import host_settings, payments, services
from core.setup_file import parse_setup
from tests.golden import assert_golden

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hosts.yaml"
#: Monday 30 Nov 2026, 08:00 UTC (09:00 in Berlin).
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TOKEN = "284685063:TEST:golden"

#: (golden file name, command or ``press:PAYLOAD``), run in this order on one database.
SCRIPT = (
    ("help_refund", "help refund"),
    ("booking_held", "booking 2"),
    ("refund_ask", "refund 1"),
    ("refund_no", "press:h:norefund:1"),
    ("stats_revenue", "stats 30d"),
    ("refund_done", "press:h:refund!:1"),
    ("refund_nothing", "refund 1"),
    ("stats_refunded", "stats 7d"),
)


def _setup() -> dict[str, object]:
    setup = yaml.safe_load(EXAMPLE.read_text())
    setup["hosts"][0]["event_types"][1].update(price="80.00", currency="EUR")
    return dict(setup)


def _app(tmp_path: Path, locale: str) -> App:
    app = bootstrap(Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'money.db'}"),
                    now=NOW)
    uow = app.uow_factory
    services.load_hosts(parse_setup(_setup()), uow=uow())
    host_settings.set_locale("ana", locale, uow=uow())
    carla = services.ensure_guest("telegram", "c1", uow=uow(), name="Carla", chat_id="c1")
    dan = services.ensure_guest("telegram", "d1", uow=uow(), name="Dan", chat_id="d1")
    paid_at = NOW - timedelta(days=3)
    gateway = TelegramGateway(TOKEN)
    for n, guest in enumerate((carla, dan)):                                  # 1 paid, 2 held
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


def _shown(reply: Reply) -> str:
    return reply.text + "".join(f"\n[{c.label}] {c.payload}" for c in reply.choices) + "\n"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_host_reply_about_money_matches_its_golden_file(tmp_path, lang):
    app = _app(tmp_path, lang)
    for name, command in SCRIPT:
        host = services.get_host("ana", uow=app.uow_factory())
        if command.startswith("press:"):
            reply = app.host_commands.press(host, command.removeprefix("press:"))
        else:
            reply = app.host_commands.run(host, command)
        assert_golden(f"host/{lang}/{name}.txt", _shown(reply))


def test_a_host_refund_is_recorded_once_as_manual_for_telegram(tmp_path):
    app = _app(tmp_path, "en")
    host = services.get_host("ana", uow=app.uow_factory())
    app.host_commands.press(host, "h:refund!:1")
    app.host_commands.press(host, "h:refund!:1")  # a second tap refunds nothing more
    with app.uow_factory() as uow:
        [refund] = uow.payments.refunds(booking_id=1)
        sent = [(m.kind, m.channel) for m in uow.outbox.list()]
    assert (refund.status.value, refund.amount, refund.reason) == ("manual", 8000, "host")
    assert [s for s in sent if s[0] == "payment_refunded"] == [("payment_refunded", "telegram")]
    to_host = [channel for kind, channel in sent if kind == "refund_manual"]
    assert to_host and sorted(to_host) == sorted(set(to_host))  # once per channel of Ana's
