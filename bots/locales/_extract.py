"""The ``pybabel extract`` method for keyed catalogs: the message keys of an English ``.po``.

Used by ``babel.cfg`` (``make messages``): the template (``.pot``) gets every key of the
English catalog, plural ones as ``ngettext`` messages, each with its English text as an
extracted comment, so that a translator sees in ``de.po`` what to translate.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.catalog import Message
from babel.messages.pofile import read_po


def english_comments(message: Message) -> list[str]:
    """The English text of ``message`` as comment lines (every plural form, in order)."""
    string = message.string
    forms = tuple(string) if isinstance(string, (list, tuple)) else (string or "",)
    return [line for form in forms for line in (form.splitlines() or [""])]


def extract_english(fileobj: IO[bytes], keywords: Collection[str],
                    comment_tags: Collection[str], options: Mapping[str, Any],
                    ) -> Iterator[tuple[int, str, str | tuple[str, str], list[str]]]:
    """Babel's extractor protocol: ``(line, function, key or (key, key), comments)``."""
    for message in read_po(fileobj):
        if not message.id:
            continue  # the header
        if isinstance(message.id, (list, tuple)):
            yield message.lineno or 0, "ngettext", (message.id[0], message.id[1]), \
                english_comments(message)
        else:
            yield message.lineno or 0, "gettext", message.id, english_comments(message)
