"""Tables as Markdown with Danish formats."""

import pandas as pd

from innobarometer.formatting import NBSP
from innobarometer.tables import NOT_TESTED, SUPPRESSED_NOTE, estimates_table, markdown


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
    assert "|       – |" in text and SUPPRESSED_NOTE in text and "nan" not in text


def test_estimate_from_fewer_than_thirty_is_marked_uncertain():
    table = pd.DataFrame({"label": ["Region"], "value": [0.5], "ci_low": [0.3], "ci_high": [0.7], "n": [12]})
    text = estimates_table(table, "label", "Niveau").data
    assert f"50{NBSP}%*" in text and "Usikkert skøn" in text


def test_a_column_of_numbers_stays_right_aligned_where_it_says_it_has_none():
    text = markdown(pd.DataFrame({"Type": ["a", "b"], "p-værdi": ["0,022", NOT_TESTED]})).data
    assert text.splitlines()[1].endswith("-:|")


def test_a_count_with_a_thousands_point_is_printed_as_written():
    # tabulate would otherwise read '1.500' as the number 1.5
    text = markdown(pd.DataFrame({"Type": ["a"], "Antal svar": ["1.500"]})).data
    assert "1.500" in text and "1.5 " not in text
