"""The gettext catalogs (bots/locales): complete in every language, compiled, real plurals."""

from __future__ import annotations

import gettext
import io
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bots.host_texts import HostTexts
from bots.locales import DOMAINS, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, _Keyed, translations
from bots.locales._extract import extract_english
from bots.texts import Texts

TRANSLATIONS = [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]


def po_path(lang: str, domain: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def catalog(lang: str, domain: str) -> Catalog:
    with po_path(lang, domain).open("rb") as f:
        return read_po(f, locale=lang, domain=domain)


def forms(message: Message) -> tuple[str, ...]:
    s = message.string
    return tuple(s) if isinstance(s, (list, tuple)) else (s,)


def fields(texts: tuple[str, ...]) -> set[str]:
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}


def messages(c: Catalog) -> dict[str, Message]:
    return {m.id[0] if isinstance(m.id, (list, tuple)) else m.id: m for m in c if m.id}


def test_the_catalog_directories_are_the_languages() -> None:
    assert sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir()) == \
        sorted(LANGUAGES)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_every_language_has_every_english_message_and_placeholder(lang: str, domain: str) -> None:
    english, other = messages(catalog(SOURCE_LANGUAGE, domain)), messages(catalog(lang, domain))
    assert sorted(other) == sorted(english), "run `make messages`, then translate what is new"
    untranslated = [k for k, m in other.items() if not all(forms(m))]
    assert untranslated == []
    assert [k for k, m in other.items() if m.fuzzy] == []
    for key, message in other.items():
        assert message.pluralizable == english[key].pluralizable, key
        assert fields(forms(message)) == fields(forms(english[key])), key
        for form in forms(message):  # each form only uses fields English has
            assert fields((form,)) <= fields(forms(english[key])), key


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_english_catalog_is_complete(domain: str) -> None:
    english = catalog(SOURCE_LANGUAGE, domain)
    assert [m.id for m in english if m.id and not all(forms(m))] == []


def test_no_key_is_in_both_domains() -> None:
    guest, host = (set(messages(catalog(SOURCE_LANGUAGE, d))) for d in DOMAINS)
    assert guest & host == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_catalog_has_the_languages_gettext_plural_forms(lang: str) -> None:
    rule = get_plural(lang)
    for domain in DOMAINS:
        c = catalog(lang, domain)
        assert (c.num_plurals, c.plural_expr) == (rule.num_plurals, rule.plural_expr), (
            f"Babel's Plural-Forms for {lang} differ: fix the .po header and its msgstr[N]")
        assert all(len(forms(m)) == rule.num_plurals for m in c if m.id and m.pluralizable)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_committed_mo_files_are_compiled_from_the_po_sources(lang: str, domain: str) -> None:
    """What the bot reads (.mo) says what the sources say; else run `make messages`."""
    fresh = io.BytesIO()
    write_mo(fresh, catalog(lang, domain))
    fresh.seek(0)
    expected = gettext.GNUTranslations(fresh)
    with po_path(lang, domain).with_suffix(".mo").open("rb") as f:
        committed = gettext.GNUTranslations(f)
    # ._catalog: the whole compiled table (msgid or (msgid, form) → text), header included;
    # only "Generated-By" (the Babel version that compiled) may differ.
    def table(t: gettext.GNUTranslations) -> dict[object, str]:
        return {k: "\n".join(line for line in v.splitlines() if not line.startswith("Generated-By"))
                for k, v in t._catalog.items()}  # type: ignore[attr-defined]
    assert table(committed) == table(expected), "run `make messages` and commit the .mo files"


@pytest.mark.parametrize("domain", DOMAINS)
def test_extraction_yields_every_english_key_with_its_text_as_comment(domain: str) -> None:
    with po_path(SOURCE_LANGUAGE, domain).open("rb") as f:
        extracted = list(extract_english(f, (), (), {}))
    english = messages(catalog(SOURCE_LANGUAGE, domain))
    assert [m[2] if isinstance(m[2], str) else m[2][0] for m in extracted] == list(english)
    _, _, ids, comments = next(m for m in extracted if m[1] == "ngettext")
    assert ids[0] == ids[1] and comments == list(forms(english[ids[0]]))


@pytest.mark.parametrize(("lang", "counts"), [
    ("en", ["0 bookings", "1 booking", "2 bookings"]),
    ("fr", ["0 réservation", "1 réservation", "2 réservations"]),
    ("pt", ["0 marcação", "1 marcação", "2 marcações"]),
    ("de", ["0 Buchungen", "1 Buchung", "2 Buchungen"]),
])
def test_plurals_follow_the_languages_rule(lang: str, counts: list[str]) -> None:
    t = HostTexts(lang)
    assert [t.plural("host_n_bookings", n) for n in (0, 1, 2)] == counts


def test_guest_lead_times_are_plural_messages() -> None:
    assert [Texts("en").plural("in_hours", n) for n in (1, 2)] == ["in 1 hour", "in 2 hours"]
    assert Texts("es").plural("in_minutes", 1) == "dentro de 1 minuto"


def test_a_key_no_catalog_has_is_an_error_and_a_host_key_reads_from_either_class() -> None:
    with pytest.raises(KeyError):
        Texts("de").text("no_such_key")
    with pytest.raises(KeyError):
        Texts("fr").plural("no_such_key", 2)
    assert Texts("de").text("host_button_confirm") == HostTexts("de").text("host_button_confirm")


def test_an_untranslated_plural_form_falls_back_to_english() -> None:
    """Babel compiles an empty plural msgstr as its msgid (our key): English is read instead."""
    german = Catalog(locale="de")
    german.add(("host_n_bookings", "host_n_bookings"), ("", ""))
    mo = io.BytesIO()
    write_mo(mo, german)
    mo.seek(0)
    keyed = _Keyed(mo)
    keyed.add_fallback(translations("en"))
    assert keyed.ngettext("host_n_bookings", "host_n_bookings", 2) == "{count} bookings"
