"""Text from the outside world made safe to store and show (hostile names, control bytes).

Adapters hand every display name and message through these functions (via
:class:`bots.messages.IncomingMessage`), so a NUL byte (refused by PostgreSQL),
a lone surrogate (not encodable as UTF-8), a right-to-left override (which
flips the rest of a host's notice) or a 10,000-character name never reaches
the database or another reader.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest display name kept, in characters (the column holds 200).
MAX_NAME_CHARS = 100

#: Format characters that must survive: zero-width non-joiner and joiner
#: (Persian and Indic names, emoji sequences).
_KEEP_FORMAT = frozenset("\u200c\u200d")
_SPACES = re.compile(r"\s+")


def _allowed(char: str, *, keep: str) -> bool:
    if char in keep or char in _KEEP_FORMAT:
        return True
    category = unicodedata.category(char)
    # Cc control (NUL, ESC, …), Cf format (bidi overrides and isolates, zero-width
    # spaces, BOM), Cs surrogates; Zl/Zp line and paragraph separators.
    return category not in ("Cc", "Cf", "Cs", "Zl", "Zp")


def clean_text(value: str) -> str:
    """A message or button payload without control, format or surrogate characters.

    Newlines and tabs stay; ``\\r\\n`` and ``\\r`` become ``\\n``. Nothing is cut:
    the conversation answers over-long messages itself.
    """
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    if value.isprintable():  # no Cc, Cf, Cs, Zl or Zp (nor anything else unprintable)
        return value
    return "".join(c for c in value if _allowed(c, keep="\n\t"))


def clean_name(value: str | None) -> str | None:
    """A display name on one line, at most :data:`MAX_NAME_CHARS` characters, or None if empty.

    Control, format and surrogate characters are dropped, runs of white space
    become one space, and the result is trimmed; combining marks left dangling
    by the cut are dropped with it.
    """
    if value is None:
        return None
    kept = "".join(c if _allowed(c, keep="") else " " if c.isspace() else ""
                   for c in unicodedata.normalize("NFC", value))
    name = _SPACES.sub(" ", kept).strip()[:MAX_NAME_CHARS]
    while name and unicodedata.combining(name[-1]):
        name = name[:-1]
    return name.rstrip() or None
