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
CI_METHOD = "korn-graubard"
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
        estimate = sample.estimation.prop(
            variable, where=svy.col(indicator) == 1, alpha=alpha, ci_method=CI_METHOD
        ).to_polars()
        records.append({by: group} | _share_of_ones(estimate, n=n, alpha=alpha))
    table = pd.DataFrame.from_records(records, columns=[by] + SHARE_COLUMNS[:-1])
    return disclosure.suppress(table)


def _share_of_ones(estimate: pl.DataFrame, n: int, alpha: float) -> dict:
    """The share answering 1, from svy's table of levels (which omits a level nobody chose)."""
    level = estimate.columns[0]
    ones = estimate.filter(pl.col(level) == 1.0)
    if ones.height:
        row = ones.row(0, named=True)
        share = {"value": row["est"], "se": row["se"], "ci_low": row["lci"], "ci_high": row["uci"], "n": n}
    else:
        zeros = estimate.filter(pl.col(level) == 0.0).row(0, named=True)  # nobody answered 1
        share = {"value": 1 - zeros["est"], "se": zeros["se"], "ci_low": 1 - zeros["uci"], "ci_high": 1 - zeros["lci"], "n": n}
    return share | exact_bounds(share, n, alpha) | {"deff": design_effect(share["value"], share["se"], n)}


def exact_bounds(share: dict, n: int, alpha: float = ALPHA) -> dict:
    """Clopper-Pearson bounds for a share of exactly 0 or 1, where svy's Korn-Graubard interval
    is sometimes undefined (no variance to derive an effective sample size from): n is used."""
    if share["value"] == 1 and pd.isna(share["ci_low"]):
        return {"ci_low": (alpha / 2) ** (1 / n), "ci_high": 1.0}
    if share["value"] == 0 and pd.isna(share["ci_high"]):
        return {"ci_low": 0.0, "ci_high": 1 - (alpha / 2) ** (1 / n)}
    return {}


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
    keys = {row[_GROUP] for row in estimate.to_polars().iter_rows(named=True)}
    if keys != {0.0, 1.0}:
        raise ValueError("a contrast needs respondents both in the subgroup and in the rest of the domain")
    result = estimate.contrast(svy.estd(1.0) - svy.estd(0.0), alpha=alpha).to_polars().row(0, named=True)
    return Contrast(difference=result["est"], se=result["se"], p_value=two_sided_p(result["est"] / result["se"], design_summary(frame).degrees_of_freedom))


def two_sided_p(t: float, degrees_of_freedom: int) -> float:
    """Two-sided p-value of a t statistic (Student's t distribution)."""
    from scipy.special import stdtr

    return float(2 * stdtr(degrees_of_freedom, -abs(t)))
