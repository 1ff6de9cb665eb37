"""Two editions, Danish and English, each executed in its language: every text in both languages,
each page in its edition's language only, each page linked to itself in the other edition."""

import re
from pathlib import Path

import pytest

from html_pages import BOOK_PAGES, text_in_language
from innobarometer.building.build import SITE
from innobarometer.paths import ROOT, merged, pdf_name, toc_files
from innobarometer.site import editions
from innobarometer.text import language as text_language
from innobarometer.text.language import LANGUAGE_ENV, _, language, speaking

SOURCES = toc_files()
ENGLISH_SITE = SITE / "en"
BUILT = BOOK_PAGES


def cells(page: Path) -> list:
    """A page's cells as both editions together: [(language or None for shared, source)]."""
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(page.read_text(encoding="utf-8"))
    return [(cell.metadata.get("lang"), cell.source) for cell in notebook.cells if cell.cell_type == "markdown"]


GLUE = re.compile(r"\{(?:glue(?::\w+)?|eval)\}`([^`]+)`|```\{glue(?::\w+)?\}\s+(\S+)")


def pasted_keys(source: str) -> list[str]:
    """The glue keys a Markdown cell pastes, without their page and format: 'a.md::k:s' -> 'k'."""
    found = [role or directive for role, directive in GLUE.findall(source)]
    return [name.rsplit("::", 1)[-1].split(":", 1)[0] for name in found]


def test_the_language_is_danish_unless_the_context_speaks_english():
    assert language() == "da"
    with speaking("en"):
        assert language() == "en"
    assert language() == "da"


def test_the_language_of_a_process_is_its_innobarometer_language(monkeypatch):
    monkeypatch.setenv(LANGUAGE_ENV, "en")
    assert language() == "en"
    with speaking("da"):
        assert language() == "da"


def test_an_unknown_edition_language_is_refused(monkeypatch):
    monkeypatch.setenv(LANGUAGE_ENV, "de")
    with pytest.raises(ValueError, match="'de'"):
        language()


def test_a_notebook_text_is_danish_as_written_and_english_from_the_catalogues(monkeypatch):
    monkeypatch.setattr(text_language, "translations", lambda language: {"Kilder: ": "Sources: "})
    assert _("Kilder: ") == "Kilder: "
    with speaking("en"):
        assert _("Kilder: ") == "Sources: "
        with pytest.raises(LookupError, match="make translations"):
            _("Ikke oversat")


def test_a_cell_tagged_for_one_edition_is_marked_for_the_book_and_untouched_for_jupyter():
    source = '+++ {"tags": ["web-only"]}\n\n## Udforsk selv\n\nTekst.\n\n+++ {"tags": ["print-only"]}\n\nKun på tryk.\n\n+++\n\nFor alle.\n'
    sources = [cell.source for cell in editions.page(source).cells]
    assert sources[0].startswith("```{rst-class} web-only\n```\n\n## Udforsk selv")
    assert sources[1] == ":::{div} print-only\nKun på tryk.\n:::" and sources[2] == "For alle."


def test_the_english_configuration_is_merged_over_the_danish_key_by_key():
    assert merged({"a": {"b": 1, "c": 2}, "d": [1]}, {"a": {"b": 3}, "d": [2]}) == {"a": {"b": 3, "c": 2}, "d": [2]}
    assert pdf_name("da") == "organiser-smartere.pdf" and pdf_name("en") == "organise-smarter.pdf"


@pytest.mark.parametrize("page", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_page_is_written_in_danish_only(page):
    # the English edition comes from its catalogue; no cell is the English edition's own
    assert all(language is None for language, _ in cells(page))


@pytest.mark.parametrize("page", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_translation_names_each_value_as_its_page_does(page):
    # one spelling of a value reference: `name` for the page's own, `page.md::name` for another's
    from innobarometer.site.translations import read_catalogue

    catalogue = read_catalogue(page.relative_to(ROOT).with_suffix("").as_posix())
    references = re.compile(r"\{(?:glue(?::\w+)?|eval)\}`([^`]+)`")
    for message in catalogue:
        if message.id and message.string:
            assert sorted(references.findall(message.string)) == sorted(references.findall(message.id)), message.id


@pytest.mark.book
def test_every_page_has_an_up_to_date_and_complete_english_catalogue():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "innobarometer.site.translations", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


#: Short words that only Danish has (in running text of either edition's pages).
DANISH_WORDS = {"og", "af", "ikke", "det", "som", "på", "til", "med", "eller", "har", "også", "ved", "hvor", "kun", "blev", "være", "denne", "disse", "kilde", "andel", "figur", "tabel", "søg", "vis", "dansk"}
#: Short words that only English has.
ENGLISH_WORDS = {"the", "and", "of", "with", "which", "this", "that", "are", "is", "not", "show", "source", "share", "figure", "search", "english"}


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-zæøå]+", text.lower()))


@pytest.mark.book
@pytest.mark.parametrize("name", BUILT)
def test_english_page_says_nothing_in_danish_outside_marked_danish(name):
    found = words(text_in_language(ENGLISH_SITE / name, "en")) & DANISH_WORDS
    assert not found, f"en/{name} has Danish words outside lang='da': {sorted(found)}"


@pytest.mark.book
@pytest.mark.parametrize("name", BUILT)
def test_danish_page_says_nothing_in_english_outside_marked_english(name):
    found = words(text_in_language(SITE / name, "da")) & ENGLISH_WORDS
    assert not found, f"{name} has English words outside lang='en': {sorted(found)}"


@pytest.mark.book
@pytest.mark.parametrize("name", BUILT)
def test_each_page_links_the_same_page_in_the_other_edition(name):
    for page, other, language in [(SITE / name, ENGLISH_SITE / name, "en"), (ENGLISH_SITE / name, SITE / name, "da")]:
        markup = page.read_text(encoding="utf-8")
        switch = re.search(r'<a class="edition-switch" href="([^"]+)" hreflang="(\w+)"', markup)
        assert switch and switch[2] == language
        assert (page.parent / switch[1]).resolve() == other.resolve()
        alternates = dict(re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', markup))
        assert (page.parent / alternates[language]).resolve() == other.resolve()
        assert (page.parent / alternates["da" if language == "en" else "en"]).resolve() == page.resolve()


@pytest.mark.book
def test_each_edition_has_its_pdf_and_the_site_one_statistics_file():
    assert (SITE / pdf_name("da")).stat().st_size > 0 and (ENGLISH_SITE / pdf_name("en")).stat().st_size > 0
    assert (SITE / "statistics.csv").exists() and not (ENGLISH_SITE / "statistics.csv").exists()


@pytest.mark.book
@pytest.mark.parametrize("name", BUILT)
def test_english_page_declares_english(name):
    assert '<html lang="en"' in (ENGLISH_SITE / name).read_text(encoding="utf-8")
