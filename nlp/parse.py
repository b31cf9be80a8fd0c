"""``parse``: one chat message → :class:`~nlp.request.BookingRequest` (DESIGN 3.4)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from nlp import alternatives, detect, fallback, places, recurrence, social, zones
from nlp.dates import at
from nlp.folding import fold
from nlp.grammar import scan
from nlp.intents import classify
from nlp.items import Clock, Days, Instant, Item, Length, Shift, Span
from nlp.lang import LANGUAGES, Vocabulary, vocabulary
from nlp.request import BookingRequest, Intent, Window
from nlp.resolve import When, resolve
from nlp.subjects import find_choice, find_known, find_similar, with_name
from nlp.text import tokenize

_HYPHENS = re.compile(r"(?<=\w)-(?=\w)")
_WORD_HYPHENS = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
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
    aliases: Mapping[str, str] | None = None,
) -> BookingRequest:
    """Understand one booking message.

    Args:
        text: the message as typed. Over :data:`MAX_CHARS` characters it is
            not parsed (intent ``unknown``, nothing else set).
        now: aware datetime, the moment the message arrived.
        tz: the reader's IANA zone; every relative expression resolves in it
            (or in the zone the message writes its times in, see ``zone``).
        lang: ``en``, ``de``, ``es``, ``fr`` or ``pt`` (regional tags such as
            ``pt-BR`` use their base language), or None when the platform gave
            none: the language is then read from the text, as it is when the
            text is clearly in another of the five (``BookingRequest.lang``).
            Another language dateparser knows gets its dates from dateparser
            and its intent from the English rules (yes/no, emoji, names).
        hosts: known host names and handles ("ana", "ana lima"); without them
            a capitalized name after "with" (or an ``@handle``) is taken.
        event_types: known event-type slugs and titles ("intro", "intro call");
            a title misspelled by an edit or two ("consultaton") still matches.
        context: aware start of the slot under discussion, for corrections
            ("no, 4pm", "same time on Friday", "an hour later").
        aliases: other names of the event types, alias → the event type's
            slug or title ("consulta" → "consultation"), any language.

    Returns:
        The request. ``start``/``end`` are aware datetimes in ``tz``: a point
        has ``end=None``; a window has an exclusive ``end``. ``host`` and
        ``event_type`` are the matched known strings, lower-cased (an alias
        gives its event type). A message that only picks an offered option
        ("the second one") has ``choice`` set and intent ``confirm`` (a digit
        ordinal such as "the 2nd" also sets ``start`` to that day of the
        month: the conversation knows whether it offered options); a denial
        with a new time ("no, 4pm") has intent ``deny`` and the new ``start``.
        See :class:`~nlp.request.BookingRequest` for ``zone``, ``own_zone``,
        ``shift``, ``windows``, ``instead_of``, ``pleasantry``, ``restart``,
        ``series`` and ``lang``.

    Raises:
        ValueError: if ``now`` or ``context`` is naive.
        zoneinfo.ZoneInfoNotFoundError: if ``tz`` is not a known zone.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if context is not None and (context.tzinfo is None or context.utcoffset() is None):
        raise ValueError("context must be timezone-aware")
    reader = _zone(tz)
    if len(text) > MAX_CHARS:
        return BookingRequest(Intent.UNKNOWN)
    folded = fold(text)
    code = (lang or "").lower().replace("_", "-").split("-")[0] or None
    if code is not None and code not in LANGUAGES and fallback.supported(code):
        return _fallback(text, folded, code, now, reader, hosts, event_types, aliases)
    code = detect.language(folded, code if code in LANGUAGES else None)
    vocab = vocabulary(code)
    said = social.find(folded, vocab)
    found = zones.find(said.masked, text, code, vocab.common_words | frozenset(vocab.words))
    zone = found.zone
    written = reader if zone is None or zone.ambiguous else zone.tzinfo()
    plain = _WORD_HYPHENS.sub(" ", found.masked)  # "intro-call"
    host, event_type, masked, choice = _subjects(text, plain, vocab, hosts, event_types, aliases)
    masked, ruled_out, denied = _ruled_out(masked, vocab, now, written)
    when, rule, extra = _read(masked, vocab, now, written, tz, context)
    when, intent = _first_intent(found.masked, vocab, when, choice, host, event_type, extra.shift)
    if extra.moved_from is not None and intent in (Intent.BOOK, Intent.UNKNOWN):
        intent = Intent.RESCHEDULE  # "von Montag auf Dienstag"
    instead_of = extra.moved_from or ruled_out
    if extra.moved_from is None and extra.move is not None and intent is Intent.RESCHEDULE:
        instead_of, when = extra.move
    if denied and event_type is None and intent in (
            Intent.BOOK, Intent.UNKNOWN, Intent.CONFIRM):
        intent = Intent.DENY  # "not Thursday, maybe Friday"
    if extra.shift is not None and context is None and (
            intent in (Intent.RESCHEDULE, Intent.LIST) or _shift_verb(masked, vocab)):
        when, intent = When(), Intent.RESCHEDULE  # "push my booking back an hour"
    duration = None if when.duration_minutes is None else timedelta(minutes=when.duration_minutes)
    return BookingRequest(
        intent, _to(when.start, reader), _to(when.end, reader), duration, host, event_type,
        choice, rule, zone=zone, own_zone=found.own, shift=extra.shift,
        windows=tuple((_to(a, reader) or a, _to(b, reader)) for a, b in extra.windows),
        instead_of=None if instead_of is None else (
            _to(instead_of[0], reader) or instead_of[0], _to(instead_of[1], reader)),
        pleasantry=said.pleasantry, restart=said.restart, lang=code,
        series=any(re.search(source, masked) for source in vocab.whole_series),
        page=_page(masked, vocab) if when.start is None and extra.shift is None else None)


def _page(masked: str, vocab: Vocabulary) -> str | None:
    """"anything earlier?", "un autre jour ?": which other free times the guest wants."""
    return next((name for name, source in vocab.paging.items()
                 if re.search(source, masked)), None)


def _to(value: datetime | None, reader: ZoneInfo) -> datetime | None:
    return None if value is None else value.astimezone(reader)


def _fallback(text: str, folded: str, code: str, now: datetime, reader: ZoneInfo,
              hosts: Sequence[str], event_types: Sequence[str],
              aliases: Mapping[str, str] | None) -> BookingRequest:
    """A language only dateparser knows: its dates, and the English rules for the rest."""
    vocab = vocabulary("en")
    host, event_type, _, choice = _subjects(text, folded, vocab, hosts, event_types, aliases)
    when = fallback.fallback_when(text, code, now.astimezone(reader))
    when, intent = _first_intent(folded, vocab, when, choice, host, event_type)
    duration = None if when.duration_minutes is None else timedelta(minutes=when.duration_minutes)
    return BookingRequest(intent, when.start, when.end, duration, host, event_type, choice,
                          lang=code)


def _subjects(text: str, plain: str, vocab: Vocabulary, hosts: Sequence[str],
              event_types: Sequence[str], aliases: Mapping[str, str] | None
              ) -> tuple[str | None, str | None, str, int | None]:
    """Host, event type, the text with both blanked, and a picked option ("the 2nd")."""
    host, event_type, masked = _mentions(plain, hosts, event_types, aliases)
    if host is None and not hosts:
        host = with_name(text, vocab)
    return host, event_type, masked, find_choice(masked, vocab)


def _first_intent(said: str, vocab: Vocabulary, when: When, choice: int | None,
                  *subjects: object) -> tuple[When, Intent]:
    """The intent from the words, and the time kept ("a 2ª opção": the 2 is no clock time)."""
    if choice is not None and not _whole_days(when):
        when = When()
    has_subject = choice is None and any(
        x is not None for x in (when.start, when.duration_minutes, *subjects))
    intent = classify(_HYPHENS.sub(" ", said), vocab, has_subject=has_subject)
    if choice is not None and intent is Intent.UNKNOWN:
        intent = Intent.CONFIRM
    return when, intent


@dataclass(frozen=True)
class _Extra:
    """What :func:`_read` found beyond start/end: shift, alternatives, a move."""

    shift: timedelta | None = None
    windows: tuple[Window, ...] = ()
    move: tuple[Window, When] | None = None
    moved_from: Window | None = None


def _ruled_out(masked: str, vocab: Vocabulary, now: datetime, zone: tzinfo
               ) -> tuple[str, Window | None, bool]:
    """A day the guest rules out, blanked, its window, and whether it was denied.

    "not Thursday", "el jueves no" deny a day; "Friday instead of Thursday",
    "statt Donnerstag" replace it.
    """
    for sources, denied in ((vocab.negation, True), (vocab.instead, False)):
        if not sources:
            continue
        for m in _pattern(sources).finditer(masked):
            # A pattern may name the cue words: "plutôt vendredi| que |jeudi".
            cue = m.span("cue") if "cue" in m.re.groupindex and m.group("cue") else m.span()
            after = _WORD_AT.match(masked, cue[1])
            before = _WORD_BEFORE.search(masked, 0, cue[0])
            for word in (after, before):
                if word is None or not _is_day_word(word.group(0), vocab):
                    continue
                window = _when(word.group(0), vocab.code, now, zone, "UTC", None)
                if window.start is None:
                    continue
                lo, hi = min(word.start(), cue[0]), max(word.end(), cue[1])
                return (masked[:lo] + " " * (hi - lo) + masked[hi:], (window.start, window.end),
                        denied)
    return masked, None, False


def _is_day_word(word: str, vocab: Vocabulary) -> bool:
    toks = tokenize(word, vocab)
    return len(toks) == 1 and toks[0].kind in ("wd", "dayrel")


@lru_cache(maxsize=32)
def _pattern(sources: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in sources))


def _read(masked: str, vocab: Vocabulary, now: datetime, zone: tzinfo, tz: str,
          context: datetime | None) -> tuple[When, str | None, _Extra]:
    """The time asked for, its RRULE, and the shift, alternatives or move said."""
    repeat = _repeat(masked, vocab, now, zone, tz)
    if repeat is not None:
        when, rule = _repeated(repeat, vocab.code, now, zone, tz, context)
        return when, rule, _Extra()
    items = _items(masked, vocab.code, now, zone, tz)
    when = _early(resolve(items, now=now.astimezone(zone), context=context), masked, vocab)
    local_now = now.astimezone(zone)
    windowed = any(isinstance(it, Span) for it in items) or (
        any(isinstance(it, Instant) for it in items) and any(isinstance(it, Shift) for it in items))
    shift = None if windowed else _shift(items, masked, vocab, local_now)  # "from now until 3
    # min later" is a window, not a shift
    if shift is not None:
        if context is None:
            return when, None, _Extra(shift=shift)
        if not any(isinstance(it, Shift) for it in items):
            when = When(context.astimezone(zone) + shift)  # "push it back an hour"
        return When(when.start), None, _Extra(shift=shift)
    parts = alternatives.split(items)
    if len(parts) > 1:
        found = [resolve(part, now=local_now, context=context) for part in parts]
        windows = sorted({(w.start, w.end) for w in found if w.start is not None},
                         key=lambda w: w[0])
        if len(windows) > 1:
            first = windows[0]
            return When(first[0], first[1], when.duration_minutes), None, _Extra(
                windows=tuple(windows))
    moved = alternatives.move(items)
    if moved is not None:
        old, rest = moved
        old_window = (at(old.first, 0, zone), at(old.stop, 0, zone))
        new = resolve(rest, now=local_now, context=context)
        if new.start is not None:
            if _MOVE_CUE.get(vocab.code) is not None and _MOVE_CUE[vocab.code].search(masked):
                return new, None, _Extra(moved_from=old_window)
            return when, None, _Extra(move=(old_window, new))
    return when, None, _Extra()


#: "von Montag auf Dienstag": a move even without a verb.
_MOVE_CUE = {"de": re.compile(r"\bvon\s+\S+\s+auf\b")}
_WORD_AT = re.compile(r"[^\W\d_]+")
_WORD_BEFORE = re.compile(r"[^\W\d_]+(?=\W*$)")


#: Days of a week window that "early next week" keeps (Monday to Wednesday).
EARLY_DAYS = 3


def _early(when: When, masked: str, vocab: Vocabulary) -> When:
    """"early next week", "Anfang nächster Woche": the first :data:`EARLY_DAYS` days."""
    start, end = when.start, when.end
    if start is None or end is None or not vocab.early or not _pattern(vocab.early).search(
            masked) or (end - start).days != 7 or start.weekday() != 0:
        return when
    zone = start.tzinfo
    assert zone is not None
    return When(start, at(start.date() + timedelta(days=EARLY_DAYS), 0, zone),
                when.duration_minutes)


def _shift_verb(masked: str, vocab: Vocabulary) -> int:
    """+1 for a verb that moves later ("push back", "retrasar"), -1 for earlier, else 0."""
    if vocab.shift_earlier and _pattern(vocab.shift_earlier).search(masked):
        return -1
    if vocab.shift_later and _pattern(vocab.shift_later).search(masked):
        return 1
    return 0


def _shift(items: list[Item], masked: str, vocab: Vocabulary, local_now: datetime
           ) -> timedelta | None:
    """A shift said: "45 minutes later", or a length after a shift verb ("push back an hour")."""
    shifts = [it for it in items if isinstance(it, Shift)]
    if shifts:
        s = shifts[0]
        return timedelta(days=s.days + 30 * s.months, minutes=s.minutes)
    if any(isinstance(it, Days | Clock) for it in items):
        return None
    sign = _shift_verb(masked, vocab)
    if not sign:
        return None
    for it in items:
        if isinstance(it, Length):
            return sign * timedelta(minutes=it.minutes)
        if isinstance(it, Instant):  # "atrasar em 30 minutos": "in 30 minutes" read as now + 30
            return sign * (it.at - local_now)
    return None


def _repeat(folded: str, vocab: Vocabulary, now: datetime, zone: tzinfo, tz: str
            ) -> recurrence.Repeat | None:
    """The recurrence words of ``folded`` ("every Tuesday", "for 4 weeks"), or None."""
    def read_day(phrase: str) -> date | None:
        """The last day of a whole-day phrase ("Dec 20", "end of January", "2027")."""
        days = _when(phrase, vocab.code, now, zone, tz, None)
        if days.end is None or not _whole_days(days):
            return None
        return days.end.date() - timedelta(days=1)

    return recurrence.find(folded, vocab, read_day)


def _repeated(repeat: recurrence.Repeat, lang: str, now: datetime, zone: tzinfo, tz: str,
              context: datetime | None) -> tuple[When, str]:
    """A repeated meeting's first occurrence and RRULE body.

    The recurrence words ("every", "for 4 weeks", "until Dec 20") are blanked
    out before the date grammar reads the rest; the first occurrence is the
    next matching day at the time said.
    """
    local_now = now.astimezone(zone)
    when = recurrence.first(repeat, _when(repeat.masked, lang, now, zone, tz, context), local_now)
    first_day = (when.start or local_now).date()
    return when, recurrence.rule(repeat, first_day)


def _whole_days(when: When) -> bool:
    start, end = when.start, when.end
    return start is not None and end is not None and start.time() == end.time() == time()


def _mentions(folded: str, hosts: Sequence[str], event_types: Sequence[str],
              aliases: Mapping[str, str] | None = None) -> tuple[str | None, str | None, str]:
    """Known host and event type mentioned, and the text with both blanked out.

    Blanking keeps a host called "May" or an event type "Friday call" out of
    the date grammar. An event type is found by its name, by an alias
    ("Beratung" → "consultation") or by a name misspelled by an edit or two.
    """
    canonical = _aliases(tuple((aliases or {}).items()))
    found: list[str | None] = []
    for is_type, known in ((False, tuple(hosts)), (True, (*event_types, *canonical))):
        hit = find_known(folded, known)
        if hit is None and is_type and (event_types or canonical):
            hit = find_similar(folded, (*event_types, *canonical))
        if hit is None:
            found.append(None)
            continue
        name, (lo, hi) = hit
        folded = folded[:lo] + " " * (hi - lo) + folded[hi:]
        found.append(canonical.get(fold(name), name))
    return found[0], found[1], folded


@lru_cache(maxsize=64)
def _aliases(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Folded alias → its event type, lower-cased."""
    return {fold(alias): name.lower() for alias, name in pairs}


def _items(folded: str, lang: str, now: datetime, zone: tzinfo, tz: str) -> list[Item]:
    vocab = vocabulary(lang)
    try:
        return scan(tokenize(folded, vocab), vocab, now.astimezone(zone), vocab.date_order(tz))
    except OverflowError:
        return []


def _when(folded: str, lang: str, now: datetime, zone: tzinfo, tz: str,
          context: datetime | None) -> When:
    """Start/end of ``folded`` read in ``zone`` (``tz``, the reader's, sets the date order)."""
    local_now = now.astimezone(zone)
    try:
        items = _items(folded, lang, now, zone, tz)
        return resolve(items, now=local_now, context=context)
    except OverflowError:  # arithmetic past year 9999 ("9999 years after Dec 31 9998")
        return When()


def warm_up(*, fallback_languages: bool = True, place_names: bool = True) -> None:
    """Compile every language's tables once; call at start-up, not per message.

    Args:
        fallback_languages: also load dateparser (used only for languages
            other than en/de/es/fr/pt); takes about a second.
        place_names: also build the place-name indexes of :mod:`nlp.places`
            (about a tenth of a second and 6 MB); otherwise the first message
            naming a place ("Chicago time", "I'm in Porto") builds them.
    """
    now = datetime(2026, 1, 5, 12, 0, tzinfo=_zone("UTC"))
    if place_names:
        places.warm_up()
    for lang in LANGUAGES:
        parse("book 30 min tomorrow at 3pm, the 2nd", now=now, tz="UTC", lang=lang,
              hosts=("warm",), event_types=("up",))
        parse("frday or mon 9am UTC, thanks", now=now, tz="UTC", lang=lang)
        parse("not Friday, anything earlier?", now=now, tz="UTC", lang=lang)
    if fallback_languages:
        fallback.warm_up()
