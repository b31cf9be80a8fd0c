"""Who and what: host and event-type mentions, and "the second one" choices."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz.distance import OSA

from nlp.folding import fold
from nlp.lang import Vocabulary

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?|#")
_DIGIT_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|o|a|er|re|e|eme|\.)?$")
_POLITE = frozenset(["the", "please", "pls", "thanks", "thank", "you"])
#: Largest ordinal accepted as a choice among offered options.
MAX_CHOICE = 20


@lru_cache(maxsize=256)
def _known_pattern(known: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One regex over all known names (folded, slugs also with spaces), longest first."""
    variants: dict[str, str] = {}
    for name in known:
        folded = fold(name).strip()
        if not folded:
            continue
        for variant in {folded, folded.replace("-", " ").replace("_", " ")}:
            variants.setdefault(variant, name.lower())
    if not variants:
        return None
    alternation = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), variants


def find_known(folded: str, known: Sequence[str]) -> tuple[str, tuple[int, int]] | None:
    """The longest known name mentioned as whole words in ``folded`` text.

    Args:
        folded: text after :func:`nlp.text.fold`.
        known: host names/handles or event-type slugs/titles, any case.

    Returns:
        ``(known name lower-cased, (start, end) of the mention in folded)``, or None.
    """
    if not known:
        return None
    compiled = _known_pattern(tuple(known))
    if compiled is None:
        return None
    pattern, variants = compiled
    best: re.Match[str] | None = None
    for match in pattern.finditer(folded):
        if best is None or len(match.group(0)) > len(best.group(0)):
            best = match
    if best is None:
        return None
    return variants[best.group(0)], best.span()


#: Shortest known name matched approximately; shorter ones need the exact spelling.
MIN_SIMILAR = 6


@lru_cache(maxsize=1024)
def find_similar(folded: str, known: tuple[str, ...]) -> tuple[str, tuple[int, int]] | None:
    """A known name misspelled by an edit or two ("consultaton", "Konsultation").

    Words of the text are compared, as many at a time as the name has, with
    rapidfuzz's OSA distance: at most 1 edit for names under 8 letters, 2 for
    longer ones; names under :data:`MIN_SIMILAR` letters are never matched
    approximately.

    Returns:
        ``(known name lower-cased, (start, end) in folded)``, or None.
    """
    words = list(_NAME_WORD.finditer(folded))
    best: tuple[int, str, tuple[int, int]] | None = None
    for name in known:
        target = fold(name).replace("-", " ").replace("_", " ").strip()
        size = len(target.split())
        if len(target) < MIN_SIMILAR:
            continue
        limit = 1 if len(target) < 8 else 2
        for i in range(len(words) - size + 1):
            lo, hi = words[i].start(), words[i + size - 1].end()
            distance = OSA.distance(" ".join(w.group(0) for w in words[i:i + size]), target,
                                    score_cutoff=limit)
            if distance <= limit and (best is None or distance < best[0]):
                best = (distance, name.lower(), (lo, hi))
    return None if best is None else (best[1], best[2])


_NAME_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=8)
def _with_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    names = r"[^\W\d_][\w'-]*"
    return re.compile(
        rf"(?:\b(?:{'|'.join(words)})\s+(?P<name>{names}(?:\s+{names})?))|@(?P<handle>\w+)",
        re.IGNORECASE,
    )


def with_name(text: str, vocab: Vocabulary) -> str | None:
    """A host named without a known list: "with Ana Lima" (capitalized) or "@ana".

    Words after "with" count only while capitalized and not date words
    ("with Ana on Friday" → "ana").
    """
    for match in _with_pattern(vocab.with_words).finditer(text):
        if match.group("handle"):
            return match.group("handle").lower()
        kept = []
        for word in match.group("name").split():
            if not word[0].isupper() or fold(word) in vocab.words:
                break
            kept.append(word)
        if kept:
            return " ".join(kept).lower()
    return None


def find_choice(folded: str, vocab: Vocabulary) -> int | None:
    """A 1-based pick among offered options: "the second one", "2nd", "option 3", "#2"."""
    words = [w for w in _WORD.findall(folded)
             if w not in vocab.choice_words and w not in _POLITE
             and w not in vocab.confirm_words]
    if len(words) != 1:
        return None
    word = words[0]
    if word in vocab.choice_ordinals:
        return vocab.choice_ordinals[word]
    tag = vocab.words.get(word)
    if tag is not None and tag[0] == "ord" and isinstance(tag[1], int) and tag[1] > 0:
        return tag[1] if tag[1] <= MAX_CHOICE else None
    match = _DIGIT_ORDINAL.match(word)
    if match is not None and 1 <= int(match.group(1)) <= MAX_CHOICE:
        return int(match.group(1))
    return None
