"""Weighted shares, their design-based SE and CI, and contrasts, on data where the answer is known."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import svy

from innobarometer.estimate import DesignSummary, _sample, contrast_with_rest, design_summary, korn_graubard, weighted_share, weighted_shares_by


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
    estimate = weighted_share(frame([1, 1, 1, 0] * 2, [5] * 8), "y")
    assert estimate["value"] == pytest.approx(0.75)
    assert estimate["n"] == 8


def test_weights_pull_the_share_towards_heavier_respondents():
    # Four respondents with 1 weigh 3 each, four with 0 weigh 1 each: 12 / 16.
    estimate = weighted_share(frame([1, 1, 0, 0] * 2, [3, 3, 1, 1] * 2), "y")
    assert estimate["value"] == pytest.approx(0.75)


def test_confidence_interval_contains_the_estimate():
    estimate = weighted_share(frame([1, 0, 1, 1, 0, 1], [1, 2, 3, 1, 2, 3]), "y")
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
    data = frame([1, 0, 1, 1, 0, 0] * 15, [1, 1, 2, 2, 4, 4] * 15, group=["a", "a", "b", "b", "c", "c"] * 15)
    table = weighted_shares_by(data, "y", "group").set_index("group")
    assert table["value"].to_dict() == pytest.approx({"a": 0.5, "b": 1.0, "c": 0.0})
    assert table["n"].to_dict() == {"a": 30, "b": 30, "c": 30}


def test_group_where_nobody_answers_yes_has_share_zero():
    table = weighted_shares_by(frame([0, 0, 1, 0] * 15, [1] * 60, group=["a", "a", "b", "b"] * 15), "y", "group")
    assert table.set_index("group").loc["a", "value"] == 0.0


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
    estimate = weighted_share(frame([1] * 30 + [0] * 30, [1.0] * 60), "y", domain=pd.Series([True] * 30 + [False] * 30))
    assert estimate["value"] == 1.0 and 0.8 < estimate["ci_low"] < 1.0 and estimate["ci_high"] == 1.0


def test_share_of_zero_has_an_interval_above_zero():
    estimate = weighted_share(frame([0] * 30, [1.0] * 30), "y")
    assert estimate["value"] == 0.0 and estimate["ci_low"] == 0.0 and 0.0 < estimate["ci_high"] < 0.2


def stratified(y, stratum, population):
    """Equal weights N_h / n_h within each stratum, as a stratified simple random sample gives."""
    data = pd.DataFrame({"y": y, "stratum": stratum})
    n_h = data.groupby("stratum")["y"].transform("size")
    return data.assign(stratum_population=data["stratum"].map(population), weight=data["stratum"].map(population) / n_h)


def test_stratified_se_with_fpc_matches_the_textbook_formula():
    # Stratum a: 6 of 12 units sampled; stratum b: 5 of 50.
    y = [1, 1, 0, 1, 0, 0] + [1, 0, 0, 0, 0]
    data = stratified(y, ["a"] * 6 + ["b"] * 5, {"a": 12, "b": 50})
    # Var = sum_h (N_h / N)^2 (1 - n_h / N_h) s_h^2 / n_h
    var = (12 / 62) ** 2 * (1 - 6 / 12) * np.var(y[:6], ddof=1) / 6 + (50 / 62) ** 2 * (1 - 5 / 50) * np.var(y[6:], ddof=1) / 5
    assert weighted_share(data, "y")["se"] == pytest.approx(np.sqrt(var), rel=1e-9)


def test_stratified_se_without_population_omits_the_fpc():
    y = [1, 1, 0, 1, 0, 0] + [1, 0, 0, 0, 0]
    data = stratified(y, ["a"] * 6 + ["b"] * 5, {"a": 12, "b": 50}).drop(columns="stratum_population")
    var = (12 / 62) ** 2 * np.var(y[:6], ddof=1) / 6 + (50 / 62) ** 2 * np.var(y[6:], ddof=1) / 5
    assert weighted_share(data, "y")["se"] == pytest.approx(np.sqrt(var), rel=1e-9)


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


def test_share_from_five_respondents_is_shown():
    estimate = weighted_share(frame([1, 0, 1, 1, 0], [1.0] * 5), "y")
    assert not estimate["suppressed"] and estimate["value"] == pytest.approx(0.6)


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
    estimate = weighted_share(data, "y", domain=pd.Series(domain))
    assert (estimate["ci_low"], estimate["ci_high"]) == pytest.approx(svy_korn_graubard(data, domain), abs=1e-9)


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
        "from innobarometer.estimate import contrast_with_rest, weighted_share\n"
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
