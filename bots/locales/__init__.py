"""Message catalogs: one module per language, each a dict of message id → template.

Templates use ``str.format`` fields; host-facing messages live in
:mod:`bots.locales.host` and are merged in. English (``en``) is complete and is the
fallback for any id another catalog lacks; tests check every catalog has the
same ids and fields as English.
"""

from bots.locales import de, en, es, fr, pt
from bots.locales.host import de as host_de
from bots.locales.host import en as host_en
from bots.locales.host import es as host_es
from bots.locales.host import fr as host_fr
from bots.locales.host import pt as host_pt

CATALOGS: dict[str, dict[str, str]] = {
    "en": {**en.MESSAGES, **host_en.MESSAGES},
    "de": {**de.MESSAGES, **host_de.MESSAGES},
    "es": {**es.MESSAGES, **host_es.MESSAGES},
    "fr": {**fr.MESSAGES, **host_fr.MESSAGES},
    "pt": {**pt.MESSAGES, **host_pt.MESSAGES},
}

__all__ = ["CATALOGS"]
