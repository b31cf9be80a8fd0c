"""Time zones written in a message: "4pm EST", "GMT+1", "Wiener Zeit", "I'm based in Chicago".

:func:`find` returns the zone the message's times are written in and the
guest's own zone when the message states one, and blanks both phrases out so
that the date grammar does not read "Porto" or "hora" as words of its own.

What counts as a zone (every language):

* an IANA id ("Europe/Lisbon", any case);
* a UTC/GMT offset ("UTC-3", "GMT+1", "UTC+05:30"; "+05:30" right after a
  clock time); plain "UTC"/"GMT" is UTC. These are fixed offsets, named
  ``UTC±HH:MM``;
* an abbreviation of :data:`ABBREVIATIONS` ("EST", "MEZ", "HNE"), in capitals
  or, in lower case, right after a clock time ("11am mst"). A regional
  abbreviation means that region's current local time ("EST" in July is New
  York's EDT), so it maps to a region zone and is marked ``regional``. An
  ambiguous one ("IST", "CST", "BST", "AST") has no ``name``, only
  ``choices``: the dialog asks;
* a place in a zone phrase: "<city> time", "time in <city>"; "<Stadt>er
  Zeit", "Zeit in <Stadt>", "Ortszeit <Stadt>"; "hora de <ciudad>"; "heure de
  <ville>"; "hora/horário de <cidade>" — places from :mod:`nlp.places` (CLDR
  and GeoNames), never a hand list.

An own-zone statement is a cue ("I'm based in", "ich bin in", "vivo en", "je
suis à", "moro em", "my time zone is", ...) followed by any of the above but
a bare offset. When a message states its writer's zone and no other, its
times are read in that zone too.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, timedelta, timezone, tzinfo
from functools import cache

from nlp import places

#: Abbreviation (lower case) → the zones it may mean; more than one = ambiguous.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "est": ("America/New_York",), "edt": ("America/New_York",), "et": ("America/New_York",),
    "cdt": ("America/Chicago",), "ct": ("America/Chicago",),
    "cst": ("America/Chicago", "Asia/Shanghai", "America/Havana"),
    "mst": ("America/Denver",), "mdt": ("America/Denver",), "mt": ("America/Denver",),
    "pst": ("America/Los_Angeles",), "pdt": ("America/Los_Angeles",),
    "pt": ("America/Los_Angeles",),
    "akst": ("America/Anchorage",), "akdt": ("America/Anchorage",),
    "hst": ("Pacific/Honolulu",), "nst": ("America/St_Johns",), "ndt": ("America/St_Johns",),
    "ast": ("America/Halifax", "Asia/Riyadh"), "adt": ("America/Halifax",),
    "hne": ("America/Toronto",), "hae": ("America/Toronto",),
    "hnc": ("America/Winnipeg",), "hac": ("America/Winnipeg",),
    "hnr": ("America/Edmonton",), "har": ("America/Edmonton",),
    "hnp": ("America/Vancouver",), "hap": ("America/Vancouver",),
    "cet": ("Europe/Berlin",), "cest": ("Europe/Berlin",), "mez": ("Europe/Berlin",),
    "mesz": ("Europe/Berlin",), "hec": ("Europe/Paris",), "heec": ("Europe/Paris",),
    "wet": ("Europe/Lisbon",), "west": ("Europe/Lisbon",), "wez": ("Europe/Lisbon",),
    "eet": ("Europe/Athens",), "eest": ("Europe/Athens",), "oez": ("Europe/Athens",),
    "bst": ("Europe/London", "Asia/Dhaka"),
    "ist": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "msk": ("Europe/Moscow",), "gst": ("Asia/Dubai",), "pkt": ("Asia/Karachi",),
    "ict": ("Asia/Bangkok",), "wib": ("Asia/Jakarta",), "pht": ("Asia/Manila",),
    "sgt": ("Asia/Singapore",), "hkt": ("Asia/Hong_Kong",), "jst": ("Asia/Tokyo",),
    "kst": ("Asia/Seoul",), "aest": ("Australia/Sydney",), "aedt": ("Australia/Sydney",),
    "acst": ("Australia/Adelaide",), "acdt": ("Australia/Adelaide",),
    "awst": ("Australia/Perth",), "nzst": ("Pacific/Auckland",), "nzdt": ("Pacific/Auckland",),
    "brt": ("America/Sao_Paulo",), "brst": ("America/Sao_Paulo",),
    "art": ("America/Argentina/Buenos_Aires",), "clt": ("America/Santiago",),
    "clst": ("America/Santiago",), "cot": ("America/Bogota",), "pet": ("America/Lima",),
    "vet": ("America/Caracas",), "sast": ("Africa/Johannesburg",), "eat": ("Africa/Nairobi",),
    "wat": ("Africa/Lagos",), "cat": ("Africa/Maputo",),
}
#: Abbreviations that are also words of a language: read there only in capitals.
_WORDS_IN = {"de": {"ist", "mez"}, "fr": {"est", "et", "art"}, "es": {"est"},
             "pt": {"pt", "art"}, "en": {"art", "cat", "eat", "wat", "pet", "et", "pt", "ct",
                                         "mt", "ist", "west", "hae"}}
_CLOCK_BEFORE = re.compile(r"(?:\d|(?:\d|\b)(?:am|pm|uhr|h|hs|heures?|horas?)|\b(?:noon|midday"
                           r"|midnight))\s*\(?\s*$")
#: North American region words after a clock time ("8:30am Eastern", "noon Pacific").
_REGIONS = re.compile(r"\b(?P<region>eastern|central|mountain|pacific|atlantic)"
                      r"(?:\s+(?:standard|daylight))?(?:\s+time)?\b")
_REGION_ZONES = {"eastern": "America/New_York", "central": "America/Chicago",
                 "mountain": "America/Denver", "pacific": "America/Los_Angeles",
                 "atlantic": "America/Halifax"}

_WORD = r"[^\W\d_]+(?:'[^\W\d_]+)*"
#: Hyphens between letters read as spaces ("Chicago-Zeit", "Wilkes-Barre"), same length.
_LETTER_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_PLACE = rf"(?P<place>{_WORD}(?:\s+{_WORD}){{0,{places.MAX_WORDS - 1}}})"
#: A place in brackets right after a time: "3pm my time (Chicago)", "15h (Paris)".
_BRACKETED = re.compile(rf"\(\s*{_PLACE}\s*\)")
_WORD_AT = re.compile(_WORD)
#: What may follow a bare place after a time: the end, punctuation or "please".
_PLACE_END = re.compile(r"\s*(?:[?!.,;)]|$|please\b|pls\b|plz\b|bitte\b|por\s+favor\b|svp\b"
                        r"|stp\b|pf\b)")
_OFFSET = re.compile(r"\b(?:utc|gmt)\s*(?P<sign>[+\-−])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?(?!\d)")
_UTC = re.compile(r"\b(?:utc|gmt)\b")
_BARE_OFFSET = re.compile(r"(?<=\d)(?:\s*(?:am|pm|h|uhr))?\s+(?P<sign>[+\-])"
                          r"(?P<h>\d{2}):(?P<m>\d{2})(?![\d:])")
_IANA = re.compile(r"\b[a-z]+(?:/[a-z_\-]+){1,2}\b")
_ABBR = re.compile(r"\b[a-z]{2,5}\b")
#: Phrases whose place comes after the cue ("hora de Bogotá"), per language.
_AFTER_CUES = {
    "en": r"\btime\s+in\s+",
    "de": r"\b(?:zeit\s+in|ortszeit(?:\s+in)?)\s+",
    "es": r"\b(?:hora|horario)\s+(?:de|en)\s+",
    "fr": r"\bheure\s+(?:de|d'|a|du|des)\s*",
    "pt": r"\b(?:hora|horario|fuso)\s+(?:de|do|da|em)\s+",
}
#: Words after a place that make it a zone ("Sydney time", "Wiener Zeit").
_BEFORE_CUES = {"en": r"\s+time\b", "de": r"[\s-]+(?:zeit|ortszeit)\b"}
#: The writer's own place: "I'm based in", "ich bin in", "vivo en", "je suis à", "moro em".
_OWN_CUES = {
    "en": r"\b(?:(?:i'?m|i am|we'?re|we are)\s+(?:currently\s+|now\s+|also\s+)?"
          r"(?:based\s+|located\s+|living\s+|staying\s+)?(?:in|on|out\s+of)"
          r"|(?:i|we)\s+live\s+in|based\s+(?:in|out\s+of)|my\s+time\s*zone\s+is"
          r"|my\s+tz\s+is)\s+",
    "de": r"\b(?:(?:ich\s+)?bin\s+(?:gerade\s+|derzeit\s+|momentan\s+|zurzeit\s+|jetzt\s+)?in"
          r"|ich\s+(?:wohne|lebe|sitze)\s+(?:gerade\s+|derzeit\s+)?in|wir\s+sind\s+in"
          r"|meine\s+zeitzone\s+ist)\s+",
    "es": r"\b(?:(?:vivo|estoy|resido|estamos|vivimos)\s+en|soy\s+de"
          r"|mi\s+zona\s+horaria\s+es)\s+",
    "fr": r"\b(?:je\s+suis\s+(?:basee?\s+|installee?\s+|actuellement\s+)?(?:a|en|au)"
          r"|j'?\s*habite\s+(?:a|en|au)|je\s+vis\s+(?:a|en|au)|nous\s+sommes\s+(?:a|en)"
          r"|mon\s+fuseau(?:\s+horaire)?\s+est)\s+",
    "pt": r"\b(?:(?:moro|estou|vivo|resido|moramos|estamos)\s+(?:em|no|na|nos|nas)|sou\s+d[eoa]"
          r"|meu\s+fuso(?:\s+horario)?\s+e)\s+",
}


@dataclass(frozen=True)
class ZoneMention:
    """A time zone as written in a message.

    Attributes:
        name: an IANA id ("America/Chicago"), or a fixed offset
            ``UTC±HH:MM`` / ``UTC``; None for an ambiguous abbreviation.
        written: the words as written, folded ("cst", "chicago time").
        choices: the IANA readings of an ambiguous abbreviation
            (``("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem")`` for IST).
        regional: an abbreviation read as its region's local time ("est" →
            America/New_York): the reply should say which region it took.
    """

    name: str | None
    written: str
    choices: tuple[str, ...] = field(default=())
    regional: bool = False

    @property
    def ambiguous(self) -> bool:
        return self.name is None

    @property
    def fixed(self) -> bool:
        """A bare offset ("GMT+1"): a zone for the times said, never a guest's zone."""
        return self.name is not None and self.name.startswith("UTC")

    def tzinfo(self) -> tzinfo:
        """The zone to read times in. Raises ValueError when ambiguous."""
        if self.name is None:
            raise ValueError(f"ambiguous zone {self.written!r}: one of {self.choices}")
        return zone_info(self.name)


def zone_info(name: str) -> tzinfo:
    """``tzinfo`` for an IANA id or a ``UTC±HH:MM`` name from :class:`ZoneMention`."""
    if name == "UTC":
        return UTC
    if name.startswith("UTC") and len(name) == 9:
        sign = -1 if name[3] == "-" else 1
        return timezone(sign * timedelta(hours=int(name[4:6]), minutes=int(name[7:9])))
    return _iana_zone(name)


@cache
def _iana_zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


@cache
def _iana_ids() -> dict[str, str]:
    return {z.lower(): z for z in zoneinfo.available_timezones() if "/" in z}


def _offset_name(sign: str, hours: str, minutes: str | None) -> str | None:
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m > 59:
        return None
    if h == m == 0:
        return "UTC"
    return f"UTC{'-' if sign in '-−' else '+'}{h:02d}:{m:02d}"


@cache
def _compiled(lang: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, re.Pattern[str]]:
    after = re.compile(_AFTER_CUES[lang] + _PLACE) if lang in _AFTER_CUES else None
    before = None
    if lang in _BEFORE_CUES:
        before = re.compile(_PLACE + _BEFORE_CUES[lang])
    own = re.compile(_OWN_CUES[lang] + r"(?P<rest>.{1,60})")
    return after, before, own


@dataclass
class Found:
    """What :func:`find` read: the zones and the text with their phrases blanked."""

    zone: ZoneMention | None
    own: ZoneMention | None
    masked: str


#: Characters looked at before a word for a clock time, and after it for a place.
_CLOCK_CHARS = 16
_PLACE_CHARS = 80


def _clock_before(folded: str, at: int) -> bool:
    """Whether a clock time ends right before position ``at`` ("5pm |london")."""
    return _CLOCK_BEFORE.search(folded, max(0, at - _CLOCK_CHARS), at) is not None


def _blank(text: str, lo: int, hi: int) -> str:
    return text[:lo] + " " * (hi - lo) + text[hi:]


def _words(phrase: str) -> list[str]:
    return re.findall(_WORD, phrase)


def _direct(folded: str, original_caps: frozenset[str], lang: str
            ) -> tuple[ZoneMention, tuple[int, int]] | None:
    """An IANA id, an offset or an abbreviation in ``folded``, with its span."""
    for m in _IANA.finditer(folded):  # the ids are read from disk once, on a first match
        found = _iana_ids().get(m.group(0))
        if found is not None:
            return ZoneMention(found, m.group(0)), m.span()
    for m in _OFFSET.finditer(folded):
        name = _offset_name(m.group("sign"), m.group("h"), m.group("m"))
        if name is not None:
            return ZoneMention(name, m.group(0)), m.span()
    utc = _UTC.search(folded)
    if utc is not None:
        return ZoneMention("UTC", utc.group(0)), utc.span()
    bare = _BARE_OFFSET.search(folded)
    if bare is not None:
        name = _offset_name(bare.group("sign"), bare.group("h"), bare.group("m"))
        if name is not None:
            lo = bare.start("sign")
            return ZoneMention(name, folded[lo:bare.end()]), (lo, bare.end())
    for region in _REGIONS.finditer(folded):
        if _clock_before(folded, region.start()):
            zone = _REGION_ZONES[region.group("region")]
            return ZoneMention(zone, region.group(0), regional=True), region.span()
    collisions = _WORDS_IN.get(lang, set())
    for m in _ABBR.finditer(folded):
        word = m.group(0)
        zones = ABBREVIATIONS.get(word)
        if zones is None:
            continue
        capital = word.upper() in original_caps
        if not capital and (word in collisions or len(word) < 3
                            or not _clock_before(folded, m.start())):
            continue
        if len(zones) > 1:
            return ZoneMention(None, word, zones, regional=True), m.span()
        return ZoneMention(zones[0], word, regional=True), m.span()
    return None


def _place(words: list[str], *, reverse: bool, common: frozenset[str], cldr_only: bool = False
           ) -> tuple[str, int] | None:
    found = places.place_at(words, reverse=reverse, cldr_only=cldr_only)
    if found is None:
        return None
    zone, n = found
    used = words[-n:] if reverse else words[:n]
    if all(word in common for word in used):
        return None  # "hora de comer", "estoy en casa", "la reunión": ordinary words
    return zone, n


def _phrase(folded: str, lang: str, common: frozenset[str]
            ) -> tuple[ZoneMention, tuple[int, int]] | None:
    """A "<city> time" / "hora de <ciudad>" phrase, with its span."""
    after, before, _ = _compiled(lang)
    if after is not None:
        for m in after.finditer(folded):
            words = _words(m.group("place"))
            found = _place(words, reverse=False, common=common)
            if found is not None:
                end = m.start("place")
                for word in words[:found[1]]:
                    end = folded.index(word, end) + len(word)
                return ZoneMention(found[0], folded[m.start():end]), (m.start(), end)
    for token in _WORD_AT.finditer(folded):
        start = token.start()
        if not _clock_before(folded, start):
            continue  # a place right after a clock time: "thu 5pm london"
        words = _words(folded[start:start + _PLACE_CHARS])[:places.MAX_WORDS]
        found = _place(words, reverse=False, common=common, cldr_only=True)
        if found is None:
            continue
        end = start
        for part in words[:found[1]]:
            end = folded.index(part, end) + len(part)
        if _PLACE_END.match(folded, end):
            return ZoneMention(found[0], folded[start:end]), (start, end)
    for m in _BRACKETED.finditer(folded):
        words = _words(m.group("place"))
        found = _place(words, reverse=False, common=common)
        if found is not None and found[1] == len(words) and _CLOCK_BEFORE.search(
                re.sub(r"\b(?:my|your|mi|tu|ma|ta|meine|deine|minha|sua)\s+\w+\s*$", "",
                       folded[:m.start()])):
            return ZoneMention(found[0], m.group(0)), m.span()
    if before is not None:
        for m in before.finditer(folded):
            words = _words(m.group("place"))
            found = _place(words, reverse=True, common=common)
            if found is None and lang == "de" and words and words[-1].endswith("er"):
                found = _place([*words[:-1], words[-1][:-2]], reverse=True, common=common)
            if found is not None:
                lo = m.start("place")
                for word in words[:len(words) - found[1]]:
                    lo = folded.index(word, lo) + len(word)
                while folded[lo] == " ":
                    lo += 1
                return ZoneMention(found[0], folded[lo:m.end()]), (lo, m.end())
    return None


def _own(folded: str, caps: frozenset[str], lang: str, common: frozenset[str]
         ) -> tuple[ZoneMention, tuple[int, int]] | None:
    """The writer's own zone after a cue ("I'm based in Chicago", "moro em Porto")."""
    _, _, own = _compiled(lang)
    for m in own.finditer(folded):
        rest_at = m.start("rest")
        rest = m.group("rest")
        direct = _direct(rest, caps, lang)
        if direct is not None and direct[1][0] == 0 and not direct[0].fixed:
            return direct[0], (m.start(), rest_at + direct[1][1])
        words = _words(rest)
        if not words or not rest.startswith(words[0]):
            continue
        found = _place(words, reverse=False, common=common)
        if found is not None:
            end = rest_at
            for word in words[:found[1]]:
                end = folded.index(word, end) + len(word)
            return ZoneMention(found[0], folded[rest_at:end]), (m.start(), end)
    return None


def find(folded: str, original: str, lang: str, common: frozenset[str] = frozenset()) -> Found:
    """The zones written in one message.

    Args:
        folded: the message after :func:`nlp.folding.fold`.
        original: the message as typed (capitals tell "IST" from "ist").
        lang: the message's language ("en", "de", "es", "fr", "pt").
        common: ordinary words of that language that are never read as a
            one-word place ("comer", "meeting").

    Returns:
        The zone the times are written in (the own zone when only that is
        stated), the writer's own zone, and ``folded`` with both blanked.
    """
    caps = frozenset(re.findall(r"\b[A-Z]{2,5}\b", original))
    masked = _LETTER_HYPHEN.sub(" ", folded)
    own_found = _own(masked, caps, lang, common)
    own = None
    if own_found is not None:
        own = own_found[0]
        masked = _blank(masked, *own_found[1])
    found = _phrase(masked, lang, common) or _direct(masked, caps, lang)
    zone = own
    if found is not None:
        zone = found[0]
        masked = _blank(masked, *found[1])
    return Found(zone, own, masked)


__all__ = ["ABBREVIATIONS", "Found", "ZoneMention", "find", "zone_info"]
