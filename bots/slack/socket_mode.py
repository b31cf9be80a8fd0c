"""Slack over Socket Mode: no public URL, the app opens a WebSocket to Slack.

Bolt's built-in ``SocketModeHandler`` (slack-sdk's dependency-free client)
calls ``apps.connections.open`` with the app-level token (``xapp-…``, scope
``connections:write``), connects to the WebSocket it names, and feeds every
envelope (events, button presses, ``/slotbot``) to the same Bolt app as HTTP
mode; each envelope is stored in the inbox and acknowledged at once, the work
runs after (the bot's per-user lanes). It reconnects by itself when Slack asks it to or the socket
drops. See https://api.slack.com/apis/socket-mode.
"""

from __future__ import annotations

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bots.slack._app import SlackBot

__all__ = ["connect"]


def connect(bot: SlackBot, app_token: str, *, concurrency: int = 10) -> SocketModeHandler:
    """Open the Socket Mode connection and start handling envelopes (returns at once).

    Also starts the bot's inbox sweep; ``bot.stop(drain_seconds)`` drains it.

    ``apps.connections.open`` goes to the app's own Web API client, so
    ``SLACK_API_URL`` applies to it too.

    Args:
        bot: from ``bots.slack.build_app``.
        app_token: the app-level token (``SLACK_APP_TOKEN``, ``xapp-…``).
        concurrency: threads handling envelopes (default 10).

    Returns:
        The running handler; ``close()`` disconnects it.

    Raises:
        slack_sdk.errors.SlackApiError: the app token was refused.
    """
    bot.start()
    handler = SocketModeHandler(bot.app, app_token, concurrency=concurrency)
    handler.connect()
    return handler
