"""Wiring of the message path for ``slotbot serve``: inbox, rate limit, adapters.

Part of the composition root (:mod:`config.serving` calls it): each builder
takes the bootstrapped :class:`config.bootstrap.App` and returns a bot that is
built but not running.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from bots.inbox import Inbox, InboxSettings
from bots.ratelimit import GuestRateLimit, RefusalCounter
from config.bootstrap import App
from storage.inbox import InboxTransaction

if TYPE_CHECKING:
    from telegram.ext import Application

    from bots.messages import Handle
    from bots.slack import SlackBot
    from bots.telegram import Payments


def inbox(app: App, platform: str) -> Inbox:
    """The inbox of ``platform`` with the lease and retention of the settings (its
    transactions on bare connections: :class:`storage.inbox.InboxTransaction`)."""
    settings = app.settings
    return Inbox(partial(InboxTransaction, app.engine), app.clock, platform=platform,
                 settings=InboxSettings(
                     lease=timedelta(seconds=settings.inbox_lease_seconds),
                     keep=timedelta(hours=settings.inbox_keep_hours)))


def limited(app: App, handle: Handle) -> Handle:
    """``handle`` behind the per-guest rate limit of the settings, refusals counted."""
    limit = GuestRateLimit(app.settings.guest_rate_limit, app.settings.rate_limit_storage_uri,
                           on_refused=RefusalCounter(app.uow_factory, app.clock))
    return limit.wrap(handle)


def telegram_application(app: App, handle: Handle, token: str) -> Application:
    """The Telegram bot with its inbox, rate limit, workers, drain time and payments."""
    from bots import telegram

    settings = app.settings
    return telegram.build_application(
        token, limited(app, handle), base_url=settings.telegram_api_base_url,
        inbox=inbox(app, "telegram"),
        concurrency=telegram.Concurrency(workers=settings.workers,
                                         drain_seconds=settings.drain_seconds),
        payments=telegram_payments(app))


def telegram_payments(app: App) -> Payments | None:
    """Telegram Payments with ``TELEGRAM_PAYMENT_PROVIDER_TOKEN``; None without it."""
    secret = app.settings.telegram_payment_provider_token
    if secret is None:
        return None
    from bots.telegram import Payments
    from bots.telegram_payments import PaymentDesk

    token = secret.get_secret_value()
    return Payments(token, PaymentDesk(app.uow_factory, app.clock, token))


def slack_bot(app: App, handle: Handle, *, token: str, signing_secret: str) -> SlackBot:
    """The Slack bot with its inbox, rate limit and workers."""
    from bots import slack

    settings = app.settings
    return slack.build_app(token=token, signing_secret=signing_secret,
                           handle=limited(app, handle), base_url=settings.slack_api_url,
                           inbox=inbox(app, "slack"), workers=settings.workers)
