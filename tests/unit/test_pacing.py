"""The pacing book (``bots.pacing.SendSchedule``) on given times; the outbox's ``Pacer`` over it."""

from __future__ import annotations

import pytest

from bots.delivery import Pacer
from bots.pacing import TELEGRAM_LIMITS, Limits, SendSchedule
from tests.virtual_time import VirtualTime


def test_a_chat_waits_its_interval_and_the_bot_its_rate() -> None:
    schedule = SendSchedule(Limits(per_chat_interval=1.0, per_bot_rate=10.0))
    assert schedule.ready_at(5.0, "42") == 5.0
    schedule.sent(5.0, "42")
    assert schedule.ready_at(5.0, "42") == 6.0
    assert schedule.ready_at(5.0, "43") == pytest.approx(5.1)
    assert schedule.chat_ready_at(5.0, "43") == 5.0
    assert schedule.ready_at(5.0) == pytest.approx(5.1)  # no chat: the bot's rate only
    assert schedule.ready_at(7.0, "42") == 7.0  # waits are never in the past


def test_sends_at_the_earliest_times_are_evenly_spaced_and_once_a_second_per_chat() -> None:
    schedule = SendSchedule(TELEGRAM_LIMITS)
    now, left = 0.0, []
    for chat in ["a", "b", "a", "c", "a"]:
        now = schedule.ready_at(now, chat)
        schedule.sent(now, chat)
        left.append((round(now, 4), chat))
    assert left == [(0.0, "a"), (0.0333, "b"), (1.0, "a"), (1.0333, "c"), (2.0, "a")]


def test_a_hold_stops_every_chat_for_its_seconds() -> None:
    schedule = SendSchedule(TELEGRAM_LIMITS)
    schedule.hold(10.0, 3.0)
    assert [schedule.ready_at(10.0, chat) for chat in ("42", "43", None)] == [13.0, 13.0, 13.0]
    schedule.hold(11.0, 1.0)  # a shorter hold does not cut the first
    assert schedule.ready_at(11.0, "42") == 13.0


def test_the_book_forgets_chats_past_their_interval_so_it_stays_bounded() -> None:
    schedule = SendSchedule(TELEGRAM_LIMITS)
    now = 0.0
    for chat in range(10_000):  # a long-running worker: every send to a new chat
        now = schedule.ready_at(now, chat)
        schedule.sent(now, chat)
        assert schedule.remembered() <= 31  # 30/s × 1 s, and the one just sent
    assert schedule.ready_at(now, 9_999) == pytest.approx(now + 1.0)  # the recent ones still wait
    schedule.sent(now + 1.0, "late")
    assert schedule.remembered() == 1


def test_a_forgotten_chat_is_not_sent_to_early() -> None:
    schedule = SendSchedule(Limits(per_chat_interval=1.0))
    schedule.sent(0.0, "42")
    schedule.sent(0.5, "43")
    assert schedule.ready_at(0.9, "42") == 1.0
    schedule.sent(1.0, "44")  # "42" is forgotten: its interval is over
    assert (schedule.remembered(), schedule.ready_at(1.0, "42")) == (2, 1.0)
    assert schedule.ready_at(1.0, "43") == 1.5


def test_the_outbox_pacer_sleeps_until_the_book_allows_and_holds_a_channel() -> None:
    time = VirtualTime()
    pacer = Pacer(clock=time.clock, sleep=time.sleep)
    for recipient in ["42", "42", "43"]:
        pacer.wait("telegram", recipient)
    assert time.sleeps == [1.0, pytest.approx(1 / 30, abs=1e-6)]
    pacer.hold("telegram", 5.0)
    pacer.wait("slack", "C1")  # another channel: its own book
    assert pacer.ready_at("telegram", "44") == pytest.approx(time.now + 5.0)
    pacer.wait("email", "ana@example.com")  # not paced
    assert pacer.ready_at("email", "ana@example.com") == time.now
