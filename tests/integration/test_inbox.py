"""The inbox on SQLite and PostgreSQL: stored once, leased, taken over, pruned."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from sqlalchemy import Engine

from bots.inbox import Inbox, InboxSettings, InboxUnitOfWork
from bots.messages import Choice, Reply
from storage.inbox import InboxTransaction
from storage.uow import make_uow_factory

UowFactory = Callable[[], InboxUnitOfWork]
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["session", "connection"])
def uow_factory(request: pytest.FixtureRequest, engine: Engine) -> UowFactory:
    """Each test on both units of work: the ORM one, and the inbox's own bare connection
    (``InboxTransaction``, what ``slotbot serve`` uses)."""
    if request.param == "session":
        return make_uow_factory(engine)
    return partial(InboxTransaction, engine)


def _inbox(uow_factory: UowFactory, clock: Clock, **settings: object) -> Inbox:
    return Inbox(uow_factory, clock, platform="telegram",
                 settings=InboxSettings(lease=LEASE, **settings))  # type: ignore[arg-type]


def test_a_delivery_id_is_stored_once_per_platform(uow_factory: UowFactory) -> None:
    clock = Clock()
    telegram = _inbox(uow_factory, clock)
    slack = Inbox(uow_factory, clock, platform="slack")

    first = telegram.accept("17", {"update_id": 17})
    again = telegram.accept("17", {"update_id": 17})
    other_platform = slack.accept("17", {"event_id": "17"})

    assert first is not None and first.payload == {"update_id": 17}
    assert again is None
    assert other_platform is not None
    assert telegram.unfinished() == 1


def test_a_dead_process_rows_are_taken_over_once_its_lease_ran_out(
    uow_factory: UowFactory,
) -> None:
    clock = Clock()
    dead = _inbox(uow_factory, clock)
    heir = _inbox(uow_factory, clock)
    received = dead.accept("1", {"n": 1})
    answered = dead.accept("2", {"n": 2})
    finished = dead.accept("3", {"n": 3})
    assert received and answered and finished
    dead.answered(answered, [Reply("Booked", (Choice("Undo", "undo:2"),))])
    dead.done(finished)

    clock.now += LEASE - timedelta(seconds=1)
    too_early = heir.sweep()
    clock.now += timedelta(seconds=1)
    taken = heir.sweep()
    taken_again = heir.sweep()

    assert too_early == []
    assert [(e.delivery_id, e.replies) for e in taken] == [
        ("1", None),
        ("2", [{"text": "Booked", "choices": [["Undo", "undo:2"]]}]),
    ]
    assert taken_again == []  # leased to the heir now


def test_a_live_process_keeps_its_rows_by_renewing_the_lease(uow_factory: UowFactory) -> None:
    clock = Clock()
    alive = _inbox(uow_factory, clock)
    other = _inbox(uow_factory, clock)
    assert alive.accept("1", {}) is not None

    for _ in range(5):
        clock.now += LEASE / 2
        assert alive.sweep() == []
        assert other.sweep() == []


def test_done_rows_are_pruned_after_the_keep_period_and_then_forgotten(
    uow_factory: UowFactory,
) -> None:
    clock = Clock()
    inbox = _inbox(uow_factory, clock, keep=timedelta(hours=1))
    entry = inbox.accept("1", {})
    assert entry is not None
    inbox.done(entry)

    clock.now += timedelta(minutes=59)
    inbox.sweep()
    duplicate_within_keep = inbox.accept("1", {})
    clock.now += timedelta(minutes=2)
    inbox.sweep()

    assert duplicate_within_keep is None
    assert inbox.accept("1", {}) is not None  # pruned: a new delivery by now


def test_concurrent_sweepers_take_each_row_exactly_once(uow_factory: UowFactory) -> None:
    clock = Clock()
    dead = _inbox(uow_factory, clock, batch=7)
    for n in range(60):
        assert dead.accept(str(n), {"n": n}) is not None
    clock.now += LEASE
    heirs = [_inbox(uow_factory, clock, batch=7) for _ in range(4)]
    taken: list[str] = []
    lock = threading.Lock()

    def sweep(heir: Inbox) -> None:
        while entries := heir.sweep():
            with lock:
                taken.extend(entry.delivery_id for entry in entries)

    threads = [threading.Thread(target=sweep, args=(heir,)) for heir in heirs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(taken, key=int) == [str(n) for n in range(60)]


def test_a_batch_is_stored_in_one_go_and_its_duplicates_are_left_out(
    uow_factory: UowFactory,
) -> None:
    clock = Clock()
    inbox = _inbox(uow_factory, clock)
    earlier = inbox.accept("5", {"update_id": 5})

    stored = inbox.accept_batch([("5", {"update_id": 5}), ("6", {"update_id": 6}),
                                 ("7", {"update_id": 7}), ("6", {"update_id": 6})])

    assert earlier is not None
    assert sorted(stored) == ["6", "7"]
    assert stored["7"].payload == {"update_id": 7}
    assert inbox.accept("7", {"update_id": 7}) is None
    assert inbox.unfinished() == 3
    inbox.done(stored["6"], stored["7"])
    assert inbox.unfinished() == 1
    assert inbox.accept_batch([]) == {}


def test_several_answers_and_done_marks_written_together_keep_each_rows_replies(
    uow_factory: UowFactory,
) -> None:
    clock = Clock()
    inbox = _inbox(uow_factory, clock)
    first, second, third = (inbox.accept(str(n), {"update_id": n}) for n in (1, 2, 3))
    assert first is not None and second is not None and third is not None

    stored = inbox.write_together(
        [("4", {"update_id": 4})],
        [(first, [{"text": "one", "choices": []}]),
         (second, [{"text": "two", "choices": [["Yes", "yes"]]}])],
        [third])

    assert sorted(stored) == ["4"]
    assert inbox.unfinished() == 3  # the first two answered, the fourth received
    clock.now += LEASE * 2  # this process died: the next one takes its rows over
    taken = {entry.delivery_id: entry.replies for entry in _inbox(uow_factory, clock).sweep()}
    assert taken == {"1": [{"text": "one", "choices": []}],
                     "2": [{"text": "two", "choices": [["Yes", "yes"]]}], "4": None}
