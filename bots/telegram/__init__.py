"""Telegram adapter: updates -> ``IncomingMessage``, ``Reply`` -> HTML + inline keyboard.

Usage::

    application = build_application(token, conversation.handle, base_url=...)
    run_polling(application)
"""

from bots.telegram._application import (
    ALLOWED_UPDATES,
    FLOOD_RETRIES,
    Handle,
    build_application,
    run_polling,
)
from bots.telegram._incoming import to_incoming
from bots.telegram._render import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_TEXT_LENGTH,
    render,
    render_parts,
    split_text,
)

__all__ = [
    "ALLOWED_UPDATES",
    "FLOOD_RETRIES",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_TEXT_LENGTH",
    "Handle",
    "build_application",
    "render",
    "render_parts",
    "run_polling",
    "split_text",
    "to_incoming",
]
