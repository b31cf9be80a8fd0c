"""One transaction per conversation turn: two copies of one "yes" have one effect.

A guest double-clicks "Yes, book it" (or the platform delivers the press
twice): both copies reach two bot processes at once. Each round starts both
copies together (a barrier) on a fresh slot of a three-seat event type; exactly
one booking is made and exactly one "Booked" reply is sent, on SQLite and on
PostgreSQL. The second copy is answered with the harmless "already done".
Each turn commits once, and an adapter's inbox row keeps the answer in that
same commit (``AnswerKeeper``), or, if the turn fails, in none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier, Thread

import pytest
from sqlalchemy import Engine, event

from bots.conversation import Conversation
from bots.inbox import AnswerKeeper, Inbox, InboxEntry, replies_to_json
from bots.messages import Attachment, IncomingMessage, Reply
from core import services
from core.models import Guest
from core.setup_file import parse_setup
from storage.db import make_engine
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory
from tests.together import wait_until_waiting_or_done

NOW = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
ROUNDS = 20
SETUP = {
    "hosts": [{
        "handle": "ana",
        "name": "Ana Lima",
        "timezone": "UTC",
        "working_hours": {"mon-sun": "00:00-24:00"},
        "event_types": [{"slug": "group", "title": "Group", "duration": 60, "seats": 3,
                         "booking_window": 365}],
    }]
}

Factory = Callable[[], SqlAlchemyUnitOfWork]


def clock() -> datetime:
    return NOW


@pytest.fixture
def bots(engine: Engine, engine_url: str) -> Iterator[list[Conversation]]:
    """Two bot processes' conversations: each with its own engine, pool and host cache."""
    engines = [make_engine(engine_url) for _ in range(2)]
    factories = [make_uow_factory(e) for e in engines]
    services.load_hosts(parse_setup(SETUP), uow=factories[0]())
    yield [Conversation(f, clock) for f in factories]
    for e in engines:
        e.dispose()


def press(bot: Conversation, payload: str | None = None, text: str = "") -> str:
    replies = bot.handle(IncomingMessage("telegram", "c1", "u1", text=text, payload=payload,
                                         display_name="Carla", timezone="UTC"))
    return "\n".join(r.text for r in replies)


def live_bookings(bot: Conversation, start: datetime) -> int:
    with bot.uow_factory() as uow:
        return sum(1 for b in uow.bookings.list() if b.is_live and b.start == start)


def test_a_doubled_yes_books_one_seat_and_says_booked_once(bots: list[Conversation],
                                                           engine: Engine) -> None:
    first, second = bots
    outcomes: list[tuple[int, int]] = []  # (bookings made, "Booked" replies) per round
    with ThreadPoolExecutor(max_workers=2) as pool:
        for round_ in range(ROUNDS):
            start = NOW + timedelta(days=1, hours=round_)
            press(first, text="/start ana")
            press(first, "et:group")
            assert "Group with Ana Lima" in press(first, f"slot:{start.isoformat()}")
            barrier = Barrier(2, timeout=30)

            def go(bot: Conversation, barrier: Barrier = barrier) -> str:
                barrier.wait()
                return press(bot, "yes")

            replies = list(pool.map(go, (first, second)))
            outcomes.append((live_bookings(first, start),
                             sum(1 for r in replies if "Booked #" in r)))
            assert "Already done — see my message above." in replies
    counts = Counter(outcomes)
    print(f"\n{engine.dialect.name} doubled yes, {ROUNDS} rounds, "
          f"(bookings, 'Booked' replies) -> rounds: {dict(counts)}")
    assert counts == Counter({(1, 1): ROUNDS})


def test_each_turn_commits_once(engine: Engine, uow_factory: Factory) -> None:
    services.load_hosts(parse_setup(SETUP), uow=uow_factory())
    bot = Conversation(uow_factory, clock)
    commits: list[object] = []
    event.listen(engine, "commit", commits.append)
    start = NOW + timedelta(days=1)
    for text, payload in (("/start ana", None), ("", "et:group"),
                          ("", f"slot:{start.isoformat()}"), ("", "yes"), ("hello", None)):
        before = len(commits)
        press(bot, payload, text)
        assert len(commits) - before == 1, (text, payload)
    assert live_bookings(bot, start) == 1


def _row(uow_factory: Factory) -> InboxEntry:
    """A Slack delivery stored in the inbox, not yet answered."""
    entry = Inbox(uow_factory, clock, platform="slack").accept("Ev1", {"user": "u1"})
    assert entry is not None
    return entry


def _kept_replies(uow_factory: Factory) -> object:
    """The row's answer as the next process finds it, once the row's lease ran out."""
    heir = Inbox(uow_factory, lambda: NOW + timedelta(hours=1), platform="slack")
    [row] = heir.sweep()
    return row.replies


def test_a_kept_answer_commits_with_its_turn(engine: Engine, uow_factory: Factory) -> None:
    services.load_hosts(parse_setup(SETUP), uow=uow_factory())
    bot = Conversation(uow_factory, clock)
    entry = _row(uow_factory)
    keeper = AnswerKeeper(entry)
    commits: list[object] = []
    event.listen(engine, "commit", commits.append)
    replies = bot.handle(IncomingMessage("slack", "D1", "u1", text="/start ana",
                                         timezone="UTC"), keeper)
    assert "Group (60 min)" in replies[0].choices[0].label
    assert len(commits) == 1  # the turn and the row's answer: one transaction
    assert not keeper.missed(replies)
    assert _kept_replies(uow_factory) == replies_to_json(replies)


def test_a_failed_turn_keeps_nothing_and_its_apology_is_left_to_the_adapter(
        uow_factory: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    services.load_hosts(parse_setup(SETUP), uow=uow_factory())
    bot = Conversation(uow_factory, clock)
    entry = _row(uow_factory)
    keeper = AnswerKeeper(entry)

    def broken_commit(self: SqlAlchemyUnitOfWork) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(SqlAlchemyUnitOfWork, "commit", broken_commit)
    [reply] = bot.handle(IncomingMessage("slack", "D1", "u1", text="/start ana"), keeper)
    monkeypatch.undo()
    assert "Sorry" in reply.text
    assert keeper.missed([reply])  # written before the commit failed: not kept
    assert _kept_replies(uow_factory) is None
    with uow_factory() as uow:
        assert uow.conversations.get("slack", "D1", "u1") is None


def test_an_answer_with_a_chart_is_left_to_the_adapter(uow_factory: Factory) -> None:
    entry = _row(uow_factory)
    keeper = AnswerKeeper(entry)
    chart = [Reply("Stats", attachment=Attachment("Bookings", lambda: "/nowhere.png"))]
    with uow_factory() as uow:
        keeper(uow, chart)
        uow.commit()
    assert keeper.missed(chart)
    assert _kept_replies(uow_factory) is None


def _statements(engine: Engine) -> tuple[list[str], Callable[[], None]]:
    """The SQL statements run on ``engine`` from now on (first word; SQLite's BEGIN left out),
    and the function that stops recording."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if not statement.startswith("BEGIN"):
            seen.append(statement.split()[0])

    event.listen(engine, "before_cursor_execute", record)
    return seen, lambda: event.remove(engine, "before_cursor_execute", record)


def test_a_known_guests_proposal_takes_three_statements(engine: Engine,
                                                       uow_factory: Factory) -> None:
    services.load_hosts(parse_setup(SETUP), uow=uow_factory())
    bot = Conversation(uow_factory, clock)
    press(bot, text="/start ana")
    press(bot, "et:group")
    seen, stop = _statements(engine)
    try:
        reply = press(bot, f"slot:{(NOW + timedelta(days=1)).isoformat()}")
    finally:
        stop()
    assert "Group with Ana Lima" in reply
    # the dialog locked with its guest and the hosts table's version (which vouches for
    # the cached directory and host), the bookings near the slot; the dialog saved. No
    # savepoint, no second read of the guest, no query of the host's own version.
    assert seen == ["SELECT"] * 2 + ["UPDATE"]


def test_a_read_only_level_opens_no_savepoint_and_refuses_to_commit(
        engine: Engine, uow_factory: Factory) -> None:
    seen, stop = _statements(engine)
    try:
        with uow_factory() as uow:
            uow.guests.add(Guest("telegram", "u1"))
            with uow.reading():
                assert uow.guests.get("telegram", "u1") is not None
                with pytest.raises(RuntimeError, match="read-only"):
                    uow.commit()
            uow.commit()  # the outer level is unaffected
    finally:
        stop()
    assert "SAVEPOINT" not in seen and "RELEASE" not in seen
    with uow_factory() as uow:
        assert uow.guests.get("telegram", "u1") is not None


def test_a_new_guests_first_message_reads_the_guest_only_with_its_dialog(
        engine: Engine, uow_factory: Factory) -> None:
    services.load_hosts(parse_setup(SETUP), uow=uow_factory())
    bot = Conversation(uow_factory, clock)
    press(bot, text="/start ana")  # another guest: the hosts are read and cached
    seen, stop = _statements(engine)
    try:
        replies = bot.handle(IncomingMessage("telegram", "c2", "u2", text="/start ana",
                                             display_name="Dora", timezone="UTC"))
    finally:
        stop()
    assert "Group (60 min)" in replies[0].choices[0].label
    # No dialog: on PostgreSQL inserted and read with its guest (none) and the hosts
    # table's version in one statement, on SQLite inserted, then read. The guest is
    # inserted in the turn's transaction, no savepoint around it; the dialog saved.
    inserted = ["WITH"] if engine.dialect.name == "postgresql" else ["INSERT", "SELECT"]
    assert seen == ["SELECT", *inserted, "INSERT", "UPDATE"]
    with uow_factory() as uow:
        guest = uow.guests.get("telegram", "u2")
        dialog = uow.conversations.get("telegram", "c2", "u2")
    assert guest is not None and guest.name == "Dora"
    assert dialog is not None and dialog.updated_at == NOW


def test_a_joined_level_writes_in_the_enclosing_transaction_without_a_savepoint(
        engine: Engine, uow_factory: Factory) -> None:
    seen, stop = _statements(engine)
    try:
        with uow_factory() as uow:
            with uow.writing():
                uow.guests.add(Guest("telegram", "u1"))
                uow.commit()  # nested: only written, not committed
                with pytest.raises(RuntimeError, match="without a savepoint"):
                    uow.rollback()
            uow.rollback()  # the enclosing level's rollback undoes it
        with uow_factory().writing() as uow:  # outermost: a transaction of its own
            uow.guests.add(Guest("telegram", "u2"))
            uow.commit()
    finally:
        stop()
    assert "SAVEPOINT" not in seen and "RELEASE" not in seen
    with uow_factory() as uow:
        assert uow.guests.get("telegram", "u1") is None
        assert uow.guests.get("telegram", "u2") is not None


def _locked_data(uow_factory: Factory, found: list[dict[str, object]]) -> None:
    with uow_factory() as uow:
        found.append(dict(uow.conversations.lock("slack", "D9", "U9").data))
        uow.commit()


def test_a_first_message_behind_another_ones_insert_reads_the_dialog_it_committed(
        engine: Engine, uow_factory: Factory) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one unit of work at a time: the inserts cannot overlap")
    found: list[dict[str, object]] = []
    with uow_factory() as first:
        stored = first.conversations.lock("slack", "D9", "U9")  # inserted, not committed
        second = Thread(target=_locked_data, args=(uow_factory, found))
        second.start()
        wait_until_waiting_or_done(engine, second)  # its INSERT waits for this one
        first.conversations.save(stored, state="idle", data={"told": True}, updated_at=NOW)
        first.commit()
    second.join(30)
    assert found == [{"told": True}]  # nothing inserted twice: the first one's row, as saved
    with uow_factory() as uow:
        assert uow.conversations.get("slack", "D9", "U9") is not None


def _first_message(bot: Conversation, replies: list[Reply]) -> None:
    replies.extend(bot.handle(IncomingMessage("telegram", "group-1", "u5", text="/start ana",
                                              display_name="Eva", timezone="UTC")))


def test_a_new_guests_turn_overtaken_by_the_same_guests_insert_elsewhere_runs_again(
        engine: Engine, uow_factory: Factory, caplog: pytest.LogCaptureFixture) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one unit of work at a time: the inserts cannot overlap")
    services.load_hosts(parse_setup(SETUP), uow=uow_factory())
    bot = Conversation(uow_factory, clock)
    replies: list[Reply] = []
    with uow_factory() as other:  # the guest's first message in another chat, meanwhile
        other.guests.add(Guest("telegram", "u5", name="Eva"))
        turn = Thread(target=_first_message, args=(bot, replies))
        turn.start()
        wait_until_waiting_or_done(engine, turn)  # its guest INSERT waits for this one
        other.commit()
    turn.join(30)
    assert "Group (60 min)" in replies[0].choices[0].label  # not an apology
    assert "GuestAddedMeanwhile" in caplog.text and "runs again" in caplog.text
    with uow_factory() as uow:
        assert uow.guests.get("telegram", "u5") is not None
        assert uow.conversations.get("telegram", "group-1", "u5") is not None
