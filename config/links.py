"""Where ``/slotbot link`` points: the Telegram bot's username and the Slack app.

From the settings when given (``TELEGRAM_BOT_USERNAME``, ``SLACK_APP_ID`` +
``SLACK_TEAM_ID``), else asked once from the platform when a host first asks
for a link (Telegram ``getMe``; Slack ``auth.test`` + ``bots.info``), and kept
for the process. A failed lookup is logged (never the token) and gives no link.
"""

from __future__ import annotations

import asyncio
import logging

from bots.host_commands import Links, cached
from config.settings import Settings

log = logging.getLogger(__name__)
#: Seconds a lookup may take.
TIMEOUT = 5.0


def links(settings: Settings) -> Links:
    """The :class:`bots.host_commands.Links` of this deployment."""
    return Links(telegram_username=cached(lambda: _telegram(settings)),
                 slack_app=cached(lambda: _slack(settings)))


def _telegram(settings: Settings) -> str | None:
    if settings.telegram_bot_username:
        return settings.telegram_bot_username.lstrip("@")
    if settings.telegram_bot_token is None:
        return None
    from telegram import Bot
    from telegram.error import TelegramError

    kwargs = {"base_url": settings.telegram_api_base_url} if settings.telegram_api_base_url else {}
    bot = Bot(settings.telegram_bot_token.get_secret_value(), **kwargs)

    async def ask() -> str | None:
        async with bot:
            return (await bot.get_me(read_timeout=TIMEOUT, connect_timeout=TIMEOUT)).username

    try:
        return asyncio.run(ask())
    except (TelegramError, OSError, RuntimeError) as exc:
        log.warning("getMe failed, no Telegram link: %s", type(exc).__name__)
        return None


def _slack(settings: Settings) -> tuple[str, str] | None:
    if settings.slack_app_id and settings.slack_team_id:
        return settings.slack_team_id, settings.slack_app_id
    if settings.slack_bot_token is None:
        return None
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError, SlackClientError

    kwargs = {"base_url": settings.slack_api_url} if settings.slack_api_url else {}
    client = WebClient(token=settings.slack_bot_token.get_secret_value(), timeout=int(TIMEOUT),
                       **kwargs)
    try:
        auth = client.auth_test()
        bot = client.bots_info(bot=str(auth["bot_id"]))
        return str(auth["team_id"]), str(bot["bot"]["app_id"])
    except (SlackApiError, SlackClientError, OSError, KeyError) as exc:
        log.warning("auth.test/bots.info failed, no Slack link: %s", type(exc).__name__)
        return None
