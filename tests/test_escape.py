"""Outside strings land escaped: a hostile file name shows as text in the data note, the
terminal never receives control characters, a spreadsheet never runs a statistics cell."""

from __future__ import annotations

import re
from html import unescape

import pandas as pd
import pytest
from docutils.core import publish_parts
from myst_parser.parsers.docutils_ import Parser

from innobarometer.estimates.statistics_record import csv_text, data_source
from innobarometer.presentation.notes import data_note, source_line, unpublished_note, verification_note
from innobarometer.text.escape import myst_code, printable, spreadsheet_safe

HOSTILE_NAMES = [
    "x`<img src=x onerror=alert(document.domain)>`.csv",
    'wp"dq\'sq.csv',
    "``<script>alert(1)</script>``.csv",
    "` leading and trailing `",
    "a\n:::\n# heading\n<b>bold</b>.csv",
    "{glue:text}`x`.csv",
    "$\\input{/etc/passwd}$ 100% & #1 ~ ^ _.csv",
]


def rendered_html(myst: str) -> str:
    settings = {"myst_enable_extensions": ["colon_fence", "dollarmath", "attrs_inline"], "output_encoding": "unicode"}
    return publish_parts(myst, parser=Parser(), writer_name="html5", settings_overrides=settings)["body"]


def literals(html: str) -> list[str]:
    """The code spans of an HTML fragment (docutils writes them as spans, Sphinx as code)."""
    return re.findall(r'<(?:code|span) class="docutils literal[^"]*">', html)


def shown_text(html: str) -> str:
    """What a reader sees of an HTML fragment."""
    return unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("note", [data_note, verification_note, lambda: unpublished_note("budskabet")])
def test_notes_show_a_hostile_file_name_verbatim_as_text(tmp_path, monkeypatch, name, note):
    path = tmp_path / name.replace("/", "_")
    monkeypatch.setenv("INNOBAROMETER_DATA", str(path))
    html = rendered_html(note())
    assert html.count("<aside") == 1 and html.count("<p>") == 1  # one box, one paragraph
    assert not re.search(r"<(img|script|b|h1)\b", html)
    assert printable(path.name) in shown_text(html) and len(literals(html)) == 1  # the name as code, as it is


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_code_span_keeps_every_character(name):
    html = rendered_html(f"Fil: {myst_code(name)}")
    assert shown_text(html).strip() == f"Fil: {printable(name)}" and literals(html) != []


def test_source_line_and_statistics_source_carry_no_control_characters(tmp_path, monkeypatch):
    monkeypatch.setenv("INNOBAROMETER_DATA", str(tmp_path / "a\x1b[31mred\r\u202eevil.csv"))
    for text in (source_line(), data_source(), data_note()):
        assert "\x1b" not in text and "\r" not in text and "\u202e" not in text


def test_printable_escapes_terminal_control_and_bidirectional_characters():
    assert printable("a\x1b[2J\r\n\u202eb.csv") == "a\\x1b[2J\\r\\n\\u202eb.csv"
    assert printable("æøå data.csv") == "æøå data.csv"


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_cells_that_start_like_a_formula_are_written_as_text(cell):
    assert spreadsheet_safe(cell) == "'" + cell


def test_statistics_csv_neutralises_formulas_but_keeps_negative_numbers():
    table = pd.DataFrame({"id": ["a"], "value": [-0.25], "source": ["=cmd|'/c calc'!A1"]})
    assert csv_text(table).splitlines()[1] == "a,-0.25,'=cmd|'/c calc'!A1"
