"""The disclosure rule: which estimates may be shown, and what a suppressed row keeps."""

import numpy as np
import pandas as pd

from innobarometer.disclosure import is_suppressed, is_uncertain, leaks, suppress


def test_four_respondents_are_suppressed_and_five_are_shown():
    assert is_suppressed(4) and not is_suppressed(5)


def test_a_share_of_one_from_fewer_than_thirty_is_suppressed():
    # it would tell every member's answer, and its subgroups' suppressed shares with it
    assert is_suppressed(12, 1.0) and is_suppressed(29, 0.0) and not is_suppressed(30, 1.0)


def test_estimates_from_five_to_twenty_nine_are_uncertain():
    assert is_uncertain(5) and is_uncertain(29) and not is_uncertain(30) and not is_uncertain(4)


def test_a_suppressed_row_keeps_n_and_loses_every_estimate():
    table = suppress(pd.DataFrame({"n": [3, 50], "value": [0.5, 0.5], "ci_low": [0.1, 0.4], "se": [0.2, 0.05], "p_value": [0.01, 0.2]}))
    assert table["suppressed"].tolist() == [True, False] and table.loc[0, "n"] == 3
    assert np.isnan(table.loc[0, ["value", "ci_low", "se", "p_value"]].astype(float)).all()
    assert table.loc[1, "value"] == 0.5


def test_a_row_that_should_be_suppressed_but_is_not_is_a_leak():
    table = pd.DataFrame({"id": ["a", "b"], "n": [12, 12], "value": [1.0, 0.5], "suppressed": [False, False]})
    assert leaks(table)["id"].tolist() == ["a"]
