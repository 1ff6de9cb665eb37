"""The PDF editions (from `make book`): typeset, A4, fonts embedded, the same numbers as the web.

Tests with an `edition` run on the Danish and the English PDF alike; the others are about the
Danish original's typography."""

import functools
import re
import subprocess
import zlib

import pytest

from html_pages import visible_text
from innobarometer.building.build import SITE, STAGINGS, STATISTICS
from innobarometer.estimates.statistics_record import read
from innobarometer.paths import PDF_NAME, pdf_name
from innobarometer.presentation.notes import source_line
from innobarometer.site.editions import FOLDER
from innobarometer.text.formatting import NBSP, percent
from innobarometer.text.language import LANGUAGES, language, speaking

PDF = SITE / PDF_NAME
#: Each edition's PDF in the site and its LaTeX log.
PDFS = {language: SITE / FOLDER[language] / pdf_name(language) for language in LANGUAGES}
LATEX_LOGS = {language: (STAGINGS[language] / "_build" / "latex" / pdf_name(language)).with_suffix(".log") for language in LANGUAGES}
pytestmark = pytest.mark.book  # pdftotext and pdfinfo: poppler-utils, which make setup installs


def run(*command) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def text(da: str, en: str) -> str:
    """What the test expects in the edition's language."""
    return en if language() == "en" else da


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(NBSP, " "))


@functools.cache
def text_of(language: str) -> str:
    if not PDFS[language].exists():
        pytest.fail("no PDF: run `make book` first (make test does)")
    return folded(run("pdftotext", "-enc", "UTF-8", str(PDFS[language]), "-"))


@pytest.fixture
def pdf_text():
    return text_of("da")


@pytest.fixture(params=LANGUAGES)
def edition(request):
    """An edition's language; texts made inside the test speak it."""
    with speaking(request.param):
        yield request.param


def test_pdf_is_a4_with_a_sane_number_of_pages(edition):
    info = run("pdfinfo", str(PDFS[edition]))
    assert "(A4)" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 8 <= pages <= 40


def test_every_font_is_embedded(edition):
    rows = run("pdffonts", str(PDFS[edition])).splitlines()[2:]
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


def test_every_figure_caption_is_in_the_pdf(edition):
    pdf_text, captions = text_of(edition), []
    for page in (SITE / FOLDER[edition]).glob("*/*.html"):
        captions += re.findall(r'<figcaption>\s*<p><span class="caption-number">.*?</span>\s*<span class="caption-text">(.*?)</span>', page.read_text(encoding="utf-8"), re.S)
    assert len(captions) >= 3
    for caption in captions:
        first_words = " ".join(re.sub(r"<[^>]+>", "", caption).split()[:6])
        assert folded(first_words) in pdf_text, first_words


def test_every_statistic_the_book_prints_is_in_the_pdf_in_its_editions_format(edition):
    pdf_text, stats = text_of(edition), read(STATISTICS)
    # Per-sector estimates appear in the web edition's menus; the print edition prints those of
    # all workplaces and the sector table of Figure 1.
    by_sector = stats.index.str.contains(r"\.(?:kommune|region|stat)$") & ~stats.index.str.startswith("workplaces_innovated_any.")
    for statistic, row in stats[~by_sector & ~stats["suppressed"]].iterrows():
        assert folded(percent(row["value"])) in pdf_text, statistic


def test_code_is_left_out_of_the_print_edition(edition):
    assert "load_microdata" not in text_of(edition) and text("Del citat", "Share quote") not in text_of(edition)


def test_the_pdf_is_one_chapter_without_chapter_openers(edition):
    chapter = text("Kapitel", "Chapter")
    assert chapter.upper() not in text_of(edition)
    assert not re.search(rf"\b{chapter} \d", text_of(edition))


@pytest.mark.parametrize(
    "web_only",
    [r"\bmake (?:book|test|setup|verify)\b", "INNOBAROMETER_DATA", "Udforsk", "Explore", "[Mm]enu", "Del citat", "Share quote", "[Dd]ownload", "Jupyter", r"\w\.(?:csv|py|yml)\b"],
)
def test_matter_that_only_makes_sense_on_the_web_is_not_printed(edition, web_only):
    assert not re.search(web_only, text_of(edition)), re.search(web_only, text_of(edition))


def test_print_says_in_words_what_the_web_shows_with_a_menu(pdf_text):
    assert "Figuren viser alle offentlige arbejdspladser" in pdf_text


def test_figure_1s_caption_says_in_print_what_its_numbers_are_computed_from(pdf_text):
    caption = pdf_text.split("Figur 1:", 1)[1].split("Figur 2:", 1)[0]
    assert folded(source_line()) in caption


def test_figures_are_numbered_1_to_3_through_the_chapter(edition):
    assert re.findall(text("Figur", "Figure") + r" (\S+):", text_of(edition)) == ["1", "2", "3"]


def test_no_tex_dash_markup_is_printed(edition):
    assert "--" not in text_of(edition)


def test_attributions_take_an_em_dash(pdf_text):
    assert "—Mads Leth Jakobsen" in pdf_text


def test_ranges_of_numbers_take_an_en_dash(edition):
    assert "2015–2016" in text_of(edition)
    prose = re.sub(r"https?://\S+", "", text_of(edition))  # addresses keep their hyphens
    assert not re.search(r"\d-\d", prose), re.search(r".{20}\d-\d.{20}", prose)


def test_quotes_are_danish_guillemets_throughout(pdf_text):
    assert "»" in pdf_text and not re.search("[“”„\"]", pdf_text)


def test_the_appendices_are_lettered(pdf_text):
    assert "A Innovationstyper i den offentlige sektor" in pdf_text and "E Data og metode" in pdf_text and "F Verifikation" in pdf_text


def test_the_verification_appendix_names_statistics_in_danish_not_by_id(pdf_text):
    appendix = pdf_text.split("F Verifikation", 1)[1]
    assert "Andel af arbejdspladser med serviceinnovation" in appendix
    assert "workplaces_innovated" not in appendix and "innovations_improved_quality" not in appendix


def test_pdf_metadata_names_title_author_subject_keywords_and_language(edition):
    info = dict(re.findall(r"^(\w+):\s+(.*)$", run("pdfinfo", str(PDFS[edition])), re.M))
    assert info["Title"] == text("Organiser smartere", "Organise smarter")
    assert text("Danmarks Statistik", "Statistics Denmark") in info["Author"]
    assert text("Innovationsbarometeret", "Innovation Barometer") in info["Subject"] and "innovation" in info["Keywords"]
    assert f"/Lang({edition})".encode() in pdf_objects(PDFS[edition])


def pdf_objects(path) -> bytes:
    """The PDF's bytes with its compressed streams (where the catalog lives) inflated."""
    data = path.read_bytes()
    inflated = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            # the end of line before `endstream` is not part of the data, nor always a single \n:
            # decompressobj stops at the end of the deflated data and leaves what follows
            inflated.append(zlib.decompressobj().decompress(stream.group(1)))
        except zlib.error:
            pass  # not a deflated stream
    return b"".join(inflated)


def test_pdf_bookmarks_lead_to_every_section(edition):
    outline = run("pdftohtml", "-xml", "-i", "-q", "-stdout", str(PDFS[edition])).split("<outline>", 1)[1]
    site = SITE / FOLDER[edition]
    pages = sorted(site.glob("notebooks/*.html")) + [site / "book/organiser-smartere.html", site / "book/verifikation.html"]
    titles = [re.search(r"<h1>([^<]+)", page.read_text(encoding="utf-8")).group(1).strip() for page in pages]
    for title in titles:
        assert f">{title}</item>" in outline, title


def latex_log(language: str) -> str:
    if not LATEX_LOGS[language].exists():
        pytest.fail("no LaTeX log: run `make book` first (make test does)")
    return LATEX_LOGS[language].read_text(encoding="utf-8", errors="replace")


def test_no_box_runs_more_than_5_pt_past_the_margin(edition):
    overfull = [float(points) for points in re.findall(r"Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)", latex_log(edition))]
    assert all(points <= 5 for points in overfull), overfull


def test_every_figure_is_placed_before_the_next_section_starts(edition):
    # The log has the figures' anchors and placements and the sections' starts in page order.
    events = re.findall(r"print-edition (figure anchored|figure placed|section starts) on page", latex_log(edition))
    waiting = False
    for event in events:
        assert not (waiting and event == "section starts"), events
        waiting = {"figure anchored": True, "figure placed": False}.get(event, waiting)
    assert events.count("figure placed") == 3 and events.count("section starts") >= 3


def test_no_figure_is_placed_more_than_a_page_after_its_text(edition):
    # The preamble writes each figure's anchor and its placement, by page, into the log.
    anchored = [int(p) for p in re.findall(r"print-edition figure anchored on page (\d+)", latex_log(edition))]
    placed = [int(p) for p in re.findall(r"print-edition figure placed on page (\d+)", latex_log(edition))]
    assert len(anchored) == len(placed) == 3
    assert all(0 <= b - a <= 1 for a, b in zip(anchored, placed)), list(zip(anchored, placed))


@functools.cache
def pages_of(language: str) -> list[str]:
    """Each page's text, folded."""
    return [folded(page) for page in run("pdftotext", "-enc", "UTF-8", str(PDFS[language]), "-").split("\f")]


def chapter_html(language: str) -> str:
    return (SITE / FOLDER[language] / "book/organiser-smartere.html").read_text(encoding="utf-8")


def plain(markup: str) -> str:
    import html

    return folded(html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


def test_the_cover_is_followed_by_a_contents_page_listing_the_chapter_and_its_appendices(edition):
    cover, contents = pages_of(edition)[:2]
    assert text("Organiser smartere", "Organise smarter") in cover
    assert contents.startswith(text("Indhold", "Contents"))
    assert text("Organiser smartere", "Organise smarter") in contents and text("Verifikation", "Verification") in contents


def test_the_cover_says_where_the_numbers_come_from(edition):
    from innobarometer.presentation.notes import data_note_text

    assert " ".join(data_note_text().split()[:6]) in pages_of(edition)[0]


def test_every_figure_prints_its_message_title(edition):
    titles = [plain(t) for t in re.findall(r'<p class="figure-title">(.*?)</p>', chapter_html(edition), re.S)]
    assert len(titles) == 3
    for title in titles:
        assert title in text_of(edition), title


def test_each_quote_stands_whole_on_one_page(edition):
    page = re.sub(r'<details class="quote-original">.*?</details>', "", chapter_html(edition), flags=re.S)  # web only
    quotes = [plain(q) for q in re.findall(r'<blockquote class="pull-quote"[^>]*>(.*?)</blockquote>', page, re.S)]
    assert len(quotes) == 3
    for quote in quotes:
        words = quote.split()
        first, last = " ".join(words[:6]), " ".join(words[-12:-6])  # the attribution's words end it
        pages = [i for i, page in enumerate(pages_of(edition)) if first in page]
        assert pages and last in pages_of(edition)[pages[0]], (first, last)


#: The width of the text column, to which LaTeX scales a wider chart down (pt).
TEXT_WIDTH = 453


def test_chart_text_prints_at_8_pt_or_more(edition):
    latex = LATEX_LOGS[edition].parent
    charts = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{([0-9a-f]+)\}", (latex / pdf_name(edition)).with_suffix(".tex").read_text(encoding="utf-8"))
    assert len(charts) == 3
    for chart in charts:
        width = float(re.search(r"Page size:\s+([\d.]+)", run("pdfinfo", str(latex / f"{chart}.pdf")))[1])
        heights = [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', run("pdftotext", "-bbox", str(latex / f"{chart}.pdf"), "-"))]
        assert min(heights) * min(1, TEXT_WIDTH / width) >= 8, chart  # vl-convert's text box is its font size
