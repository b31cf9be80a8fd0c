"""nlp.parse on messages as people write them in chats (issue 9).

Zones in the text, own-zone statements, greetings, chat spelling, clock
forms, shifts and moves, alternatives, vague windows, language without a
locale, event-type aliases. Fixed clock: Tuesday 17 November 2026, 16:00 in
Berlin (Chicago is UTC-6, New York UTC-5, Sydney UTC+11 that week).
"""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import Intent, parse
from nlp.lang import LANGUAGES, vocabulary
from nlp.spelling import correct
from nlp.zones import ABBREVIATIONS, zone_info

TZ = "Europe/Berlin"
ZONE = ZoneInfo(TZ)
NOW = datetime(2026, 11, 17, 16, 0, tzinfo=ZONE)
CONTEXT = datetime(2026, 11, 19, 10, 0, tzinfo=ZONE)
EVENT_TYPES = ("intro call", "consultation", "workshop")
ALIASES = {"beratung": "consultation", "consulta": "consultation", "atelier": "workshop"}


def at(day: int, hour: int = 0, minute: int = 0, zone: str = TZ) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo(zone))


def p(text: str, lang: str | None = "en", **kwargs: object):
    return parse(text, now=NOW, tz=TZ, lang=lang, **kwargs)  # type: ignore[arg-type]


# -- 1. zones written in the text ------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "text", "start", "zone"),
    [
        ("en", "Wednesday 9am Chicago time", at(18, 9, zone="America/Chicago"),
         "America/Chicago"),
        ("en", "fri 3:30pm EDT", at(20, 15, 30, "America/New_York"), "America/New_York"),
        ("en", "Monday 10:00 UTC+2", datetime(2026, 11, 23, 8, 0, tzinfo=UTC), "UTC+02:00"),
        ("en", "thu 8pm +05:30", datetime(2026, 11, 19, 14, 30, tzinfo=UTC), "UTC+05:30"),
        ("en", "Friday 11am Asia/Tokyo", at(20, 11, zone="Asia/Tokyo"), "Asia/Tokyo"),
        ("de", "Donnerstag 10 Uhr Pariser Zeit", at(19, 10, zone="Europe/Paris"),
         "Europe/Paris"),
        ("de", "Freitag 9 Uhr Zeit in Denver", at(20, 9, zone="America/Denver"),
         "America/Denver"),
        ("es", "el jueves a las 9 hora de Lima", at(19, 9, zone="America/Lima"), "America/Lima"),
        ("fr", "vendredi 14h heure de Casablanca", at(20, 14, zone="Africa/Casablanca"),
         "Africa/Casablanca"),
        ("pt", "quinta às 9h horário de Brasília", at(19, 9, zone="America/Sao_Paulo"),
         "America/Sao_Paulo"),
    ],
)
def test_reads_times_in_the_zone_written(lang: str, text: str, start: datetime, zone: str
                                         ) -> None:
    r = p(text, lang)
    assert r.zone is not None and r.zone.name == zone
    assert r.start == start
    assert r.start is not None and r.start.tzinfo == ZONE  # converted to the reader's zone


def test_regional_abbreviation_is_the_regions_local_time_in_summer_too() -> None:
    summer = datetime(2026, 7, 7, 16, 0, tzinfo=ZONE)
    r = parse("Thursday 10am EST", now=summer, tz=TZ, lang="en")
    assert r.zone is not None and r.zone.regional and r.zone.name == "America/New_York"
    assert r.start == datetime(2026, 7, 9, 10, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.mark.parametrize("abbr", ["IST", "CST", "BST", "AST"])
def test_ambiguous_abbreviation_is_asked_about_not_guessed(abbr: str) -> None:
    r = p(f"Friday 10am {abbr}")
    assert r.zone is not None and r.zone.ambiguous and len(r.zone.choices) > 1
    assert r.start == at(20, 10)  # the wall time, to be placed once the guest says which
    chosen = r.in_zone(r.zone.choices[0])
    assert chosen.start == at(20, 10).replace(tzinfo=ZoneInfo(r.zone.choices[0]))
    assert chosen.zone is not None and chosen.zone.name == r.zone.choices[0]


@pytest.mark.parametrize(("lang", "text"), [
    ("de", "Dienstag ist gut, 10 Uhr?"),   # "ist" is no zone
    ("fr", "jeudi 10h est parfait"),        # "est" is no zone
    ("en", "what time works for you on Friday?"),
    ("es", "a la hora de comer el viernes"),
])
def test_ordinary_words_are_no_zone(lang: str, text: str) -> None:
    assert p(text, lang).zone is None


@pytest.mark.parametrize("abbr", sorted(a for a, z in ABBREVIATIONS.items() if len(z) == 1))
def test_every_unambiguous_abbreviation_names_a_real_zone(abbr: str) -> None:
    assert zone_info(ABBREVIATIONS[abbr][0]).utcoffset(NOW.replace(tzinfo=None)) is not None


@given(st.integers(0, 23), st.sampled_from([0, 15, 30, 45]), st.integers(-11, 12))
@settings(max_examples=60, deadline=None)
def test_utc_offsets_convert_exactly(hour: int, minute: int, offset: int) -> None:
    sign = "+" if offset >= 0 else "-"
    r = p(f"Friday {hour:02d}:{minute:02d} UTC{sign}{abs(offset)}")
    expected = datetime(2026, 11, 20, hour, minute, tzinfo=timezone(timedelta(hours=offset)))
    assert r.start == expected


# -- 2. the guest's own zone ---------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "text", "zone"),
    [
        ("en", "I'm located in Vancouver", "America/Vancouver"),
        ("en", "we're in São Paulo", "America/Sao_Paulo"),
        ("en", "I'm on PST", "America/Los_Angeles"),
        ("de", "ich wohne in München", "Europe/Berlin"),
        ("de", "Ich bin gerade in Lissabon", "Europe/Lisbon"),
        ("es", "estoy en bogotá", "America/Bogota"),
        ("fr", "j'habite à Genève", "Europe/Zurich"),
        ("pt", "moro em Porto", "Europe/Lisbon"),
    ],
)
def test_own_zone_from_city_names(lang: str, text: str, zone: str) -> None:
    r = p(text, lang)
    assert r.own_zone is not None and r.own_zone.name == zone
    assert not r.own_zone.fixed


def test_own_zone_reads_the_times_of_the_same_message() -> None:
    r = p("I'm based in Chicago, is Thursday at 10am ok?")
    assert r.own_zone is not None and r.zone == r.own_zone
    assert r.start == at(19, 10, zone="America/Chicago")


def test_fixed_offset_is_never_an_own_zone() -> None:
    r = p("my time zone is UTC+2")
    assert r.own_zone is None


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "I'm in a meeting until 3"), ("en", "I'm on it"), ("en", "I'm at home"),
    ("de", "ich bin in einer Besprechung"), ("de", "ich bin in Eile"),
    ("es", "estoy en casa"), ("es", "estoy en una reunión"), ("es", "a la hora de la reunión"),
    ("fr", "je suis en réunion"), ("fr", "je suis en retard"),
    ("pt", "estou em casa"), ("pt", "estou na praia"),
])
def test_ordinary_places_are_no_zone(lang: str, text: str) -> None:
    r = p(text, lang)
    assert (r.zone, r.own_zone) == (None, None)


# -- 3. greetings and thanks ----------------------------------------------------------
@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Good evening"), ("en", "good night!"), ("de", "Guten Morgen"),
    ("de", "Schönen Nachmittag!"), ("es", "Buenas tardes"), ("es", "buenos días!"),
    ("fr", "Bonne soirée"), ("fr", "bonne après-midi"), ("pt", "Boa noite"), ("pt", "bom dia!"),
])
def test_greetings_are_never_times(lang: str, text: str) -> None:
    r = p(text, lang)
    assert (r.start, r.end, r.pleasantry, r.intent) == (None, None, "greeting", Intent.UNKNOWN)


def test_greeting_before_a_request_keeps_the_request() -> None:
    r = p("Good morning! Could we meet Friday at 2pm?")
    assert (r.start, r.pleasantry, r.intent) == (at(20, 14), "greeting", Intent.BOOK)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "thank you!"), ("de", "danke schön"), ("es", "mil gracias"), ("fr", "merci bien"),
    ("pt", "obrigada!"),
])
def test_thanks(lang: str, text: str) -> None:
    r = p(text, lang)
    assert (r.pleasantry, r.intent, r.start) == ("thanks", Intent.UNKNOWN, None)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "can we start again?"), ("de", "neu anfangen"), ("es", "volver a empezar"),
    ("fr", "recommencer"), ("pt", "recomeçar"),
])
def test_start_over(lang: str, text: str) -> None:
    assert p(text, lang).restart


# -- 4. chat spelling -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "text", "start"),
    [
        ("en", "tmrw 10am", at(18, 10)),
        ("en", "fridy at 4pm", at(20, 16)),
        ("en", "2morrow @ 9", at(18, 9)),
        ("de", "Freitg 9 Uhr", at(20, 9)),
        ("es", "el juebes a las 12", at(19, 12)),
        ("fr", "vendrdi 10h", at(20, 10)),
        ("pt", "hj às 17h", at(17, 17)),
    ],
)
def test_chat_spelling(lang: str, text: str, start: datetime) -> None:
    assert p(text, lang).start == start


def test_misspelling_never_changes_an_ordinary_word() -> None:
    assert p("tennis match on Friday").start == at(20)  # "match" is not March
    assert p("¿vienes el viernes?", "es").start == at(20)  # "vienes" is not viernes


def _one_typo(word: str, position: int) -> str:
    return word[:position] + word[position + 1:]


@given(st.sampled_from(LANGUAGES), st.data())
@settings(max_examples=80, deadline=None)
def test_a_dropped_letter_never_gives_another_weekday(lang: str, data: st.DataObject) -> None:
    words = vocabulary(lang).words
    weekdays = sorted(w for w, t in words.items() if t[0] == "wd" and len(w) >= 6)
    word = data.draw(st.sampled_from(weekdays))
    typo = _one_typo(word, data.draw(st.integers(1, len(word) - 1)))
    if typo in words:
        return
    found = correct(typo, lang)
    assert found is None or found == words[word]


@given(st.text(alphabet=string.ascii_lowercase, min_size=5, max_size=9))
@settings(max_examples=100, deadline=None)
def test_correction_only_gives_date_words(word: str) -> None:
    found = correct(word, "en")
    assert found is None or found[0] in ("wd", "mon", "dayrel", "part")


# -- 5. clock forms -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "text", "start", "end"),
    [
        ("en", "Thursday at 1945", at(19, 19, 45), None),
        ("en", "0900-1030 Monday", at(23, 9), at(23, 10, 30)),
        ("en", "Dec 4 1815", datetime(2026, 12, 4, 18, 15, tzinfo=ZONE), None),
        ("de", "Mittwoch Viertel nach vier", at(18, 16, 15), None),
        ("fr", "jeudi 8h", at(19, 8), None),
        ("fr", "vendredi à midi et quart", at(20, 12, 15), None),
        ("es", "el lunes a las diez y veinte", at(23, 10, 20), None),
        ("pt", "sexta às 2030", at(20, 20, 30), None),
    ],
)
def test_clock_forms(lang: str, text: str, start: datetime, end: datetime | None) -> None:
    r = p(text, lang)
    assert (r.start, r.end) == (start, end)


def test_four_digit_year_after_a_date_stays_a_year() -> None:
    r = p("Dec 3 2027")
    assert r.start == datetime(2027, 12, 3, tzinfo=ZONE)


# -- 6. shifts and moves -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "text", "minutes"),
    [
        ("en", "can you push my appointment back 20 minutes?", 20),
        ("en", "move it forward an hour", -60),
        ("de", "den Termin 30 Minuten nach hinten", 30),
        ("es", "¿puedes adelantarla una hora?", -60),
        ("fr", "on peut la repousser d'une heure ?", 60),
        ("pt", "pode antecipar 15 minutos?", -15),
    ],
)
def test_shift_of_the_booking_is_no_duration(lang: str, text: str, minutes: int) -> None:
    r = p(text, lang)
    assert r.shift == timedelta(minutes=minutes)
    assert (r.duration, r.start, r.intent) == (None, None, Intent.RESCHEDULE)


def test_shift_of_the_slot_under_discussion() -> None:
    r = p("20 minutes later?", context=CONTEXT)
    assert (r.shift, r.start) == (timedelta(minutes=20), at(19, 10, 20))


@pytest.mark.parametrize(
    ("lang", "text", "old", "new"),
    [
        ("en", "please move Wednesday to Friday", 18, 20),
        ("en", "reschedule my Friday session to Monday", 20, 23),
        ("de", "von Freitag auf Montag", 20, 23),
        ("es", "cambiar del jueves al lunes", 19, 23),
        ("fr", "déplacer de vendredi à lundi", 20, 23),
        ("pt", "mudar de sexta para segunda", 20, 23),
    ],
)
def test_moves_name_the_new_day_after_the_old(lang: str, text: str, old: int, new: int) -> None:
    r = p(text, lang)
    assert r.intent is Intent.RESCHEDULE
    assert r.instead_of == (at(old), at(old + 1))
    assert (r.start, r.end) == (at(new), at(new + 1))


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "not Wednesday, Thursday maybe?"), ("de", "nicht Mittwoch, lieber Donnerstag"),
    ("es", "el miércoles no, el jueves"), ("fr", "pas mercredi, plutôt jeudi"),
    ("pt", "quarta não, quinta"),
])
def test_a_ruled_out_day_is_not_the_day_asked_for(lang: str, text: str) -> None:
    r = p(text, lang)
    assert r.instead_of == (at(18), at(19))
    assert (r.start, r.end) == (at(19), at(20))


# -- 7. several windows -----------------------------------------------------------------
def test_part_of_day_after_the_last_day_holds_for_all() -> None:
    r = p("Thursday or Friday afternoon")
    assert r.windows == ((at(19, 12), at(19, 18)), (at(20, 12), at(20, 18)))
    assert (r.start, r.end) == r.windows[0]


def test_day_said_once_holds_for_every_time() -> None:
    r = p("10am or 2pm on Monday")
    assert r.windows == ((at(23, 10), None), (at(23, 14), None))


def test_alternatives_in_other_languages() -> None:
    for lang, text in (("de", "Montag oder Mittwoch um 9"), ("es", "lunes o miércoles a las 9"),
                       ("fr", "lundi ou mercredi à 9h"), ("pt", "segunda ou quarta às 9h")):
        assert p(text, lang).windows == ((at(18, 9), None), (at(23, 9), None)), text


def test_one_window_has_no_alternatives() -> None:
    assert p("Friday at 3pm").windows == ()


# -- 10. vague windows ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "text", "start", "end"),
    [
        ("en", "first thing on Friday", at(20, 8), at(20, 10)),
        ("en", "Monday after lunch", at(23, 13), at(23, 17)),
        ("en", "Thursday early morning", at(19, 6), at(19, 9)),
        ("en", "early next week", at(23), at(26)),
        ("en", "sometime next week", at(23), at(30)),
        ("en", "end of the week", at(20), at(23)),
        ("de", "Freitag nach Feierabend", at(20, 17), at(20, 20)),
        ("es", "el viernes después del almuerzo", at(20, 13), at(20, 17)),
        ("fr", "lundi tôt le matin", at(23, 6), at(23, 9)),
        ("pt", "sexta depois do trabalho", at(20, 17), at(20, 20)),
    ],
)
def test_vague_windows(lang: str, text: str, start: datetime, end: datetime) -> None:
    r = p(text, lang)
    assert (r.start, r.end) == (start, end)


# -- 8. language from the text -------------------------------------------------------------
@pytest.mark.parametrize(("given", "text", "lang"), [
    (None, "Hättest du Donnerstag um 11 Zeit?", "de"),
    (None, "¿Podemos vernos el jueves a las 11?", "es"),
    (None, "On peut se voir jeudi à 11h ?", "fr"),
    (None, "Podemos nos ver na quinta às 11h?", "pt"),
    (None, "Can we meet on Thursday at 11?", "en"),
    ("en", "Podemos nos ver na quinta às 11h?", "pt"),
    ("de", "ok", "de"),
    ("fr", "10h", "fr"),
])
def test_language_follows_the_text(given: str | None, text: str, lang: str) -> None:
    r = p(text, given)
    assert r.lang == lang
    if "11" in text:
        assert r.start == at(19, 11)


# -- 9. event types across languages ----------------------------------------------------
@pytest.mark.parametrize(("lang", "text", "event_type"), [
    ("de", "eine Beratung am Freitag", "consultation"),
    ("es", "una consulta el viernes", "consultation"),
    ("fr", "un atelier vendredi", "workshop"),
    ("en", "a worksop on Friday", "workshop"),
    ("en", "an intro-call on Friday", "intro call"),
])
def test_event_types_by_alias_and_near_title(lang: str, text: str, event_type: str) -> None:
    r = p(text, lang, event_types=EVENT_TYPES, aliases=ALIASES)
    assert r.event_type == event_type
    assert r.start == at(20)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Friday instead of Thursday?"), ("de", "Freitag statt Donnerstag"),
    ("es", "el viernes en vez del jueves"), ("fr", "plutôt vendredi que jeudi"),
    ("pt", "sexta em vez de quinta"),
])
def test_a_replaced_day_is_no_denial(lang: str, text: str) -> None:
    r = p(text, lang)
    assert r.instead_of == (at(19), at(20))
    assert (r.start, r.intent) == (at(20), Intent.BOOK)


def test_est_ce_que_rules_out_nothing() -> None:
    r = p("Est-ce que jeudi à 11h est possible ?", "fr")
    assert (r.start, r.instead_of) == (at(19, 11), None)


@pytest.mark.parametrize(("lang", "text", "zone"), [
    ("en", "thu 5pm london", "Europe/London"),
    ("pt", "quinta às 10h hora de Portugal", "Europe/Lisbon"),
    ("es", "el viernes a las 9 hora de España", "Europe/Madrid"),
    ("en", "I'm based out of Seattle", "America/Los_Angeles"),
])
def test_bare_places_and_countries(lang: str, text: str, zone: str) -> None:
    r = p(text, lang)
    assert r.zone is not None and r.zone.name == zone


def test_a_country_across_many_zones_is_no_zone() -> None:
    assert p("Friday 10am United States time").zone is None


_GREETINGS = {
    "en": ("Good evening!", "good morning,", "Hi,"), "de": ("Guten Abend!", "Guten Morgen,"),
    "es": ("Buenas noches,", "Buenos días!"), "fr": ("Bonsoir,", "Bonne soirée !"),
    "pt": ("Boa noite,", "Bom dia!"),
}
_REQUESTS = {
    "en": ("Friday at 3pm?", "any slots tomorrow?", "next Monday morning"),
    "de": ("Freitag um 15 Uhr?", "nächsten Montag vormittag"),
    "es": ("¿el viernes a las 15?", "el próximo lunes por la mañana"),
    "fr": ("vendredi à 15h ?", "lundi prochain le matin"),
    "pt": ("sexta às 15h?", "na próxima segunda de manhã"),
}


@given(st.sampled_from(LANGUAGES), st.data())
@settings(max_examples=80, deadline=None)
def test_a_greeting_never_changes_the_request(lang: str, data: st.DataObject) -> None:
    greeting = data.draw(st.sampled_from(_GREETINGS[lang]))
    request = data.draw(st.sampled_from(_REQUESTS[lang]))
    plain, greeted = p(request, lang), p(f"{greeting} {request}", lang)
    assert (greeted.start, greeted.end) == (plain.start, plain.end)
    assert greeted.pleasantry == "greeting"


@pytest.mark.parametrize(("lang", "text", "page"), [
    ("en", "anything earlier?", "earlier"), ("en", "got something later?", "later"),
    ("en", "another day maybe?", "other_day"), ("de", "geht auch später?", "later"),
    ("es", "¿algo más temprano?", "earlier"), ("fr", "un autre jour ?", "other_day"),
    ("pt", "tem mais tarde?", "later"),
])
def test_asking_for_other_free_times(lang: str, text: str, page: str) -> None:
    r = p(text, lang)
    assert (r.page, r.start) == (page, None)


def test_a_named_shift_is_no_paging() -> None:
    r = p("an hour later?", context=CONTEXT)
    assert (r.page, r.shift) == (None, timedelta(hours=1))
