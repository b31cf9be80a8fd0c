"""dateparser as the fallback for languages without our own grammar.

Our grammar covers en/de/es/fr/pt (the booking-specific work: durations,
windows, corrections). For any other language tag dateparser finds the first
date/time mention; the result is a point (or a whole day when it carries no
time of day). It costs milliseconds per message, so it never runs for the
five languages we parse ourselves.
"""

from __future__ import annotations

import warnings
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from nlp.dates import at
from nlp.resolve import When


@cache
def _search():  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from dateparser.search import search_dates  # type: ignore[import-untyped]
    return search_dates


@cache
def supported(lang: str) -> bool:
    """Whether dateparser knows the language code ``lang`` ("it", "nl", ...)."""
    from dateparser.languages import default_loader  # type: ignore[import-untyped]

    return lang in default_loader.get_locale_map()


def fallback_when(text: str, lang: str, now: datetime) -> When:
    """The first date/time dateparser finds in ``text``.

    Args:
        text: the message.
        lang: an ISO 639-1 code dateparser supports.
        now: aware datetime in the reader's zone.

    Returns:
        A point (aware, in ``now``'s zone) when a time of day is given, a
        whole-day window when only a date is; empty when nothing is found or
        dateparser fails on the input.
    """
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    base = now.replace(tzinfo=None, second=0, microsecond=0)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = _search()(text, languages=[lang], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        return When()
    if not found:
        return When()
    value = found[0][1]
    day = value.date()
    if value.time() in (time(0), base.time()):
        # dateparser keeps midnight or the current time when no time of day was given
        return When(at(day, 0, zone), at(day + timedelta(days=1), 0, zone))
    return When(at(day, value.hour * 60 + value.minute, zone), None)


def warm_up() -> None:
    """Import dateparser and load its language data once."""
    _search()("tomorrow", languages=["en"])
