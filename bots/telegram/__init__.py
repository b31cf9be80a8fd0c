"""Telegram adapter: updates -> ``IncomingMessage``, ``Reply`` -> HTML + inline keyboard.

Usage::

    application = build_application(token, conversation.handle, base_url=...)
    # with Telegram Payments: build_application(..., payments=Payments(provider_token, desk))
    run_polling(application)  # or, behind a public HTTPS URL:
    run_webhook(application, url="https://bot.example.com/telegram", secret_token=..., port=8443)
"""

from bots.telegram._application import (
    ALLOWED_UPDATES,
    FLOOD_RETRIES,
    Concurrency,
    Handle,
    build_application,
    run_polling,
)
from bots.telegram._commands import (
    GUEST_COMMANDS,
    HOST_COMMANDS,
    command_menu,
    publish_commands,
    set_command_menus,
)
from bots.telegram._incoming import to_incoming
from bots.telegram._pace import retry_after_seconds
from bots.telegram._payments import Payments
from bots.telegram._render import (
    MAX_CALLBACK_DATA_BYTES,
    MAX_TEXT_LENGTH,
    render,
    render_invoice,
    render_parts,
    render_photo,
    split_text,
)
from bots.telegram._webhook import SECRET_HEADER, run_webhook, start_webhook

__all__ = [
    "ALLOWED_UPDATES",
    "FLOOD_RETRIES",
    "GUEST_COMMANDS",
    "HOST_COMMANDS",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_TEXT_LENGTH",
    "SECRET_HEADER",
    "Concurrency",
    "Handle",
    "Payments",
    "build_application",
    "command_menu",
    "publish_commands",
    "render",
    "render_invoice",
    "render_parts",
    "render_photo",
    "retry_after_seconds",
    "run_polling",
    "run_webhook",
    "set_command_menus",
    "split_text",
    "start_webhook",
    "to_incoming",
]
