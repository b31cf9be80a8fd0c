"""``slotbot serve``: check every outside part, build the bots, then run them.

Order matters: the database was opened and migrated by the bootstrap; here the
broker and each platform's token are tried once (:mod:`config.startup`) and
every bot is built, so a wrong token or an unreachable service stops start-up
with one line *before* the periodic loop or any server starts.
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass
from typing import Any

import nlp
from config import health, startup
from config.bootstrap import App
from config.metrics import metered
from config.settings import require

_LOGGER = logging.getLogger(__name__)


@dataclass
class Bots:
    """The bots of one ``serve`` run, built and checked, not yet running."""

    slack_app: Any = None
    slack_app_token: str | None = None
    telegram: Any = None
    webhook_secret: str | None = None


def build_bots(app: App, platform: str) -> Bots:
    """Check the broker and the platforms' tokens, then build the bots for ``platform``.

    Raises:
        config.settings.SettingsError: a required setting is missing.
        config.startup.StartupError: the broker or a platform fails its check.
    """
    settings = app.settings
    startup.check_broker(settings.broker_url)
    handle = metered(app.conversation.handle, app.clock)
    bots = Bots()
    if platform in ("slack", "all"):
        from bots import slack

        token = require(settings.slack_bot_token, "SLACK_BOT_TOKEN")
        app_token = (settings.slack_app_token.get_secret_value()
                     if settings.slack_app_token else None)
        if app_token:
            # Socket Mode requests are not signed (the socket is authenticated by the app
            # token); a secret nobody knows keeps any HTTP request from verifying.
            signing_secret = (settings.slack_signing_secret.get_secret_value()
                              if settings.slack_signing_secret else secrets.token_hex(32))
        else:
            signing_secret = require(settings.slack_signing_secret, "SLACK_SIGNING_SECRET")
        startup.check_slack(token, settings.slack_api_url, app_token=app_token)
        bots.slack_app = slack.build_app(token=token, signing_secret=signing_secret,
                                         handle=handle,
                                         base_url=settings.slack_api_url)
        bots.slack_app_token = app_token
    if platform in ("telegram", "all"):
        from bots import telegram

        token = require(settings.telegram_bot_token, "TELEGRAM_BOT_TOKEN")
        if settings.telegram_webhook_url:
            bots.webhook_secret = require(settings.telegram_webhook_secret,
                                          "TELEGRAM_WEBHOOK_SECRET")
        startup.check_telegram(token, settings.telegram_api_base_url)
        _publish_menus(app, token)
        bots.telegram = telegram.build_application(token, handle,
                                                   base_url=settings.telegram_api_base_url)
    return bots


def _publish_menus(app: App, token: str) -> None:
    """Telegram's command menus (guests; each mapped host); a refusal is only logged."""
    from telegram.error import TelegramError

    from bots import telegram

    with app.uow_factory() as uow:
        hosts = [(h.telegram_user_id, h.locale) for h in uow.hosts.list()
                 if h.telegram_user_id]
    try:
        telegram.set_command_menus(token, hosts, base_url=app.settings.telegram_api_base_url)
    except TelegramError as exc:
        _LOGGER.warning("could not set Telegram's command menus: %s", exc)


def serve(app: App, platform: str, *, port: int, health_port: int | None = None) -> None:
    """Run the bots of ``platform`` (``telegram``, ``slack`` or ``all``) until stopped.

    Slack: Socket Mode with ``SLACK_APP_TOKEN``, else HTTP on ``port`` at
    ``/slack/events`` (with ``/healthz``, ``/readyz`` and ``/metrics`` on the same
    port). Telegram: long polling, or the webhook on ``port`` (``port + 1`` with
    ``all`` and Slack over HTTP) when ``TELEGRAM_WEBHOOK_URL`` is set. With the
    embedded broker (``memory://``) the periodic jobs run in this process.
    ``health_port``: also serve the health and metrics paths there.

    Raises:
        config.settings.SettingsError, config.startup.StartupError: before anything runs.
        OSError: a port cannot be bound.
    """
    settings = app.settings
    bots = build_bots(app, platform)
    nlp.warm_up()
    loop = None
    if settings.broker_url.startswith("memory://"):  # embedded default: no worker needed
        from config.periodic import PeriodicLoop

        loop = PeriodicLoop(app)
    readiness = health.Readiness(app.engine, settings.broker_url,
                                 periodic=loop.readiness if loop is not None else None)
    health_app = health.make_app(readiness)
    if health_port is not None:
        health.serve_in_thread(health_app, health_port)
    if loop is not None:
        loop.start()
    slack_blocks = bots.telegram is None
    if bots.slack_app is not None:
        from bots import slack

        if bots.slack_app_token:
            from bots.slack import socket_mode

            socket_mode.connect(bots.slack_app, bots.slack_app_token)
            if slack_blocks:
                threading.Event().wait()  # until SIGINT/SIGTERM
                return
        else:
            mount = dict.fromkeys(health.PATHS, health_app)
            if slack_blocks:
                slack.serve(bots.slack_app, port, mount=mount)
                return
            threading.Thread(target=slack.serve, args=(bots.slack_app, port),
                             kwargs={"mount": mount}, daemon=True).start()
    if bots.telegram is None:
        return
    from bots import telegram

    if settings.telegram_webhook_url is None or bots.webhook_secret is None:
        telegram.run_polling(bots.telegram)
        return
    shared = bots.slack_app is not None and not bots.slack_app_token
    telegram.run_webhook(bots.telegram, url=settings.telegram_webhook_url,
                         secret_token=bots.webhook_secret, port=port + 1 if shared else port)
