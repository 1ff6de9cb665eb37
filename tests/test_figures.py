"""A figure's tools under the chart: the notes its numbers need."""

import altair as alt
import pandas as pd

from innobarometer.presentation.figures import Figure
from innobarometer.text.language import speaking


def figure(n):
    data = pd.DataFrame({"id": ["a"], "label": ["Region"], "value": [0.5], "ci_low": [0.3], "ci_high": [0.7], "n": [n]})
    return Figure(alt.Chart(data).mark_bar(), data, name="fig-test", source="Kilde")


def test_an_uncertain_estimate_gets_its_note_under_the_chart():
    assert "Usikkert skøn: færre end 30 svar." in figure(12).tools_html("vega-x")


def test_an_estimate_from_many_respondents_gets_no_note():
    assert "figure-note" not in figure(300).tools_html("vega-x")


def figure_with(rows, **fields):
    data = pd.DataFrame(rows)
    return Figure(alt.Chart(data).mark_bar(), data, name="fig-test", source="Kilde", title="Titel", **fields)


def csv_lines(figure):
    return figure.csv_text().removeprefix("\ufeff").split("\r\n")


def test_csv_opens_in_danish_excel_with_danish_headers_and_decimal_commas():
    text = figure_with([{"id": "a", "label": "Region", "value": 0.7034, "ci_low": 0.68, "ci_high": 0.72, "n": 300}]).csv_text()
    assert text.startswith("\ufeffKategori;Andel (%);Nedre grænse (%);Øvre grænse (%);Antal svar;Bemærkning;Nøgle i statistics.csv\r\n")
    assert "Region;70,3;68,0;72,0;300;;a\r\n" in text


def test_csv_shows_no_number_of_a_suppressed_estimate_and_says_why():
    lines = csv_lines(figure_with([{"id": "a", "label": "Lille", "value": float("nan"), "ci_low": float("nan"), "ci_high": float("nan"), "n": 3}]))
    assert lines[1] == "Lille;;;;3;Ikke vist: færre end 5 har svaret ja eller færre end 5 nej, eller tallet ville afsløre et andet skjult tal.;a"


def test_csv_carries_title_source_question_and_licence_under_the_table():
    lines = csv_lines(figure_with([{"id": "a", "label": "Region", "value": 0.5}], question="Spørgsmålet?"))
    metadata = dict(line.split(";", 1) for line in lines[lines.index("") + 1 :] if line)
    assert metadata["Titel"] == "Titel" and metadata["Kilde"] == "Kilde" and metadata["Spørgsmål"] == "Spørgsmålet?"
    assert "CC BY 4.0" in metadata["Licens"] and metadata["Adresse"] == "{sideadresse}"


def test_csv_cell_from_outside_the_repository_never_runs_as_a_formula():
    lines = csv_lines(figure_with([{"id": "a", "label": "=HYPERLINK(\"x\")", "value": 0.5}]))
    assert lines[1].startswith("\"'=HYPERLINK(\"\"x\"\")\"")


def test_downloads_and_citation_carry_the_escaped_title_and_source():
    tools = figure_with([{"id": "a", "label": "Region", "value": 0.5}], note="<b>note</b>").tools_html("vega-x")
    assert 'data-title="Titel"' in tools and 'data-source="Kilde: Kilde"' in tools and "&lt;b&gt;note&lt;/b&gt;" in tools
    assert "Sådan citerer du figuren" in tools and "»Titel«" in tools and 'rel="license"' in tools


def english_csv(rows, **fields):
    with speaking("en"):
        return figure_with(rows, **fields).csv_text()


def test_english_csv_uses_commas_between_fields_and_decimal_points():
    text = english_csv([{"id": "a", "label": "Region", "value": 0.7034, "ci_low": 0.68, "ci_high": 0.72, "n": 300}])
    assert text.startswith("\ufeffCategory,Share (%),Lower limit (%),Upper limit (%),Responses,Note,Key in statistics.csv\r\n")
    assert "Region,70.3,68.0,72.0,300,,a\r\n" in text


def test_english_csv_says_in_english_why_a_number_is_not_shown():
    text = english_csv([{"id": "a", "label": "Small", "value": float("nan"), "ci_low": float("nan"), "ci_high": float("nan"), "n": 3}])
    assert 'Small,,,,3,"Not shown: fewer than 5 answered yes or fewer than 5 no, or the number would give away another hidden number.",a\r\n' in text


def test_english_csv_metadata_block_is_in_english():
    lines = english_csv([{"id": "a", "label": "Region", "value": 0.5}], question="The question?").split("\r\n")
    metadata = dict(line.split(",", 1) for line in lines[lines.index("") + 1 :] if line)
    assert set(metadata) == {"Title", "Source", "Question", "Data", "Licence", "Address"}
    assert "provided the source is credited" in metadata["Licence"] and "deed.en" in metadata["Licence"]


def test_english_tools_cite_and_license_the_figure_in_english():
    with speaking("en"):
        tools = figure_with([{"id": "a", "label": "Region", "value": 0.5, "ci_low": 0.3, "ci_high": 0.7, "n": 12}]).tools_html("vega-x")
    for phrase in ["Source: Kilde", "The numbers behind the figure", "How to cite the figure:", "Organise smarter", "“Titel”",
                   ">Share</a>", "Download image (SVG)", "Uncertain estimate: fewer than 30 responses.", "Confidence interval (95%)"]:
        assert phrase in tools, phrase
    for danish in ["Kilde:", "Tallene", "Sådan", "Licens:", "Del<", "Usikkert", "Andel", "Antal svar"]:
        assert danish not in tools, danish


def test_the_numbers_behind_the_figure_are_a_table_with_numbers_right_aligned_under_their_headings():
    tools = figure_with([{"id": "a", "label": "Kommunikationsinnovation", "value": 0.46, "ci_low": 0.44, "ci_high": 0.48, "n": 2362}]).tools_html("vega-x")
    table = tools.split('<details class="figure-data">', 1)[1].split("</details>", 1)[0]
    assert '<table class="table figure-data-table">' in table and 'style="text-align' not in table
    assert '<th scope="col" class="text-left">Kategori</th><th scope="col" class="text-right">Andel</th>' in table
    assert '<td class="text-left">Kommunikationsinnovation</td><td class="text-right">46\u00a0%</td>' in table
