"""``slotbot payments`` and ``stats`` with revenue, as a user runs them, on a SQLite file."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paid_example import NOW, paid_app


@pytest.fixture
def run(tmp_path):
    database = tmp_path / "cli.db"
    paid_app(database).engine.dispose()  # booking #1 paid on Telegram, #2 held
    env = {**os.environ, "SLOTBOT_DATABASE_URL": f"sqlite:///{database}"}
    slotbot = Path(sys.executable).parent / "slotbot"

    def call(*args: str) -> str:
        result = subprocess.run([str(slotbot), *args], capture_output=True, text=True, env=env,
                                cwd=tmp_path, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    return call


def test_payments_json_lists_amounts_in_minor_units_with_provider_ids(run):
    listed = json.loads(run("payments", "--json"))
    paid, held = listed["payments"]
    assert {k: paid[k] for k in ("booking_id", "host", "event_type", "provider", "amount",
                                 "currency", "price", "status", "provider_payment_id",
                                 "provider_charge_id")} == {
        "booking_id": 1, "host": "ana", "event_type": "consultation", "provider": "telegram",
        "amount": 8000, "currency": "EUR", "price": "80.00", "status": "paid",
        "provider_payment_id": "tg_charge_1", "provider_charge_id": "prov_1"}
    assert paid["paid_at"] == "2026-11-27T08:00:00Z"
    assert (held["booking_id"], held["status"], held["paid_at"]) == (2, "open", None)
    assert listed["refunds"] == []
    assert json.loads(run("payments", "--host", "bruno", "--json")) == {"payments": [],
                                                                        "refunds": []}


def test_refund_asks_first_refunds_on_yes_and_stats_show_the_revenue(run):
    run("command", "--host", "ana", "--now", NOW.isoformat(), "refund", "1")  # only asks
    assert json.loads(run("payments", "--json"))["refunds"] == []
    stats = run("command", "--host", "ana", "--now", NOW.isoformat(), "stats", "30d")
    assert "Revenue: €80.00 (1 payment, €0.00 refunded); previous period: €0.00" in stats
    assert "  Consultation: €80.00 (1 payment)" in stats
    table = run("payments", "--host", "ana")
    assert "telegram" in table and "80.00 EUR" in table and "tg_charge_1 / prov_1" in table
    done = run("command", "--host", "ana", "--now", NOW.isoformat(), "refund", "1", "yes")
    assert done.startswith("Recorded a refund of €80.00 to Carla for #1")
    [refund] = json.loads(run("payments", "--json"))["refunds"]
    assert {k: refund[k] for k in ("booking_id", "provider", "amount", "currency", "status",
                                   "reason")} == {"booking_id": 1, "provider": "telegram",
                                                  "amount": 8000, "currency": "EUR",
                                                  "status": "manual", "reason": "host"}
