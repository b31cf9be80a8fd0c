"""nlp.parse reads repeated meetings ("every Tuesday at 10 for 4 weeks") as an RRULE body."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from nlp import Intent, parse
from nlp.recurrence import DEFAULT_COUNT

TZ = "Europe/Berlin"
ZONE = ZoneInfo(TZ)
#: Tuesday 17 November 2026, 16:00 in Berlin.
NOW = datetime(2026, 11, 17, 16, 0, tzinfo=ZONE)


def at(day: int, hour: int = 0, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=ZONE)


def p(text: str, lang: str = "en"):
    return parse(text, now=NOW, tz=TZ, lang=lang, hosts=("ana", "bruno"))


@pytest.mark.parametrize(
    ("lang", "text", "start", "rule"),
    [
        ("en", "book every Tuesday at 10am with Ana", at(24, 10), "FREQ=WEEKLY;BYDAY=TU;COUNT=4"),
        ("en", "every day at 9", at(18, 9), "FREQ=DAILY;COUNT=4"),
        ("en", "every weekday at 9am", at(18, 9), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=4"),
        ("en", "weekly call on Thursday at 3pm", at(19, 15), "FREQ=WEEKLY;COUNT=4"),
        ("en", "every other week on Friday at 11", at(20, 11), "FREQ=WEEKLY;INTERVAL=2;COUNT=4"),
        ("en", "every 2 weeks on Monday at 10", at(23, 10), "FREQ=WEEKLY;INTERVAL=2;COUNT=4"),
        ("en", "every other tuesday at 3pm", at(24, 15),
         "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=4"),
        ("en", "monthly on Dec 3 at 2pm", at(3, 14, month=12), "FREQ=MONTHLY;COUNT=4"),
        ("en", "every Monday and Wednesday at 10", at(18, 10), "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4"),
        ("en", "tuesdays at 10", at(24, 10), "FREQ=WEEKLY;BYDAY=TU;COUNT=4"),
        ("de", "jeden Dienstag um 10 Uhr", at(24, 10), "FREQ=WEEKLY;BYDAY=TU;COUNT=4"),
        ("de", "wöchentlich am Donnerstag um 15 Uhr", at(19, 15), "FREQ=WEEKLY;COUNT=4"),
        ("de", "alle zwei Wochen freitags um 11", at(20, 11),
         "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;COUNT=4"),
        ("de", "jeden Montag und Mittwoch um 10", at(18, 10), "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4"),
        ("es", "cada martes a las 10", at(24, 10), "FREQ=WEEKLY;BYDAY=TU;COUNT=4"),
        ("es", "todos los martes a las 10", at(24, 10), "FREQ=WEEKLY;BYDAY=TU;COUNT=4"),
        ("es", "cada dos semanas el viernes a las 11", at(20, 11),
         "FREQ=WEEKLY;INTERVAL=2;COUNT=4"),
        ("es", "todos los días a las 9", at(18, 9), "FREQ=DAILY;COUNT=4"),
        ("fr", "tous les mardis à 10h", at(24, 10), "FREQ=WEEKLY;BYDAY=TU;COUNT=4"),
        ("fr", "un mardi sur deux à 15h", at(24, 15), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=4"),
        ("fr", "tous les mois le 3 décembre à 14h", at(3, 14, month=12), "FREQ=MONTHLY;COUNT=4"),
        ("pt", "toda terça às 10h", at(24, 10), "FREQ=WEEKLY;BYDAY=TU;COUNT=4"),
        ("pt", "todas as terças às 10h", at(24, 10), "FREQ=WEEKLY;BYDAY=TU;COUNT=4"),
        ("pt", "todas as segundas e quartas às 9h", at(18, 9), "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4"),
        ("pt", "a cada duas semanas na sexta às 11h", at(20, 11),
         "FREQ=WEEKLY;INTERVAL=2;COUNT=4"),
    ],
)
def test_reads_how_often_and_starts_on_the_next_such_day(
        lang: str, text: str, start: datetime, rule: str) -> None:
    r = p(text, lang)
    assert (r.intent, r.start, r.end, r.recurrence) == (Intent.BOOK, start, None, rule)


@pytest.mark.parametrize(
    ("lang", "text", "rule"),
    [
        ("en", "every Tuesday at 10am for 6 weeks", "FREQ=WEEKLY;BYDAY=TU;COUNT=6"),
        ("en", "every tuesday at 10, 6 times", "FREQ=WEEKLY;BYDAY=TU;COUNT=6"),
        ("en", "every other week on Friday at 11 for 8 weeks", "FREQ=WEEKLY;INTERVAL=2;COUNT=4"),
        ("en", "every Tuesday at 10 until Dec 15", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215T235959"),
        ("en", "every day at 9 for 2 weeks", "FREQ=DAILY;UNTIL=20261201T235959"),
        ("en", "every Tuesday at 10 until the end of January",
         "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270131T235959"),
        ("de", "jeden Dienstag um 10 für 3 Wochen", "FREQ=WEEKLY;BYDAY=TU;COUNT=3"),
        ("de", "dienstags um 10, 6 mal", "FREQ=WEEKLY;BYDAY=TU;COUNT=6"),
        ("de", "jeden Dienstag um 10 bis 15. Dezember",
         "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215T235959"),
        ("es", "todos los martes a las 10 durante 5 semanas", "FREQ=WEEKLY;BYDAY=TU;COUNT=5"),
        ("es", "cada martes a las 10 hasta el 15 de diciembre",
         "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215T235959"),
        ("fr", "tous les mardis à 10h, 5 fois", "FREQ=WEEKLY;BYDAY=TU;COUNT=5"),
        ("fr", "tous les mardis à 10h jusqu'au 15 décembre",
         "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215T235959"),
        ("pt", "todas as terças às 10h, 3 vezes", "FREQ=WEEKLY;BYDAY=TU;COUNT=3"),
        ("pt", "toda terça-feira às 10h durante 6 semanas", "FREQ=WEEKLY;BYDAY=TU;COUNT=6"),
        ("pt", "toda terça às 10h até 15 de dezembro",
         "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215T235959"),
    ],
)
def test_reads_how_long_as_a_count_or_a_last_day(lang: str, text: str, rule: str) -> None:
    r = p(text, lang)
    assert r.recurrence == rule
    assert r.start is not None and r.start.hour in (9, 10, 11)
    assert r.duration is None  # "for 6 weeks" is the series' length, not the meeting's


def test_a_length_in_another_unit_than_the_rule_ends_on_its_last_day() -> None:
    r = p("every Monday and Wednesday at 10 for 2 weeks")
    assert r.start == at(18, 10)
    assert r.recurrence == "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261201T235959"
    assert r.start is not None and r.recurrence is not None
    starts = list(rrulestr(r.recurrence, dtstart=r.start.replace(tzinfo=None)))
    assert [s.day for s in starts] == [18, 23, 25, 30]


def test_a_series_without_an_end_is_never_unbounded() -> None:
    r = p("every day at 9")
    assert r.recurrence is not None and f"COUNT={DEFAULT_COUNT}" in r.recurrence


def test_a_time_of_day_still_ahead_today_starts_the_series_today() -> None:
    r = parse("every Tuesday at 6pm", now=NOW, tz=TZ)
    assert (r.start, r.recurrence) == (at(17, 18), "FREQ=WEEKLY;BYDAY=TU;COUNT=4")


def test_without_a_time_the_first_day_is_a_whole_day_window() -> None:
    r = p("weekly meeting with Ana every Thursday")
    assert (r.start, r.end, r.host) == (at(19), at(20), "ana")
    assert r.recurrence == "FREQ=WEEKLY;BYDAY=TH;COUNT=4"


def test_a_meeting_length_is_kept_beside_the_series_length() -> None:
    r = p("30 min every Tuesday at 10 for 4 weeks")
    assert r.duration is not None and r.duration.total_seconds() == 30 * 60
    assert r.recurrence == "FREQ=WEEKLY;BYDAY=TU;COUNT=4"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "tomorrow at 3pm"),
        ("en", "is everything ok for Tuesday at 10?"),
        ("en", "30 min each, Friday 3pm"),
        ("en", "from 10 until 11 on Friday"),
        ("en", "every now and then"),
        ("de", "alle Termine am Dienstag"),
        ("es", "el martes a las 10"),
        ("fr", "mardi à 10h"),
        ("pt", "terça às 10h"),
        ("pt", "todo o dia de terça"),
    ],
)
def test_a_single_meeting_has_no_recurrence(lang: str, text: str) -> None:
    assert p(text, lang).recurrence is None
