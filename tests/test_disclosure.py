"""The disclosure rule: which estimates may be shown, what a suppressed row keeps, and which
further cells a published total and its parts require to be suppressed."""

import numpy as np
import pandas as pd

from innobarometer.disclosure import determined_cells, is_suppressed, is_uncertain, leaks, protected, relations, suppress


def test_four_respondents_are_suppressed():
    assert is_suppressed(4) and is_suppressed(4, n_yes=2)


def test_a_share_needs_five_who_answered_yes_and_five_who_answered_no():
    assert not is_suppressed(10, n_yes=5)
    assert is_suppressed(40, n_yes=4) and is_suppressed(40, n_yes=36)


def test_all_or_none_is_suppressed_however_many_answered():
    # a share of 0 or 1 tells every member's answer
    assert is_suppressed(500, n_yes=500) and is_suppressed(500, n_yes=0)
    assert is_suppressed(500, 1.0) and is_suppressed(500, 0.0)  # without counts: by the share


def test_without_answer_counts_fewer_than_ten_respondents_are_suppressed():
    # five yes and five no need ten at least
    assert is_suppressed(9, 0.5) and not is_suppressed(10, 0.5)


def test_estimates_below_thirty_are_uncertain():
    assert is_uncertain(10) and is_uncertain(29) and not is_uncertain(30) and not is_uncertain(4)


def test_a_suppressed_row_keeps_n_and_loses_every_estimate():
    table = suppress(pd.DataFrame({"n": [3, 50], "value": [0.5, 0.5], "ci_low": [0.1, 0.4], "se": [0.2, 0.05], "p_value": [0.01, 0.2]}))
    assert table["suppressed"].tolist() == [True, False] and table.loc[0, "n"] == 3
    assert np.isnan(table.loc[0, ["value", "ci_low", "se", "p_value"]].astype(float)).all()
    assert table.loc[1, "value"] == 0.5


def test_a_row_that_should_be_suppressed_but_is_not_is_a_leak():
    table = pd.DataFrame({"id": ["a", "b"], "n": [40, 40], "n_yes": [40, 20], "value": [1.0, 0.5], "suppressed": [False, False]})
    assert leaks(table)["id"].tolist() == ["a"]


def levels(n, n_yes, value=None):
    """A type's share for all workplaces and by level: rows all, kommune, region, stat."""
    value = value or [y / m if m else np.nan for y, m in zip(n_yes, n)]
    return pd.DataFrame({"type": "any", "breakdown": ["all", "kommune", "region", "stat"], "n": n, "n_yes": n_yes, "value": value})


def test_relations_put_the_total_first_then_its_parts():
    table = levels([100, 60, 28, 12], [50, 30, 14, 6])
    assert relations(table, "breakdown", "type", "all") == [[0, 1, 2, 3]]


def test_a_single_suppressed_level_gets_the_smallest_published_level_as_complement():
    # stat: 12 who all innovated; all, kommune and region would give it away (exactly with equal weights)
    table = levels([100, 60, 28, 12], [70, 40, 18, 12])
    result = protected(table, relations(table, "breakdown", "type", "all"))
    assert result["suppressed"].tolist() == [False, False, True, True]
    assert np.isnan(result.loc[2, "value"]) and result.loc[2, "n"] == 28


def test_two_suppressed_parts_need_no_complement():
    table = levels([100, 80, 10, 10], [60, 50, 10, 0])
    result = protected(table, relations(table, "breakdown", "type", "all"))
    assert result["suppressed"].tolist() == [False, False, True, True]


def test_a_level_without_respondents_is_known_and_protects_nothing():
    # region has no respondents: all = kommune and stat together, so stat still needs a complement
    table = levels([100, 88, 0, 12], [70, 58, 0, 12])
    result = protected(table, relations(table, "breakdown", "type", "all"))
    assert result["suppressed"].tolist() == [False, True, True, True]


def two_way(n_yes, n):
    """A table of combinations (rows x, y, total) by level (k, r, total): the cells of both relations."""
    cells = [(c, b) for c in ["x", "y", "total"] for b in ["k", "r", "total"]]
    return pd.DataFrame(
        {"combination": [c for c, _ in cells], "breakdown": [b for _, b in cells], "n": n, "n_yes": n_yes, "value": [y / m for y, m in zip(n_yes, n)]}
    )


def two_way_relations(table):
    return relations(table, "breakdown", "combination", "total") + relations(table, "combination", "breakdown", "total")


def test_in_a_two_way_table_every_row_and_column_with_a_suppressed_cell_gets_a_second():
    table = two_way(n_yes=[20, 2, 22, 15, 30, 45, 35, 32, 67], n=[40, 10, 50, 30, 60, 90, 70, 70, 140])
    result = protected(table, two_way_relations(table)).set_index(["combination", "breakdown"])["suppressed"]
    # (x, r) has 2 yes: its row and its column each need a complement, and those cells' lines too
    hidden = set(result[result].index)
    assert ("x", "r") in hidden and len(hidden) >= 4
    for relation in two_way_relations(table):
        cells = set(table.loc[relation].set_index(["combination", "breakdown"]).index)
        assert len(cells & hidden) != 1


def test_a_cell_that_the_relations_determine_is_found():
    # total = a + b, and b = c: with a, b and c suppressed only their sums are known; with c
    # published, b = c gives b away, and a = total - b with it
    assert determined_cells([["t", "a", "b"], ["b", "c"]], ["a", "b", "c"]) == []
    assert determined_cells([["t", "a", "b"], ["b", "c"]], ["a", "b"]) == ["a", "b"]
