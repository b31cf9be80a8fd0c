"""Bounded fuzzy correction of misspelled day, month and relative words ("frday", "Donnerstg").

Only a word the vocabulary does not know is corrected, only towards a
weekday, month, relative-day or part-of-day word of at least
:data:`MIN_LENGTH` letters, and only when one meaning is nearest: at most one
edit (an insertion, deletion, substitution or swap of neighbours, rapidfuzz's
OSA distance) for words under 8 letters, two for longer ones. Frequent
ordinary words of the language (``Vocabulary.common_words``: "money",
"vienes") are never corrected, so a correctly spelled word keeps its meaning.
"""

from __future__ import annotations

from functools import cache, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from nlp.lang import Tag, vocabulary

#: Shortest word corrected and shortest target: shorter ones are too often other words.
MIN_LENGTH = 5
_TAGS = frozenset({"wd", "mon", "dayrel", "part"})
#: Targets that are ordinary words themselves: a near miss is more likely that word.
_NEVER = frozenset({"march", "mayo"})


@cache
def _targets(code: str) -> tuple[tuple[str, ...], tuple[Tag, ...]]:
    words = vocabulary(code).words
    chosen = sorted(w for w, tag in words.items()
                    if tag[0] in _TAGS and len(w) >= MIN_LENGTH and w.isalpha()
                    and w not in _NEVER)
    return tuple(chosen), tuple(words[w] for w in chosen)


@lru_cache(maxsize=4096)
def correct(word: str, code: str) -> Tag | None:
    """The tag of the date word ``word`` misspells, or None.

    Args:
        word: one folded word the vocabulary of ``code`` does not know.
        code: the language ("en", "de", "es", "fr", "pt").

    Returns:
        The ``(tag, value)`` of the single nearest target, or None when none
        is near enough, two different meanings are equally near, or ``word``
        is a common word of the language.
    """
    vocab = vocabulary(code)
    if len(word) < MIN_LENGTH or not word.isalpha() or word in vocab.common_words:
        return None
    limit = 1 if len(word) < 8 else 2
    names, tags = _targets(code)
    found = process.extract(word, names, scorer=OSA.distance, score_cutoff=limit, limit=4)
    if not found:
        return None
    nearest = min(score for _, score, _ in found)
    meanings = {tags[index] for _, score, index in found if score == nearest}
    return meanings.pop() if len(meanings) == 1 else None
