"""What the guest wants: the intent of one message (keyword rules per language)."""

from __future__ import annotations

import re
from functools import cache

from nlp.lang import Vocabulary, vocabulary
from nlp.request import Intent

#: Checked in this order; the first that matches wins. ``strongbook`` (an
#: explicit "book"/"schedule") outranks availability words such as "free".
ORDER = ("help", "cancel", "reschedule", "list", "strongbook", "availability", "book")

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[^\w\s]")


@cache
def _patterns(code: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    vocab = vocabulary(code)
    return tuple(
        (name, re.compile("|".join(f"(?:{p})" for p in vocab.intents[name])))
        for name in ORDER
        if vocab.intents.get(name)
    )


@cache
def _answer_patterns(code: str) -> tuple[tuple[Intent, re.Pattern[str]], ...]:
    vocab = vocabulary(code)
    return tuple(
        (intent, re.compile("|".join(f"(?:{p})" for p in vocab.intents[name])))
        for intent, name in ((Intent.UNKNOWN, "notanswer"), (Intent.DENY, "deny"),
                             (Intent.CONFIRM, "confirm"))
        if vocab.intents.get(name)
    )


def leading_answer(folded: str, vocab: Vocabulary) -> Intent | None:
    """CONFIRM/DENY when the message opens with a yes/no ("yep that works", "👍", "sounds good")."""
    for intent, pattern in _answer_patterns(vocab.code):
        if pattern.match(folded):
            return None if intent is Intent.UNKNOWN else intent  # "no later than 11"
    words = _WORD.findall(folded)
    for word in words[:2]:
        if word in vocab.deny_words:
            return Intent.DENY
        if word in vocab.confirm_words:
            return Intent.CONFIRM
        if word.isalnum():
            return None
    return None


def classify(folded: str, vocab: Vocabulary, *, has_subject: bool) -> Intent:
    """The intent of a folded (lower-case, accent-free) message.

    Args:
        folded: the message after :func:`nlp.text.fold`.
        vocab: the message's language.
        has_subject: the message names a time, duration, host or event type,
            which makes an otherwise plain message a booking request.

    Returns:
        The first matching intent of :data:`ORDER`; else CONFIRM/DENY for a
        message opening with yes/no; else BOOK when ``has_subject``; else UNKNOWN.
    """
    answer = leading_answer(folded, vocab)
    if answer is Intent.CONFIRM and has_subject and "?" in folded:
        answer = None  # "ok, how about Friday 3pm?" proposes rather than confirms
    for name, pattern in _patterns(vocab.code):
        if pattern.search(folded):
            if answer is Intent.DENY and name in ("book", "availability", "strongbook"):
                return Intent.DENY
            if answer is Intent.CONFIRM and name in ("book", "strongbook"):
                return Intent.CONFIRM
            return Intent.BOOK if name == "strongbook" else Intent(name)
    if answer is not None:
        return answer
    return Intent.BOOK if has_subject else Intent.UNKNOWN
