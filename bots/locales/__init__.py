"""Message catalogs in gettext form, read with the standard :mod:`gettext` module.

Layout: ``bots/locales/<lang>/LC_MESSAGES/<domain>.po`` (the sources, edited by hand) and
the ``.mo`` files compiled from them with Babel (committed, so neither an install nor a
start-up compiles anything; ``make messages`` recompiles and a test fails when a ``.mo``
is older than its ``.po``). Two domains:

* ``slotbot`` — what guests read (the conversation, guest notices and emails);
* ``slotbot_host`` — what hosts read (host commands, host notices, the digest).

msgids are message keys (``help``, ``host_n_bookings``), not English sentences: the English
catalog (``en``) is the source of every text, and ``make messages`` extracts the keys from it
(:mod:`bots.locales._extract`), with the English text as a comment, into the other
languages' catalogs. Texts are ``str.format`` templates (``{host}``); a plural message has a
``msgid_plural`` (the same key) and one ``msgstr[N]`` per plural form of the language's
gettext ``Plural-Forms`` (from Babel: French and Portuguese say "0 réservation", Spanish,
French and Portuguese have a form for millions).

A message a language lacks (empty ``msgstr``) is shown in English.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent
#: The catalog languages; English is the source and the fallback.
LANGUAGES = ("en", "de", "es", "fr", "pt")
SOURCE_LANGUAGE = "en"
#: gettext domains, in lookup order: guest texts, then host texts.
DOMAINS = ("slotbot", "slotbot_host")


class _Missing(gettext.NullTranslations):
    """The end of every fallback chain: a key no catalog has is an error, not a text."""

    def gettext(self, message: str) -> str:
        raise KeyError(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        raise KeyError(msgid1)


class _Keyed(gettext.GNUTranslations):
    """A compiled catalog whose msgids are keys.

    Babel compiles a plural message left untranslated with the msgid (here: the key) as its
    text, where gettext expects an English sentence; such a form is passed on to the
    fallback (English) like any missing message.
    """

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        text = self._catalog.get((msgid1, self.plural(n)))  # type: ignore[attr-defined]
        if text is None or text in (msgid1, msgid2):
            fallback: gettext.NullTranslations = self._fallback  # type: ignore[attr-defined]
            return fallback.ngettext(msgid1, msgid2, n)  # the chain ends with _Missing
        return str(text)


def _chain(langs: tuple[str, ...]) -> gettext.NullTranslations:
    first: gettext.NullTranslations | None = None
    for lang in langs:
        for domain in DOMAINS:
            with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.mo").open("rb") as mo:
                catalog = _Keyed(mo)
            if first is None:
                first = catalog
            else:
                first.add_fallback(catalog)
    assert first is not None
    first.add_fallback(_Missing())
    return first


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """Both domains of ``lang``, falling back to English's; a key none has raises KeyError.

    Args:
        lang: one of :data:`LANGUAGES`.

    Raises:
        FileNotFoundError: ``lang`` has no compiled catalog.
    """
    return _chain((lang,) if lang == SOURCE_LANGUAGE else (lang, SOURCE_LANGUAGE))


__all__ = ["DOMAINS", "LANGUAGES", "LOCALE_DIR", "SOURCE_LANGUAGE", "translations"]
