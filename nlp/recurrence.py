"""Recurring requests ("every Tuesday at 10 for 4 weeks") → an RRULE body. Pure.

:func:`find` spots how often (every Tuesday, daily, every other week, tous les
mardis, …) and how long (for 4 weeks, 6 times, until Dec 20) in the folded
text and blanks those words out, so that the date grammar reads only what is
left ("at 10"). :func:`first` then moves what the grammar found to the first
matching weekday, and :func:`rule` writes the RFC 5545 RRULE body (no
DTSTART): ``FREQ=WEEKLY;BYDAY=TU;COUNT=4``. A rule without an end gets
:data:`DEFAULT_COUNT` occurrences, never an unbounded series.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache

from nlp.dates import add_months
from nlp.lang import Vocabulary, vocabulary
from nlp.resolve import When

#: Occurrences of a series whose end was not said.
DEFAULT_COUNT = 4
#: Words after "until" tried as the series' last day, longest first.
_UNTIL_WORDS = 5
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WORKDAYS = (0, 1, 2, 3, 4)
_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY"}


@dataclass(frozen=True)
class _Words:
    """One language's recurrence words (regex sources on folded text)."""

    every: str
    other: str
    units: dict[str, str]
    adverbs: dict[str, tuple[str, int]]
    workdays: str
    plural: str
    and_: str
    article: str
    times: str
    for_: str
    until: str
    weekday_suffix: str = "s?"
    lasting: str = "(?!)"


_LANGS: dict[str, _Words] = {
    "en": _Words(
        every=r"every|each",
        other=r"other|second|2nd",
        units={"day": "day", "days": "day", "week": "week", "weeks": "week",
               "month": "month", "months": "month"},
        adverbs={"daily": ("day", 1), "weekly": ("week", 1), "monthly": ("month", 1),
                 "biweekly": ("week", 2), "fortnightly": ("week", 2)},
        workdays=r"week ?days?|work ?days?|business days?|working days?",
        plural=r"(?:on )?(?P<wd>{wd})s(?!\w)",
        and_=r"and|&|,|, and",
        article=r"on",
        times=r"times",
        for_=r"for(?: the next)?",
        until=r"until|till|through|thru|ending",
    ),
    "de": _Words(
        every=r"jeden|jede|jedes|alle",
        other=r"zweiten|zweite|2\.",
        units={"tag": "day", "tage": "day", "woche": "week", "wochen": "week",
               "monat": "month", "monate": "month"},
        adverbs={"taglich": ("day", 1), "wochentlich": ("week", 1),
                 "monatlich": ("month", 1), "zweiwochentlich": ("week", 2),
                 "vierzehntagig": ("week", 2), "werktags": ("workdays", 1)},
        workdays=r"werktag|werktage|arbeitstag|arbeitstage",
        plural=r"(?P<wd>{wd})s(?!\w)",
        and_=r"und|,",
        article=r"am",
        times=r"-?mal",
        for_=r"fur(?: die nachsten)?",
        until=r"bis zum|bis zur|bis",
        lasting=r"lang",
    ),
    "es": _Words(
        every=r"cada|todos los|todas las",
        other=r"(?!)",
        units={"dia": "day", "dias": "day", "semana": "week", "semanas": "week",
               "mes": "month", "meses": "month"},
        adverbs={"diario": ("day", 1), "diariamente": ("day", 1), "semanal": ("week", 1),
                 "semanalmente": ("week", 1), "mensual": ("month", 1),
                 "mensualmente": ("month", 1), "quincenal": ("week", 2),
                 "quincenalmente": ("week", 2)},
        workdays=r"dias? laborables?|dias? habil(?:es)?|dias? de semana",
        plural=r"los (?P<wd>{wd})s?(?!\w)",
        and_=r"y|e|,",
        article=r"los|las|el",
        times=r"veces",
        for_=r"durante(?: las proximas)?|por",
        until=r"hasta el|hasta",
    ),
    "fr": _Words(
        every=r"tous les|toutes les|chaque",
        other=r"(?!)",
        units={"jour": "day", "jours": "day", "semaine": "week", "semaines": "week",
               "mois": "month"},
        adverbs={"quotidien": ("day", 1), "quotidienne": ("day", 1),
                 "quotidiennement": ("day", 1), "hebdomadaire": ("week", 1),
                 "hebdo": ("week", 1), "mensuel": ("month", 1), "mensuelle": ("month", 1),
                 "mensuellement": ("month", 1), "bimensuel": ("week", 2),
                 "bimensuelle": ("week", 2)},
        workdays=r"jours? ouvres?|jours? ouvrables?|jours de semaine",
        plural=r"les (?P<wd>{wd})s(?!\w)",
        and_=r"et|,",
        article=r"les|le",
        times=r"fois",
        for_=r"pendant(?: les prochaines)?|pour|sur",
        until=r"jusqu'au|jusqu'a|jusqu'en",
    ),
    "pt": _Words(
        every=r"a cada|cada|todos os|todas as|todo|toda",
        other=r"(?!)",
        units={"dia": "day", "dias": "day", "semana": "week", "semanas": "week",
               "mes": "month", "meses": "month"},
        adverbs={"diario": ("day", 1), "diariamente": ("day", 1), "semanal": ("week", 1),
                 "semanalmente": ("week", 1), "mensal": ("month", 1),
                 "mensalmente": ("month", 1), "quinzenal": ("week", 2),
                 "quinzenalmente": ("week", 2)},
        workdays=r"dias? uteis|dia util",
        plural=r"(?:as|às|nas|aos|nos|os) (?P<wd>{wd})s(?:[- ]?feiras)?(?!\w)",
        and_=r"e|,",
        article=r"as|os|a|o|às|aos",
        times=r"vezes",
        for_=r"durante(?: as proximas)?|por",
        until=r"ate o dia|ate o|ate ao|ate dia|ate",
        weekday_suffix=r"s?(?:[- ]?feiras?)?",
    ),
}


@dataclass(frozen=True)
class Repeat:
    """How often and how long, as found in one message.

    Attributes:
        freq: ``DAILY``, ``WEEKLY`` or ``MONTHLY``.
        interval: every N days/weeks/months (≥ 1).
        weekdays: 0=Monday … 6=Sunday (weekly rules), or empty.
        count: occurrences said ("4 times"), or None.
        span: a length said ("for 4 weeks"): ``(4, "week")``, or None.
        until: the series' last day said ("until Dec 20"), or None.
        masked: the text with the recurrence words blanked out.
    """

    freq: str
    masked: str
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    count: int | None = None
    span: tuple[int, str] | None = None
    until: date | None = None


@dataclass(frozen=True)
class _Patterns:
    words: _Words
    how_often: re.Pattern[str]
    plural: re.Pattern[str]
    times: re.Pattern[str]
    for_: re.Pattern[str]
    until: re.Pattern[str]
    weekday_names: dict[str, int]
    numbers: dict[str, int]


def find(folded: str, vocab: Vocabulary, read_day: Callable[[str], date | None]
         ) -> Repeat | None:
    """The recurrence in ``folded`` (accent-folded, lower-case), or None.

    Args:
        folded: the message, folded (:func:`nlp.folding.fold`).
        vocab: the message's language (en, de, es, fr, pt).
        read_day: reads a folded date phrase ("dec 20", "january") as its last
            calendar day, or None when it names no whole days.

    Returns:
        The recurrence with its words blanked out of ``masked``, or None when
        the message names no repetition.
    """
    pats = _patterns(vocab.code)
    if pats is None:
        return None
    found = _how_often(folded, pats)
    if found is None:
        return None
    repeat, (lo, hi) = found
    masked = _blank(folded, lo, hi)
    if repeat.freq == "WEEKLY" and not repeat.weekdays:  # "alle zwei Wochen freitags"
        days = _how_often(masked, pats)
        if days is not None and days[0].weekdays:
            repeat = replace(repeat, weekdays=days[0].weekdays)
            masked = _blank(masked, *days[1])
    times = pats.times.search(masked)
    if times:
        repeat = replace(repeat, count=_number(times["n"], pats))
        masked = _blank(masked, *times.span())
    length = pats.for_.search(masked)
    if length:
        unit = length["unit"] or length["unit2"]
        n = _number(length["n"] or length["n2"], pats)
        repeat = replace(repeat, span=(n, _unit(unit, pats)))
        masked = _blank(masked, *length.span())
    for until in pats.until.finditer(masked):
        rest = masked[until.end():].split(",")[0]
        words = list(re.finditer(r"\S+", rest))[:_UNTIL_WORDS]
        for size in range(len(words), 0, -1):
            day = read_day(" ".join(w.group() for w in words[:size]))
            if day is not None:
                repeat = replace(repeat, until=day)
                return replace(repeat, masked=_blank(masked, until.start(),
                                                     until.end() + words[size - 1].end()))
    return replace(repeat, masked=masked)


def first(repeat: Repeat, when: When, now: datetime) -> When:
    """``when`` moved to the series' first day: the next of its weekdays at that time.

    Args:
        when: what the date grammar read from the masked text (aware, in the
            reader's zone), possibly empty.
        now: aware, in the reader's zone.

    Returns:
        ``when`` unchanged for rules without weekdays; otherwise its start (and
        end) on the first matching day on or after its own day that has not
        ended yet; a whole-day window on that day when no time was said.
    """
    if not repeat.weekdays:
        return when
    start = when.start
    if start is None:
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        when = When(start, _on(start, start.date() + timedelta(days=1)), when.duration_minutes)
    for shift in range(8):
        delta = timedelta(days=shift)
        moved = _on(start, start.date() + delta)
        end = None if when.end is None else _on(when.end, when.end.date() + delta)
        if moved.weekday() in repeat.weekdays and (end or moved) > now:
            return When(moved, end, when.duration_minutes)
    return when


def rule(repeat: Repeat, first_day: date) -> str:
    """The RRULE body: ``FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=4``.

    Args:
        first_day: the first occurrence's local date (a length said, "for 4
            weeks", runs from it).

    Returns:
        A rule that always ends: ``COUNT`` (said, from a length in the rule's
        own unit, or :data:`DEFAULT_COUNT`) or ``UNTIL`` (local date, end of
        day: ``UNTIL=20261220T235959``).
    """
    parts = [f"FREQ={repeat.freq}"]
    if repeat.interval != 1:
        parts.append(f"INTERVAL={repeat.interval}")
    if repeat.weekdays:
        parts.append("BYDAY=" + ",".join(_DAYS[d] for d in sorted(set(repeat.weekdays))))
    until = repeat.until
    count = repeat.count
    if count is None and until is None and repeat.span is not None:
        n, unit = repeat.span
        if _FREQ[unit] == repeat.freq and len(repeat.weekdays) <= 1:
            count = max(1, math.ceil(n / repeat.interval))
        else:
            until = _after(first_day, n, unit) - timedelta(days=1)
    if count is not None:
        parts.append(f"COUNT={count}")
    elif until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    else:
        parts.append(f"COUNT={DEFAULT_COUNT}")
    return ";".join(parts)


# --- helpers -----------------------------------------------------------------------------


def _how_often(folded: str, pats: _Patterns) -> tuple[Repeat, tuple[int, int]] | None:
    match = pats.how_often.search(folded)
    if match is not None:
        return _read(match, pats), match.span()
    match = pats.plural.search(folded)
    if match is not None:
        days = _weekdays(match.group(0), pats)
        return Repeat("WEEKLY", folded, weekdays=days), match.span()
    return None


def _read(match: re.Match[str], pats: _Patterns) -> Repeat:
    """A how-often match → its frequency, interval and weekdays."""
    interval = 2 if match["other"] or match["other2"] else 1
    if match["n"]:
        interval = _number(match["n"], pats)
    days = match["days"] or match["days2"]
    if days:
        return Repeat("WEEKLY", "", interval=interval, weekdays=_weekdays(days, pats))
    if match["work"]:
        return Repeat("WEEKLY", "", weekdays=_WORKDAYS)
    if match["unit"]:
        unit = _unit(match["unit"], pats)
        return Repeat(_FREQ[unit], "", interval=interval)
    freq, interval = pats.words.adverbs[match["adverb"]]
    if freq == "workdays":
        return Repeat("WEEKLY", "", weekdays=_WORKDAYS)
    return Repeat(_FREQ[freq], "", interval=interval)




def _weekdays(text: str, pats: _Patterns) -> tuple[int, ...]:
    found: list[int] = []
    for word in re.findall(r"[a-z]+", text):
        day = pats.weekday_names.get(word)
        if day is None and word.endswith("s"):
            day = pats.weekday_names.get(word[:-1])
        if day is not None and day not in found:
            found.append(day)
    return tuple(sorted(found))


def _unit(word: str, pats: _Patterns) -> str:
    return pats.words.units[word]


def _number(text: str, pats: _Patterns) -> int:
    return int(text) if text.isdigit() else pats.numbers[text]


def _blank(text: str, lo: int, hi: int) -> str:
    return text[:lo] + " " * (hi - lo) + text[hi:]


def _on(moment: datetime, day: date) -> datetime:
    """``moment``'s wall time on ``day``, in its zone."""
    return datetime.combine(day, moment.timetz().replace(tzinfo=None), tzinfo=moment.tzinfo)


def _after(day: date, n: int, unit: str) -> date:
    if unit == "month":
        return add_months(day, n)
    return day + timedelta(days=n * (7 if unit == "week" else 1))


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@cache
def _patterns(code: str) -> _Patterns | None:
    """Compile one language's patterns once."""
    words = _LANGS.get(code)
    if words is None:
        return None
    vocab = vocabulary(code)
    names = {w: v for w, (tag, v) in vocab.words.items()
             if tag == "wd" and len(w) >= 5 and isinstance(v, int)}
    numbers = {w: v for w, (tag, v) in vocab.words.items()
               if tag == "num" and isinstance(v, int) and 1 <= v <= 99}
    wd = f"(?:{_alt(names)})"
    one_day = rf"{wd}{words.weekday_suffix}"
    days = rf"{one_day}(?:\s*(?:{words.and_})\s*(?:(?:{words.article})\s+)?{one_day})*"
    num = rf"(?:\d{{1,2}}|{_alt(numbers)})"
    units = _alt(words.units)
    adverbs = _alt(words.adverbs)
    b, e = r"(?<!\w)", r"(?!\w)"
    how_often = (
        rf"{b}(?:(?:{words.every})\s+(?:(?P<other>{words.other})\s+)?"
        rf"(?:(?P<n>{num})\s+(?=(?:{units}){e}))?"
        rf"(?:(?P<days>{days})|(?P<work>{words.workdays})|(?P<unit>{units})){e}"
        + (r"|un (?P<days2>" + wd + r") sur (?P<other2>deux|2)" if vocab.code == "fr"
           else r"|(?!)(?P<days2>)(?P<other2>)")
        + rf"|(?P<adverb>{adverbs}){e})"
    )
    return _Patterns(
        words=words,
        how_often=re.compile(how_often),
        plural=re.compile(b + words.plural.format(wd=wd) + rf"(?:\s*(?:{words.and_})\s*"
                          rf"(?:(?:{words.article})\s+)?{one_day})*"),
        times=re.compile(rf"{b}(?P<n>{num})\s*(?:{words.times}){e}"),
        for_=re.compile(rf"{b}(?:(?:{words.for_})\s+(?P<n>{num})\s+(?P<unit>{units})"
                        rf"|(?P<n2>{num})\s+(?P<unit2>{units})\s+(?:{words.lasting})){e}"),
        until=re.compile(rf"{b}(?:{words.until}){e}"),
        weekday_names=names,
        numbers=numbers,
    )
