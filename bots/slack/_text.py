"""Slack's text formatting, both ways: escaping for mrkdwn, and incoming markup to plain text.

Source: https://api.slack.com/reference/surfaces/formatting#escaping
"""

from __future__ import annotations

import re

# <target> or <target|label>: links, mailto links, user/channel mentions, special mentions.
_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def escape(text: str) -> str:
    """Escape the three characters Slack reserves in mrkdwn and message ``text``.

    Args:
        text: plain text, no markup.

    Returns:
        The text with ``&``, ``<`` and ``>`` as ``&amp;``, ``&lt;`` and ``&gt;``.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_plain(text: str) -> str:
    """Turn the text of an incoming Slack message or command into plain text.

    Links and mentions (``<mailto:a@b.c|a@b.c>``, ``<https://x|label>``,
    ``<@U123>``) become their label, or their target without the ``mailto:``
    scheme; then the ``&amp;``, ``&lt;`` and ``&gt;`` Slack sends are unescaped.

    Args:
        text: the ``text`` of a message event or slash command, as Slack sends it.

    Returns:
        What the user typed, without Slack's markup.
    """

    def replace(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if label:
            return label
        return target.removeprefix("mailto:")

    plain = _MARKUP.sub(replace, text)
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
