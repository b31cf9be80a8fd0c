"""``Reply`` → Slack Block Kit: mrkdwn sections for the text, button rows for the choices.

Limits from https://api.slack.com/reference/block-kit/blocks: section text at most
3000 characters, button text at most 75, at most 25 elements per actions block.
"""

from __future__ import annotations

from typing import Any

from bots.messages import Choice, Reply
from bots.slack._text import escape

SECTION_TEXT_LIMIT = 3000
BUTTON_TEXT_LIMIT = 75
BUTTONS_PER_ACTIONS_BLOCK = 25
#: Every button's ``action_id`` is this prefix plus the choice's index in the reply.
ACTION_ID_PREFIX = "choice_"

Block = dict[str, Any]


def render(reply: Reply) -> list[Block]:
    """Render a reply as Block Kit blocks.

    The text (escaped for mrkdwn) fills one section, or several when it is longer
    than a section allows (split at line breaks where possible); the choices
    become buttons, 25 per actions block, with ``action_id`` ``choice_0``,
    ``choice_1``, … and the choice's payload as ``value``.

    Args:
        reply: the neutral reply; ``text`` is plain text.

    Returns:
        The ``blocks`` list for ``chat.postMessage`` or a ``response_url`` post.
    """
    blocks: list[Block] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
        for chunk in _sections(escape(reply.text))
    ]
    buttons = [_button(index, choice) for index, choice in enumerate(reply.choices)]
    for start in range(0, len(buttons), BUTTONS_PER_ACTIONS_BLOCK):
        blocks.append(
            {"type": "actions", "elements": buttons[start : start + BUTTONS_PER_ACTIONS_BLOCK]}
        )
    return blocks


def fallback_text(reply: Reply) -> str:
    """The top-level ``text`` sent with the blocks (notifications, screen readers).

    Args:
        reply: the neutral reply.

    Returns:
        ``reply.text`` escaped for Slack (the field is parsed as mrkdwn too).
    """
    return escape(reply.text)


def _button(index: int, choice: Choice) -> Block:
    label = choice.label
    if len(label) > BUTTON_TEXT_LIMIT:
        label = label[: BUTTON_TEXT_LIMIT - 1] + "…"
    return {
        "type": "button",
        "action_id": f"{ACTION_ID_PREFIX}{index}",
        "text": {"type": "plain_text", "text": label},
        "value": choice.payload,
    }


def _sections(escaped: str) -> list[str]:
    """Split escaped text into section-sized chunks, at line breaks where possible."""
    if not escaped.strip():
        return []
    chunks: list[str] = []
    current = ""
    for line in escaped.splitlines(keepends=True):
        for piece in _hard_split(line):
            if len(current) + len(piece) > SECTION_TEXT_LIMIT:
                chunks.append(current)
                current = ""
            current += piece
    chunks.append(current)
    return [chunk.rstrip("\n") for chunk in chunks if chunk.strip()]


def _hard_split(line: str) -> list[str]:
    """Cut a line longer than a section into pieces, never inside an ``&…;`` entity."""
    pieces: list[str] = []
    while len(line) > SECTION_TEXT_LIMIT:
        cut = SECTION_TEXT_LIMIT
        entity_start = line.rfind("&", cut - 4, cut)
        if entity_start != -1 and ";" not in line[entity_start:cut]:
            cut = entity_start
        pieces.append(line[:cut])
        line = line[cut:]
    pieces.append(line)
    return pieces
