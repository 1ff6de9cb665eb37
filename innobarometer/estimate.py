"""Design-based survey estimates with svy: weighted shares, their CIs, and contrasts.

The design is a weighted sample without strata or clusters in the file: Taylor linearisation
with the weights as the only design information (with-replacement approximation). Shares in a
subpopulation are domain estimates on the full sample, so their variance is correct for domains.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import polars as pl
import svy

ALPHA = 0.05
CI_METHOD = "korn-graubard"
_GROUP = "_group"


@dataclass(frozen=True)
class Contrast:
    """A subgroup's share minus the share of everyone else in the domain."""

    difference: float
    se: float
    p_value: float


def _sample(frame: pd.DataFrame, columns: list[str], weight: str) -> svy.Sample:
    values = {c: frame[c].astype("float64").to_numpy(na_value=np.nan) for c in columns + [weight]}
    # svy treats null, not NaN, as missing
    data = pl.DataFrame(values).with_columns([pl.col(c).fill_nan(None) for c in columns])
    return svy.Sample(data, svy.Design(wgt=weight))


def weighted_share(
    frame: pd.DataFrame, variable: str, *, domain: pd.Series | None = None, weight: str = "weight", alpha: float = ALPHA
) -> dict:
    """Weighted share of a 0/1 variable (in a domain, if given): value, se, ci_low, ci_high, n."""
    rows = weighted_shares_by(frame.assign(**{_GROUP: "all"}), variable, _GROUP, domain=domain, weight=weight, alpha=alpha)
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

    Columns: the group, value, se, ci_low, ci_high, n (unweighted respondents). The interval is
    Korn and Graubard's, which stays valid for small domains and for shares of 0 or 1.
    """
    data = frame[[variable, weight]].astype({variable: "float64"})
    codes = frame[by].astype(str)
    in_domain = pd.Series(True, index=frame.index) if domain is None else domain.fillna(False).astype(bool)
    columns = []
    for i, group in enumerate(sorted(codes[in_domain].unique())):
        data[f"_in{i}"] = ((codes == group) & in_domain).astype(float)
        columns.append((group, f"_in{i}"))
    sample = _sample(data, [variable] + [c for _, c in columns], weight)
    records = []
    for group, indicator in columns:
        estimate = sample.estimation.prop(
            variable, where=svy.col(indicator) == 1, alpha=alpha, ci_method=CI_METHOD
        ).to_polars()
        records.append({by: group} | _share_of_ones(estimate, n=int((data[indicator] == 1).sum())))
    return pd.DataFrame.from_records(records, columns=[by, "value", "se", "ci_low", "ci_high", "n"])


def _share_of_ones(estimate: pl.DataFrame, n: int) -> dict:
    """The share answering 1, from svy's table of levels (which omits a level nobody chose)."""
    level = estimate.columns[0]
    ones = estimate.filter(pl.col(level) == 1.0)
    if ones.height:
        row = ones.row(0, named=True)
        return {"value": row["est"], "se": row["se"], "ci_low": row["lci"], "ci_high": row["uci"], "n": n}
    zeros = estimate.filter(pl.col(level) == 0.0).row(0, named=True)  # nobody answered 1
    return {"value": 1 - zeros["est"], "se": zeros["se"], "ci_low": 1 - zeros["uci"], "ci_high": 1 - zeros["lci"], "n": n}


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

    Both shares are estimated on the full design, so their covariance is accounted for.
    """
    in_domain = pd.Series(True, index=frame.index) if domain is None else domain.fillna(False).astype(bool)
    data = frame[[variable, weight]].astype({variable: "float64"}).assign(
        **{_GROUP: np.where(subgroup.fillna(False).astype(bool), 1.0, 0.0), "_domain": in_domain.astype(float)}
    )
    sample = _sample(data, [variable, _GROUP, "_domain"], weight)
    estimate = sample.estimation.mean(variable, by=_GROUP, where=svy.col("_domain") == 1, alpha=alpha)
    keys = {row[_GROUP] for row in estimate.to_polars().iter_rows(named=True)}
    if keys != {0.0, 1.0}:
        raise ValueError("a contrast needs respondents both in the subgroup and in the rest of the domain")
    result = estimate.contrast(svy.estd(1.0) - svy.estd(0.0), alpha=alpha).to_polars().row(0, named=True)
    return Contrast(difference=result["est"], se=result["se"], p_value=result["p_value"])
