"""Host-facing messages (host commands, host notices, the digest), one module per language.

Merged into :data:`bots.locales.CATALOGS`; ids start with ``host_``. A plural
message has one id per plural category, ``ID#one`` and ``ID#other`` (the
categories every catalog language uses; see :meth:`bots.host_texts.HostTexts.plural`).
"""
