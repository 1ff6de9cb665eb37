"""Two editions, Danish and English, from one execution: every text in both languages, each page
in its edition's language only, each page linked to itself in the other edition."""

import re
from pathlib import Path

import pytest

from html_pages import text_in_language
from innobarometer import editions
from innobarometer.build import SITE
from innobarometer.editions import key, speaking, text
from innobarometer.paths import ROOT, merged, pdf_name, toc_files

SOURCES = toc_files()
ENGLISH_SITE = SITE / "en"
BUILT = sorted(p.relative_to(SITE).as_posix() for folder in ("book", "notebooks") for p in (SITE / folder).glob("*.html"))


def cells(page: Path) -> list:
    """A page's cells as both editions together: [(language or None for shared, source)]."""
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(page.read_text(encoding="utf-8"))
    return [(cell.metadata.get("lang"), cell.source) for cell in notebook.cells if cell.cell_type == "markdown"]


GLUE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`|```\{glue(?::\w+)?\}\s+(\S+)")


def pasted_keys(source: str) -> list[str]:
    """The glue keys a Markdown cell pastes, without their page and format: 'a.md::k:s' -> 'k'."""
    found = [role or directive for role, directive in GLUE.findall(source)]
    return [name.rsplit("::", 1)[-1].split(":", 1)[0] for name in found]


def test_text_is_danish_unless_the_context_speaks_english():
    assert text("Kilde", "Source") == "Kilde"
    with speaking("en"):
        assert text("Kilde", "Source") == "Source"
    assert text("Kilde", "Source") == "Kilde"


def test_a_glued_value_has_one_key_per_edition():
    assert key("ranking") == "ranking"
    with speaking("en"):
        assert key("ranking") == "ranking_en"


def test_an_unknown_edition_language_is_refused():
    with pytest.raises(ValueError, match="'de'"):
        editions.set_language("de")


def test_the_reader_keeps_shared_cells_and_the_cells_of_its_language():
    source = 'Shared\n\n+++ {"lang": "da"}\n\nDansk\n\n+++ {"lang": "en"}\n\nEnglish\n\n+++\n\n```{code-cell} ipython3\nx = 1\n```\n'
    danish, english = editions.page(source, "da"), editions.page(source, "en")
    assert [c.source for c in danish.cells] == ["Shared", "Dansk", "x = 1"]
    assert [c.source for c in english.cells] == ["Shared", "English", "x = 1"]
    assert len(english.metadata["source_map"]) == len(english.cells)


def test_the_english_configuration_is_merged_over_the_danish_key_by_key():
    assert merged({"a": {"b": 1, "c": 2}, "d": [1]}, {"a": {"b": 3}, "d": [2]}) == {"a": {"b": 3, "c": 2}, "d": [2]}
    assert pdf_name("da") == "organiser-smartere.pdf" and pdf_name("en") == "organise-smarter.pdf"


@pytest.mark.parametrize("page", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_danish_cell_is_followed_by_its_english_cell(page):
    languages = [language for language, _ in cells(page)]
    for index, language in enumerate(languages):
        if language == "da":
            assert index + 1 < len(languages) and languages[index + 1] == "en", f"Danish cell {index} has no English cell after it"
        if language == "en":
            assert index > 0 and languages[index - 1] == "da", f"English cell {index} follows no Danish cell"
        assert language in (None, "da", "en"), language


@pytest.mark.parametrize("page", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_english_cells_paste_english_values_and_danish_cells_danish(page):
    for language, source in cells(page):
        for name in pasted_keys(source):
            if language == "en":
                assert name.endswith("_en"), f"the English cell pastes the Danish {name!r}"
            else:
                assert not name.endswith("_en"), f"a {language or 'shared'} cell pastes the English {name!r}"


#: Short words that only Danish has (in running text of either edition's pages).
DANISH_WORDS = {"og", "af", "ikke", "det", "som", "på", "til", "med", "eller", "har", "også", "ved", "hvor", "kun", "blev", "være", "denne", "disse", "kilde", "andel", "figur", "tabel", "søg", "vis", "dansk"}
#: Short words that only English has.
ENGLISH_WORDS = {"the", "and", "of", "with", "which", "this", "that", "are", "is", "not", "show", "source", "share", "figure", "search", "english"}


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-zæøå]+", text.lower()))


@pytest.mark.parametrize("name", BUILT)
def test_english_page_says_nothing_in_danish_outside_marked_danish(name):
    found = words(text_in_language(ENGLISH_SITE / name, "en")) & DANISH_WORDS
    assert not found, f"en/{name} has Danish words outside lang='da': {sorted(found)}"


@pytest.mark.parametrize("name", BUILT)
def test_danish_page_says_nothing_in_english_outside_marked_english(name):
    found = words(text_in_language(SITE / name, "da")) & ENGLISH_WORDS
    assert not found, f"{name} has English words outside lang='en': {sorted(found)}"


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


def test_each_edition_has_its_pdf_and_the_site_one_statistics_file():
    assert (SITE / pdf_name("da")).stat().st_size > 0 and (ENGLISH_SITE / pdf_name("en")).stat().st_size > 0
    assert (SITE / "statistics.csv").exists() and not (ENGLISH_SITE / "statistics.csv").exists()


@pytest.mark.parametrize("name", BUILT)
def test_english_page_declares_english(name):
    assert '<html lang="en"' in (ENGLISH_SITE / name).read_text(encoding="utf-8")
