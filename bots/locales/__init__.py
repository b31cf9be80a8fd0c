"""Message catalogs: one module per language, each a dict of message id → template.

Templates use ``str.format`` fields. English (``en``) is complete and is the
fallback for any id another catalog lacks; tests check every catalog has the
same ids and fields as English.
"""

from bots.locales import de, en, es, fr, pt

CATALOGS: dict[str, dict[str, str]] = {
    "en": en.MESSAGES,
    "de": de.MESSAGES,
    "es": es.MESSAGES,
    "fr": fr.MESSAGES,
    "pt": pt.MESSAGES,
}

__all__ = ["CATALOGS"]
