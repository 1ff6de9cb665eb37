"""Tables as Markdown with Danish formats, and English ones in the English edition."""

import pandas as pd

from innobarometer.presentation.tables import estimates_table, markdown, not_tested, suppressed_note
from innobarometer.text.formatting import NBSP
from innobarometer.text.language import speaking


def test_number_columns_are_right_aligned_and_text_columns_left_aligned():
    text = markdown(pd.DataFrame({"Type": ["a"], "Andel": [f"70{NBSP}%"], "Note": ["ikke et tal"]})).data
    separator = text.splitlines()[1]
    assert separator.startswith("|:") and separator.count("-:|") == 1


def test_estimates_table_formats_shares_intervals_and_counts_in_danish():
    table = pd.DataFrame({"label": ["Proces"], "value": [0.7], "ci_low": [0.68], "ci_high": [0.72], "n": [2362]})
    text = estimates_table(table, "label", "Type").data
    assert f"70{NBSP}%" in text and f"68–72{NBSP}%" in text and "2.362" in text


def test_suppressed_estimate_shows_a_dash_and_the_rule_below_the_table():
    table = pd.DataFrame({"label": ["Region"], "value": [float("nan")], "ci_low": [float("nan")], "ci_high": [float("nan")], "n": [3]})
    text = estimates_table(table, "label", "Niveau").data
    assert "|       – |" in text and suppressed_note() in text and "nan" not in text


def test_estimate_from_fewer_than_thirty_is_marked_uncertain():
    table = pd.DataFrame({"label": ["Region"], "value": [0.5], "ci_low": [0.3], "ci_high": [0.7], "n": [12]})
    text = estimates_table(table, "label", "Niveau").data
    assert f"50{NBSP}%*" in text and "Usikkert skøn" in text


def test_a_column_of_numbers_stays_right_aligned_where_it_says_it_has_none():
    text = markdown(pd.DataFrame({"Type": ["a", "b"], "p-værdi": ["0,022", not_tested()]})).data
    assert text.splitlines()[1].endswith("-:|")


def test_a_count_with_a_thousands_point_is_printed_as_written():
    # tabulate would otherwise read '1.500' as the number 1.5
    text = markdown(pd.DataFrame({"Type": ["a"], "Antal svar": ["1.500"]})).data
    assert "1.500" in text and "1.5 " not in text


def test_english_estimates_table_has_english_headings_and_formats():
    table = pd.DataFrame({"label": ["Process"], "value": [0.7], "ci_low": [0.68], "ci_high": [0.72], "n": [2362]})
    with speaking("en"):
        text = estimates_table(table, "label", "Type").data
    headings = [cell.strip() for cell in text.splitlines()[0].strip("|").split("|")]
    assert headings == ["Type", "Share", "Confidence interval (95%)", "Responses"]
    assert "70%" in text and "68–72%" in text and "2,362" in text


def test_english_suppressed_estimate_is_explained_in_english():
    table = pd.DataFrame({"label": ["Region"], "value": [float("nan")], "ci_low": [float("nan")], "ci_high": [float("nan")], "n": [3]})
    with speaking("en"):
        text = estimates_table(table, "label", "Level").data
    assert "– Not shown: fewer than 5 answered yes or fewer than 5 no, or the number would give away another hidden number." in text
    assert "Ikke vist" not in text


def test_english_uncertain_estimate_is_marked_in_english():
    table = pd.DataFrame({"label": ["Region"], "value": [0.5], "ci_low": [0.3], "ci_high": [0.7], "n": [12]})
    with speaking("en"):
        text = estimates_table(table, "label", "Level").data
    assert "50%*" in text and "Uncertain estimate: fewer than 30 responses." in text


def test_english_not_tested_keeps_a_column_of_numbers_right_aligned():
    with speaking("en"):
        text = markdown(pd.DataFrame({"Type": ["a", "b"], "p-value": ["0.022", "not tested"]})).data
    assert text.splitlines()[1].endswith("-:|")


def test_a_table_shows_in_a_notebook_as_html_with_its_notes_and_escaped_cells():
    table = markdown(pd.DataFrame({"Kategori": ["<b>A</b>", "B"], "Andel": ["–", "40 %"]}))
    html = table._repr_html_()
    assert "<table" in html and "&lt;b&gt;A&lt;/b&gt;" in html and "<b>A" not in html
    assert "Ikke vist" in html and table.data.startswith("| Kategori")


def test_an_html_table_aligns_numbers_right_under_right_aligned_headings_and_text_left():
    from innobarometer.presentation.tables import html

    table = html(pd.DataFrame({"Kategori": ["<b>A</b>"], "Andel": [f"70{NBSP}%"], "Bemærkning": ["ikke et tal"]}), classes="table")
    assert '<th scope="col" class="text-left">Kategori</th><th scope="col" class="text-right">Andel</th><th scope="col" class="text-left">Bemærkning</th>' in table
    assert f'<td class="text-left">&lt;b&gt;A&lt;/b&gt;</td><td class="text-right">70{NBSP}%</td><td class="text-left">ikke et tal</td>' in table
    assert table.startswith('<table class="table">')
