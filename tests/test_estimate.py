"""Weighted shares, their design-based SE and CI, and contrasts, on data where the answer is known."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import svy

from innobarometer.estimates.estimate import (
    DesignSummary, _sample, answer_counts, contrast_with_rest, design_summary, korn_graubard, weighted_share, weighted_shares, weighted_shares_by,
)


def frame(y, weight, group=None):
    data = pd.DataFrame({"y": y, "weight": weight})
    if group is not None:
        data["group"] = group
    return data


def linearised_se(y, w, domain=None):
    """Closed-form Taylor linearisation of a (domain) ratio mean, with-replacement, full sample."""
    y, w = np.asarray(y, float), np.asarray(w, float)
    d = np.ones_like(y) if domain is None else np.asarray(domain, float)
    mean = (w * d * y).sum() / (w * d).sum()
    z = w * d * (y - mean) / (w * d).sum()
    n = len(y)
    return np.sqrt(n / (n - 1) * ((z - z.mean()) ** 2).sum())


def test_equal_weights_give_the_plain_proportion():
    estimate = weighted_share(frame([1, 1, 1, 0] * 8, [5] * 32), "y")
    assert estimate["value"] == pytest.approx(0.75)
    assert estimate["n"] == 32 and estimate["n_yes"] == 24


def test_weights_pull_the_share_towards_heavier_respondents():
    # Four respondents with 1 weigh 3 each, four with 0 weigh 1 each: 12 / 16.
    estimate = weighted_share(frame([1, 1, 0, 0] * 5, [3, 3, 1, 1] * 5), "y")
    assert estimate["value"] == pytest.approx(0.75)


def test_confidence_interval_contains_the_estimate():
    estimate = weighted_share(frame([1, 0, 1, 1, 0, 1] * 5, [1, 2, 3, 1, 2, 3] * 5), "y")
    assert estimate["ci_low"] < estimate["value"] < estimate["ci_high"]


def test_standard_error_matches_closed_form_linearisation():
    rng = np.random.default_rng(7)
    y, w = rng.integers(0, 2, 300), rng.uniform(1, 9, 300)
    assert weighted_share(frame(y, w), "y")["se"] == pytest.approx(linearised_se(y, w), rel=1e-6)


def test_domain_standard_error_matches_closed_form_linearisation():
    rng = np.random.default_rng(8)
    y, w, d = rng.integers(0, 2, 300), rng.uniform(1, 9, 300), rng.integers(0, 2, 300)
    data = frame(y, w)
    estimate = weighted_share(data, "y", domain=pd.Series(d == 1))
    assert estimate["se"] == pytest.approx(linearised_se(y, w, d), rel=1e-6)
    assert estimate["n"] == int(d.sum())


def test_shares_by_group_equal_each_groups_weighted_mean():
    # a: 1 weighs 1, 0 weighs 3 (1/4); b: 1 and 0 weigh 2 each (1/2)
    data = frame([1, 0, 1, 0] * 15, [1, 3, 2, 2] * 15, group=["a", "a", "b", "b"] * 15)
    table = weighted_shares_by(data, "y", "group").set_index("group")
    assert table["value"].to_dict() == pytest.approx({"a": 0.25, "b": 0.5})
    assert table["n"].to_dict() == {"a": 30, "b": 30}


def test_group_where_nobody_answers_yes_is_suppressed_keeping_its_respondents_but_not_its_answer_counts():
    table = weighted_shares_by(frame([0, 0, 1, 0] * 15, [1] * 60, group=["a", "a", "b", "b"] * 15), "y", "group").set_index("group")
    assert table.loc["a", "suppressed"] and np.isnan(table.loc["a", "value"]) and table.loc["a", "n"] == 30 and pd.isna(table.loc["a", "n_yes"])


def test_a_group_named_as_a_complement_is_not_estimated():
    data = frame([1, 0, 1, 0] * 15, [1, 3, 2, 2] * 15, group=["a", "a", "b", "b"] * 15)
    table = weighted_shares(data, {"y": "y"}, by="group", suppressed=[("y", "b")]).set_index("group")
    assert table.loc["a", "value"] == pytest.approx(0.25) and not table.loc["a", "suppressed"]
    assert table.loc["b", "suppressed"] and pd.isna(table.loc["b", ["value", "se", "ci_low", "n_yes"]]).all() and table.loc["b", "n"] == 30


def test_answer_counts_give_respondents_and_yes_answers_per_group_with_their_weights():
    data = frame([1, 0, 1, 1] * 5, [1.0, 3.0, 2.0, 2.0] * 5, group=["a", "a", "b", "b"] * 5)
    counts = answer_counts(data, {"y": "y"}, by="group").set_index("group")
    assert counts[["n", "n_yes"]].to_dict("index") == {"a": {"n": 10, "n_yes": 5}, "b": {"n": 10, "n_yes": 10}}
    assert counts[["weight", "weight_yes"]].to_dict("index") == {"a": {"weight": 20.0, "weight_yes": 5.0}, "b": {"weight": 20.0, "weight_yes": 20.0}}


def test_contrast_of_a_clearly_higher_subgroup_is_positive_and_significant():
    rng = np.random.default_rng(1)
    in_group = np.arange(400) < 200
    y = np.where(in_group, rng.random(400) < 0.9, rng.random(400) < 0.3).astype(int)
    data = frame(y, rng.uniform(1, 3, 400))
    result = contrast_with_rest(data, "y", pd.Series(in_group))
    assert result.difference > 0.4 and result.p_value < 0.001


def test_contrast_sign_flips_when_subgroup_and_rest_swap():
    rng = np.random.default_rng(2)
    in_group = pd.Series(np.arange(200) < 80)
    data = frame(rng.integers(0, 2, 200), rng.uniform(1, 3, 200))
    forward = contrast_with_rest(data, "y", in_group)
    backward = contrast_with_rest(data, "y", ~in_group)
    assert forward.difference == pytest.approx(-backward.difference)
    assert forward.p_value == pytest.approx(backward.p_value)


def test_contrast_of_identical_groups_is_not_significant():
    y = [1, 0, 1, 0] * 50
    in_group = pd.Series([True, True, False, False] * 50)
    result = contrast_with_rest(frame(y, [1.0] * 200), "y", in_group)
    assert result.difference == pytest.approx(0.0, abs=1e-12) and result.p_value > 0.5


def test_contrast_difference_equals_difference_of_weighted_means():
    data = frame([1, 1, 0, 1, 0, 0], [2, 1, 1, 1, 1, 3])
    in_group = pd.Series([True, True, True, False, False, False])
    # subgroup: (2 + 1) / 4 = 0.75; rest: 1 / 5 = 0.2
    assert contrast_with_rest(data, "y", in_group).difference == pytest.approx(0.55)


def test_contrast_within_a_domain_ignores_units_outside_it():
    data = frame([1, 0, 1, 0, 1, 1], [1, 1, 1, 1, 1, 1])
    in_group = pd.Series([True, True, False, False, True, False])
    domain = pd.Series([True, True, True, True, False, False])
    # In the domain: subgroup 1/2, rest 1/2.
    assert contrast_with_rest(data, "y", in_group, domain=domain).difference == pytest.approx(0.0, abs=1e-12)


def test_contrast_needs_both_a_subgroup_and_a_rest():
    with pytest.raises(ValueError, match="both in the subgroup and in the rest"):
        contrast_with_rest(frame([1, 0], [1, 1]), "y", pd.Series([True, True]))


def test_share_of_one_in_a_small_group_still_has_an_interval_below_one():
    # never shown (the disclosure rule), but the interval stays valid at the bound
    low, high = korn_graubard(1.0, 0.0, n=30, degrees_of_freedom=59)
    assert 0.8 < low < 1.0 and high == 1.0


def test_share_of_zero_has_an_interval_above_zero():
    low, high = korn_graubard(0.0, 0.0, n=30, degrees_of_freedom=29)
    assert low == 0.0 and 0.0 < high < 0.2


def stratified(y, stratum, population):
    """Equal weights N_h / n_h within each stratum, as a stratified simple random sample gives."""
    data = pd.DataFrame({"y": y, "stratum": stratum})
    n_h = data.groupby("stratum")["y"].transform("size")
    return data.assign(stratum_population=data["stratum"].map(population), weight=data["stratum"].map(population) / n_h)


#: Two strata: a, 12 of 24 units sampled (6 answer 1); b, 15 of 150 (5 answer 1).
STRATIFIED_Y = [1, 1, 0, 1, 0, 0] * 2 + [1, 0, 0] * 5
STRATA = ["a"] * 12 + ["b"] * 15
POPULATIONS = {"a": 24, "b": 150}


def test_stratified_se_with_fpc_matches_the_textbook_formula():
    y = np.array(STRATIFIED_Y)
    data = stratified(STRATIFIED_Y, STRATA, POPULATIONS)
    # Var = sum_h (N_h / N)^2 (1 - n_h / N_h) s_h^2 / n_h
    var = (24 / 174) ** 2 * (1 - 12 / 24) * np.var(y[:12], ddof=1) / 12 + (150 / 174) ** 2 * (1 - 15 / 150) * np.var(y[12:], ddof=1) / 15
    assert weighted_share(data, "y")["se"] == pytest.approx(np.sqrt(var), rel=1e-9)


def test_stratified_se_without_population_omits_the_fpc():
    y = np.array(STRATIFIED_Y)
    data = stratified(STRATIFIED_Y, STRATA, POPULATIONS).drop(columns="stratum_population")
    var = (24 / 174) ** 2 * np.var(y[:12], ddof=1) / 12 + (150 / 174) ** 2 * np.var(y[12:], ddof=1) / 15
    assert weighted_share(data, "y")["se"] == pytest.approx(np.sqrt(var), rel=1e-9)


def test_a_lonely_stratum_is_centred_at_the_whole_samples_mean():
    # R survey's lonely.psu = "adjust": the lone respondent's linearised value u_i enters as
    # (1 - f_h)(u_i - mean(u))^2; the other strata as usual, (1 - f_h) n_h/(n_h - 1) sum (u_i - mean_h(u))^2.
    data = stratified(STRATIFIED_Y + [1], STRATA + ["c"], POPULATIONS | {"c": 7})
    y, w = data["y"].to_numpy(float), data["weight"].to_numpy()
    u = w * (y - (w * y).sum() / w.sum()) / w.sum()
    var = 0.0
    for h, rows in data.groupby("stratum").groups.items():
        n_h, f = len(rows), len(rows) / POPULATIONS.get(h, 7)
        centre = u[rows].mean() if n_h > 1 else u.mean()
        var += (1 - f) * (n_h / (n_h - 1) if n_h > 1 else 1) * ((u[rows] - centre) ** 2).sum()
    assert weighted_share(data, "y")["se"] == pytest.approx(np.sqrt(var), rel=1e-9)


def test_a_census_stratum_adds_no_variance():
    with_census = stratified(STRATIFIED_Y + [1, 0, 1], STRATA + ["c"] * 3, POPULATIONS | {"c": 3})
    alone = stratified(STRATIFIED_Y, STRATA, POPULATIONS)
    # the census stratum's 3 workplaces are known exactly: only the other strata's terms remain,
    # each now a smaller part of the larger population
    y = np.array(STRATIFIED_Y)
    var = (24 / 177) ** 2 * (1 - 12 / 24) * np.var(y[:12], ddof=1) / 12 + (150 / 177) ** 2 * (1 - 15 / 150) * np.var(y[12:], ddof=1) / 15
    assert weighted_share(with_census, "y")["se"] == pytest.approx(np.sqrt(var), rel=1e-9)
    assert weighted_share(alone, "y")["se"] != pytest.approx(np.sqrt(var), rel=1e-6)


def test_design_summary_names_the_design_and_its_degrees_of_freedom():
    data = stratified([1, 0, 1, 0, 1, 1, 0], ["a"] * 3 + ["b"] * 4, {"a": 10, "b": 20})
    assert design_summary(data) == DesignSummary("stratified-fpc", 7, 2)
    assert design_summary(data).degrees_of_freedom == 5
    assert design_summary(data.drop(columns="stratum_population")).kind == "stratified"
    assert design_summary(data.drop(columns=["stratum", "stratum_population"])).degrees_of_freedom == 6


def test_share_from_fewer_than_five_respondents_is_suppressed():
    estimate = weighted_share(frame([1, 0, 1, 1], [1.0] * 4), "y")
    assert estimate["suppressed"] and estimate["n"] == 4
    assert all(np.isnan(estimate[c]) for c in ["value", "se", "ci_low", "ci_high"])


def test_share_with_five_yes_and_five_no_is_shown():
    estimate = weighted_share(frame([1, 0] * 5, [1.0] * 10), "y")
    assert not estimate["suppressed"] and estimate["value"] == pytest.approx(0.5)


def test_share_with_four_no_among_forty_is_suppressed():
    estimate = weighted_share(frame([1] * 36 + [0] * 4, [1.0] * 40), "y")
    assert estimate["suppressed"] and estimate["n"] == 40 and np.isnan(estimate["value"])


def test_share_in_an_empty_domain_is_suppressed_with_n_zero():
    estimate = weighted_share(frame([1, 0] * 5, [1.0] * 10), "y", domain=pd.Series([False] * 10))
    assert estimate["suppressed"] and estimate["n"] == 0


def test_design_effect_of_equal_weights_is_about_one():
    rng = np.random.default_rng(3)
    estimate = weighted_share(frame(rng.integers(0, 2, 400), [1.0] * 400), "y")
    assert estimate["deff"] == pytest.approx(1.0, abs=0.01)


def test_share_of_one_without_degrees_of_freedom_gets_the_exact_clopper_pearson_bound():
    assert korn_graubard(1.0, 0.0, n=40, degrees_of_freedom=0) == (pytest.approx(0.025 ** (1 / 40)), 1.0)


def svy_korn_graubard(data, domain):
    """svy's own Korn-Graubard interval of the share answering 1 in the domain (svy imports scipy.stats for it)."""
    data = data.assign(_in=np.asarray(domain, float))
    sample = _sample(data, ["y", "_in"], "weight", data)
    table = sample.estimation.prop("y", where=svy.col("_in") == 1, ci_method="korn-graubard").to_polars()
    row = table.filter(table["y"] == 1.0).row(0, named=True)
    return row["lci"], row["uci"]


@pytest.mark.parametrize("seed", range(4))
def test_korn_graubard_interval_equals_svys_in_a_domain(seed):
    rng = np.random.default_rng(seed)
    data = frame(rng.integers(0, 2, 80), rng.uniform(1, 9, 80))
    domain = rng.random(80) < 0.4
    estimate = weighted_share(data, "y", domain=pd.Series(domain))
    expected = svy_korn_graubard(data, domain)
    assert (estimate["ci_low"], estimate["ci_high"]) == pytest.approx(expected, abs=1e-9)


def test_korn_graubard_interval_equals_svys_in_a_stratified_design_with_fpc():
    rng = np.random.default_rng(9)
    data = stratified(list(rng.integers(0, 2, 40)), ["a"] * 15 + ["b"] * 25, {"a": 60, "b": 400})
    domain = np.arange(40) % 3 > 0
    estimate = weighted_share(data, "y", domain=pd.Series(domain))
    assert (estimate["ci_low"], estimate["ci_high"]) == pytest.approx(svy_korn_graubard(data, domain), abs=1e-9)


def test_korn_graubard_interval_of_a_share_of_one_equals_svys():
    data = frame([1] * 35 + [0] * 20, list(np.linspace(1, 4, 55)))
    domain = np.arange(55) < 35
    # 54 degrees of freedom (55 respondents, no strata), 35 in the domain
    assert korn_graubard(1.0, 0.0, n=35, degrees_of_freedom=54) == pytest.approx(svy_korn_graubard(data, domain), abs=1e-9)


def test_contrast_equals_svys_contrast_of_the_two_domain_means():
    rng = np.random.default_rng(6)
    data = frame(rng.integers(0, 2, 90), rng.uniform(1, 5, 90)).assign(g=(np.arange(90) < 35).astype(float), d=1.0)
    sample = _sample(data, ["y", "g", "d"], "weight", data)
    means = sample.estimation.mean("y", by="g", where=svy.col("d") == 1)
    expected = means.contrast(svy.estd(1.0) - svy.estd(0.0)).to_polars().row(0, named=True)
    result = contrast_with_rest(data, "y", pd.Series(data["g"] == 1.0))
    assert (result.difference, result.se) == pytest.approx((expected["est"], expected["se"]), abs=1e-12)


def test_estimates_leave_scipy_stats_unimported():
    script = (
        "import sys, numpy as np, pandas as pd\n"
        "from innobarometer.estimates.estimate import contrast_with_rest, weighted_share\n"
        "data = pd.DataFrame({'y': [1, 0, 1, 1, 0, 1, 0, 0], 'weight': [1.0, 2, 1, 3, 1, 2, 1, 1]})\n"
        "weighted_share(data, 'y')\n"
        "contrast_with_rest(data, 'y', pd.Series([True] * 4 + [False] * 4))\n"
        "print('scipy.stats' in sys.modules)\n"
    )
    assert subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_contrast_p_value_uses_the_full_designs_degrees_of_freedom():
    from scipy import stats

    rng = np.random.default_rng(5)
    in_group = pd.Series(np.arange(60) < 10)
    domain = pd.Series(np.arange(60) < 30)
    data = frame(rng.integers(0, 2, 60), rng.uniform(1, 3, 60))
    result = contrast_with_rest(data, "y", in_group, domain=domain)
    # 60 respondents, no strata: 59 degrees of freedom, not the domain's 29
    assert result.p_value == pytest.approx(2 * stats.t.sf(abs(result.difference / result.se), 59), rel=1e-9)


def test_a_contrast_without_sampling_variance_is_certain():
    # every stratum a census: the difference is known exactly, and its p-value is 0 (or 1 for none)
    data = stratified([1, 1, 0, 1, 0, 0] * 2, ["a"] * 12, {"a": 12})
    result = contrast_with_rest(data, "y", pd.Series([True] * 6 + [False] * 6))
    assert result.se == 0 and result.difference == pytest.approx(0.0) and result.p_value == 1.0
    result = contrast_with_rest(data, "y", pd.Series([True, True, False, True, False, False] * 2))
    assert result.difference == pytest.approx(1.0) and result.p_value == 0.0
