"""``parse``: one chat message → :class:`~nlp.request.BookingRequest` (DESIGN 3.4)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from nlp.grammar import scan
from nlp.intents import classify
from nlp.lang import LANGUAGES, vocabulary
from nlp.request import BookingRequest, Intent
from nlp.resolve import When, resolve
from nlp.subjects import find_choice, find_known, with_name
from nlp.text import fold, tokenize

#: Longer messages are not parsed: ``parse`` returns ``Intent.UNKNOWN`` at once.
MAX_CHARS = 1000


@lru_cache(maxsize=64)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def parse(
    text: str,
    *,
    now: datetime,
    tz: str,
    lang: str | None = None,
    hosts: Sequence[str] = (),
    event_types: Sequence[str] = (),
    context: datetime | None = None,
) -> BookingRequest:
    """Understand one booking message.

    Args:
        text: the message as typed. Over :data:`MAX_CHARS` characters it is
            not parsed (intent ``unknown``, nothing else set).
        now: aware datetime, the moment the message arrived.
        tz: the reader's IANA zone; every relative expression resolves in it.
        lang: ``en``, ``de``, ``es``, ``fr`` or ``pt`` (regional tags such as
            ``pt-BR`` use their base language); None means English.
        hosts: known host names and handles ("ana", "ana lima"); without them
            a capitalized name after "with" (or an ``@handle``) is taken.
        event_types: known event-type slugs and titles ("intro", "intro call").
        context: aware start of the slot under discussion, for corrections
            ("no, 4pm", "same time on Friday", "an hour later").

    Returns:
        The request. ``start``/``end`` are aware datetimes in ``tz``: a point
        has ``end=None``; a window has an exclusive ``end``. ``host`` and
        ``event_type`` are the matched known strings, lower-cased. A message
        that only picks an offered option ("the second one") has ``choice``
        set and intent ``confirm`` (a digit ordinal such as "the 2nd" also sets
        ``start`` to that day of the month: the conversation knows whether it
        offered options); a denial with a new time ("no, 4pm") has
        intent ``deny`` and the new ``start``.

    Raises:
        ValueError: if ``now`` or ``context`` is naive.
        zoneinfo.ZoneInfoNotFoundError: if ``tz`` is not a known zone.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if context is not None and (context.tzinfo is None or context.utcoffset() is None):
        raise ValueError("context must be timezone-aware")
    _zone(tz)
    if len(text) > MAX_CHARS:
        return BookingRequest(Intent.UNKNOWN)
    vocab = vocabulary(lang)
    folded = fold(text)
    host = event_type = None
    masked = folded
    for known, is_host in ((hosts, True), (event_types, False)):
        found = find_known(masked, known)
        if found is not None:
            name, (lo, hi) = found
            masked = masked[:lo] + " " * (hi - lo) + masked[hi:]
            if is_host:
                host = name
            else:
                event_type = name
    if host is None and not hosts:
        host = with_name(text, vocab)
    choice = find_choice(folded, vocab)
    when = _when(masked, vocab.code, now, tz, context)
    has_subject = choice is None and any(
        x is not None for x in (when.start, when.duration_minutes, host, event_type))
    intent = classify(folded, vocab, has_subject=has_subject)
    if choice is not None and intent is Intent.UNKNOWN:
        intent = Intent.CONFIRM
    duration = None if when.duration_minutes is None else timedelta(minutes=when.duration_minutes)
    return BookingRequest(intent, when.start, when.end, duration, host, event_type, choice)


def _when(folded: str, lang: str, now: datetime, tz: str, context: datetime | None) -> When:
    vocab = vocabulary(lang)
    local_now = now.astimezone(_zone(tz))
    items = scan(tokenize(folded, vocab), vocab, local_now, vocab.date_order(tz))
    return resolve(items, now=local_now, context=context)


def warm_up() -> None:
    """Compile every language's tables once; call at start-up, not per message."""
    now = datetime(2026, 1, 5, 12, 0, tzinfo=_zone("UTC"))
    for lang in LANGUAGES:
        parse("book 30 min tomorrow at 3pm, the 2nd", now=now, tz="UTC", lang=lang,
              hosts=("warm",), event_types=("up",))
