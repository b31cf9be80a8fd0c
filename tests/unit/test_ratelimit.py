"""The per-guest rate limit: over it, one friendly reply in the guest's language, then silence."""

from __future__ import annotations

import pytest
from limits import parse

from bots.messages import IncomingMessage, KeepAnswer, Reply
from bots.ratelimit import GuestRateLimit, MemoryWindows
from bots.texts import Texts
from config.settings import Settings, SettingsError, load_settings


def _echo(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
    return [Reply(f"Got: {message.text}")]


def test_the_keep_reaches_the_conversation_only_for_a_message_within_the_limit() -> None:
    given: list[KeepAnswer | None] = []

    def conversation(message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        given.append(keep)
        return [Reply("ok")]

    def keep(uow: object, replies: list[Reply]) -> None:
        raise AssertionError("only the conversation calls it")

    handle = GuestRateLimit("1/minute").wrap(conversation)
    assert handle(_message("7", "first"), keep) == [Reply("ok")]
    assert handle(_message("7", "second"), keep) != [Reply("ok")]  # refused
    assert given == [keep]


def _message(user: str, text: str, locale: str = "en") -> IncomingMessage:
    return IncomingMessage(platform="telegram", chat_id=user, user_id=user, text=text,
                           locale=locale)


def test_over_the_limit_a_guest_gets_one_notice_in_their_language_then_silence() -> None:
    limit = GuestRateLimit("3/minute")
    handle = limit.wrap(_echo)

    answers = [handle(_message("7", f"m{n}", locale="de-DE")) for n in range(6)]

    assert answers[:3] == [[Reply("Got: m0")], [Reply("Got: m1")], [Reply("Got: m2")]]
    assert answers[3] == [Reply(Texts("de").slow_down())]
    assert answers[4:] == [[], []]
    assert limit.refused == 3


def test_one_guest_over_the_limit_does_not_limit_another() -> None:
    handle = GuestRateLimit("2/minute").wrap(_echo)
    for n in range(5):
        handle(_message("flooder", f"m{n}"))

    assert handle(_message("other", "hello")) == [Reply("Got: hello")]


class Clock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_moving_window_allows_again_as_its_oldest_hit_leaves_it() -> None:
    clock = Clock()
    windows = MemoryWindows(clock)
    item = parse("2/minute")

    first = windows.hit(item, "slack", "U1")
    clock.now += 10
    second = windows.hit(item, "slack", "U1")
    clock.now += 20
    third = windows.hit(item, "slack", "U1")  # both earlier hits are still inside the minute
    clock.now += 30.5
    fourth = windows.hit(item, "slack", "U1")  # the first left the window, the second not
    fifth = windows.hit(item, "slack", "U1")

    assert (first, second) == (True, True)
    assert (third, fourth, fifth) == (False, True, False)


def test_guests_are_forgotten_once_their_window_passed() -> None:
    clock = Clock()
    windows = MemoryWindows(clock)
    item = parse("5/minute")
    for n in range(1000):
        windows.hit(item, "slack", f"U{n}")
    kept_within_the_minute = windows.keys()
    clock.now += 61

    windows.hit(item, "slack", "U-late")

    assert kept_within_the_minute == 1000
    assert windows.keys() == 1


def test_a_limited_guest_is_answered_again_after_the_window() -> None:
    clock = Clock()
    handle = GuestRateLimit("1/minute", clock=clock).wrap(_echo)
    answered, notice, silent = (handle(_message("7", f"m{n}")) for n in range(3))
    clock.now += 60.5

    again = handle(_message("7", "later"))

    assert (answered, notice, silent) == ([Reply("Got: m0")], [Reply(Texts("en").slow_down())], [])
    assert again == [Reply("Got: later")]


def test_the_notice_exists_in_every_catalog_language() -> None:
    notices = {lang: Texts(lang).slow_down() for lang in ("en", "de", "es", "fr", "pt")}

    assert len(set(notices.values())) == 5


@pytest.mark.parametrize(("name", "value"), [
    ("SLOTBOT_GUEST_RATE_LIMIT", "lots"),
    ("SLOTBOT_GUEST_RATE_LIMIT", "0/minute"),
    ("SLOTBOT_RATE_LIMIT_STORAGE", "sqlite:///x.db"),
    ("SLOTBOT_WORKERS", "0"),
    ("SLOTBOT_DRAIN_SECONDS", "inf"),
    ("SLOTBOT_INBOX_LEASE_SECONDS", "nan"),
])
def test_bad_message_path_settings_are_one_line_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object, name: str, value: str
) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError, match=f"^invalid setting {name}: ") as error:
        load_settings()

    assert "\n" not in str(error.value)


def test_message_path_defaults() -> None:
    settings = Settings()

    assert (settings.workers, settings.guest_rate_limit, settings.rate_limit_storage_uri) == (
        8, "20/minute", "memory://")


def test_the_limit_counts_in_the_brokers_redis_unless_told_otherwise() -> None:
    shared = Settings(SLOTBOT_BROKER_URL="redis://cache:6379/1")
    told = Settings(SLOTBOT_BROKER_URL="redis://cache:6379/1",
                    SLOTBOT_RATE_LIMIT_STORAGE="redis://other:6379/2")

    assert shared.rate_limit_storage_uri == "redis://cache:6379/1"
    assert told.rate_limit_storage_uri == "redis://other:6379/2"


def test_every_refusal_is_counted_for_stats(uow, clock) -> None:
    from bots.ratelimit import RefusalCounter

    counter = RefusalCounter(lambda: uow, clock, interval=3600)
    handle = GuestRateLimit("2/minute", on_refused=counter).wrap(_echo)
    for n in range(5):
        handle(_message("flooder", f"m{n}"))
    handle(_message("other", "hello"))
    today = clock().date()
    assert uow.refusals.total(today, today) == 0  # counted in memory: no write per message
    commits = uow.commits

    counter.flush()

    assert uow.refusals.total(today, today) == 3
    assert uow.commits == commits + 1  # one write for all of them
