"""pt host messages (to be translated)."""

from bots.locales.host.en import MESSAGES as _EN

MESSAGES: dict[str, str] = dict(_EN)
