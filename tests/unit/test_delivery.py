"""Outbox delivery with in-memory transports and a virtual clock for the pacing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bots.delivery import DeliverySettings, Pacer, backoff, deliver_due
from bots.messages import Reply
from core.errors import RetryLater, Undeliverable
from core.models import OutboxMessage, OutboxStatus
from core.services import Actor, book, cancel, ensure_guest
from tests.unit.fakes import FakeUnitOfWork
from tests.virtual_time import VirtualTime

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)


class Recorder:
    """A transport that records what it sends; ``failures`` are raised first, in order."""

    def __init__(self, time: VirtualTime, failures: list[Exception] | None = None) -> None:
        self.time = time
        self.failures = failures or []
        self.sent: list[tuple[float, str, str]] = []

    def send(self, recipient: str, reply: Reply, *, skip: int = 0) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((self.time.now, recipient, reply.text))


def _queue(uow: FakeUnitOfWork, channel: str, recipient: str, text: str) -> OutboxMessage:
    message = OutboxMessage(channel, recipient, "note", {"text": text}, created_at=NOW)
    uow.outbox.add(message)
    return message


def _deliver(uow, transport, time, at=NOW, **settings):
    return deliver_due(at, uow_factory=lambda: uow, transports={"telegram": transport},
                       pacer=Pacer(clock=time.clock, sleep=time.sleep),
                       settings=DeliverySettings(**settings))


def test_sends_in_order_one_per_second_per_chat_and_30_per_second_overall():
    uow, time = FakeUnitOfWork(), VirtualTime()
    for n in range(3):
        _queue(uow, "telegram", "42", f"a{n}")
    _queue(uow, "telegram", "43", "b0")
    transport = Recorder(time)
    report = _deliver(uow, transport, time)
    assert report.sent == 4
    assert [(round(t, 3), r, x) for t, r, x in transport.sent] == [
        (0.0, "42", "a0"), (1.0, "42", "a1"), (2.0, "42", "a2"), (2.033, "43", "b0")]
    assert {m.status for m in uow.outbox.items} == {OutboxStatus.SENT}
    assert {m.sent_at for m in uow.outbox.items} == {NOW}


def test_429_delays_the_chat_keeps_its_order_and_others_go_on():
    uow, time = FakeUnitOfWork(), VirtualTime()
    first = _queue(uow, "telegram", "42", "first")
    _queue(uow, "telegram", "42", "second")
    _queue(uow, "telegram", "43", "other")
    transport = Recorder(time, [RetryLater("429", retry_after=40)])
    report = _deliver(uow, transport, time)
    assert (report.sent, report.retried) == (1, 1)
    assert [x for _, _, x in transport.sent] == ["other"]
    assert first.next_attempt_at == NOW + timedelta(seconds=40)  # the server's delay > backoff
    assert time.sleeps[0] == 40  # the whole bot waits out a flood limit

    _deliver(uow, transport, time, at=NOW + timedelta(seconds=30))  # still waiting
    assert [x for _, _, x in transport.sent] == ["other"]
    _deliver(uow, transport, time, at=NOW + timedelta(seconds=40))
    assert [x for _, _, x in transport.sent] == ["other", "first", "second"]
    assert first.attempts == 2 and first.status is OutboxStatus.SENT


def test_message_fails_after_max_attempts_and_the_next_one_goes():
    uow, time = FakeUnitOfWork(), VirtualTime()
    doomed = _queue(uow, "telegram", "42", "doomed")
    _queue(uow, "telegram", "42", "next")
    transport = Recorder(time, [RetryLater("500 Internal Server Error")] * 3)
    at = NOW
    for _ in range(3):
        _deliver(uow, transport, time, at=at, max_attempts=3)
        at += timedelta(hours=2)
    assert (doomed.status, doomed.attempts) == (OutboxStatus.FAILED, 3)
    assert doomed.last_error == "500 Internal Server Error"
    assert [x for _, _, x in transport.sent] == ["next"]


def test_refused_message_fails_at_once():
    uow, time = FakeUnitOfWork(), VirtualTime()
    message = _queue(uow, "telegram", "42", "hi")
    report = _deliver(uow, Recorder(time, [Undeliverable("chat not found")]), time)
    assert report.failed == 1
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)


def test_channels_without_transport_stay_queued():
    uow, time = FakeUnitOfWork(), VirtualTime()
    mail = _queue(uow, "email", "ana@example.com", "hi")
    assert _deliver(uow, Recorder(time), time).sent == 0
    assert mail.status is OutboxStatus.QUEUED and mail.claimed_until is None


def test_backoff_doubles_up_to_the_cap():
    settings = DeliverySettings(base_delay=timedelta(seconds=30), max_delay=timedelta(minutes=5))
    assert [backoff(n, settings).total_seconds() for n in range(1, 6)] == [30, 60, 120, 240, 300]


def test_pass_stops_at_its_budget_and_leaves_the_rest_queued():
    uow, time = FakeUnitOfWork(), VirtualTime()
    for n in range(5):
        _queue(uow, "telegram", "42", f"m{n}")
    report = _deliver(uow, Recorder(time), time, budget=2.5)
    assert report.sent == 3
    assert [m.status for m in uow.outbox.items].count(OutboxStatus.QUEUED) == 2
    assert all(m.claimed_until is None for m in uow.outbox.items)


def test_switched_off_channel_is_marked_failed_with_its_reason():
    uow, time = FakeUnitOfWork(), VirtualTime()
    mail = _queue(uow, "email", "ana@example.com", "hi")
    chat = _queue(uow, "telegram", "42", "hi")
    report = deliver_due(NOW, uow_factory=lambda: uow, transports={"telegram": Recorder(time)},
                         pacer=Pacer(clock=time.clock, sleep=time.sleep),
                         off={"email": "not sent: email is off"})
    assert (report.sent, report.failed) == (1, 0)
    assert (mail.status, mail.attempts, mail.last_error) == (
        OutboxStatus.FAILED, 0, "not sent: email is off")
    assert chat.status is OutboxStatus.SENT


class Mailbox:
    """A :class:`MessageTransport`: keeps the messages it is handed."""

    def __init__(self) -> None:
        self.messages: list[OutboxMessage] = []

    def send_message(self, message: OutboxMessage) -> None:
        self.messages.append(message)


def test_message_transport_gets_the_row_with_the_facts_it_lacks(uow, clock):
    guest = ensure_guest("telegram", "5", uow=uow, name="Jonas", chat_id="5",
                         email="jonas@example.com", locale="de")
    view = book("ana", "intro", datetime(2026, 12, 1, 9, tzinfo=UTC), guest_id=guest.id or 0,
                uow=uow, clock=clock)
    cancel(view.booking.id or 0, actor=Actor("host", view.host.id or 0), uow=uow, clock=clock)
    mailbox, chats, time = Mailbox(), Recorder(VirtualTime()), VirtualTime()
    deliver_due(NOW, uow_factory=lambda: uow, transports={"email": mailbox, "telegram": chats},
                pacer=Pacer(clock=time.clock, sleep=time.sleep))

    to_guest = [m for m in mailbox.messages if m.recipient == "jonas@example.com"]
    assert [m.kind for m in to_guest] == ["booking_created", "booking_cancelled"]
    cancelled = to_guest[1]
    assert {k: cancelled.payload[k] for k in ("guest_locale", "host_email", "chain_id")} == {
        "guest_locale": "de", "host_email": "ana@example.com", "chain_id": view.booking.id}
    stored = next(m for m in uow.outbox.items if m.id == cancelled.id)
    assert "chain_id" not in stored.payload and stored.status is OutboxStatus.SENT
    # The chats: Ana reads English, Jonas German.
    texts = {recipient: text for _, recipient, text in chats.sent}
    assert texts["1001"].startswith(f"New booking #{view.booking.id}: Intro call with Jonas")
    assert texts["5"] == (f"Ana Lima hat deinen Termin Intro call #{view.booking.id} "
                          "abgesagt, Di. 1 Dez., 10:00–10:30 (Europe/Berlin).")
