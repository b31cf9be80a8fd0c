"""Start-up checks: every outside part is tried once before anything runs.

Each check raises :class:`StartupError` with one line naming what failed and
what to check, cleaned of secrets (:data:`config.logs.redact`), so that
``slotbot`` can print it and exit non-zero before any loop starts — never a
traceback, never a token.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from config.logs import redact

#: Seconds each check waits for an answer.
TIMEOUT = 10.0
#: Broker URL schemes Celery (kombu) is used with here.
BROKER_SCHEMES = ("memory", "redis", "rediss", "amqp", "amqps", "pyamqp")


#: Silences slack_sdk during a check: the check's own line says what failed.
_QUIET = logging.Logger("slotbot.startup.quiet", logging.CRITICAL + 1)


class StartupError(Exception):
    """An outside part failed its start-up check; the message is one clean line."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(" ".join(message.split())))


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def safe_url(url: str) -> str:
    """``url`` without its password (for messages)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def database_error(url: str, exc: BaseException) -> StartupError:
    """The start-up error for a database that cannot be opened or migrated."""
    orig = getattr(exc, "orig", None) or exc
    return StartupError(
        f"cannot open the database {safe_url(url)} ({_reason(orig)}); check "
        "SLOTBOT_DATABASE_URL, and that its server is running and reachable (PostgreSQL) "
        "or its folder exists and is writable (SQLite)")


def check_broker(url: str, *, timeout: float = TIMEOUT) -> None:
    """Connect once to the Celery broker (``memory://`` needs nothing).

    Raises:
        StartupError: not a broker URL, or the broker does not answer.
    """
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in BROKER_SCHEMES:
        raise StartupError(
            f"SLOTBOT_BROKER_URL {safe_url(url)!r} is not a broker URL; use memory:// "
            "(embedded), redis://host:6379/0 or amqp://host:5672//")
    if scheme == "memory":
        return
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:
        raise StartupError(
            f"cannot reach the broker at {safe_url(url)} ({_reason(exc)}); check "
            "SLOTBOT_BROKER_URL and that Redis (or RabbitMQ) is running") from None


def check_telegram(token: str, base_url: str | None, *, timeout: float = TIMEOUT) -> str:
    """Ask Telegram who the bot is (``getMe``).

    Returns:
        The bot's username.

    Raises:
        StartupError: the token is wrong or revoked, or the Bot API does not answer.
    """
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError
    from telegram.request import HTTPXRequest

    where = base_url or "https://api.telegram.org/bot"
    request = HTTPXRequest(connect_timeout=timeout, read_timeout=timeout)
    try:
        bot = Bot(token, base_url=where, request=request, get_updates_request=request)
    except InvalidToken:
        raise StartupError(
            "TELEGRAM_BOT_TOKEN is not a bot token (it looks like 123456789:AA…); "
            "copy it again from @BotFather") from None

    async def get_me() -> str:
        async with bot:
            return bot.username

    try:
        return asyncio.run(get_me())
    except InvalidToken:
        raise StartupError(
            "Telegram rejected TELEGRAM_BOT_TOKEN (getMe: unauthorized); check the token "
            "@BotFather gave you, or get a new one with /token if it was revoked") from None
    except TelegramError as exc:
        raise StartupError(
            f"cannot reach the Telegram Bot API at {where.replace(token, '***')} "
            f"({redact(_reason(exc)).replace(token, '***')}); check the network and "
            "TELEGRAM_API_BASE_URL") from None


def check_slack(token: str, base_url: str | None, *, app_token: str | None = None,
                timeout: float = TIMEOUT) -> None:
    """Check the bot token (``auth.test``) and, for Socket Mode, the app token
    (``apps.connections.open``).

    Raises:
        StartupError: a token is wrong or revoked, or the Web API does not answer.
    """
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    where = base_url or WebClient.BASE_URL
    checks = [("SLACK_BOT_TOKEN", token, "auth.test",
               "the Bot User OAuth Token (xoxb-…) under OAuth & Permissions")]
    if app_token:
        checks.append(("SLACK_APP_TOKEN", app_token, "apps.connections.open",
                       "the App-Level Token (xapp-…, scope connections:write) under "
                       "Basic Information"))
    for name, value, method, hint in checks:
        client = WebClient(token=value, base_url=where, timeout=int(timeout), logger=_QUIET,
                           retry_handlers=[])
        try:
            client.api_call(method)
        except SlackApiError as exc:
            error = exc.response.get("error") if hasattr(exc.response, "get") else None
            raise StartupError(
                f"Slack rejected {name} ({method}: {error or exc.response.status_code}); "
                f"check {hint}") from None
        except Exception as exc:  # URLError, timeouts, connection refused
            raise StartupError(
                f"cannot reach the Slack Web API at {where} ({_reason(exc)}); check the "
                "network and SLACK_API_URL") from None
