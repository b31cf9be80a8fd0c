"""Case and accent folding shared by the scanner and the vocabularies."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents ("Mañana" → "manana", "ß" → "ss", "1º" → "1")."""
    lowered = text.lower().replace("ß", "ss").replace("’", "'").replace("`", "'")
    lowered = lowered.replace("º", "").replace("ª", "")
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
