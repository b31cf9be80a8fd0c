"""Fixtures shared by the end-to-end tests."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram.ext import Application

from bots.inbox import Inbox
from bots.telegram import Handle, build_application
from storage.db import make_engine
from storage.uow import SqlAlchemyUnitOfWork, make_uow_factory
from tests.e2e.telegram_server import TelegramAPIServer, running_bot

FIXED_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def telegram_api() -> Iterator[TelegramAPIServer]:
    """A running local Telegram Bot API server (``tests/e2e/telegram_server.py``).

    After the test, fails it if the bot made a request Telegram would refuse
    (invalid HTML, unknown chat, over-long text, …): ``telegram_api.errors``.
    """
    with TelegramAPIServer() as server:
        yield server
    assert not server.errors, f"the bot made requests Telegram refuses: {server.errors}"


@pytest.fixture
def telegram_bot(telegram_api: TelegramAPIServer) -> Iterator[Callable[[Handle], Application]]:
    """Starts the real Telegram adapter against ``telegram_api`` for the rest of the test.

    Usage: ``telegram_bot(conversation.handle)``; returns the running ``Application``.
    """
    with ExitStack() as stack:

        def start(handle: Handle) -> Application:
            application = build_application(
                telegram_api.token, handle, base_url=telegram_api.base_url
            )
            stack.enter_context(running_bot(application))
            return application

        yield start


@pytest.fixture
def inbox_uow_factory(
    tmp_path: Path, sqlite_at_head: Callable[[Path], str]
) -> Iterator[Callable[[], SqlAlchemyUnitOfWork]]:
    """Units of work on a fresh SQLite file at head (the inbox's storage)."""
    engine = make_engine(sqlite_at_head(tmp_path / "inbox.db"))
    yield make_uow_factory(engine)
    engine.dispose()


@pytest.fixture
def telegram_inbox(inbox_uow_factory: Callable[[], SqlAlchemyUnitOfWork]) -> Inbox:
    """A Telegram inbox on ``inbox_uow_factory`` at a fixed instant (no lease ever runs out)."""
    return Inbox(inbox_uow_factory, lambda: FIXED_NOW, platform="telegram")


@pytest.fixture
def unused_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
