"""The console adapter (``slotbot chat``): a real adapter over stdin/stdout.

Each input line is one guest message. Choices print numbered; the guest
answers with the number or the label (the conversation maps both).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from bots.messages import IncomingMessage, Reply


def render(reply: Reply) -> str:
    """Plain text with numbered choices (``  [1] Yes, book it``), then the attachment's path."""
    lines = [reply.text]
    lines += [f"  [{i}] {choice.label}" for i, choice in enumerate(reply.choices, start=1)]
    if reply.attachment is not None:
        lines.append(f"[{reply.attachment.title}: {reply.attachment.file()}]")
    return "\n".join(lines)


def run(
    handle: Callable[[IncomingMessage], list[Reply]],
    lines: Iterable[str],
    out: TextIO,
    *,
    guest_id: str,
    name: str | None = None,
    timezone: str | None = None,
    locale: str | None = None,
    echo: bool = False,
    prompt: str = "",
) -> None:
    """Feed each line to ``handle`` as ``guest_id`` and print the replies.

    Args:
        locale: the guest's language (``de``, ``pt-BR``, …), as a platform would give it.
        echo: print each guest line first (for piped input, so the transcript reads well).
        prompt: printed before reading each line (interactive use).
    """
    label = name or guest_id
    if prompt:
        out.write(prompt)
        out.flush()
    for raw in lines:
        text = raw.rstrip("\n")
        if text.strip():
            if echo:
                out.write(f"{label}> {text}\n")
            message = IncomingMessage(platform="console", chat_id=guest_id, user_id=guest_id,
                                      text=text, display_name=name, timezone=timezone,
                                      locale=locale)
            for reply in handle(message):
                out.write("bot> " + render(reply).replace("\n", "\n     ") + "\n")
        if prompt:
            out.write(prompt)
        out.flush()
