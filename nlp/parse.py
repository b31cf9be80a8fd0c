"""``parse``: one chat message → :class:`~nlp.request.BookingRequest` (DESIGN 3.4)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from nlp import fallback, recurrence
from nlp.folding import fold
from nlp.grammar import scan
from nlp.intents import classify
from nlp.lang import LANGUAGES, vocabulary
from nlp.request import BookingRequest, Intent
from nlp.resolve import When, resolve
from nlp.subjects import find_choice, find_known, with_name
from nlp.text import tokenize

_HYPHENS = re.compile(r"(?<=\w)-(?=\w)")
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
            ``pt-BR`` use their base language); None means English. Another
            language dateparser knows gets its dates from dateparser and its
            intent from the English rules (yes/no, emoji, names).
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
    host, event_type, masked = _mentions(folded, hosts, event_types)
    if host is None and not hosts:
        host = with_name(text, vocab)
    choice = find_choice(folded, vocab)
    code = (lang or "en").lower().replace("_", "-").split("-")[0]
    rule = None
    if code in LANGUAGES or not fallback.supported(code):
        when, rule = _repeated(masked, vocab.code, now, tz, context)
    else:
        when = fallback.fallback_when(text, code, now.astimezone(_zone(tz)))
    if choice is not None and not _whole_days(when):
        when = When()  # "a 2ª opção": the 2 is no clock time
    has_subject = choice is None and any(
        x is not None for x in (when.start, when.duration_minutes, host, event_type))
    intent = classify(_HYPHENS.sub(" ", folded), vocab, has_subject=has_subject)
    if choice is not None and intent is Intent.UNKNOWN:
        intent = Intent.CONFIRM
    duration = None if when.duration_minutes is None else timedelta(minutes=when.duration_minutes)
    return BookingRequest(intent, when.start, when.end, duration, host, event_type, choice,
                          rule)


def _repeated(folded: str, lang: str, now: datetime, tz: str, context: datetime | None
              ) -> tuple[When, str | None]:
    """The time asked for and, for a repeated meeting, its RRULE body.

    The recurrence words ("every", "for 4 weeks", "until Dec 20") are blanked
    out before the date grammar reads the rest; the first occurrence is the
    next matching day at the time said.
    """
    def read_day(phrase: str) -> date | None:
        """The last day of a whole-day phrase ("Dec 20", "end of January", "2027")."""
        days = _when(phrase, lang, now, tz, None)
        if days.end is None or not _whole_days(days):
            return None
        return days.end.date() - timedelta(days=1)

    repeat = recurrence.find(folded, vocabulary(lang), read_day)
    if repeat is None:
        return _when(folded, lang, now, tz, context), None
    local_now = now.astimezone(_zone(tz))
    when = recurrence.first(repeat, _when(repeat.masked, lang, now, tz, context), local_now)
    first_day = (when.start or local_now).date()
    return when, recurrence.rule(repeat, first_day)


def _whole_days(when: When) -> bool:
    start, end = when.start, when.end
    return start is not None and end is not None and start.time() == end.time() == time()


def _mentions(folded: str, hosts: Sequence[str], event_types: Sequence[str]
              ) -> tuple[str | None, str | None, str]:
    """Known host and event type mentioned, and the text with both blanked out.

    Blanking keeps a host called "May" or an event type "Friday call" out of
    the date grammar.
    """
    found: list[str | None] = []
    for known in (hosts, event_types):
        hit = find_known(folded, known)
        if hit is None:
            found.append(None)
            continue
        name, (lo, hi) = hit
        folded = folded[:lo] + " " * (hi - lo) + folded[hi:]
        found.append(name)
    return found[0], found[1], folded


def _when(folded: str, lang: str, now: datetime, tz: str, context: datetime | None) -> When:
    vocab = vocabulary(lang)
    local_now = now.astimezone(_zone(tz))
    try:
        items = scan(tokenize(folded, vocab), vocab, local_now, vocab.date_order(tz))
        return resolve(items, now=local_now, context=context)
    except OverflowError:  # arithmetic past year 9999 ("9999 years after Dec 31 9998")
        return When()


def warm_up(*, fallback_languages: bool = True) -> None:
    """Compile every language's tables once; call at start-up, not per message.

    Args:
        fallback_languages: also load dateparser (used only for languages
            other than en/de/es/fr/pt); takes about a second.
    """
    now = datetime(2026, 1, 5, 12, 0, tzinfo=_zone("UTC"))
    for lang in LANGUAGES:
        parse("book 30 min tomorrow at 3pm, the 2nd", now=now, tz="UTC", lang=lang,
              hosts=("warm",), event_types=("up",))
    if fallback_languages:
        fallback.warm_up()
