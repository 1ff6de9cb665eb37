"""Design-based survey estimates with svy: weighted shares, their CIs, and contrasts.

The design is read from the microdata: with the optional columns `stratum` and
`stratum_population` the sample is stratified with the finite population correction; with
`stratum` only, stratified with replacement; with neither, a weighted sample with replacement
(the weights the only design information). Variances are Taylor-linearised. Shares in a
subpopulation are domain estimates on the full sample, so their variance is correct for domains.
Every share passes the disclosure rule (innobarometer.estimates.disclosure) before it is returned.

A stratum with a single respondent (a lonely stratum) has no within-stratum variance to
estimate. Its respondent's contribution is taken around the mean of the whole sample instead of
its stratum's (LONELY_STRATUM_RULE): R survey's `options(survey.lonely.psu = "adjust")`, Stata's
`singleunit(centered)`, svy's `singleton="center"`. It errs on the side of a larger variance; a
stratum that is a census (its respondents equal its population) contributes no variance at all,
as the finite population correction says.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
import polars as pl
import svy

from innobarometer.estimates import disclosure

ALPHA = 0.05
_TOLERANCE = 1e-12  # a share this close to 0 or 1 is taken as 0 or 1, as svy does
STRATUM = "stratum"
POPULATION = "stratum_population"
#: How a stratum with a single respondent enters the variance (see the module's docstring).
LONELY_STRATUM_RULE = "center"
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


_IN = "_in_domain"


def _sample(frame: pd.DataFrame, columns: list[str], weight: str, design_frame: pd.DataFrame, groups: pd.Series | None = None) -> svy.Sample:
    """The svy sample of these columns under the frame's design; with `groups`, a text column
    `_group` and the indicator `_in_domain` of the rows that have one."""
    values = {c: frame[c].astype("float64").to_numpy(na_value=np.nan) for c in columns + [weight]}
    if groups is not None:
        values[_GROUP] = groups.fillna("").astype(str).to_numpy()
        values[_IN] = groups.notna().astype(float).to_numpy()
    arguments = _design_columns(design_frame)
    if STRATUM in arguments.values():
        values[STRATUM] = design_frame[STRATUM].astype(str).to_numpy()
    if POPULATION in arguments.values():
        values[POPULATION] = design_frame[POPULATION].astype("float64").to_numpy()
    # svy treats null, not NaN, as missing
    data = pl.DataFrame(values).with_columns([pl.col(c).fill_nan(None) for c in columns])
    if "stratum" in arguments:
        arguments["singleton"] = LONELY_STRATUM_RULE
    return svy.Sample(data, svy.Design(wgt=weight, **arguments))


SHARE_COLUMNS = ["value", "se", "ci_low", "ci_high", "n", "n_yes", "deff", "suppressed"]


def weighted_share(
    frame: pd.DataFrame, variable: str, *, domain: pd.Series | None = None, weight: str = "weight", alpha: float = ALPHA, suppressed: bool = False
) -> dict:
    """Weighted share of a 0/1 variable (in a domain, if given): value, se, ci_low, ci_high, n, n_yes, deff, suppressed.

    A domain with no respondents gives n = 0 and a suppressed, empty estimate; so does a share
    that disclosure control's complements hide (`suppressed`), which is not estimated.
    """
    rows = weighted_shares(frame, {variable: variable}, domain=domain, weight=weight, alpha=alpha, suppressed=[(variable, "all")] if suppressed else ())
    return rows.iloc[0].drop(["key", "group"]).to_dict()


def weighted_shares_of(frame: pd.DataFrame, variables: dict[str, str], *, domain: pd.Series | None = None, alpha: float = ALPHA) -> pd.DataFrame:
    """Weighted shares of several 0/1 variables, one row each, keyed by the dict's keys (column `key`)."""
    return weighted_shares(frame, variables, domain=domain, alpha=alpha).drop(columns="group")


def weighted_shares_by(
    frame: pd.DataFrame,
    variable: str,
    by: str,
    *,
    domain: pd.Series | None = None,
    weight: str = "weight",
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """Weighted share of a 0/1 variable in each group of `by` present in the domain: one row per group."""
    rows = weighted_shares(frame, {variable: variable}, by=by, domain=domain, weight=weight, alpha=alpha)
    return rows.drop(columns="key").rename(columns={"group": by})


def weighted_shares(
    frame: pd.DataFrame,
    variables: dict[str, str],
    *,
    by: str | None = None,
    groups: list[str] | None = None,
    domain: pd.Series | None = None,
    weight: str = "weight",
    alpha: float = ALPHA,
    suppressed: Collection[tuple[str, str]] = (),
) -> pd.DataFrame:
    """Weighted shares of 0/1 variables ({key: column}), in the whole domain or in each of its groups
    of `by` (those present, or all `groups`, n = 0 where none is present): one row per key and
    group (columns key, group, then SHARE_COLUMNS).

    n counts the group's respondents and n_yes those who answered 1. Every group is a domain of
    the full design (svy's `by`), so its variance is right for a domain. The interval is Korn
    and Graubard's, which stays valid for small domains. What the disclosure rule suppresses is
    not estimated: the primary rule's cells, and the (key, group) pairs in `suppressed` (the
    complements `disclosure.protect` chose). With no `by`, a domain without respondents gives one
    row with n = 0.
    """
    counts = answer_counts(frame, variables, by=by, groups=groups, domain=domain, weight=weight)
    membership = _membership(frame, by, domain)
    answers = frame[list(variables.values())].astype("float64")
    sample = _sample(answers.assign(**{weight: frame[weight]}), list(dict.fromkeys(variables.values())), weight, frame, groups=membership)
    hidden = set(suppressed)
    records = []
    for key, column in variables.items():
        rows_of_key = counts[counts["key"] == key]
        present = rows_of_key["group"].tolist()
        estimated = [
            row.group for row in rows_of_key.itertuples()
            if not disclosure.is_suppressed(row.n, n_yes=row.n_yes) and (key, row.group) not in hidden
        ]
        rows = {}
        if estimated:
            where = svy.col(_IN) == 1 if len(estimated) == len(present) else (svy.col(_IN) == 1) & svy.col(_GROUP).is_in(estimated)
            result = sample.estimation.mean(column, by=_GROUP, where=where, alpha=alpha)
            rows = {row.by_level[0]: row for row in result.estimates}
        for count in rows_of_key.itertuples():
            record = {"key": key, "group": count.group, "n": int(count.n), "n_yes": int(count.n_yes), "suppressed": (key, count.group) in hidden}
            if count.group in rows:
                row = rows[count.group]
                record |= _share(row.est, row.se, n=int(count.n), degrees_of_freedom=row.df, alpha=alpha)
            records.append(record)
    table = pd.DataFrame.from_records(records, columns=["key", "group"] + SHARE_COLUMNS)
    return disclosure.suppress(table)


def _membership(frame: pd.DataFrame, by: str | None, domain: pd.Series | None) -> pd.Series:
    """Each respondent's group of `by` ('all' without `by`), missing outside the domain."""
    in_domain = pd.Series(True, index=frame.index) if domain is None else domain.fillna(False).astype(bool)
    return (frame[by].astype(str) if by else pd.Series("all", index=frame.index)).where(in_domain)


def answer_counts(
    frame: pd.DataFrame,
    variables: dict[str, str],
    *,
    by: str | None = None,
    groups: list[str] | None = None,
    domain: pd.Series | None = None,
    weight: str = "weight",
) -> pd.DataFrame:
    """The frequency table behind weighted shares: per key and group (as `weighted_shares` has
    them), the respondents `n` and those who answered 1, `n_yes`, and the sums of their weights,
    `weight` and `weight_yes` (whose ratio is the weighted share)."""
    membership = _membership(frame, by, domain)
    present = list(groups) if groups is not None else sorted(membership.dropna().unique()) or ([] if by else ["all"])
    group = pd.Categorical(membership, categories=present).codes  # -1 outside the domain and the groups
    counted = group >= 0
    at, weights = group[counted], frame[weight].to_numpy(dtype="float64")[counted]
    n, weight_sum = np.bincount(at, minlength=len(present)), np.bincount(at, weights, minlength=len(present))
    tables = []
    for key, column in variables.items():
        yes = frame[column].to_numpy(dtype="float64", na_value=np.nan)[counted] == 1
        tables.append(pd.DataFrame({
            "key": key, "group": present, "n": n, "n_yes": np.bincount(at[yes], minlength=len(present)),
            "weight": weight_sum, "weight_yes": np.bincount(at[yes], weights[yes], minlength=len(present)),
        }))
    columns = ["key", "group", "n", "n_yes", "weight", "weight_yes"]
    return pd.concat(tables, ignore_index=True)[columns] if tables else pd.DataFrame(columns=columns)


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
    if se <= _TOLERANCE:
        # No sampling variance (every stratum a census): the difference is exact, so it is either
        # certainly there or certainly not.
        return Contrast(difference=difference, se=se, p_value=0.0 if abs(difference) > _TOLERANCE else 1.0)
    return Contrast(difference=difference, se=se, p_value=two_sided_p(difference / se, design_summary(frame).degrees_of_freedom))


def two_sided_p(t: float, degrees_of_freedom: int) -> float:
    """Two-sided p-value of a t statistic (Student's t distribution)."""
    from scipy.special import stdtr

    return float(2 * stdtr(degrees_of_freedom, -abs(t)))
