"""No number is typed into the book's prose: numbers are glued or loaded from data/.

The scan removes what may hold digits legitimately (code, formulas, glue and cross-reference roles,
link targets, labels, quotes reproduced verbatim from the source) and allows years, year ranges and
edition ordinals; any other digit fails the test with the file and line.
"""

import re

import pytest

from innobarometer.paths import ROOT

PAGES = sorted((ROOT / "book").rglob("*.md")) + sorted((ROOT / "notebooks").rglob("*.md"))

REMOVED = [
    re.compile(r"\A---\n.*?\n---\n", re.S),  # front matter
    re.compile(r"^(`{3,})\{(code-cell|pull-quote)\}.*?^\1\s*$", re.S | re.M),  # code cells, verbatim quotes
    re.compile(r"^(`{3,})(sh|bash|text)?\s*$.*?^\1\s*$", re.S | re.M),  # plain code blocks
    re.compile(r"\{[\w:-]+\}`[^`]*`"),  # roles: glue, numref, ref, doc
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"\$\$.*?\$\$", re.S),  # formulas: their constants are notation, not statistics
    re.compile(r"\$[^$\n]+\$"),
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"^\([\w-]+\)=\s*$", re.M),  # labels
    re.compile(r"^:[\w-]+:.*$", re.M),  # directive options
    re.compile(r"<!--.*?-->", re.S),
]
ALLOWED = re.compile(r"\b(19|20)\d\d(-(19|20)\d\d)?\b|\b\d\. udgave")
NUMBER = re.compile(r"(?<![\w])\d[\d.,]*")


def typed_numbers(text: str) -> list[str]:
    for pattern in REMOVED:
        text = pattern.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    text = ALLOWED.sub("", text)
    return [f"line {text[: m.start()].count(chr(10)) + 1}: {m.group(0)!r}" for m in NUMBER.finditer(text)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_has_no_typed_numbers(page):
    assert typed_numbers(page.read_text(encoding="utf-8")) == []


CATALOGUES = sorted((ROOT / "locale" / "en" / "LC_MESSAGES").rglob("*.po"))


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_english_translation_has_no_typed_numbers(catalogue):
    from babel.messages.pofile import read_po

    with open(catalogue, "rb") as file:
        translations = [message.string for message in read_po(file) if message.id]
    assert [found for text in translations for found in typed_numbers(text)] == []


def test_scan_finds_a_typed_share():
    assert typed_numbers("Hele 70 % af arbejdspladserne") == ["line 1: '70'"]


def test_scan_allows_formulas():
    assert typed_numbers("variansen $\\hat V = 1 - f_h$ og\n\n$$\nn - 1\n$$\n") == []


def test_scan_allows_glue_years_and_editions():
    assert typed_numbers("{eval}`share` i 2015-2016 ifølge 2. udgave og {numref}`fig-1`") == []


def test_scan_ignores_code_cells():
    assert typed_numbers("```{code-cell} ipython3\nx = 70\n```\n") == []
