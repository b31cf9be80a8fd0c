"""Replies about zones the guest wrote, and to thanks (issue 9), in all five languages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bots.locales import LANGUAGES
from bots.texts import Texts

CHICAGO = datetime(2026, 11, 19, 16, 30, tzinfo=ZoneInfo("America/Chicago"))
LANGS = sorted(LANGUAGES)


def test_both_zones_side_by_side() -> None:
    assert Texts("en").zone_both(CHICAGO, "America/Chicago", "Europe/Berlin") == (
        "16:30 Chicago = 23:30 Berlin")
    assert Texts("de").zone_both(CHICAGO, "Europe/Vienna", "Europe/Berlin") == (
        "23:30 Wien = 23:30 Berlin")


def test_both_zones_name_the_days_when_they_differ() -> None:
    sydney = datetime(2026, 11, 19, 8, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    assert Texts("en").zone_both(sydney, "Australia/Sydney", "Europe/Berlin") == (
        "Thu 19 Nov 08:00 Sydney = Wed 18 Nov 22:00 Berlin")


def test_fixed_offset_is_shown_as_written() -> None:
    assert Texts("en").zone_both(CHICAGO, "UTC+01:00", "Europe/Berlin") == (
        "23:30 UTC+01:00 = 23:30 Berlin")


@pytest.mark.parametrize("lang", LANGS)
def test_regional_note_names_the_region_and_offset(lang: str) -> None:
    note = Texts(lang).zone_regional("est", "America/New_York", CHICAGO)
    assert "EST" in note and "UTC-05:00" in note


@pytest.mark.parametrize("lang", LANGS)
def test_ambiguous_question_lists_every_choice(lang: str) -> None:
    question = Texts(lang).zone_ambiguous("ist", ("Asia/Kolkata", "Europe/Dublin"))
    assert "IST" in question and "Asia/Kolkata" in question and "Europe/Dublin" in question


@pytest.mark.parametrize("lang", LANGS)
def test_short_replies_exist_in_every_language(lang: str) -> None:
    texts = Texts(lang)
    replies = [texts.thanks_reply(), texts.hello_reply(), texts.restart_done(),
               texts.own_zone_set("Europe/Lisbon")]
    assert all(replies)
    if lang != "en":
        assert texts.thanks_reply() != Texts("en").thanks_reply()
