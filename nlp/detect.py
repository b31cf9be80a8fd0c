"""Which of the five languages a message is written in: a vote over the vocabularies.

Each language scores one point per distinct word of the message that its
vocabulary knows (date words, chat spellings, yes/no words, frequent
ordinary words). Cheap (a few dictionary look-ups) and accurate on booking
messages, where a short text is mostly date words and function words.
"""

from __future__ import annotations

import re

from nlp.lang import LANGUAGES, vocabulary

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
#: A given language is overridden only by a lead of at least this many words.
MARGIN = 2


def scores(folded: str) -> dict[str, int]:
    """Language code → number of distinct words of ``folded`` it knows."""
    words = set(_WORD.findall(folded))
    out = {}
    for code in LANGUAGES:
        vocab = vocabulary(code)
        out[code] = sum(1 for w in words if w in vocab.words or w in vocab.common_words
                        or w in vocab.confirm_words or w in vocab.deny_words)
    return out


def language(folded: str, given: str | None) -> str:
    """The language to read ``folded`` (accent-folded text) in.

    Args:
        folded: the message after :func:`nlp.folding.fold`.
        given: the platform's language code (one of :data:`nlp.lang.LANGUAGES`)
            or None.

    Returns:
        ``given`` unless another language knows at least :data:`MARGIN` more
        of the message's words; without ``given``, the language knowing the
        most (English on a tie or when none knows any).
    """
    found = scores(folded)
    best = max(LANGUAGES, key=lambda code: (found[code], code == given, code == "en"))
    if given is not None and given in found:
        return best if found[best] >= found[given] + MARGIN else given
    return best if found[best] > 0 else "en"
