"""Webhook mode: Telegram POSTs each update to a public HTTPS URL.

PTB's webhook server (tornado, the ``python-telegram-bot[webhooks]`` extra)
receives the updates; TLS is left to a reverse proxy or load balancer in front of
it, which forwards ``https://<public host>/<path>`` to ``http://<listen>:<port>/<path>``.
See https://core.telegram.org/bots/api#setwebhook.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from telegram.ext import Application

from bots.telegram._application import ALLOWED_UPDATES

#: The header Telegram sends the ``secret_token`` in; PTB answers 403 without it.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_path(url: str) -> str:
    """The path the local server answers on: the public URL's path, ``/`` if it has none.

    Example: ``"https://bot.example.com/telegram"`` -> ``"/telegram"``.
    """
    return urlsplit(url).path or "/"


async def start_webhook(
    application: Application, *, url: str, secret_token: str, port: int, listen: str = "0.0.0.0"
) -> None:
    """Starts the webhook server and registers ``url`` with Telegram (``setWebhook``).

    For embedding (tests, a custom event loop): the application must already be
    initialized and started (``async with application`` + ``await application.start()``);
    stop it with ``await application.updater.stop()``. Returns once the server listens.

    Args:
        application: from ``build_application``.
        url: the public HTTPS URL Telegram calls, e.g. ``"https://bot.example.com/telegram"``.
        secret_token: 1-256 characters of ``A-Z a-z 0-9 _ -``; Telegram sends it in
            ``SECRET_HEADER`` with every update, and requests without it or with another
            value are refused with 403 before they reach the conversation.
        port: TCP port to listen on.
        listen: interface to bind (default all).

    Raises:
        telegram.error.TelegramError: Telegram refused the webhook (e.g. not HTTPS).
        OSError: the address cannot be bound.
    """
    assert application.updater is not None, "build_application always gives an updater"
    await application.updater.start_webhook(**_options(url, secret_token, port, listen))


def run_webhook(
    application: Application, *, url: str, secret_token: str, port: int, listen: str = "0.0.0.0"
) -> None:
    """Runs the bot in webhook mode until SIGINT/SIGTERM; call from the main thread.

    Same arguments and errors as ``start_webhook``. Pending updates are kept, so
    nothing sent while the bot was down is lost; Telegram only sends
    ``ALLOWED_UPDATES``. ``run_polling`` removes the webhook again.
    """
    application.run_webhook(**_options(url, secret_token, port, listen))


def _options(url: str, secret_token: str, port: int, listen: str) -> dict[str, Any]:
    return {
        "listen": listen,
        "port": port,
        "url_path": webhook_path(url),
        "webhook_url": url,
        "secret_token": secret_token,
        "allowed_updates": list(ALLOWED_UPDATES),
    }
