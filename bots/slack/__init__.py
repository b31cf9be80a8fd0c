"""Slotbot on Slack: a Bolt app that translates Slack to ``IncomingMessage`` and back.

Typical use (the composition root)::

    app = build_app(token=..., signing_secret=..., handle=conversation.handle,
                    base_url=settings.slack_api_url)
    serve(app, port=3000)
"""

from bots.slack._app import COMMAND, Handle, build_app
from bots.slack._render import fallback_text, render
from bots.slack._server import EVENTS_PATH, make_server, serve
from bots.slack._text import escape, to_plain
from bots.slack._users import SlackUser, UserDirectory

__all__ = [
    "COMMAND",
    "EVENTS_PATH",
    "Handle",
    "SlackUser",
    "UserDirectory",
    "build_app",
    "escape",
    "fallback_text",
    "make_server",
    "render",
    "serve",
    "to_plain",
]
