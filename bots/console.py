"""The console adapter (``slotbot chat``): a real adapter over stdin/stdout.

Each input line is one guest message. Choices print numbered; the guest
answers with the number or the label (the conversation maps both).
:func:`run_host` is the same for a host (``slotbot chat --host``): each line a
host command, or the number or label of a button of the last reply (pressed here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from bots.messages import Choice, IncomingMessage, Reply


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


def run_host(
    turn: Callable[[IncomingMessage], Reply],
    handle: str,
    lines: Iterable[str],
    out: TextIO,
    *,
    echo: bool = False,
    prompt: str = "",
) -> None:
    """Feed each line to ``turn`` as the host ``handle`` and print the replies.

    A line that is the number or the label of a choice of the last reply presses it
    (the message carries its payload); any other line is sent as text.

    Args:
        turn: answers one host message (:meth:`bots.host_commands.HostCommands.console`).
        echo, prompt: as for :func:`run`.
    """
    choices: tuple[Choice, ...] = ()
    if prompt:
        out.write(prompt)
        out.flush()
    for raw in lines:
        text = raw.strip()
        if text:
            if echo:
                out.write(f"{handle}> {text}\n")
            pressed = _chosen(choices, text)
            message = IncomingMessage(platform="console", chat_id=handle, user_id=handle,
                                      text="" if pressed else text,
                                      payload=pressed.payload if pressed else None)
            reply = turn(message)
            choices = reply.choices
            out.write("bot> " + render(reply).replace("\n", "\n     ") + "\n")
        if prompt:
            out.write(prompt)
        out.flush()


def _chosen(choices: tuple[Choice, ...], text: str) -> Choice | None:
    """The choice ``text`` names by its number (``2``) or its label (any case)."""
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1]
    return next((c for c in choices if c.label.casefold() == text.casefold()), None)
