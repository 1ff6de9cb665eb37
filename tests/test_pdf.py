"""The PDF edition (from `make book`): typeset, A4, fonts embedded, the same numbers as the web."""

import re
import shutil
import subprocess

import pytest

from html_pages import visible_text
from innobarometer.build import SITE, STATISTICS
from innobarometer.formatting import NBSP, percent
from innobarometer.paths import PDF_NAME
from innobarometer.statistics import read

PDF = SITE / PDF_NAME
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (make setup installs it)")


def run(*command) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(NBSP, " "))


@pytest.fixture(scope="module")
def pdf_text():
    if not PDF.exists():
        pytest.fail("no PDF: run `make book` first (make test does)")
    return folded(run("pdftotext", "-enc", "UTF-8", str(PDF), "-"))


def test_pdf_is_a4_with_a_sane_number_of_pages():
    info = run("pdfinfo", str(PDF))
    assert "(A4)" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 8 <= pages <= 40


def test_every_font_is_embedded():
    rows = run("pdffonts", str(PDF)).splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row), row
        embedded = row.split()[-5]
        assert embedded == "yes", row


def test_headline_reads_as_on_the_web(pdf_text):
    headline = folded(visible_text(SITE / "book/organiser-smartere.html")).split(" af de offentlige arbejdspladser har")[0].split()[-2:]
    assert " ".join(headline) + " af de offentlige arbejdspladser har" in pdf_text


def test_danish_letters_survive(pdf_text):
    assert all(letter in pdf_text for letter in "æøåÆØÅ" if letter.islower())
    assert "Brønderslev" in pdf_text and "måder" in pdf_text and "kvalitet" in pdf_text


def test_every_figure_caption_is_in_the_pdf(pdf_text):
    captions = []
    for page in SITE.rglob("*.html"):
        captions += re.findall(r'<span class="caption-text">(.*?)</span>', page.read_text(encoding="utf-8"), re.S)
    assert len(captions) >= 3
    for caption in captions:
        first_words = " ".join(re.sub(r"<[^>]+>", "", caption).split()[:6])
        assert folded(first_words) in pdf_text, first_words


def test_every_statistic_the_book_prints_is_in_the_pdf_in_danish_format(pdf_text):
    stats = read(STATISTICS)
    # Per-sector estimates appear in the web edition's menus; the print edition prints those of
    # all workplaces and the sector table of Figure B.
    by_sector = stats.index.str.contains(r"\.(?:kommune|region|stat)$") & ~stats.index.str.startswith("workplaces_innovated_any.")
    for statistic, row in stats[~by_sector & ~stats["suppressed"]].iterrows():
        assert folded(percent(row["value"])) in pdf_text, statistic


def test_code_is_left_out_of_the_print_edition(pdf_text):
    assert "load_microdata" not in pdf_text and "Del citat" not in pdf_text


def test_every_web_page_links_to_the_pdf():
    for page in sorted(SITE.glob("book/*.html")) + sorted(SITE.glob("notebooks/*.html")):
        link = re.search(r'<a class="pdf-download" href="([^"]+)"', page.read_text(encoding="utf-8"))
        assert link, page
        assert (page.parent / link.group(1)).resolve() == PDF.resolve(), page
