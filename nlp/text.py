"""Text → tokens: normalization and a scanner shared by all languages.

The scanner produces a flat list of :class:`Tok`. Numeric forms (``15:00``,
``2026-12-01``, ``12/15``, ``8.30``) become one token each; words are tagged
through the language's :class:`~nlp.lang.Vocabulary` (unknown words get the
tag ``w``); compound number words ("twenty five", "twenty-seventh") and digit
ordinals ("3rd", "1er", "3.") are merged into one ``num``/``ord`` token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.folding import fold
from nlp.lang import Vocabulary
from nlp.spelling import correct


@dataclass(frozen=True, slots=True)
class Tok:
    """One token: ``kind`` is a vocabulary tag or a numeric form.

    Numeric kinds: ``date`` (value ``(y, m, d)``), ``numdate`` (``(a, b, y|None)``,
    order unresolved), ``dotnum`` (``(a, b)`` for ``8.30``: a time or a date),
    ``time`` (``(h, m, strict24)``), ``num`` (int or float). Other kinds:
    ``dash``, ``sep`` (comma/semicolon) and the tags of :mod:`nlp.lang`.
    ``after_the`` marks a token right after a dropped definite article
    ("the 17" is a day of the month).
    """

    kind: str
    value: object
    text: str
    after_the: bool = False


_AMPM_DOTTED = re.compile(r"(?<![^\W\d_])([ap])\s*\.\s*m\s*\.?(?![^\W\d_])")
_AMPM_SPACED = re.compile(r"(\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven"
                          r"|twelve|thirty|fifteen|forty|fourty|twenty)\b)\s*([ap])\s?m\b")
_AMPM_SHORT = re.compile(r"(\d)([ap])(?![^\W\d_])")
_HYPHEN_WORDS = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_AT_SIGN = re.compile(r"@(?=\s|\d)")
_ELISION = re.compile(r"\b(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'")

_SCAN = re.compile(
    r"(?P<iso>\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?!\d)"
    r"|(?P<ymd>(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?!\d)"
    r"|(?P<full>\d{1,2})(?P<s1>[-/.])(?P<b>\d{1,2})(?P=s1)(?P<y>\d{4}|\d{2})(?![\d:])"
    r"|(?P<clock>\d{1,2}):(?P<mm>\d{2})(?::\d{2})?(?!\d)"
    r"|(?P<slash>\d{1,2})/(?P<sb>\d{1,2})(?![\d/])"
    r"|(?P<dot>\d{1,2})\.(?P<db>\d{1,2})(?![\d])\.?"
    r"|(?P<dec>\d+),(?P<frac>\d)(?!\d)"
    r"|(?P<dord>\d{1,2})\.(?=\s|$)"
    r"|(?P<num>\d+)"
    r"|(?P<word>[^\W\d_]+(?:'[^\W\d_]+)*)"
    r"|(?P<dash>[-–—~])"
    r"|(?P<sep>[,;])"
    r"|(?P<sym>[^\s\w])"
)

#: Each form of :data:`_SCAN` by its last group (``Match.lastgroup``: a form with parts
#: ends with one of them).
_KINDS = {"iso": "iso", "ymd": "ymd", "y": "full", "mm": "clock", "sb": "slash", "db": "dot",
          "frac": "dec", "dord": "dord", "num": "num", "word": "word", "dash": "dash",
          "sep": "sep", "sym": "sym"}


def normalize(text: str, vocab: Vocabulary) -> str:
    """Fold ``text`` and rewrite it into the scanner's canonical spelling."""
    out = fold(text)
    out = _AMPM_DOTTED.sub(r" \1m ", out)
    out = _AMPM_SPACED.sub(r"\1 \2m", out)
    if vocab.short_meridiem:
        out = _AMPM_SHORT.sub(r"\1 \2m", out)
    if vocab.elisions:
        out = _ELISION.sub(r"\1 ", out)
    out = _HYPHEN_WORDS.sub(" ", out)
    out = _AT_SIGN.sub(" at ", out)
    spelling_re = vocab.spelling_re
    if spelling_re is not None:
        out = spelling_re.sub(lambda m: vocab.spellings[m.group(0)], out)  # "pasado mñn"
    phrase_re = vocab.phrase_re
    if phrase_re is not None:
        out = phrase_re.sub(lambda m: vocab.phrases[m.group(0)], out)
    return out


def tokenize(text: str, vocab: Vocabulary) -> list[Tok]:
    """Normalize and scan ``text`` into tagged tokens (``skip`` words dropped)."""
    toks: list[Tok] = []
    after_the = False
    for m in _SCAN.finditer(normalize(text, vocab)):
        count = len(toks)
        kind = _KINDS[str(m.lastgroup)]
        raw = m.group(0)
        if kind == "iso":
            y, mo, d = (int(p) for p in re.split(r"[-/.]", raw))
            toks.append(Tok("date", (y, mo, d), raw))
        elif kind == "ymd":
            toks.append(Tok("date", (int(raw[:4]), int(raw[4:6]), int(raw[6:])), raw))
        elif kind == "full":
            year = int(m.group("y"))
            toks.append(Tok("numdate", (int(m.group("full")), int(m.group("b")), year), raw))
        elif kind == "clock":
            h = m.group("clock")
            strict = len(h) == 2 and (h.startswith("0") or int(h) > 12)
            toks.append(Tok("time", (int(h), int(m.group("mm")), strict), raw))
        elif kind == "slash":
            toks.append(Tok("numdate", (int(m.group("slash")), int(m.group("sb")), None), raw))
        elif kind == "dot":
            toks.append(Tok("dotnum", (int(m.group("dot")), int(m.group("db"))), raw))
        elif kind == "dec":
            toks.append(Tok("num", float(f"{m.group('dec')}.{m.group('frac')}"), raw))
        elif kind == "dord":
            value = int(m.group("dord"))
            toks.append(Tok("ord" if vocab.dotted_ordinals else "num", value, raw))
        elif kind == "num":
            toks.append(Tok("num", int(raw) if len(raw) < 9 else 0, raw))
        elif kind == "word":
            tag, meaning = _split_digitless(raw, vocab)
            if tag == "the":
                after_the = True
            elif tag != "skip":
                toks.append(Tok(tag, meaning, raw))
        elif kind in ("dash", "sep"):
            toks.append(Tok(kind, None, raw))
        elif raw == "'":
            continue
        else:
            toks.append(Tok("sym", None, raw))
        if after_the and len(toks) > count:
            last = toks[-1]
            toks[-1] = Tok(last.kind, last.value, last.text, after_the=True)
            after_the = False
    return _merge_numbers(toks)


def _split_digitless(word: str, vocab: Vocabulary) -> tuple[str, object]:
    if word.endswith("'s"):
        word = word[:-2]  # "tomorrow's meeting"
    hit = vocab.words.get(word)
    if hit is None and "'" in word:
        hit = vocab.words.get(word.replace("'", ""))
    if hit is None and word.isalpha():
        hit = correct(word, vocab.code)  # "frday", "Donnerstg"
    if hit is None:
        return "w", None
    return hit


def _merge_numbers(toks: list[Tok]) -> list[Tok]:
    """Merge "twenty five" → 25, "twenty fifth" → 25th and "3" + "rd" → 3rd.

    Spelled thousands merge too: "two thousand and thirty two" → 2032.
    """
    out: list[Tok] = []
    for tok in toks:
        if _spelled(tok) and len(out) > 1 and out[-1].kind == "and" and _thousands(out[-2]):
            out.pop()  # "two thousand and thirty": the "and" joins the number
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "num" and isinstance(prev.value, int):
            if tok.kind == "ordsuf" and prev.text.isdigit():
                out[-1] = Tok("ord", prev.value, prev.text + tok.text, prev.after_the)
                continue
            value = tok.value
            if _spelled(prev) and _spelled(tok) and isinstance(value, int) and _joins(
                    prev.value, value):
                total = prev.value * value if value == 1000 else prev.value + value
                out[-1] = Tok(tok.kind, total, f"{prev.text} {tok.text}", prev.after_the)
                continue
        out.append(tok)
    return out


def _spelled(tok: Tok) -> bool:
    return tok.kind in ("num", "ord") and not tok.text[:1].isdigit()


def _thousands(tok: Tok) -> bool:
    return _spelled(tok) and isinstance(tok.value, int) and tok.value >= 1000 and (
        tok.value % 1000 == 0)


def _joins(prev: int, value: int) -> bool:
    """Whether spelled ``prev`` then spelled ``value`` make one number."""
    if value == 1000:
        return 0 < prev < 10  # "two thousand"
    if prev >= 1000 and prev % 1000 == 0:
        return 0 < value < 100  # "two thousand thirty"
    return prev % 100 in (20, 30, 40, 50) and 0 < value < 10  # "twenty five", "2030" + "two"


__all__ = ["Tok", "normalize", "tokenize"]
