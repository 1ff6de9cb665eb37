"""The disclosure rule: which estimates may be shown, what a suppressed row keeps, and which
further cells a published total and its parts require to be suppressed (τ-ARGUS), checked by an
intruder's linear programme (tests/feasibility.py)."""

import itertools

import numpy as np
import pandas as pd
import pytest

from feasibility import intervals
from innobarometer.estimates.disclosure import DisclosureError, audit, is_suppressed, is_uncertain, leaks, protect, protection_interval, suppress


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


def test_a_suppressed_row_keeps_n_and_loses_every_estimate_and_its_answer_counts():
    table = suppress(pd.DataFrame({"n": [3, 50], "n_yes": [1, 25], "value": [0.5, 0.5], "ci_low": [0.1, 0.4], "se": [0.2, 0.05], "p_value": [0.01, 0.2]}))
    assert table["suppressed"].tolist() == [True, False] and table.loc[0, "n"] == 3
    assert pd.isna(table.loc[0, ["value", "ci_low", "se", "p_value", "n_yes"]]).all()
    assert table.loc[1, "value"] == 0.5 and table.loc[1, "n_yes"] == 25


def test_a_row_that_should_be_suppressed_but_is_not_is_a_leak():
    table = pd.DataFrame({"id": ["a", "b"], "n": [40, 40], "n_yes": [40, 20], "value": [1.0, 0.5], "suppressed": [False, False]})
    assert leaks(table)["id"].tolist() == ["a"]


def levels(n, n_yes):
    """A type's counts for all workplaces and by level: rows all, kommune, region, stat."""
    return pd.DataFrame({"type": "any", "breakdown": ["all", "kommune", "region", "stat"], "n": n, "n_yes": n_yes})


def protected_levels(n, n_yes):
    return protect(levels(n, n_yes), ["breakdown"], {"breakdown": "all"}, separately="type")


def test_a_yes_count_is_kept_open_one_respondent_either_way_and_to_the_threshold_on_both_sides():
    assert protection_interval(0, 40) == (0, 5)  # up to 5 yes
    assert protection_interval(3, 40) == (1, 2)
    assert protection_interval(20, 40) == (1, 1)
    assert protection_interval(12, 12) == (5, 0)  # down to 5 no; no count lies above n
    assert protection_interval(3, 6) == (2, 2)  # from 1 to 5 yes: 5 yes or 5 no remain possible
    assert protection_interval(0, 1) == (0, 1)


def test_a_single_suppressed_level_gets_a_complement():
    # stat: 12 who all innovated; all, kommune and region would give it away
    result = protected_levels([100, 60, 28, 12], [70, 40, 18, 12])
    assert result["primary"].tolist() == [False, False, False, True]
    assert result["suppressed"].sum() == 2 and result.loc[3, "suppressed"] and not result.loc[0, "suppressed"]


def test_the_complement_is_the_published_level_that_costs_fewest_respondents():
    result = protected_levels([100, 60, 28, 12], [70, 40, 18, 12])
    assert result["suppressed"].tolist() == [False, False, True, True]


def test_two_suppressed_parts_that_keep_each_other_open_need_no_complement():
    # region: all 10 said yes; stat: none of 10; together 10 of 20, so each lies anywhere in 0-10
    result = protected_levels([100, 80, 10, 10], [60, 50, 10, 0])
    assert result["suppressed"].tolist() == [False, False, True, True]


def test_a_level_without_respondents_is_known_and_protects_nothing():
    # region has no respondents: all = kommune and stat together, so stat still needs a complement
    result = protected_levels([100, 88, 0, 12], [70, 58, 0, 12])
    assert result["suppressed"].tolist() == [False, True, False, True]


def test_two_levels_where_no_one_said_yes_get_a_third_to_keep_them_open():
    # region and stat: 0 of 1 each; with all and kommune published their yes answers would add up to 0
    result = protected_levels([65, 63, 1, 1], [40, 40, 0, 0])
    assert result["suppressed"].tolist() == [False, True, True, True]


def test_a_table_without_a_primary_cell_is_published_whole():
    result = protected_levels([100, 60, 28, 12], [50, 30, 14, 6])
    assert not result["suppressed"].any()


def test_a_suppressed_count_stays_open_up_to_the_threshold_for_an_intruder():
    # region: 3 of 6 said yes; the published cells must leave its yes count open from 2 to 5 at least
    table = levels([345, 254, 6, 85], [183, 136, 3, 44])
    result = protect(table, ["breakdown"], {"breakdown": "all"})
    found = intervals(result, ["breakdown"], {"breakdown": "all"})
    assert found.loc[2, "low"] <= 2 and found.loc[2, "high"] >= 5


def two_way(n_yes, n):
    """A table of combinations (rows x, y, total) by level (k, r, total)."""
    cells = [(c, b) for c in ["x", "y", "total"] for b in ["k", "r", "total"]]
    return pd.DataFrame({"combination": [c for c, _ in cells], "breakdown": [b for _, b in cells], "n": n, "n_yes": n_yes})


TWO_WAY = (["combination", "breakdown"], {"combination": "total", "breakdown": "total"})


def test_in_a_two_way_table_no_suppressed_count_can_be_narrowed_below_its_protection():
    table = two_way(n_yes=[20, 2, 22, 15, 30, 45, 35, 32, 67], n=[40, 10, 50, 30, 60, 90, 70, 70, 140])
    result = protect(table, *TWO_WAY)
    found = intervals(result, *TWO_WAY)
    assert result.loc[1, "primary"] and len(found) >= 4  # (x, r) has 2 yes: its row and column need complements
    for cell, row in result[result["primary"]].iterrows():
        below, above = protection_interval(int(row["n_yes"]), int(row["n"]))
        assert found.loc[cell, "low"] <= row["n_yes"] - below and found.loc[cell, "high"] >= row["n_yes"] + above
    assert (found["low"] < found["high"]).all()  # no suppressed cell is given away


def test_optimal_suppression_hides_no_more_than_the_four_cells_a_two_way_table_needs():
    table = two_way(n_yes=[20, 2, 22, 15, 30, 45, 35, 32, 67], n=[40, 10, 50, 30, 60, 90, 70, 70, 140])
    assert protect(table, *TWO_WAY)["suppressed"].sum() == 4


def test_a_total_that_is_not_the_sum_of_its_parts_is_refused():
    with pytest.raises(DisclosureError, match="sums of their parts"):
        protect(levels([100, 60, 28, 13], [70, 40, 18, 12]), ["breakdown"], {"breakdown": "all"})


def test_tau_argus_leaves_no_file_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    protected_levels([100, 60, 28, 12], [70, 40, 18, 12])
    assert list(tmp_path.iterdir()) == []


def test_a_cell_shown_in_a_linked_table_is_not_chosen_as_a_complement():
    # region, the cheapest complement of stat's, is published in a table this one shares it with
    table = levels([100, 60, 28, 12], [70, 40, 18, 12]).assign(given=[None, None, "shown", None])
    assert protect(table, ["breakdown"], {"breakdown": "all"}, separately="type")["suppressed"].tolist() == [False, True, False, True]


def test_a_cell_hidden_in_a_linked_table_stays_hidden_and_serves_as_the_complement():
    table = levels([100, 60, 28, 12], [70, 40, 18, 12]).assign(given=[None, "hidden", None, None])
    assert protect(table, ["breakdown"], {"breakdown": "all"}, separately="type")["suppressed"].tolist() == [False, True, False, True]


LINKED = (["level", "size", "combination"], {"level": "all", "size": "all", "combination": "all"})


def cover(inner: dict, hidden: set) -> pd.DataFrame:
    """The cover table of a table by level (k, r) and one by size (s, l), both by combination (x, y),
    from its inner cells {(level, size, combination): (n, n_yes)}: each table's cells published, the
    `hidden` ones suppressed; the inner cells, which belong to neither, shown nowhere."""
    rows = []
    for cell in itertools.product(["k", "r", "all"], ["s", "l", "all"], ["x", "y", "all"]):
        counts = [v for key, v in inner.items() if all(c in (k, "all") for c, k in zip(cell, key))]
        published = "all" in cell[:2]
        rows.append(dict(zip(LINKED[0], cell), n=sum(n for n, _ in counts), n_yes=sum(y for _, y in counts), published=published, suppressed=not published or cell in hidden))
    return pd.DataFrame(rows)


#: Municipal product innovations: 6, 2 of which improved quality (fewer than 5), hidden by level
#: with its complements: municipal service, and both for all levels.
INNER = {("k", "s", "x"): (6, 2), ("r", "s", "x"): (10, 5), ("r", "l", "x"): (10, 5), **{(level, size, "y"): (10, 5) for level in "kr" for size in "sl"}}
BY_LEVEL_HIDDEN = {("k", "all", "x"), ("k", "all", "y"), ("all", "all", "x"), ("all", "all", "y")}


def test_the_audit_finds_a_hidden_count_that_a_linked_table_gives_away():
    # by size, x's small and large add up to all x: 12 improved, less regional x's 10 leaves municipal x's 2
    short = audit(cover(INNER, BY_LEVEL_HIDDEN), *LINKED)
    assert cover(INNER, set()).loc[short, ["level", "size", "combination"]].values.tolist() == [["k", "all", "x"]]


def test_the_audit_passes_linked_tables_that_leave_every_hidden_count_open():
    assert not audit(cover(INNER, BY_LEVEL_HIDDEN | {("all", "s", "x"), ("all", "s", "y")}), *LINKED).any()
