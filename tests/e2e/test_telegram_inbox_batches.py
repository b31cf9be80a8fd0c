"""Polling stores each fetched batch of updates in one inbox transaction, before confirming it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import OperationalError

from bots.inbox import Inbox, InboxEntry
from bots.telegram import build_application
from tests.e2e.telegram_server import Echo, TelegramAPIServer, running_bot


class RecordingInbox(Inbox):
    """The real inbox, recording how updates were stored; the first ``failures`` batches fail."""

    failures = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batches: list[list[str]] = []
        self.single: list[str] = []

    def accept_batch(self, deliveries: list[tuple[str, dict[str, Any]]]
                     ) -> dict[str, InboxEntry]:
        if self.failures:
            self.failures -= 1
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        self.batches.append([delivery_id for delivery_id, _ in deliveries])
        return super().accept_batch(deliveries)

    def accept(self, delivery_id: str, payload: dict[str, Any]) -> InboxEntry | None:
        self.single.append(delivery_id)
        return super().accept(delivery_id, payload)


def _inbox(telegram_inbox: Inbox, failures: int = 0) -> RecordingInbox:
    inbox = RecordingInbox(telegram_inbox._uow_factory, telegram_inbox._clock,
                           platform="telegram")
    inbox.failures = failures
    return inbox


def test_updates_waiting_together_are_stored_in_one_batch_and_each_answered_once(
    telegram_api: TelegramAPIServer, telegram_inbox: Inbox
) -> None:
    inbox = _inbox(telegram_inbox)
    pushed = [telegram_api.push_text(1001 + n % 2, f"m{n}") for n in range(6)]
    recorder = Echo()
    application = build_application(telegram_api.token, recorder,
                                    base_url=telegram_api.base_url, inbox=inbox)
    with running_bot(application):
        telegram_api.wait_for_messages(1001, 3)
        telegram_api.wait_for_messages(1002, 3)

    assert inbox.batches[0] == [str(update_id) for update_id in pushed]
    assert inbox.single == []
    assert sorted(m.text for m in recorder.received) == [f"m{n}" for n in range(6)]
    assert inbox.unfinished() == 0  # the done marks were written before the stop ended


def test_a_batch_that_cannot_be_stored_is_not_confirmed_and_comes_again(
    telegram_api: TelegramAPIServer, telegram_inbox: Inbox
) -> None:
    inbox = _inbox(telegram_inbox, failures=1)
    telegram_api.push_text(1001, "first")
    telegram_api.push_text(1001, "second")
    recorder = Echo()
    application = build_application(telegram_api.token, recorder,
                                    base_url=telegram_api.base_url, inbox=inbox)
    with running_bot(application):
        replies = telegram_api.wait_for_messages(1001, 2)

    assert inbox.failures == 0
    assert [r.plain_text for r in replies] == ["Got: first", "Got: second"]
    assert [m.text for m in recorder.received] == ["first", "second"]
