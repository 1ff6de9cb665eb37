"""A whole book built on a file with other truths than the stand-in (tests/other_files.py).

No page mentions synthetic data, no estimate that the disclosure rule suppresses appears,
nothing is NaN, the sentences that rank or count agree with that file's numbers, and the
design's strata (a lonely one and a census among them) are named.
"""

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from html_pages import text_without_code, visible_text
from innobarometer.data.microdata import load_microdata
from innobarometer.estimates import audit, disclosure
from innobarometer.estimates.statistics_record import read
from organiser_smartere import disclosure_record
from other_files import STATE_RESPONDENTS

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def book(other_book):
    """The other book: its site folder and its statistics."""
    copy, *_ = other_book
    return copy / "_build" / "html", read(copy / "_build" / "statistics.csv")


def page_texts(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): visible_text(p) for p in sorted(site.rglob("*.html")) if "_static" not in p.parts}


def test_no_page_mentions_synthetic_data(book):
    site, _ = book
    mentions = [page for page, text in page_texts(site).items() if "syntetisk" in text.lower() or "synthetic" in text.lower()]
    assert mentions == []
    for pdf_file in [site / "organiser-smartere.pdf", site / "en" / "organise-smarter.pdf"]:
        pdf = subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True).stdout
        assert pdf and "syntetisk" not in pdf.lower() and "synthetic" not in pdf.lower(), pdf_file.name


def test_no_estimate_the_disclosure_rule_suppresses_is_published(book):
    _, statistics = book
    shown = statistics[~statistics["suppressed"]]
    assert (shown["n"] >= 2 * disclosure.MIN_RESPONDENTS).all()
    assert not shown["value"].isin([0.0, 1.0]).any()  # else every member's answer shows
    hidden = statistics[statistics["suppressed"]]
    assert hidden[["value", "ci_low", "ci_high", "se", "p_value"]].isna().all().all()


def test_no_page_prints_nan(book):
    site, _ = book
    texts = {p.relative_to(site).as_posix(): text_without_code(p) for p in sorted(site.rglob("*.html")) if "_static" not in p.parts}
    assert [page for page, text in texts.items() if "nan %" in text.lower() or " nan " in text.lower()] == []


def test_the_ranking_sentence_follows_the_files_shares(book):
    site, statistics = book
    types = {"process": "proces- eller organisatorisk innovation", "service": "serviceinnovation", "communication": "kommunikationsinnovation", "product": "produktinnovation"}
    order = sorted(types, key=lambda t: -statistics.loc[f"workplaces_innovated_{t}", "value"])
    text = visible_text(site / "book" / "organiser-smartere.html").lower()
    sentence = text[text.index("er den hyppigst indførte") - 60 :]
    positions = [sentence.index(types[t]) for t in order]
    assert positions == sorted(positions)


def test_service_first_when_service_beats_process(book):
    site, _ = book
    assert "Serviceinnovation er den hyppigst indførte innovationstype" in visible_text(site / "notebooks" / "innovationstyper.html")


def test_the_method_page_names_the_stratified_design_and_its_lonely_stratum_rule(book):
    site, _ = book
    text = visible_text(site / "notebooks" / "data-og-metode.html")
    assert "stratificeret stikprøve udtrukket uden tilbagelægning" in text
    assert "ét svar" in text and "hele stikprøvens gennemsnit" in text


def test_no_significant_combination_is_said_and_small_cells_are_dashes(book):
    site, statistics = book
    assert not statistics.filter(like="innovations_improved_quality.", axis=0)["shown"].eq(True).any()
    page = visible_text(site / "notebooks" / "kvalitet.html")
    assert "Ingen kombinationer fører signifikant oftere eller sjældnere til øget kvalitet" in page
    assert "Ikke vist: færre end 5 har svaret ja" in page


def test_a_missing_government_level_is_suppressed_and_said(book):
    site, statistics = book
    row = statistics.loc["workplaces_innovated_any.region"]
    assert row["n"] == 0 and row["suppressed"] and pd.isna(row["value"])


def test_a_level_where_everyone_innovated_is_suppressed_with_a_complement(book):
    site, statistics = book
    state, municipal = statistics.loc["workplaces_innovated_any.stat"], statistics.loc["workplaces_innovated_any.kommune"]
    assert state["n"] == STATE_RESPONDENTS and state["suppressed"]
    # all workplaces = municipal and state together: the municipal share would give the state's away
    assert municipal["suppressed"] and not statistics.loc["workplaces_innovated_any", "suppressed"]


@pytest.fixture(scope="module")
def record(other_book):
    """The disclosure record of the other file, as the build's audit computes it."""
    _, data, *_ = other_book
    return disclosure_record.every_cell(load_microdata(data))


def test_both_figures_hide_cells_first_and_as_complements_at_the_levels_and_among_all_workplaces(record):
    hidden = record[record["suppressed"]]
    figure_1, figure_2 = hidden[hidden["id"].str.startswith("workplaces_")], hidden[hidden["id"].str.startswith("innovations_")]
    for cells in (figure_1, figure_2):
        assert cells["primary"].any() and (~cells["primary"]).any()
        assert (cells["breakdown"] != "all").any()
    assert ((figure_2["breakdown"] == "all") & figure_2["primary"]).any() and ((figure_2["breakdown"] == "all") & ~figure_2["primary"]).any()


def test_no_published_file_holds_a_suppressed_cells_share_or_answer_counts(book, record):
    site, _ = book
    assert [str(leak) for leak in audit.scan(site, audit.Record(record))] == []


def test_the_executed_notebooks_show_no_answer_counts_of_a_suppressed_cell(book, record):
    # issue 28: the downloaded innovationstyper.ipynb showed n_yes beside suppressed=True
    site, _ = book
    respondents = record.loc[record["suppressed"]].set_index("id")["n"].astype(str)
    for notebook in [site / "notebooks" / "innovationstyper.ipynb", site / "en" / "notebooks" / "innovationstyper.ipynb"]:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        printed = ["".join(o["data"]["text/plain"]) for c in cells for o in c.get("outputs", []) if "n_yes" in "".join(o.get("data", {}).get("text/plain", ""))]
        rows = [line.split() for text in printed for line in text.splitlines() if line.split() and line.split()[0] in respondents.index]
        shown = [(row[0], [v for v in row[1:] if v not in ("<NA>", "NaN", "True", "False", respondents[row[0]])]) for row in rows]
        assert rows and all(not values for _, values in shown), shown


def test_weights_that_do_not_add_up_to_the_strata_are_said_in_the_build_and_on_the_method_page(other_book, book):
    # the other file's stratum of one respondent and its census stratum keep their weights
    *_, stdout = other_book
    site, _ = book
    assert "Warning: the weights do not add up to stratum_population" in stdout and "Traceback" not in stdout
    assert "summerer vægtene ikke til antallet af arbejdspladser i populationen" in visible_text(site / "notebooks" / "data-og-metode.html")
