"""The PDF edition (from `make book`): typeset, A4, fonts embedded, the same numbers as the web."""

import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from html_pages import visible_text
from innobarometer.build import SITE, STAGED_LATEX, STATISTICS, pdf_environment
from innobarometer.formatting import NBSP, percent
from innobarometer.notes import source_line
from innobarometer.paths import PDF_NAME, ROOT
from innobarometer.statistics import read

PDF = SITE / PDF_NAME
LATEX_LOG = (STAGED_LATEX / PDF_NAME).with_suffix(".log")
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


def test_the_pdf_is_one_chapter_without_chapter_openers(pdf_text):
    assert "KAPITEL" not in pdf_text
    assert not re.search(r"\bKapitel \d", pdf_text)


@pytest.mark.parametrize(
    "web_only",
    [r"\bmake\b", "INNOBAROMETER_DATA", "Udforsk", "[Mm]enuen", "Del citat", "[Dd]ownload", "Jupyter", r"\w\.(?:csv|py|yml)\b"],
)
def test_matter_that_only_makes_sense_on_the_web_is_not_printed(pdf_text, web_only):
    assert not re.search(web_only, pdf_text), re.search(web_only, pdf_text)


def test_print_says_in_words_what_the_web_shows_with_a_menu(pdf_text):
    assert "står i tabellen over figuren" in pdf_text


def test_figure_1s_caption_says_in_print_what_its_numbers_are_computed_from(pdf_text):
    caption = pdf_text.split("Figur 1:", 1)[1].split("Figur 2:", 1)[0]
    assert folded(source_line()) in caption


def test_figures_are_numbered_1_to_3_through_the_chapter(pdf_text):
    assert re.findall(r"Figur (\S+):", pdf_text) == ["1", "2", "3"]


def test_no_tex_dash_markup_is_printed(pdf_text):
    assert "--" not in pdf_text


def test_attributions_take_an_em_dash(pdf_text):
    assert "—Mads Leth Jakobsen" in pdf_text


def test_ranges_of_numbers_take_an_en_dash(pdf_text):
    assert "2015–2016" in pdf_text
    prose = re.sub(r"https?://\S+", "", pdf_text)  # addresses keep their hyphens
    assert not re.search(r"\d-\d", prose), re.search(r".{20}\d-\d.{20}", prose)


def test_quotes_are_danish_guillemets_throughout(pdf_text):
    assert "»" in pdf_text and not re.search("[“”„\"]", pdf_text)


def test_the_appendices_are_lettered(pdf_text):
    assert "A Data og metode" in pdf_text and "B Verifikation" in pdf_text


def test_the_verification_appendix_names_statistics_in_danish_not_by_id(pdf_text):
    appendix = pdf_text.split("B Verifikation", 1)[1]
    assert "Andel af arbejdspladser med serviceinnovation" in appendix
    assert "workplaces_innovated" not in appendix and "innovations_improved_quality" not in appendix


def test_pdf_metadata_names_title_author_subject_keywords_and_language():
    info = dict(re.findall(r"^(\w+):\s+(.*)$", run("pdfinfo", str(PDF)), re.M))
    assert info["Title"] == "Organiser smartere"
    assert "Danmarks Statistik" in info["Author"]
    assert "Innovationsbarometeret" in info["Subject"] and "innovation" in info["Keywords"]
    assert b"/Lang(da)" in pdf_objects(PDF)


def pdf_objects(path) -> bytes:
    """The PDF's bytes with its compressed streams (where the catalog lives) inflated."""
    data = path.read_bytes()
    inflated = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            pass  # not a deflated stream
    return b"".join(inflated)


def test_pdf_bookmarks_lead_to_every_section():
    outline = run("pdftohtml", "-xml", "-i", "-q", "-stdout", str(PDF)).split("<outline>", 1)[1]
    pages = sorted(SITE.glob("notebooks/*.html")) + [SITE / "book/organiser-smartere.html", SITE / "book/verifikation.html"]
    titles = [re.search(r"<h1>([^<]+)", page.read_text(encoding="utf-8")).group(1).strip() for page in pages]
    for title in titles:
        assert f">{title}</item>" in outline, title


def latex_log() -> str:
    if not LATEX_LOG.exists():
        pytest.fail("no LaTeX log: run `make book` first (make test does)")
    return LATEX_LOG.read_text(encoding="utf-8", errors="replace")


def test_no_box_runs_more_than_5_pt_past_the_margin():
    overfull = [float(points) for points in re.findall(r"Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)", latex_log())]
    assert all(points <= 5 for points in overfull), overfull


def test_no_figure_is_placed_more_than_a_page_after_its_text():
    # The preamble writes each figure's anchor and its placement, by page, into the log.
    anchored = [int(p) for p in re.findall(r"print-edition figure anchored on page (\d+)", latex_log())]
    placed = [int(p) for p in re.findall(r"print-edition figure placed on page (\d+)", latex_log())]
    assert len(anchored) == len(placed) == 3
    assert all(0 <= b - a <= 1 for a, b in zip(anchored, placed)), list(zip(anchored, placed))


def test_a_second_build_of_the_same_input_gives_the_same_pdf_bytes(tmp_path):
    command = [
        str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT),
        "--path-output", str(tmp_path), "--builder", "pdflatex", "-W", "-n", "--keep-going",
    ]
    result = subprocess.run(command, cwd=ROOT, env=pdf_environment(), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (tmp_path / "_build" / "latex" / PDF_NAME).read_bytes() == PDF.read_bytes()
