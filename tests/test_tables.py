"""Tables as Markdown with Danish formats."""

import pandas as pd

from innobarometer.formatting import NBSP
from innobarometer.tables import estimates_table, markdown


def test_number_columns_are_right_aligned_and_text_columns_left_aligned():
    text = markdown(pd.DataFrame({"Type": ["a"], "Andel": [f"70{NBSP}%"], "Note": ["ikke et tal"]})).data
    separator = text.splitlines()[1]
    assert separator.startswith("|:") and separator.count("-:|") == 1


def test_estimates_table_formats_shares_intervals_and_counts_in_danish():
    table = pd.DataFrame({"label": ["Proces"], "value": [0.7], "ci_low": [0.68], "ci_high": [0.72], "n": [2362]})
    text = estimates_table(table, "label", "Type").data
    assert f"70{NBSP}%" in text and f"68-72{NBSP}%" in text and "2.362" in text
