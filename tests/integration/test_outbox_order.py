"""Several deliverers at once keep each chat's messages in order (SQLite and PostgreSQL).

Before claims were serialized, a second claim on PostgreSQL skipped the row a first,
uncommitted claim held (``SKIP LOCKED``) and, not seeing its lease yet, took the same
chat's next message: two deliverers then sent one chat's messages in either order.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bots.delivery import DeliverySettings, Pacer, TelegramTransport, deliver_due
from core.models import OutboxMessage, OutboxStatus
from tests.e2e.telegram_server import TelegramAPIServer
from tests.together import run_together, wait_until_waiting_or_done

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
LEASE = NOW + timedelta(minutes=5)
CHATS = [str(4000 + n) for n in range(12)]
PER_CHAT = 4
ROUNDS = 3


def _queue(uow_factory, chats: list[str], per_chat: int, round_: int = 0) -> None:
    with uow_factory() as uow:
        for n in range(per_chat):
            for chat in chats:
                uow.outbox.add(OutboxMessage("telegram", chat, "note",
                                             {"text": f"round {round_} message {n}"},
                                             created_at=NOW))
        uow.commit()


def test_a_claim_in_progress_holds_back_the_chats_later_messages(uow_factory,
                                                                engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one unit of work at a time: claims cannot overlap")
    _queue(uow_factory, ["42", "43"], per_chat=2)
    first = uow_factory()
    with first:
        [held] = first.outbox.claim(NOW, channels=["telegram"], limit=1, lease_until=LEASE)
        second: list[list[OutboxMessage]] = []
        claimer = threading.Thread(target=lambda: second.append(_claim(uow_factory)))
        claimer.start()
        wait_until_waiting_or_done(engine, claimer)
        first.commit()
    claimer.join(30)

    assert (held.recipient, held.payload["text"]) == ("42", "round 0 message 0")
    # Chat 43's messages only: chat 42's second waits behind the held first.
    assert [(m.recipient, m.payload["text"]) for m in second[0]] == [
        ("43", "round 0 message 0"), ("43", "round 0 message 1")]


def _claim(uow_factory) -> list[OutboxMessage]:
    with uow_factory() as uow:
        claimed = uow.outbox.claim(NOW, channels=["telegram"], limit=10, lease_until=LEASE)
        uow.commit()
        return claimed


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_deliverers_keep_every_chats_order(uow_factory, round_: int) -> None:
    _queue(uow_factory, CHATS, PER_CHAT, round_)
    with TelegramAPIServer() as server:
        for chat in CHATS:
            server.open_chat(int(chat))
        ready = threading.Barrier(2, timeout=30)

        def deliver() -> None:
            with TelegramTransport(server.token, base_url=server.base_url) as transport:
                ready.wait()  # both transports built: the two deliveries start together
                deliver_due(NOW, uow_factory=uow_factory, transports={"telegram": transport},
                            pacer=Pacer({}), settings=DeliverySettings(batch=3))

        run_together(deliver, 2, timeout=60)  # raises what a deliverer raised
        with TelegramTransport(server.token, base_url=server.base_url) as transport:
            # What one deliverer left because the other held the chat's previous message.
            deliver_due(NOW, uow_factory=uow_factory, transports={"telegram": transport},
                        pacer=Pacer({}))
        received = {chat: [m.plain_text for m in server.messages(chat)] for chat in CHATS}

    with uow_factory() as uow:
        assert {m.status for m in uow.outbox.list()} == {OutboxStatus.SENT}
    expected = [f"round {round_} message {n}" for n in range(PER_CHAT)]
    out_of_order = [chat for chat in CHATS if received[chat] != expected]
    assert out_of_order == []
