"""nlp.parse in German, Spanish, French and Portuguese: same contract as English."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from nlp import Intent, parse
from nlp.folding import fold

TZ = "Europe/Berlin"
ZONE = ZoneInfo(TZ)
#: Tuesday 17 November 2026, 16:00 in Berlin.
NOW = datetime(2026, 11, 17, 16, 0, tzinfo=ZONE)
CONTEXT = datetime(2026, 11, 19, 10, 0, tzinfo=ZONE)
HOSTS = ("ana", "ana lima", "bruno")


def at(day: int, hour: int = 0, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ZONE)


def p(text: str, lang: str, **kwargs: object):
    kwargs.setdefault("hosts", HOSTS)
    return parse(text, now=NOW, tz=TZ, lang=lang, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "text", "intent"),
    [
        ("de", "Ich möchte einen Termin mit Ana", Intent.BOOK),
        ("de", "Ist morgen noch was frei?", Intent.AVAILABILITY),
        ("de", "Kannst du den Termin verschieben?", Intent.RESCHEDULE),
        ("de", "Ich muss leider absagen", Intent.CANCEL),
        ("de", "Was sind meine Termine?", Intent.LIST),
        ("de", "welche Termine habe ich?", Intent.LIST),
        ("de", "ja, passt", Intent.CONFIRM),
        ("de", "nein", Intent.DENY),
        ("de", "Hilfe", Intent.HELP),
        ("es", "Quisiera una cita con Ana", Intent.BOOK),
        ("es", "¿hay algo libre mañana?", Intent.AVAILABILITY),
        ("es", "¿podemos cambiar la cita?", Intent.RESCHEDULE),
        ("es", "¿podemos pasarlo al viernes?", Intent.RESCHEDULE),
        ("es", "cancela mi cita", Intent.CANCEL),
        ("es", "¿cuáles son mis citas?", Intent.LIST),
        ("es", "vale", Intent.CONFIRM),
        ("es", "no", Intent.DENY),
        ("es", "ayuda", Intent.HELP),
        ("fr", "Je voudrais un rendez-vous avec Ana", Intent.BOOK),
        ("fr", "un créneau libre demain ?", Intent.AVAILABILITY),
        ("fr", "peut-on décaler le rdv ?", Intent.RESCHEDULE),
        ("fr", "annule mon rendez-vous", Intent.CANCEL),
        ("fr", "quels sont mes rendez-vous ?", Intent.LIST),
        ("fr", "d'accord", Intent.CONFIRM),
        ("fr", "non", Intent.DENY),
        ("fr", "aide", Intent.HELP),
        ("pt", "Gostaria de marcar uma reunião com Ana", Intent.BOOK),
        ("pt", "tem vaga amanhã?", Intent.AVAILABILITY),
        ("pt", "quero remarcar", Intent.RESCHEDULE),
        ("pt", "cancela meu agendamento", Intent.CANCEL),
        ("pt", "quais são meus agendamentos?", Intent.LIST),
        ("pt", "beleza", Intent.CONFIRM),
        ("pt", "não", Intent.DENY),
        ("pt", "ajuda", Intent.HELP),
    ],
)
def test_recognizes_intent(lang: str, text: str, intent: Intent) -> None:
    assert p(text, lang).intent is intent


@pytest.mark.parametrize(
    ("lang", "text", "start"),
    [
        ("de", "morgen um 15 Uhr", at(18, 15)),
        ("de", "übermorgen um 12", at(19, 12)),
        ("de", "nächsten Dienstag um 9:30", at(24, 9, 30)),
        ("de", "am 3. Dezember um 14 Uhr", at(3, 14, month=12)),
        ("de", "am 3.12. um 10", at(3, 10, month=12)),
        ("de", "morgen um halb 5", at(18, 16, 30)),
        ("de", "Mittwoch um viertel vor 10", at(18, 9, 45)),
        ("de", "in 2 Stunden", at(17, 18)),
        ("es", "mañana a las 15:00", at(18, 15)),
        ("es", "pasado mañana al mediodía", at(19, 12)),
        ("es", "el próximo martes a las 9:30", at(24, 9, 30)),
        ("es", "el 3 de diciembre a las 14h", at(3, 14, month=12)),
        ("es", "mañana a las 4 y media", at(18, 16, 30)),
        ("es", "el miércoles a las 10 menos cuarto", at(18, 9, 45)),
        ("es", "dentro de 2 horas", at(17, 18)),
        ("fr", "demain à 15h", at(18, 15)),
        ("fr", "après-demain à midi", at(19, 12)),
        ("fr", "mardi prochain à 9h30", at(24, 9, 30)),
        ("fr", "le 3 décembre à 14h", at(3, 14, month=12)),
        ("fr", "demain à 4h et demie", at(18, 16, 30)),
        ("fr", "mercredi à 10 heures moins le quart", at(18, 9, 45)),
        ("fr", "dans 2 heures", at(17, 18)),
        ("pt", "amanhã às 15h", at(18, 15)),
        ("pt", "depois de amanhã ao meio-dia", at(19, 12)),
        ("pt", "na próxima terça às 9:30", at(24, 9, 30)),
        ("pt", "3 de dezembro às 14h", at(3, 14, month=12)),
        ("pt", "amanhã às 4 e meia", at(18, 16, 30)),
        ("pt", "quarta às quinze para as 10", at(18, 9, 45)),
        ("pt", "daqui a 2 horas", at(17, 18)),
    ],
)
def test_resolves_points(lang: str, text: str, start: datetime) -> None:
    r = p(text, lang)
    assert (r.start, r.end) == (start, None)


@pytest.mark.parametrize(
    ("lang", "text", "start", "end"),
    [
        ("de", "morgen Nachmittag", at(18, 12), at(18, 18)),
        ("de", "nächste Woche", at(23), at(30)),
        ("de", "zwischen 14 und 16 Uhr morgen", at(18, 14), at(18, 16)),
        ("de", "morgen vor 10", at(18), at(18, 10)),
        ("de", "Freitag nach 15 Uhr", at(20, 15), at(21)),
        ("de", "dieses Wochenende", at(21), at(23)),
        ("es", "mañana por la tarde", at(18, 12), at(18, 18)),
        ("es", "la semana que viene", at(23), at(30)),
        ("es", "mañana entre las 2 y las 4 de la tarde", at(18, 14), at(18, 16)),
        ("es", "mañana antes de las 10", at(18), at(18, 10)),
        ("es", "el lunes", at(23), at(24)),
        ("es", "este fin de semana", at(21), at(23)),
        ("fr", "demain après-midi", at(18, 12), at(18, 18)),
        ("fr", "la semaine prochaine", at(23), at(30)),
        ("fr", "demain entre 14h et 16h", at(18, 14), at(18, 16)),
        ("fr", "de 10h à 11h30 jeudi", at(19, 10), at(19, 11, 30)),
        ("fr", "lundi", at(23), at(24)),
        ("fr", "ce week-end", at(21), at(23)),
        ("pt", "amanhã à tarde", at(18, 12), at(18, 18)),
        ("pt", "semana que vem", at(23), at(30)),
        ("pt", "amanhã entre as 2 e as 4 da tarde", at(18, 14), at(18, 16)),
        ("pt", "das 10 às 11:30 na quinta", at(19, 10), at(19, 11, 30)),
        ("pt", "segunda-feira", at(23), at(24)),
        ("pt", "este fim de semana", at(21), at(23)),
    ],
)
def test_resolves_windows(lang: str, text: str, start: datetime, end: datetime) -> None:
    r = p(text, lang)
    assert (r.start, r.end) == (start, end)


@pytest.mark.parametrize(
    ("lang", "text", "minutes"),
    [
        ("de", "eine halbe Stunde", 30), ("de", "anderthalb Stunden", 90),
        ("de", "1,5 Std.", 90), ("de", "ein 2-stündiger Workshop", 120),
        ("es", "media hora", 30), ("es", "una hora y media", 90), ("es", "90 minutos", 90),
        ("fr", "une demi-heure", 30), ("fr", "une heure et demie", 90),
        ("fr", "pendant 45 minutes", 45),
        ("pt", "meia hora", 30), ("pt", "uma hora e meia", 90), ("pt", "1,5 horas", 90),
    ],
)
def test_reads_durations_not_times(lang: str, text: str, minutes: int) -> None:
    r = p(text, lang)
    assert (r.duration, r.start) == (timedelta(minutes=minutes), None)


@pytest.mark.parametrize(
    ("lang", "deny", "same", "later"),
    [
        ("de", "nein, 16 Uhr", "gleiche Zeit am Freitag", "eine Stunde später"),
        ("es", "no, a las 4", "a la misma hora el viernes", "una hora más tarde"),
        ("fr", "non, 16h", "à la même heure vendredi", "une heure plus tard"),
        ("pt", "não, às 16h", "no mesmo horário na sexta", "uma hora mais tarde"),
    ],
)
def test_corrections_resolve_against_the_slot_under_discussion(
        lang: str, deny: str, same: str, later: str) -> None:
    r = p(deny, lang, context=CONTEXT)
    assert (r.intent, r.start) == (Intent.DENY, at(19, 16))
    assert p(same, lang, context=CONTEXT).start == at(20, 10)
    assert p(later, lang, context=CONTEXT).start == at(19, 11)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("de", "die zweite"), ("es", "la segunda"), ("fr", "la deuxième"), ("pt", "a segunda opção")],
)
def test_ordinal_picks_an_option(lang: str, text: str) -> None:
    r = p(text, lang)
    assert (r.intent, r.choice) == (Intent.CONFIRM, 2)


def test_host_named_after_the_languages_with_word() -> None:
    assert p("Termin mit Carla am Freitag", "de", hosts=()).host == "carla"
    assert p("cita con Carla el viernes", "es", hosts=()).host == "carla"
    assert p("rdv avec Carla vendredi", "fr", hosts=()).host == "carla"
    assert p("reunião com Carla na sexta", "pt", hosts=()).host == "carla"


def test_regional_language_tags_use_their_base_language() -> None:
    assert p("amanhã às 15h", "pt-BR").start == at(18, 15)
    assert p("morgen um 15 Uhr", "de_AT").start == at(18, 15)


def test_other_languages_fall_back_to_dateparser_for_dates() -> None:
    r = p("il 3 dicembre", "it")
    assert (r.start, r.end) == (at(3, month=12), at(4, month=12))
    assert p("tra 2 ore", "it").start == at(17, 18)


def test_unknown_language_code_uses_english() -> None:
    assert p("tomorrow at 3pm", "xx").start == at(18, 15)


@pytest.mark.parametrize("code", ["en", "de", "es", "fr", "pt"])
def test_no_two_vocabulary_words_fold_to_one_with_different_meanings(code: str) -> None:
    words = importlib.import_module(f"nlp.lang.{code}").WORDS
    meanings: dict[str, object] = {}
    for word, tag in words.items():
        assert meanings.setdefault(fold(word), tag) == tag, word


@pytest.mark.parametrize(
    ("lang", "text", "start", "minutes"),
    [
        ("de", "1h30 mit Ana morgen", at(18), 90),
        ("de", "morgen 17h", at(18, 17), None),
        ("de", "um 1h30", at(18, 1, 30), None),
        ("es", "reunión de 2h mañana a las 10", at(18, 10), 120),
        ("es", "a las 1h30", at(18, 1, 30), None),
        ("fr", "pendant 1h30", None, 90),
        ("fr", "une réunion de 1h30 demain", at(18), 90),
        ("fr", "1h30 avec Ana demain", at(18), 90),
        ("fr", "à 1h30", at(18, 1, 30), None),
        ("fr", "demain 1h30", at(18, 1, 30), None),
        ("fr", "le rdv de 10h demain", at(18, 10), None),
        ("fr", "10h30", at(18, 10, 30), None),
        ("fr", "dans 1h30", at(17, 17, 30), None),
        ("fr", "pour 17h demain", at(18, 17), None),
        ("pt", "reunião de 1h amanhã", at(18), 60),
        ("pt", "às 1h30", at(18, 1, 30), None),
    ],
)
def test_hour_letter_is_a_clock_time_with_a_cue_and_a_length_otherwise(
        lang: str, text: str, start: datetime | None, minutes: int | None) -> None:
    r = p(text, lang)
    assert (r.start, r.duration) == (
        start, None if minutes is None else timedelta(minutes=minutes))


@pytest.mark.parametrize(
    ("lang", "text"),
    [("de", "2-3 Personen morgen"), ("es", "2-3 personas mañana"),
     ("fr", "2-3 personnes demain"), ("pt", "2-3 pessoas amanhã")],
)
def test_a_number_range_counting_people_is_no_time(lang: str, text: str) -> None:
    r = p(text, lang)
    assert (r.start, r.end) == (at(18), at(19))


@pytest.mark.parametrize(
    ("lang", "text", "start", "end"),
    [
        ("de", "Mitte März", datetime(2027, 3, 11, tzinfo=ZONE),
         datetime(2027, 3, 21, tzinfo=ZONE)),
        ("de", "von Mitte Dezember bis Ende Januar", at(16, month=12),
         datetime(2027, 2, 1, tzinfo=ZONE)),
        ("es", "a finales de marzo", datetime(2027, 3, 25, tzinfo=ZONE),
         datetime(2027, 4, 1, tzinfo=ZONE)),
        ("fr", "mi-mars", datetime(2027, 3, 11, tzinfo=ZONE), datetime(2027, 3, 21, tzinfo=ZONE)),
        ("pt", "em meados de março", datetime(2027, 3, 11, tzinfo=ZONE),
         datetime(2027, 3, 21, tzinfo=ZONE)),
        ("de", "weniger als 3 Tage nach morgen", at(18), at(21)),
        ("es", "en menos de 2 horas", NOW, at(17, 18)),
        ("fr", "en moins de 2 heures", NOW, at(17, 18)),
        ("pt", "em menos de 3 dias", at(17), at(20)),
        ("de", "von morgen 9 Uhr bis Freitag 17 Uhr", at(18, 9), at(20, 17)),
        ("es", "desde mañana a las 9 hasta el viernes a las 17h", at(18, 9), at(20, 17)),
        ("fr", "de demain 9h à vendredi 17h", at(18, 9), at(20, 17)),
        ("pt", "de amanhã às 9h até sexta às 17h", at(18, 9), at(20, 17)),
    ],
)
def test_month_parts_less_than_and_ranges_across_days(
        lang: str, text: str, start: datetime, end: datetime) -> None:
    r = p(text, lang)
    assert (r.start, r.end) == (start, end)
