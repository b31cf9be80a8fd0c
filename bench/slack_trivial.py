"""``slotbot serve slack`` with a conversation that answers at once: the Slack baseline.

The same process as the real command — settings from the environment, the
bootstrap, ``config.serving.serve`` (uvicorn, the inbox, the rate limit, the
workers) — with only the conversation replaced by ``Got: <text>``.

Usage (``bench/slack.py`` starts it)::

    .venv/bin/python -m bench.slack_trivial PORT
"""

from __future__ import annotations

import dataclasses
import sys

from bots.conversation import Answer
from bots.messages import IncomingMessage, KeepAnswer, Reply
from config import logs
from config.bootstrap import bootstrap
from config.serving import serve
from config.settings import load_settings


class Trivial:
    """Stands in for ``Conversation``: only ``answer`` is used by ``serve``."""

    @staticmethod
    def answer(message: IncomingMessage, keep: KeepAnswer | None = None) -> Answer:
        """No turn, so no transaction to keep the answer in: the adapter keeps it."""
        return Answer([Reply(f"Got: {message.text}")], "trivial")


def main() -> None:
    settings = load_settings()
    logs.configure(level=settings.log_level or "INFO", fmt=settings.log_format)
    app = dataclasses.replace(bootstrap(settings), conversation=Trivial())
    serve(app, "slack", port=int(sys.argv[1]))


if __name__ == "__main__":
    main()
