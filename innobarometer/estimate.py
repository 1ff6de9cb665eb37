"""Design-based survey estimates with svy: weighted shares, their CIs, and contrasts.

The design is read from the microdata: with the optional columns `stratum` and
`stratum_population` the sample is stratified with the finite population correction; with
`stratum` only, stratified with replacement; with neither, a weighted sample with replacement
(the weights the only design information). Variances are Taylor-linearised. Shares in a
subpopulation are domain estimates on the full sample, so their variance is correct for domains.
Every share passes the disclosure rule (innobarometer.disclosure) before it is returned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import polars as pl
import svy

from innobarometer import disclosure

ALPHA = 0.05
_TOLERANCE = 1e-12  # a share this close to 0 or 1 is taken as 0 or 1, as svy does
STRATUM = "stratum"
POPULATION = "stratum_population"
_GROUP = "_group"


@dataclass(frozen=True)
class Contrast:
    """A subgroup's share minus the share of everyone else in the domain."""

    difference: float
    se: float
    p_value: float


@dataclass(frozen=True)
class DesignSummary:
    """The design the estimates use, as read from the microdata."""

    kind: str  # "stratified-fpc" | "stratified" | "weights-only"
    respondents: int
    strata: int

    @property
    def degrees_of_freedom(self) -> int:
        """Design degrees of freedom: respondents minus strata (minus one without strata)."""
        return self.respondents - max(self.strata, 1)


def design_summary(frame: pd.DataFrame) -> DesignSummary:
    if STRATUM not in frame.columns:
        return DesignSummary("weights-only", len(frame), 0)
    kind = "stratified-fpc" if POPULATION in frame.columns else "stratified"
    return DesignSummary(kind, len(frame), int(frame[STRATUM].nunique()))


def _design_columns(frame: pd.DataFrame) -> dict:
    """svy design arguments and the design columns they name, from what the frame holds."""
    kind = design_summary(frame).kind
    arguments = {"stratum": STRATUM} if kind != "weights-only" else {}
    if kind == "stratified-fpc":
        arguments["pop_size"] = POPULATION
    return arguments


def _sample(frame: pd.DataFrame, columns: list[str], weight: str, design_frame: pd.DataFrame) -> svy.Sample:
    values = {c: frame[c].astype("float64").to_numpy(na_value=np.nan) for c in columns + [weight]}
    arguments = _design_columns(design_frame)
    if STRATUM in arguments.values():
        values[STRATUM] = design_frame[STRATUM].astype(str).to_numpy()
    if POPULATION in arguments.values():
        values[POPULATION] = design_frame[POPULATION].astype("float64").to_numpy()
    # svy treats null, not NaN, as missing
    data = pl.DataFrame(values).with_columns([pl.col(c).fill_nan(None) for c in columns])
    return svy.Sample(data, svy.Design(wgt=weight, **arguments))


SHARE_COLUMNS = ["value", "se", "ci_low", "ci_high", "n", "deff", "suppressed"]


def weighted_share(
    frame: pd.DataFrame, variable: str, *, domain: pd.Series | None = None, weight: str = "weight", alpha: float = ALPHA
) -> dict:
    """Weighted share of a 0/1 variable (in a domain, if given): value, se, ci_low, ci_high, n, deff, suppressed.

    A domain with no respondents gives n = 0 and a suppressed, empty estimate.
    """
    rows = weighted_shares_by(frame.assign(**{_GROUP: "all"}), variable, _GROUP, domain=domain, weight=weight, alpha=alpha)
    if rows.empty:
        return {c: np.nan for c in SHARE_COLUMNS} | {"n": 0, "suppressed": True}
    return rows.iloc[0].drop(_GROUP).to_dict()


def weighted_shares_of(frame: pd.DataFrame, variables: dict[str, str], *, domain: pd.Series | None = None, alpha: float = ALPHA) -> pd.DataFrame:
    """Weighted shares of several 0/1 variables, one row each, keyed by the dict's keys (column `key`)."""
    return pd.DataFrame([{"key": key, **weighted_share(frame, column, domain=domain, alpha=alpha)} for key, column in variables.items()])


def weighted_shares_by(
    frame: pd.DataFrame,
    variable: str,
    by: str,
    *,
    domain: pd.Series | None = None,
    weight: str = "weight",
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """Weighted share of a 0/1 variable in each group of `by`: one row per group present.

    Columns: the group, value, se, ci_low, ci_high, n (unweighted respondents), deff (design
    effect) and suppressed. The interval is Korn and Graubard's, which stays valid for small
    domains and for shares of 0 or 1. Groups below the disclosure threshold are not estimated.
    """
    data = frame[[variable, weight]].astype({variable: "float64"})
    codes = frame[by].astype(str)
    in_domain = pd.Series(True, index=frame.index) if domain is None else domain.fillna(False).astype(bool)
    columns = []
    for i, group in enumerate(sorted(codes[in_domain].unique())):
        data[f"_in{i}"] = ((codes == group) & in_domain).astype(float)
        columns.append((group, f"_in{i}"))
    sample = _sample(data, [variable] + [c for _, c in columns], weight, frame) if columns else None
    records = []
    for group, indicator in columns:
        n = int((data[indicator] == 1).sum())
        if disclosure.is_suppressed(n):
            records.append({by: group, "n": n})
            continue
        row = sample.estimation.mean(variable, where=svy.col(indicator) == 1, alpha=alpha).estimates[0]
        records.append({by: group} | _share(row.est, row.se, n=n, degrees_of_freedom=row.df, alpha=alpha))
    table = pd.DataFrame.from_records(records, columns=[by] + SHARE_COLUMNS[:-1])
    return disclosure.suppress(table)


def _share(value: float, se: float, n: int, degrees_of_freedom: float, alpha: float = ALPHA) -> dict:
    """A share with its Korn-Graubard interval and design effect, from the design-based estimate and SE."""
    ci_low, ci_high = korn_graubard(value, se, n, degrees_of_freedom, alpha)
    return {"value": value, "se": se, "ci_low": ci_low, "ci_high": ci_high, "n": n, "deff": design_effect(value, se, n)}


def korn_graubard(value: float, se: float, n: int, degrees_of_freedom: float, alpha: float = ALPHA) -> tuple[float, float]:
    """Korn and Graubard's interval for a share, as in the NCHS macro and svy's "korn-graubard" method.

    The Clopper-Pearson interval of an effective sample size p(1 - p)/se², adjusted to the
    design's degrees of freedom and truncated at the n respondents; for a share of 0 or 1 the
    effective sample size is n (no variance to derive it from), and without degrees of freedom
    it is not adjusted. Computed with scipy.special: importing scipy.stats costs each kernel 0.35 s or more.
    """
    from scipy.special import betaincinv, stdtrit

    at_bound = value <= _TOLERANCE or value >= 1 - _TOLERANCE
    if degrees_of_freedom <= 0 and not at_bound:
        return (float("nan"), float("nan"))
    if se <= _TOLERANCE and not at_bound:
        return (value, value)
    p = round(value) if at_bound else value
    n_eff = n if at_bound else p * (1 - p) / se**2
    if n > 1 and degrees_of_freedom > 0:
        n_eff *= (stdtrit(n - 1, 1 - alpha / 2) / stdtrit(degrees_of_freedom, 1 - alpha / 2)) ** 2
    n_eff = min(n, n_eff)
    x = n_eff * p
    ci_low = float(betaincinv(x, n_eff - x + 1, alpha / 2)) if x > 0 else 0.0
    ci_high = float(betaincinv(x + 1, n_eff - x, 1 - alpha / 2)) if n_eff - x > 0 else 1.0
    return (ci_low, ci_high)


def design_effect(value: float, se: float, n: int) -> float:
    """The design's variance over that of a simple random sample of n with replacement, p(1 - p)/n.

    Undefined (NaN) for a share of 0 or 1, where both variances are 0.
    """
    return se**2 * n / (value * (1 - value)) if 0 < value < 1 else float("nan")


def contrast_with_rest(
    frame: pd.DataFrame,
    variable: str,
    subgroup: pd.Series,
    *,
    domain: pd.Series | None = None,
    weight: str = "weight",
    alpha: float = ALPHA,
) -> Contrast:
    """The subgroup's weighted share minus that of the rest of the domain, with SE and p-value.

    Both shares are estimated on the full design, so their covariance is accounted for. The
    t-test uses the full design's degrees of freedom (respondents minus strata), not those of
    the domain, which svy would use after its `where` filter.
    """
    in_domain = pd.Series(True, index=frame.index) if domain is None else domain.fillna(False).astype(bool)
    data = frame[[variable, weight]].astype({variable: "float64"}).assign(
        **{_GROUP: np.where(subgroup.fillna(False).astype(bool), 1.0, 0.0), "_domain": in_domain.astype(float)}
    )
    sample = _sample(data, [variable, _GROUP, "_domain"], weight, frame)
    estimate = sample.estimation.mean(variable, by=_GROUP, where=svy.col("_domain") == 1, alpha=alpha)
    keys = estimate.keys()
    if sorted(keys) != [0.0, 1.0]:
        raise ValueError("a contrast needs respondents both in the subgroup and in the rest of the domain")
    # the difference's variance g'Vg, as svy's contrast() computes it (which imports scipy.stats)
    g = np.array([1.0 if key == 1.0 else -1.0 for key in keys])
    difference = float(g @ [row.est for row in estimate.estimates])
    se = float(np.sqrt(max(g @ estimate.covariance @ g, 0.0)))
    return Contrast(difference=difference, se=se, p_value=two_sided_p(difference / se, design_summary(frame).degrees_of_freedom))


def two_sided_p(t: float, degrees_of_freedom: int) -> float:
    """Two-sided p-value of a t statistic (Student's t distribution)."""
    from scipy.special import stdtr

    return float(2 * stdtr(degrees_of_freedom, -abs(t)))
