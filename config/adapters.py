"""Wiring of the message path for ``slotbot serve``: inbox, rate limit, adapters.

Part of the composition root: each builder takes the bootstrapped
:class:`config.bootstrap.App` and returns a bot that is built but not running.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bots.inbox import Inbox, InboxSettings
from bots.ratelimit import GuestRateLimit
from config.bootstrap import App
from config.settings import require

if TYPE_CHECKING:
    from slack_bolt import App as SlackApp
    from telegram.ext import Application

    from bots.messages import IncomingMessage, Reply


def inbox(app: App, platform: str) -> Inbox:
    """The inbox of ``platform`` with the lease and retention of the settings."""
    settings = app.settings
    return Inbox(app.uow_factory, app.clock, platform=platform, settings=InboxSettings(
        lease=timedelta(seconds=settings.inbox_lease_seconds),
        keep=timedelta(hours=settings.inbox_keep_hours)))


def limited_handle(app: App) -> Callable[[IncomingMessage], list[Reply]]:
    """The conversation behind the per-guest rate limit of the settings."""
    limit = GuestRateLimit(app.settings.guest_rate_limit, app.settings.rate_limit_storage)
    return limit.wrap(app.conversation.handle)


def telegram_application(app: App) -> Application:
    """The Telegram bot with its inbox, workers and drain time.

    Raises:
        SettingsError: ``TELEGRAM_BOT_TOKEN`` is not set.
    """
    from bots import telegram

    settings = app.settings
    return telegram.build_application(
        require(settings.telegram_bot_token, "TELEGRAM_BOT_TOKEN"), limited_handle(app),
        base_url=settings.telegram_api_base_url, inbox=inbox(app, "telegram"),
        concurrency=telegram.Concurrency(workers=settings.workers,
                                         drain_seconds=settings.drain_seconds))


def slack_app(app: App) -> SlackApp:
    """The Slack app with its inbox and workers.

    Raises:
        SettingsError: ``SLACK_BOT_TOKEN`` or ``SLACK_SIGNING_SECRET`` is not set.
    """
    from bots import slack

    settings = app.settings
    return slack.build_app(
        token=require(settings.slack_bot_token, "SLACK_BOT_TOKEN"),
        signing_secret=require(settings.slack_signing_secret, "SLACK_SIGNING_SECRET"),
        handle=limited_handle(app), base_url=settings.slack_api_url,
        inbox=inbox(app, "slack"), workers=settings.workers,
    )
