"""Fixtures shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from telegram.ext import Application

from bots.telegram import Handle, build_application
from tests.e2e.telegram_server import TelegramAPIServer, running_bot


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
