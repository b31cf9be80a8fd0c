"""Slotbot on Slack: a Bolt app that translates Slack to ``IncomingMessage`` and back.

Typical use (the composition root)::

    bot = build_app(token=..., signing_secret=..., handle=conversation.handle,
                    base_url=settings.slack_api_url, inbox=inbox)
    serve(bot, port=3000)  # uvicorn; or SlackServer(bot, port=0, routes=[...]).start()
"""

from bots.slack._app import COMMAND, Handle, SlackBot, build_app
from bots.slack._render import fallback_text, render
from bots.slack._server import EVENTS_PATH, SlackServer, asgi_app, serve
from bots.slack._text import escape, to_plain
from bots.slack._users import SlackUser, UserDirectory

__all__ = [
    "COMMAND",
    "EVENTS_PATH",
    "Handle",
    "SlackBot",
    "SlackServer",
    "SlackUser",
    "UserDirectory",
    "asgi_app",
    "build_app",
    "escape",
    "fallback_text",
    "render",
    "serve",
    "to_plain",
]
