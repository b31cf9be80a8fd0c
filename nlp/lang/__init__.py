"""Per-language vocabulary tables for :func:`nlp.parse`.

Each language module (``en``, ``de``, ``es``, ``fr``, ``pt``) builds one
:class:`Vocabulary`: word → tag tables, multi-word phrases rewritten to
canonical words, and intent patterns. The grammar and resolution logic are
shared; only these tables differ between languages.

Tags a word can carry (``words`` values are ``(tag, value)``):

=========  =====================================================  ==========
tag        meaning                                                value
=========  =====================================================  ==========
wd         weekday                                                0=Mon..6
mon        month name                                             1..12
num        cardinal number word                                   int
ord        ordinal word ("third")                                 int
ordsuf     ordinal suffix after a digit ("rd", "er", "o")         None
dayrel     day relative to today ("tomorrow")                     days
rel        this/next/last modifier                                "this"...
unit       unit of time                                           "minute"..
part       part of day                                            "morning".
clock      named clock time ("noon")                              (h, m)
ampm       am/pm marker                                           "am"/"pm"
oclock     "o'clock", "Uhr", "heures", "h"                        None
half       "half" (30 min)                                        None
quarter    "quarter" (15 min)                                     None
past       minutes after the hour ("past")                        None
tohour     minutes before the hour ("menos", "moins", "para")     None
halbhour   German-style "halb 5" = 4:30                           None
art        article usable as "one" before a unit ("an hour")      1
now        "now"                                                  None
later      "later" (offset from the slot discussed, else now)     None
fromnow    "from now", "hence" (offset from now)                  None
ago        "ago" (offset backward)                                None
earlier    "earlier" (offset backward from the slot discussed)    None
in         "in" (offset from now: "in 2 hours")                   None
within     "within"                                               None
from       range start ("from", "since" is ``since``)             None
to         range end ("to", "through")                            None
until      range end that alone means "before" ("until", "till")  None
between    "between"                                              None
and        "and"                                                  None
before     "before", "by"                                         None
after      "after"                                                None
since      "since", "starting"                                    None
at         "at", "around", "um", "à"                              None
for        "for" (a duration follows)                             None
end        "end of"                                               None
same       "same"                                                 None
rest       the rest of a period ("later this week")               "week"...
weekoff    a week window a number of weeks ahead ("week after     2
           next")
orlater    "or later" after a time (opens a window)               None
of         "of", "de": joins date parts ("3rd of May")            None
counted    a noun a number counts that is no time ("people")       None
mid        "middle of", "mid" (the middle of a month or year)     None
skip       filler words that carry no meaning here ("on")         None
the        definite article: dropped, marks the next token        None
=========  =====================================================  ==========
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from nlp.folding import fold

Tag = tuple[str, object]
DateOrder = Literal["mdy", "dmy"]


@dataclass(frozen=True)
class Vocabulary:
    """Everything language-specific that :func:`nlp.parse` needs.

    Attributes:
        code: ISO 639-1 language code.
        words: accent-folded lower-case word → ``(tag, value)``.
        phrases: accent-folded multi-word phrase → replacement text, applied
            before tokenizing ("day after tomorrow" → "dayaftertomorrow").
        intents: intent name → regex sources matched against the folded text,
            in the priority order of :data:`nlp.intents.ORDER`; ``confirm`` and
            ``deny`` patterns must match at the start of the message, and a
            ``notanswer`` match there ("no later than") vetoes a yes/no word.
        confirm_words: whole-message confirmations ("yes", "ok").
        deny_words: whole-message denials ("no", "nope").
        with_words: words introducing a host by name ("with", "mit").
        choice_words: words meaning "option"/"one" around an ordinal.
        h_is_clock: ``15h`` means 15:00 (fr/pt/es/de) rather than 15 hours.
        default_date_order: reading of ``4/5`` when both orders are possible.
        dotted_ordinals: ``3.`` before a word is an ordinal ("3. Dezember").
        month_first_zones: zone prefixes whose readers write month first
            (``America/`` for English).
        choice_ordinals: ordinals that are tagged otherwise but pick an option
            when said alone ("a segunda" in Portuguese, also Monday).
        short_meridiem: ``9a``/``9p`` mean 9 am/pm (English).
        elisions: split ``l'``/``d'``/``jusqu'`` from the next word (French).
        spellings: chat spellings and abbreviations → the word they stand for
            ("tmw" → "tomorrow", "sxta" → "sexta"); tagged like that word.
        common_words: frequent ordinary words of the language: they tell the
            language of a message (:mod:`nlp.detect`) and are never corrected
            into a date word nor read as a one-word place.
        greetings: regexes of greetings and good wishes ("good evening",
            "bom dia"): never a time, blanked before the date grammar.
        thanks: regexes of thanks ("thank you", "merci").
        restart: regexes of "start over".
        shift_later: regexes of verbs that move a slot later by the amount
            said ("push back", "retrasar"); ``shift_earlier`` the other way.
        negation: regexes of a day ruled out ("not Thursday", "jeudi non").
        instead: regexes before a day the guest replaces without denying
            ("Friday instead of Thursday", "statt Donnerstag"); a group
            ``cue`` marks the words to blank when the pattern needs context
            ("plutôt vendredi que jeudi").
        paging: ``"earlier"``/``"later"``/``"other_day"`` → a regex of asking
            for other free times without naming one ("anything earlier?",
            "un autre jour ?").
        early: regexes of "early" before a week ("early next week", "Anfang
            nächster Woche"): its first three days.
        whole_series: regexes of a whole recurring series ("the whole series",
            "alle Termine der Serie", "toda la serie").
    """

    code: str
    words: Mapping[str, Tag]
    phrases: Mapping[str, str]
    intents: Mapping[str, tuple[str, ...]]
    confirm_words: frozenset[str]
    deny_words: frozenset[str]
    with_words: tuple[str, ...]
    choice_words: frozenset[str] = field(default_factory=frozenset)
    h_is_clock: bool = True
    default_date_order: DateOrder = "dmy"
    dotted_ordinals: bool = False
    month_first_zones: tuple[str, ...] = ()
    choice_ordinals: Mapping[str, int] = field(default_factory=dict)
    short_meridiem: bool = False
    elisions: bool = False
    spellings: Mapping[str, str] = field(default_factory=dict)
    common_words: frozenset[str] = field(default_factory=frozenset)
    greetings: tuple[str, ...] = ()
    thanks: tuple[str, ...] = ()
    restart: tuple[str, ...] = ()
    shift_later: tuple[str, ...] = ()
    shift_earlier: tuple[str, ...] = ()
    negation: tuple[str, ...] = ()
    early: tuple[str, ...] = ()
    instead: tuple[str, ...] = ()
    paging: Mapping[str, str] = field(default_factory=dict)
    whole_series: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Tables are written with accents for readability; matching is on folded text.
        words = {fold(w): t for w, t in self.words.items()}
        words.update({part: ("part", part) for part in VAGUE_PARTS})
        for written, meant in self.spellings.items():
            words.setdefault(fold(written), words[fold(meant)])
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "common_words", frozenset(map(fold, self.common_words)))
        object.__setattr__(self, "spellings",
                           {fold(w): fold(m) for w, m in self.spellings.items()})
        object.__setattr__(self, "phrases",
                           {fold(p): fold(r) for p, r in self.phrases.items()})
        object.__setattr__(self, "confirm_words", frozenset(map(fold, self.confirm_words)))
        object.__setattr__(self, "deny_words", frozenset(map(fold, self.deny_words)))
        object.__setattr__(self, "choice_words", frozenset(map(fold, self.choice_words)))
        object.__setattr__(self, "choice_ordinals",
                           {fold(w): n for w, n in self.choice_ordinals.items()})

    def date_order(self, tz: str) -> DateOrder:
        """How ``4/5`` reads for a reader in zone ``tz`` (month first in the US)."""
        if self.month_first_zones and tz.startswith(self.month_first_zones):
            return "mdy"
        return self.default_date_order

    @property
    def spelling_re(self) -> re.Pattern[str] | None:
        """One alternation of the chat spellings (whole words), compiled once."""
        return _phrase_re(self.code + ":spellings", tuple(sorted(self.spellings, key=len,
                                                                 reverse=True)))

    @property
    def phrase_re(self) -> re.Pattern[str] | None:
        """One alternation of all phrases, longest first (compiled once)."""
        return _phrase_re(self.code, tuple(sorted(self.phrases, key=len, reverse=True)))


@cache
def _phrase_re(code: str, phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w])")


LANGUAGES = ("en", "de", "es", "fr", "pt")
#: Canonical tokens of the vague parts of day that every language's phrases
#: rewrite to ("first thing", "nach dem Mittagessen" → ``afterlunch``); their
#: hours are in :data:`nlp.resolve.PARTS`.
VAGUE_PARTS = ("firstthing", "afterlunch", "afterwork", "earlymorning", "lateafternoon")


@cache
def vocabulary(lang: str | None) -> Vocabulary:
    """The vocabulary for ``lang`` ("en", "de", "es", "fr", "pt"; None = en).

    A regional tag such as ``de-AT`` or ``pt_BR`` uses its base language; an
    unsupported language falls back to English.
    """
    code = (lang or "en").lower().replace("_", "-").split("-")[0]
    module = importlib.import_module(f"nlp.lang.{code if code in LANGUAGES else 'en'}")
    found: Vocabulary = module.VOCABULARY
    return found


def numbers(units: Mapping[str, int], tens: Mapping[str, int]) -> dict[str, Tag]:
    """Cardinal number words as ``num`` tags (compounds are merged later)."""
    table: dict[str, Tag] = {w: ("num", n) for w, n in units.items()}
    table.update({w: ("num", n) for w, n in tens.items()})
    return table


def tagged(tag: str, table: Mapping[str, object]) -> dict[str, Tag]:
    """``{word: value}`` → ``{word: (tag, value)}``."""
    return {w: (tag, v) for w, v in table.items()}


def each(tag: str, words: str, value: object = None) -> dict[str, Tag]:
    """Space-separated ``words`` all tagged ``(tag, value)``."""
    return {w: (tag, value) for w in words.split()}


def wordset(words: str) -> frozenset[str]:
    """Whitespace-separated ``words`` as a set."""
    return frozenset(words.split())
