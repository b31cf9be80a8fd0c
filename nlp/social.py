"""Greetings, thanks and "start over": social phrases that are never a time.

"Good evening", "Guten Morgen", "buenas tardes", "bonne soirée", "bom dia"
contain time words; they are found first and blanked so that the date
grammar never reads them as tonight or tomorrow morning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nlp.lang import Vocabulary


@dataclass(frozen=True)
class Social:
    """What :func:`find` read: ``pleasantry`` ("greeting"/"thanks"/None), ``restart``, the rest."""

    pleasantry: str | None
    restart: bool
    masked: str


@cache
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _blank(pattern: re.Pattern[str] | None, text: str) -> tuple[str, bool]:
    if pattern is None:
        return text, False
    found = False

    def spaces(m: re.Match[str]) -> str:
        nonlocal found
        found = True
        return " " * len(m.group(0))

    return pattern.sub(spaces, text), found


def find(folded: str, vocab: Vocabulary) -> Social:
    """Greetings, thanks and restart requests in a folded message, blanked out.

    Thanks wins over a greeting ("bonne journée et merci" is thanks).
    """
    masked, thanked = _blank(_compiled(vocab.thanks), folded)
    masked, greeted = _blank(_compiled(vocab.greetings), masked)
    masked, restart = _blank(_compiled(vocab.restart), masked)
    pleasantry = "thanks" if thanked else ("greeting" if greeted else None)
    return Social(pleasantry, restart, masked)
