"""Golden files: the host's replies about money (refund, revenue), in English and German.

On :func:`tests.paid_example.paid_app` (booking #1 paid through Telegram Payments,
#2 held). ``SLOTBOT_UPDATE_GOLDEN=1 pytest tests/integration/test_host_payment_replies.py``
rewrites the files after an intended change.
"""

from __future__ import annotations

import pytest

from bots.messages import Reply
from core import services
from tests.golden import assert_golden
from tests.paid_example import paid_app

#: (golden file name, command or ``press:PAYLOAD``), run in this order on one database.
SCRIPT = (
    ("help_refund", "help refund"),
    ("booking_held", "booking 2"),
    ("refund_ask", "refund 1"),
    ("refund_no", "press:h:norefund:1"),
    ("stats_revenue", "stats 30d"),
    ("refund_done", "press:h:refund!:1"),
    ("refund_nothing", "refund 1"),
    ("refund_usage", "refund 1 now"),
    ("stats_refunded", "stats 7d"),
)


def _shown(reply: Reply) -> str:
    return reply.text + "".join(f"\n[{c.label}] {c.payload}" for c in reply.choices) + "\n"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_host_reply_about_money_matches_its_golden_file(tmp_path, lang):
    app = paid_app(tmp_path / "money.db", lang)
    for name, command in SCRIPT:
        host = services.get_host("ana", uow=app.uow_factory())
        if command.startswith("press:"):
            reply = app.host_commands.press(host, command.removeprefix("press:"))
        else:
            reply = app.host_commands.run(host, command)
        assert_golden(f"host/{lang}/{name}.txt", _shown(reply))


def test_a_host_refund_is_recorded_once_as_manual_for_telegram(tmp_path):
    app = paid_app(tmp_path / "money.db", "en")
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
