"""Property tests for nlp.parse: any input is safe, results stay in bounds."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nlp import MAX_CHARS, BookingRequest, Intent, parse, warm_up
from nlp.lang import LANGUAGES

ZONES = ("Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Asia/Kathmandu",
         "Australia/Lord_Howe", "Pacific/Apia", "UTC")
# Latency (p50/p99 and the longest accepted input) is measured by bench/nlp.py, not here:
# a timed assertion on a shared machine fails on load, not on the parser.


@pytest.fixture(autouse=True, scope="module")
def _warm() -> None:
    """Start-up work (tables, the place-name index) is not per-message time."""
    warm_up(fallback_languages=False)

nows = st.builds(
    lambda base, minutes, tz: (base + timedelta(minutes=minutes)).astimezone(ZoneInfo(tz)),
    st.sampled_from([datetime(2026, 3, 29, tzinfo=ZoneInfo("UTC")),   # EU spring forward
                     datetime(2026, 10, 25, tzinfo=ZoneInfo("UTC")),  # EU fall back
                     datetime(2026, 3, 8, tzinfo=ZoneInfo("UTC")),    # US spring forward
                     datetime(2026, 11, 17, tzinfo=ZoneInfo("UTC")),
                     datetime(2027, 2, 28, tzinfo=ZoneInfo("UTC"))]),
    st.integers(min_value=-36 * 60, max_value=36 * 60),
    st.sampled_from(ZONES),
)
langs = st.sampled_from(LANGUAGES)
any_text = st.text(
    alphabet=st.characters(codec=None, exclude_categories=("Cs",)), max_size=300)
wordy_text = st.lists(
    st.sampled_from(["next", "tomorrow", "at", "3pm", "between", "2", "and", "4", "-", "12/15",
                     "30", "min", "the", "2nd", "Dec", "monday", "before", "after", "in",
                     "hours", "noon", "half", "past", "quarter", "to", "um", "Uhr", "à", "h",
                     "las", "y", "media", "às", "e", "meia", ",", "?", "👍", "no", "yes",
                     "15:00", "2026-02-30", "31/02", "99:99", "week", "of", "end", "weekend",
                     "9999", "99999999", "10000", "years", "days", "later", "9998-12-31",
                     "within", "from", "first", "last", "weeks", "months", "17h", "1h30",
                     "people", "mid", "middle", "less", "than", "thousand", "fortnight",
                     "till", "Friday", "7-6", "2-3"]),
    max_size=40).map(" ".join)


def _check_bounds(r: BookingRequest, tz: str) -> None:
    zone = ZoneInfo(tz)
    assert isinstance(r.intent, Intent)
    for instant in (r.start, r.end):
        if instant is not None:
            assert instant.tzinfo is not None and instant.utcoffset() is not None
            assert instant.tzinfo == zone
    if r.end is not None:
        assert r.start is not None and r.end > r.start
    if r.duration is not None:
        assert timedelta(0) < r.duration <= timedelta(hours=24)
    if r.choice is not None:
        assert 1 <= r.choice <= 20


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(any_text, wordy_text), now=nows, tz=st.sampled_from(ZONES), lang=langs)
def test_any_text_parses_without_error_and_within_bounds(
        text: str, now: datetime, tz: str, lang: str) -> None:
    r = parse(text, now=now, tz=tz, lang=lang, hosts=("ana", "ana lima"), event_types=("intro",))
    _check_bounds(r, tz)


@settings(max_examples=20, deadline=None)
@given(unit=st.text(min_size=1, max_size=20), now=nows, lang=langs)
def test_huge_input_is_refused(unit: str, now: datetime, lang: str) -> None:
    text = (unit * (10_000 // len(unit) + 1))[:10_000]
    r = parse(text, now=now, tz="UTC", lang=lang)
    assert r == BookingRequest(Intent.UNKNOWN)


@settings(max_examples=30, deadline=None)
@given(unit=st.sampled_from(["1:", "12/12 ", "next monday at 3pm ", "👍", "\x00\x1b", "a-",
                             "1h", "1h30 ", "2-3 ", "1 hour ", "end of ", "mid ",
                             "from 2pm till tomorrow 4:30pm ", "Friday 7-6 ",
                             "two thousand and "]),
       lang=langs)
def test_longest_accepted_input_parses(unit: str, lang: str) -> None:
    text = (unit * MAX_CHARS)[:MAX_CHARS]
    r = parse(text, now=datetime(2026, 11, 17, 16, tzinfo=ZoneInfo("UTC")), tz="UTC", lang=lang)
    _check_bounds(r, "UTC")


#: Phrases that name only the future (no "today", "this", "last", "ago").
_FUTURE_DAYS = {
    "en": ["tomorrow", "next week", "next Tuesday", "Friday", "in 3 days", "on the 2nd",
           "Dec 3", "next month", "the day after tomorrow", "a week from today", ""],
    "de": ["morgen", "nächste Woche", "am Freitag", "in 3 Tagen", "übermorgen", "am 3. Dezember",
           ""],
    "es": ["mañana", "la semana que viene", "el viernes", "dentro de 3 días", "pasado mañana",
           "el 3 de diciembre", ""],
    "fr": ["demain", "la semaine prochaine", "vendredi", "dans 3 jours", "après-demain",
           "le 3 décembre", ""],
    "pt": ["amanhã", "semana que vem", "na sexta", "em 3 dias", "depois de amanhã",
           "3 de dezembro", ""],
}
_FUTURE_TIMES = {
    "en": ["at 3pm", "at 4", "at 9:30", "in the afternoon", "between 2 and 4pm", "in 2 hours",
           "at noon", "before 10", "after 3pm", "morning", ""],
    "de": ["um 15 Uhr", "um 4", "um 9:30", "nachmittags", "zwischen 14 und 16 Uhr",
           "in 2 Stunden", "vor 10", "nach 15 Uhr", ""],
    "es": ["a las 15:00", "a las 4", "por la tarde", "entre las 2 y las 4", "en 2 horas",
           "antes de las 10", "después de las 15h", ""],
    "fr": ["à 15h", "à 4 heures", "l'après-midi", "entre 14h et 16h", "dans 2 heures",
           "avant 10h", "après 15h", ""],
    "pt": ["às 15h", "às 4", "à tarde", "entre as 2 e as 4", "daqui a 2 horas", "antes das 10",
           "depois das 15h", ""],
}


@st.composite
def future_messages(draw: st.DrawFn) -> tuple[str, str]:
    lang = draw(langs)
    day = draw(st.sampled_from(_FUTURE_DAYS[lang]))
    when = draw(st.sampled_from(_FUTURE_TIMES[lang]))
    return lang, f"{day} {when}".strip()


@settings(max_examples=300, deadline=None)
@given(message=future_messages(), now=nows)
def test_future_phrases_resolve_to_the_future_in_the_readers_zone(
        message: tuple[str, str], now: datetime) -> None:
    lang, text = message
    tz = str(now.tzinfo)
    r = parse(text, now=now, tz=tz, lang=lang)
    _check_bounds(r, tz)
    if r.start is None:
        return
    if r.end is None:
        assert r.start >= now.replace(second=0, microsecond=0)
    else:
        assert r.end > now


_MINUTES = {"en": "minutes", "de": "Minuten", "es": "minutos", "fr": "minutes", "pt": "minutos"}


@settings(max_examples=200, deadline=None)
@given(minutes=st.integers(min_value=1, max_value=600), short=st.booleans(), first=st.booleans(),
       message=future_messages(), now=nows)
def test_a_duration_is_never_read_as_a_time(
        minutes: int, short: bool, first: bool, message: tuple[str, str], now: datetime) -> None:
    lang, text = message
    tz = str(now.tzinfo)
    length = f"{minutes} {'min' if short else _MINUTES[lang]}"
    # A comma keeps "20 minutes to 5" (a clock time) out of the picture.
    combined = f"{length}, {text}" if first else f"{text}, {length}"
    with_duration = parse(combined, now=now, tz=tz, lang=lang)
    alone = parse(text, now=now, tz=tz, lang=lang)
    # A bare "morning" is a greeting; "30 min, morning" asks for the morning.
    assume(alone.pleasantry is None)
    assert with_duration.duration == timedelta(minutes=minutes)
    assert (with_duration.start, with_duration.end) == (alone.start, alone.end)


_FOR = {"en": "for", "de": "für", "es": "durante", "fr": "pendant", "pt": "durante"}
_AT = {"en": "at", "de": "um", "es": "a las", "fr": "à", "pt": "às"}


@settings(max_examples=100, deadline=None)
@given(hours=st.integers(min_value=1, max_value=12), minutes=st.sampled_from([0, 15, 30, 45]),
       lang=langs, now=nows)
def test_hour_letter_after_a_length_cue_is_a_length(
        hours: int, minutes: int, lang: str, now: datetime) -> None:
    written = f"{hours}h{minutes:02d}" if minutes else f"{hours}h"
    r = parse(f"{_FOR[lang]} {written}", now=now, tz=str(now.tzinfo), lang=lang)
    assert (r.duration, r.start) == (timedelta(minutes=60 * hours + minutes), None)


@settings(max_examples=100, deadline=None)
@given(hours=st.integers(min_value=0, max_value=23), minutes=st.sampled_from([0, 15, 30, 45]),
       lang=langs, now=nows)
def test_hour_letter_after_a_time_cue_is_that_clock_time(
        hours: int, minutes: int, lang: str, now: datetime) -> None:
    written = f"{hours}h{minutes:02d}" if minutes else f"{hours}h"
    r = parse(f"{_AT[lang]} {written}", now=now, tz=str(now.tzinfo), lang=lang)
    assert r.start is not None and r.duration is None
    local = r.start.astimezone(now.tzinfo)
    # A time inside a DST gap moves forward by the gap (at most an hour).
    assert 0 <= (local.hour * 60 + local.minute - hours * 60 - minutes) % (24 * 60) <= 60
