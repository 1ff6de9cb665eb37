"""Figure 2: quality by combination of types, and the rule that decides which bars are shown."""

import numpy as np
import pandas as pd
import pytest

from innobarometer.data.codebook import TYPES
from innobarometer.text.language import speaking
from organiser_smartere.combinations import (
    ShownRule,
    combination_key,
    combinations_table,
    holm_adjusted,
    quality_by_combination,
    quality_overall,
    shown,
)


def innovations(combination: str, n: int, improved: int, weight: float = 1.0) -> pd.DataFrame:
    """n innovating workplaces whose latest innovation is `combination`; `improved` of them improved quality."""
    types = combination.split("+")
    frame = pd.DataFrame({f"latest_{t}": [int(t in types)] * n for t in TYPES})
    return frame.assign(latest_quality=[1] * improved + [0] * (n - improved), innovated_any=1, weight=weight)


def non_innovators(n: int) -> pd.DataFrame:
    frame = pd.DataFrame({f"latest_{t}": [np.nan] * n for t in TYPES})
    return frame.assign(latest_quality=np.nan, innovated_any=0, weight=1.0)


def dataset(*parts) -> pd.DataFrame:
    return pd.concat(parts, ignore_index=True)


def test_combination_key_lists_present_types_in_questionnaire_order():
    frame = dataset(innovations("service+process", 1, 1), innovations("product+communication", 1, 1), non_innovators(1))
    assert combination_key(frame).tolist() == ["service+process", "product+communication", ""]


def test_clearly_different_combination_is_shown_and_similar_one_is_not():
    frame = dataset(
        innovations("process+communication", 200, 190),  # 95 %
        innovations("service", 200, 100),  # 50 %, exactly as the rest: (190 + 110) / 600
        innovations("process", 400, 110),
        non_innovators(50),
    )
    table = quality_by_combination(frame).set_index("combination")
    assert table.loc["process+communication", "shown"]
    assert not table.loc["service", "shown"]


def test_combination_below_minimum_n_is_not_tested_and_never_shown():
    frame = dataset(innovations("product", 10, 9), innovations("process", 400, 100))
    table = quality_by_combination(frame, ShownRule(min_n=30)).set_index("combination")
    assert not table.loc["product", "tested"] and not table.loc["product", "shown"]
    assert np.isnan(table.loc["product", "p_value"]) and np.isnan(table.loc["product", "p_adjusted"])


def test_share_of_exactly_one_is_neither_shown_nor_tested():
    frame = dataset(innovations("product", 40, 40), innovations("process", 400, 100))
    row = quality_by_combination(frame).set_index("combination").loc["product"]
    assert row["suppressed"] and row["n"] == 40 and not row["tested"] and np.isnan(row["p_value"])


def test_combination_of_fewer_than_five_is_suppressed_and_listed_last():
    frame = dataset(innovations("product", 3, 3), innovations("process", 400, 100), innovations("service", 40, 10))
    table = quality_by_combination(frame)
    last = table.iloc[-1]
    assert last["combination"] == "product" and last["suppressed"] and last["n"] == 3
    assert np.isnan(last["value"]) and np.isnan(last["ci_high"]) and np.isnan(last["p_value"])


def test_holm_correction_turns_two_borderline_results_into_none():
    p_values, tested = pd.Series([0.03, 0.04]), pd.Series([True, True])
    assert shown(p_values, tested, ShownRule(correction="none"))[0].tolist() == [True, True]
    assert shown(p_values, tested, ShownRule(correction="holm"))[0].tolist() == [False, False]


def test_holm_adjusted_p_values_match_the_step_down_formula():
    adjusted = holm_adjusted(pd.Series([0.01, 0.04, 0.03]))
    # sorted: 0.01 * 3 = 0.03; 0.03 * 2 = 0.06; max(0.06, 0.04 * 1) = 0.06
    assert adjusted.tolist() == pytest.approx([0.03, 0.06, 0.06])


def test_only_tested_combinations_count_towards_the_correction():
    p_values, tested = pd.Series([0.03, np.nan]), pd.Series([True, False])
    assert shown(p_values, tested)[0].tolist() == [True, False]


def test_quality_over_all_innovations_is_the_weighted_mean_among_innovators():
    frame = dataset(innovations("process", 10, 8, weight=3.0), innovations("service", 10, 2, weight=1.0), non_innovators(30))
    expected = (8 * 3 + 2 * 1) / (10 * 3 + 10 * 1)
    assert quality_overall(frame)["value"] == pytest.approx(expected)
    assert quality_overall(frame)["n"] == 20


def test_absent_combinations_are_simply_missing():
    frame = dataset(innovations("process", 40, 30), innovations("service", 40, 10))
    table = quality_by_combination(frame)
    assert sorted(table["combination"]) == ["process", "service"]


def test_a_single_combination_has_no_contrast_and_is_not_shown():
    table = quality_by_combination(dataset(innovations("process", 40, 30), non_innovators(5)))
    assert len(table) == 1 and not table.loc[0, "shown"] and np.isnan(table.loc[0, "p_value"])


def test_table_is_sorted_by_share_highest_first():
    frame = dataset(innovations("process", 40, 10), innovations("service", 40, 30), innovations("product", 40, 20))
    assert quality_by_combination(frame)["combination"].tolist() == ["service", "product", "process"]


def test_the_worked_example_and_the_figure_follow_the_rules_correction(monkeypatch):
    """notebooks/kvalitet.md's worked example is a row of the figure's table: without a correction
    both give the unadjusted p-value, with Holm's both the adjusted one."""
    import re
    from dataclasses import replace

    from innobarometer.paths import ROOT, SYNTHETIC_MICRODATA
    from organiser_smartere import combinations
    from notebook_code import glued

    def run(correction):
        monkeypatch.setattr(combinations, "SHOWN_RULE", replace(combinations.SHOWN_RULE, correction=correction))
        values = glued(ROOT / "notebooks" / "kvalitet.md", SYNTHETIC_MICRODATA)
        text = {key: values[key]["text/plain"].strip("'") for key in ("example_p", "example_adjusted", "example_factor")}
        table = values["combinations_table"]["text/markdown"]
        return text, table

    none, none_table = run("none")
    holm, holm_table = run("holm")
    assert none["example_adjusted"] == none["example_p"] and none["example_factor"] == "1"
    assert holm["example_adjusted"] != holm["example_p"] and int(holm["example_factor"]) > 1
    rows = lambda table: [re.split(r"\s*\|\s*", line)[6:8] for line in table.splitlines() if "ikke testet" not in line and line.count("|") > 8][2:]
    assert all(p == adjusted for p, adjusted in rows(none_table)) and any(p != adjusted for p, adjusted in rows(holm_table))


def test_an_adjusted_p_value_exactly_at_the_level_is_not_shown():
    from organiser_smartere.combinations import SHOWN_RULE, shown

    # Holm: 0.025 × 2 and 0.04 × 1, made monotone: both adjusted to exactly 0.05
    p_values = pd.Series([0.025, 0.04], index=["a", "b"])
    is_shown, adjusted = shown(p_values, pd.Series(True, index=p_values.index), SHOWN_RULE)
    assert SHOWN_RULE.alpha == 0.05 and adjusted.tolist() == pytest.approx([0.05, 0.05]) and not is_shown.any()


def test_english_combinations_table_says_why_a_combination_is_not_shown():
    table = pd.DataFrame({
        "label": ["Process/organisation"], "n": [12], "value": [0.5], "ci_low": [0.3], "ci_high": [0.7],
        "difference": [float("nan")], "tested": [False], "p_value": [float("nan")], "p_adjusted": [float("nan")], "shown": [False],
        "suppressed": [False],
    })
    with speaking("en"):
        text = combinations_table(table, ShownRule(min_n=30)).data
    assert "No (fewer than 30)" in text and "not tested" in text and "Adjusted p-value" in text


def test_a_combination_hidden_as_a_complement_shows_dashes_and_is_not_tested():
    nan = float("nan")
    table = pd.DataFrame({
        "label": ["Service"], "n": [154], "value": [nan], "ci_low": [nan], "ci_high": [nan],
        "difference": [nan], "tested": [False], "p_value": [nan], "p_adjusted": [nan], "shown": [False], "suppressed": [True],
    })
    text = combinations_table(table, ShownRule(min_n=30)).data
    row = next(line for line in text.splitlines() if "Service" in line)
    assert "154" in row and row.count("–") == 2 and "ikke testet" in row and "Nej (skjult)" in row
