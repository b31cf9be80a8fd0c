"""``slotbot serve``: check every outside part, build the bots, then run them.

Order matters: the database was opened and migrated by the bootstrap; here the
broker and each platform's token are tried once (:mod:`config.startup`) and
every bot is built, so a wrong token or an unreachable service stops start-up
with one line *before* the periodic loop or any server starts.
"""

from __future__ import annotations

import logging
import secrets
import signal
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import nlp
from config import adapters, health, startup
from config.bootstrap import App
from config.metrics import metered
from config.settings import require

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

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
    handle = metered(app.conversation.answer)
    bots = Bots()
    if platform in ("slack", "all"):
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
        bots.slack_app = adapters.slack_bot(app, handle, token=token,
                                            signing_secret=signing_secret)
        bots.slack_app_token = app_token
    if platform in ("telegram", "all"):
        token = require(settings.telegram_bot_token, "TELEGRAM_BOT_TOKEN")
        if settings.telegram_webhook_url:
            bots.webhook_secret = require(settings.telegram_webhook_secret,
                                          "TELEGRAM_WEBHOOK_SECRET")
        startup.check_telegram(token, settings.telegram_api_base_url)
        _publish_menus(app, token)
        bots.telegram = adapters.telegram_application(app, handle, token)
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
    port, and ``/stripe/webhook`` with ``STRIPE_WEBHOOK_SECRET``). Telegram: long polling,
    or the webhook on ``port`` (``port + 1`` with
    ``all`` and Slack over HTTP) when ``TELEGRAM_WEBHOOK_URL`` is set. With the
    embedded broker (``memory://``) the periodic jobs run in this process.
    ``health_port``: also serve the health and metrics paths there (and the Stripe
    webhook, and the signed links' page ``/links/<token>`` when links are on).

    Raises:
        config.settings.SettingsError, config.startup.StartupError: before anything runs.
        OSError: a port cannot be bound.
    """
    settings = app.settings
    bots = build_bots(app, platform)
    nlp.warm_up(fallback_languages=False)  # dateparser: on the first other language
    loop = None
    if settings.broker_url.startswith("memory://"):  # embedded default: no worker needed
        from config.periodic import PeriodicLoop

        loop = PeriodicLoop(app)
    readiness = health.Readiness(app.engine, settings.broker_url,
                                 periodic=loop.readiness if loop is not None else None)
    health_app = health.make_app(readiness)
    # What the HTTP ports serve besides Slack's events: on --health-port and Slack's port.
    mounts = {**dict.fromkeys(health.PATHS, health_app), **_stripe_webhook(app),
              **_link_page(app)}
    if health_port is not None:
        health.serve_in_thread(health.routed(mounts, health_app), health_port)
    if loop is not None:
        loop.start()
    slack_blocks = bots.telegram is None
    slack_server = None
    if bots.slack_app is not None:
        from bots import slack

        if bots.slack_app_token:
            from bots.slack import socket_mode

            socket_mode.connect(bots.slack_app, bots.slack_app_token)
            if slack_blocks:
                _wait_for_stop_signal()
                bots.slack_app.stop(settings.drain_seconds)
                return
        else:
            slack_server = slack.SlackServer(
                bots.slack_app, port=port, backlog=settings.http_backlog,
                drain_seconds=settings.drain_seconds, mount=mounts)
            if slack_blocks:
                slack_server.run()  # until SIGTERM/SIGINT, then drains
                return
            slack_server.start()
    try:
        _run_telegram(app, bots, port, shared=slack_server is not None)
    finally:
        # Telegram stopped on a signal: stop (and drain) Slack too.
        if slack_server is not None:
            slack_server.stop()
        elif bots.slack_app is not None:
            bots.slack_app.stop(settings.drain_seconds)


def _stripe_webhook(app: App) -> dict[str, Any]:
    """``{"/stripe/webhook": app}`` when ``STRIPE_WEBHOOK_SECRET`` is set, else empty."""
    secret = app.settings.stripe_webhook_secret
    if secret is None:
        return {}
    from bots import stripe_webhook

    return {stripe_webhook.PATH: stripe_webhook.make_app(
        secret=secret.get_secret_value(), uow_factory=app.uow_factory, clock=app.clock)}


def _link_page(app: App) -> dict[str, WSGIApplication]:
    """``{"/links/": app}``: the page behind the signed links in guests' emails
    (``/links/<token>``), served on the Slack HTTP port and on ``--health-port``; empty
    when links are off."""
    if not app.settings.link_keys:
        return {}
    from bots.link_page import PREFIX, make_link_app

    return {PREFIX: make_link_app(keys=app.settings.link_keys, uow_factory=app.uow_factory,
                                  clock=app.clock)}


def _run_telegram(app: App, bots: Bots, port: int, *, shared: bool) -> None:
    settings = app.settings
    if bots.telegram is None:
        return
    from bots import telegram

    if settings.telegram_webhook_url is None or bots.webhook_secret is None:
        telegram.run_polling(bots.telegram)
        return
    telegram.run_webhook(bots.telegram, url=settings.telegram_webhook_url,
                         secret_token=bots.webhook_secret, port=port + 1 if shared else port)


def _wait_for_stop_signal() -> None:
    """Blocks the main thread until SIGTERM or SIGINT."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stop.set())
    stop.wait()
