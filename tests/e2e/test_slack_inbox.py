"""The Slack message path: retries dropped, acks never wait, one guest's flood delays nobody."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bots.conversation import Conversation
from bots.inbox import Inbox, InboxEntry
from bots.messages import IncomingMessage, KeepAnswer, Reply
from bots.slack._storing import GroupStore
from storage.db import make_engine
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory
from tests.e2e.conftest import FIXED_NOW
from tests.e2e.slack_fixtures import SlackHarness, sign
from tests.e2e.transactions import answering, committed_transactions

GUEST = "U0GUEST"
HOST = "U0ANA"


class Recorder:
    """Answers ``Got: <text>``; ``hold`` makes chosen users' messages wait for ``release``."""

    def __init__(self, hold: Callable[[IncomingMessage], bool] = lambda message: False) -> None:
        self.received: list[IncomingMessage] = []
        self.release = threading.Event()
        self._hold = hold
        self._lock = threading.Lock()

    def __call__(self, message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        if self._hold(message):
            assert self.release.wait(10), "never released"
        with self._lock:
            self.received.append(message)
        return [Reply(f"Got: {message.text or message.payload}")]


@pytest.fixture
def slack_inbox(inbox_uow_factory: Callable[[], SqlAlchemyUnitOfWork]) -> Inbox:
    return Inbox(inbox_uow_factory, lambda: FIXED_NOW, platform="slack")


def test_a_slack_retry_of_an_event_is_acknowledged_and_handled_once(slack_inbox: Inbox) -> None:
    recorder = Recorder()
    with SlackHarness(recorder, inbox=slack_inbox) as slack:
        body = json.dumps(slack.event_callback(slack.dm_event(GUEST, "yes"))).encode()
        first = slack.post(body, content_type="application/json")
        slack.api.wait_for_posts(slack.dm_channel(GUEST), 1)
        retry_headers = {**sign(body, timestamp=int(slack.now.timestamp())),
                         "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        retry = slack.post(body, content_type="application/json", headers=retry_headers)
        slack.send_dm(GUEST, "after")
        posts = slack.api.wait_for_posts(slack.dm_channel(GUEST), 2)

    assert (first.status, retry.status) == (200, 200)
    assert [m.text for m in recorder.received] == ["yes", "after"]
    assert [p.args["text"] for p in posts] == ["Got: yes", "Got: after"]
    assert slack_inbox.unfinished() == 0


def test_a_repeated_slash_command_trigger_is_answered_once(slack_inbox: Inbox) -> None:
    recorder = Recorder()
    with SlackHarness(recorder, inbox=slack_inbox) as slack:
        fields = {"command": "/slotbot", "text": "today", "user_id": HOST, "channel_id": "C1",
                  "trigger_id": "trigger-once", "response_url": slack.api.response_url("once")}
        statuses = [slack.post_form(fields).status for _ in range(2)]
        slack.api.wait_for_responses("once", 1)
        slack.send_dm(GUEST, "after")
        slack.api.wait_for_posts(slack.dm_channel(GUEST), 1)

    assert statuses == [200, 200]
    assert [m.text for m in recorder.received] == ["/slotbot today", "after"]
    assert len(slack.api.calls("response_url")) == 1


def test_slash_commands_are_acknowledged_while_every_worker_is_busy(slack_inbox: Inbox) -> None:
    recorder = Recorder(hold=lambda message: message.user_id.startswith("U0BUSY"))
    with SlackHarness(recorder, inbox=slack_inbox, workers=2) as slack:
        for n in range(6):
            assert slack.send_dm(f"U0BUSY{n}", "hold on").status == 200
        answer, target = slack.slash(HOST, "today")
        acked_while_busy = not recorder.release.is_set() and answer.status == 200
        recorder.release.set()
        [response] = slack.api.wait_for_responses(target, 1)

    assert acked_while_busy
    assert answer.body == b""
    assert "Got: /slotbot today" in json.dumps(response.args)


def test_a_flooding_guest_does_not_delay_another_guest(slack_inbox: Inbox) -> None:
    recorder = Recorder(hold=lambda message: message.user_id == "U0FLOOD")
    with SlackHarness(recorder, inbox=slack_inbox, workers=2) as slack:
        for n in range(40):
            slack.send_dm("U0FLOOD", f"flood {n}")
        slack.send_dm(GUEST, "hello")
        [post] = slack.api.wait_for_posts(slack.dm_channel(GUEST), 1)
        answered_during_flood = not recorder.release.is_set()
        recorder.release.set()
        flood = slack.api.wait_for_posts(slack.dm_channel("U0FLOOD"), 40, timeout=20)

    assert answered_during_flood
    assert post.args["text"] == "Got: hello"
    assert [p.args["text"] for p in flood] == [f"Got: flood {n}" for n in range(40)]


class HeldInbox(Inbox):
    """A real inbox whose first write waits for ``release``; records each group stored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[list[str]] = []
        self.writing = threading.Event()
        self.release = threading.Event()

    def write_together(
        self,
        deliveries: list[tuple[str, dict[str, Any]]] | None = None,
        answers: list[tuple[InboxEntry, list[dict[str, Any]]]] | None = None,
        finished: list[InboxEntry] | None = None,
    ) -> dict[str, InboxEntry]:
        self.writing.set()
        assert self.release.wait(10), "never released"
        self.groups.append([delivery_id for delivery_id, _ in deliveries or []]
                           + [f"answer:{entry.delivery_id}" for entry, _ in answers or []]
                           + [f"done:{entry.delivery_id}" for entry in finished or []])
        return super().write_together(deliveries, answers, finished)


def test_requests_arriving_during_a_write_are_stored_together_once_each(
    inbox_uow_factory: Callable[[], SqlAlchemyUnitOfWork]
) -> None:
    inbox = HeldInbox(inbox_uow_factory, lambda: FIXED_NOW, platform="slack")
    store = GroupStore(inbox)
    ids = ["Ev1", "Ev2", "command:t1", "Ev2"]
    with ThreadPoolExecutor(len(ids)) as pool:
        first = pool.submit(store.accept, ids[0], {"user": GUEST})
        assert inbox.writing.wait(10)
        rest = [pool.submit(store.accept, delivery_id, {"user": GUEST})
                for delivery_id in ids[1:]]
        deadline = time.monotonic() + 10
        while store._queue.qsize() < len(rest):  # all queued behind the held write
            assert time.monotonic() < deadline
            time.sleep(0)  # yield, not a wait for time
        inbox.release.set()
        entries = [future.result(10) for future in [first, *rest]]

    assert inbox.groups == [["Ev1"], ["Ev2", "command:t1", "Ev2"]]
    assert [entry.delivery_id if entry else None for entry in entries] == [
        "Ev1", "Ev2", "command:t1", None]
    assert inbox.unfinished() == 3


def test_answers_and_done_marks_waiting_together_are_one_write_and_kept(
    inbox_uow_factory: Callable[[], SqlAlchemyUnitOfWork]
) -> None:
    inbox = HeldInbox(inbox_uow_factory, lambda: FIXED_NOW, platform="slack")
    answering = inbox.accept("EvA", {"user": GUEST})
    finishing = inbox.accept("EvB", {"user": HOST})
    assert answering is not None and finishing is not None
    store = GroupStore(inbox)
    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(store.accept, "Ev1", {"user": GUEST})
        assert inbox.writing.wait(10)
        rest = [pool.submit(store.accept, "Ev2", {"user": HOST}),
                pool.submit(store.answered, answering, [Reply("Hi")]),
                pool.submit(store.done, finishing)]
        deadline = time.monotonic() + 10
        while store._queue.qsize() < len(rest):  # all queued behind the held write
            assert time.monotonic() < deadline
            time.sleep(0)  # yield, not a wait for time
        inbox.release.set()
        for future in [first, *rest]:
            future.result(10)

    later = Inbox(inbox_uow_factory, lambda: FIXED_NOW + timedelta(hours=1), platform="slack")
    taken = {entry.delivery_id: entry.replies for entry in later.sweep()}

    assert inbox.groups[0] == ["Ev1"]
    assert sorted(inbox.groups[1]) == ["Ev2", "answer:EvA", "done:EvB"]
    assert len(inbox.groups) == 2
    assert taken == {"EvA": [{"text": "Hi", "choices": []}], "Ev1": None, "Ev2": None}


def test_a_done_mark_is_not_waited_for_and_goes_with_the_next_write(
    inbox_uow_factory: Callable[[], SqlAlchemyUnitOfWork]
) -> None:
    inbox = HeldInbox(inbox_uow_factory, lambda: FIXED_NOW, platform="slack")
    finishing = inbox.accept("EvA", {"user": GUEST})
    assert finishing is not None
    store = GroupStore(inbox)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(store.accept, "Ev1", {"user": GUEST})
        assert inbox.writing.wait(10)
        pool.submit(store.done, finishing).result(10)  # returns while the write is held
        second = pool.submit(store.accept, "Ev2", {"user": HOST})
        deadline = time.monotonic() + 10
        while store._queue.qsize() < 2:  # the mark and Ev2 queued behind the held write
            assert time.monotonic() < deadline
            time.sleep(0)  # yield, not a wait for time
        inbox.release.set()
        first.result(10)
        second.result(10)
    store.close()

    assert inbox.groups[0] == ["Ev1"]
    assert sorted(inbox.groups[1]) == ["Ev2", "done:EvA"]
    assert inbox.unfinished() == 2  # Ev1 and Ev2; EvA is done


def test_closing_writes_the_done_marks_still_queued(slack_inbox: Inbox) -> None:
    entries = [slack_inbox.accept(f"Ev{n}", {"user": GUEST}) for n in range(3)]
    store = GroupStore(slack_inbox)
    for entry in entries:
        assert entry is not None
        store.done(entry)

    store.close()

    assert slack_inbox.unfinished() == 0


def test_a_dm_is_answered_in_the_transaction_of_its_turn(
        tmp_path: Path, sqlite_at_head: Callable[[Path], str]) -> None:
    engine = make_engine(sqlite_at_head(tmp_path / "slack.db"))
    uow_factory = make_uow_factory(engine)
    inbox = Inbox(uow_factory, lambda: FIXED_NOW, platform="slack")
    conversation = Conversation(uow_factory, lambda: FIXED_NOW)
    try:
        with committed_transactions(engine) as transactions, \
                SlackHarness(conversation.handle, inbox=inbox) as slack:
            slack.send_dm(GUEST, "hello")
            [post] = slack.api.wait_for_posts(slack.dm_channel(GUEST), 1)
        assert inbox.unfinished() == 0  # leaving the harness wrote the done mark
    finally:
        engine.dispose()
    assert post.args["text"]
    # the row's answer is written once, by the turn's own transaction
    [turn] = answering(transactions)
    assert any(s.startswith("UPDATE conversation_states") for s in turn)
