"""Texts for a host: the host catalogs in the host's language, plurals and local clock times.

A host's ``locale`` (setup file ``locale:`` or ``/slotbot language``) picks the
catalog (``de-AT`` → ``de``) and, when set, how clock times look: Babel's short
time format of that locale (``9:30 AM`` for ``en``/``en-US``, ``09:30`` for
``en-GB`` and ``de``). Without a locale, hosts read English with 24-hour times.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal, format_percent

from bots.texts import Texts, language
from core.money import to_decimal


class HostTexts(Texts):
    """:class:`bots.texts.Texts` for a host's ``locale`` (a tag such as ``de`` or ``en-US``)."""

    def __init__(self, locale: str | None = None) -> None:
        super().__init__(language(locale))
        self.locale = locale
        try:
            self._babel = Locale.parse(locale.replace("-", "_")) if locale else None
        except (UnknownLocaleError, ValueError):
            self._babel = Locale.parse(self.lang)

    def clock(self, moment: datetime, tz: str) -> str:  # type: ignore[override]
        """The local time in ``tz``: Babel's short format for the host's locale, else ``HH:MM``."""
        local = moment.astimezone(ZoneInfo(tz))
        if self._babel is None:
            return f"{local:%H:%M}"
        return format_time(local.time(), "short", locale=self._babel).replace("\u202f", " ")

    def wall(self, at: time) -> str:
        """A wall-clock time of the working hours, formatted like :meth:`clock` (0:00 = 24:00)."""
        if self._babel is None:
            return "24:00" if at == time(0) else f"{at:%H:%M}"
        return format_time(at, "short", locale=self._babel).replace("\u202f", " ")

    def day_name(self, weekday: int) -> str:
        """``Mon`` … ``Sun`` (``Mo.`` in German), 0 = Monday."""
        return str(Locale.parse(self.lang).days["format"]["abbreviated"][weekday])

    def date(self, day: date, *, year: bool = False) -> str:
        """``Tue 1 Dec`` (``Tue 1 Dec 2026`` with ``year``) in the catalog language."""
        return format_date(day, "EEE d MMM y" if year else "EEE d MMM", locale=self.lang)

    def number(self, value: float, digits: int = 1) -> str:
        """``1.5`` (``1,5`` in German), at most ``digits`` decimals."""
        return format_decimal(round(value, digits), locale=self.lang)

    def money(self, amount: int, currency: str) -> str:
        """An amount in minor units in the host's locale: ``€80.00`` (``en``), ``80,00 €``
        (``de``), ``US$80.00`` in ``en-GB`` (Babel's ``format_currency``)."""
        text = format_currency(to_decimal(amount, currency), currency,
                               locale=self._babel or self.lang)
        return str(text).replace("\xa0", " ").replace("\u202f", " ")

    def percent(self, value: float | None) -> str:
        """``42 %`` / ``42%`` for a 0–1 ratio; the "none" dash for None."""
        if value is None:
            return self.text("host_stats_none")
        return format_percent(value, locale=self.lang).replace("\xa0", " ")
