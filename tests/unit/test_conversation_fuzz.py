"""Whole conversations fuzzed through the console adapter (hypothesis).

Random mixes of realistic messages, random text, stale and forged button
payloads, duplicated deliveries and interleaved guests: no turn crashes (no
apology), every message gets an answer, the stored dialog stays valid, and
the booking invariant holds — no slot holds more guests than it has seats,
no guest holds two seats of one slot.
"""

from __future__ import annotations

import io
from collections import Counter

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bots import console, texts
from bots.conversation import Conversation, State
from bots.messages import IncomingMessage
from core import services
from core.setup_file import parse_setup
from tests.unit.conftest import EXAMPLE, NOW
from tests.unit.fakes import FakeUnitOfWork

GUESTS = ("carla", "dan", "erin")
TEXTS = (
    "30 min with Ana tomorrow at 10am?", "workshop with Bruno tomorrow at 10am", "yes", "no",
    "ok", "👍", "1", "2", "7", "cancel my booking", "move my call to Wednesday 3pm",
    "my bookings", "anyone free tomorrow between 2 and 3pm?", "anything free on Thursday?",
    "every Tuesday at 10 with Ana for 3 weeks", "/start ana", "/start bob", "help", "hello",
    "my timezone is America/Chicago", "my timezone is Mars/Base", "/slotbot today", "Bruno",
    "intro", "tomorrow afternoon", "3pm", "no, 11am",
)
PAYLOADS = (
    "yes", "no", "slot:garbage", "slot:2026-12-01T09:00:00+00:00", "booking:999",
    "booking:abc", "pick:1/abc", "pick:x", "cancel:1", "move:2", "cancel:x", "scope:one",
    "scope:all", "et:nope", "et:intro", "host:zed", "host:ana", "unknown:thing", "",
)
APOLOGY = texts.apology()

messages = st.lists(st.tuples(
    st.sampled_from(GUESTS),
    st.one_of(st.sampled_from(TEXTS).map(lambda t: ("text", t)),
              st.text(max_size=40).map(lambda t: ("text", t)),
              st.sampled_from(PAYLOADS).map(lambda p: ("payload", p))),
    st.booleans(),  # delivered twice
), min_size=1, max_size=12)


def fresh_bot() -> tuple[FakeUnitOfWork, Conversation]:
    uow = FakeUnitOfWork()
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=uow)
    return uow, Conversation(lambda: uow, lambda: NOW)


def deliver(bot: Conversation, guest: str, kind: str, value: str) -> str:
    if kind == "text":  # through the console adapter, as `slotbot chat` reads it
        out = io.StringIO()
        console.run(bot.handle, [value], out, guest_id=guest, name=guest.title())
        return out.getvalue() if value.strip() else "(blank line: nothing to answer)"
    replies = bot.handle(IncomingMessage("console", guest, guest, payload=value or None,
                                         display_name=guest.title()))
    return "\n".join(r.text for r in replies)


def check_invariants(uow: FakeUnitOfWork) -> None:
    seats = Counter((b.event_type_id, b.start) for b in uow.bookings.items if b.is_live)
    capacity = {e.id: e.seats for h in uow.hosts.items for e in h.event_types}
    assert all(n <= capacity[et] for (et, _), n in seats.items()), seats
    held = Counter((b.guest_id, b.event_type_id, b.start) for b in uow.bookings.items
                   if b.is_live)
    assert max(held.values(), default=0) <= 1, held
    for stored in uow.conversations.items:
        assert State(stored.state) in State
        assert isinstance(stored.data, dict)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages)
def test_fuzzed_conversations_never_crash_and_keep_the_booking_invariant(script) -> None:
    uow, bot = fresh_bot()
    for guest, (kind, value), twice in script:
        for _ in range(2 if twice else 1):
            answer = deliver(bot, guest, kind, value)
            assert answer.strip(), (guest, kind, value)
            assert APOLOGY not in answer, (guest, kind, value)
        check_invariants(uow)
