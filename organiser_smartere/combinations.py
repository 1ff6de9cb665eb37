"""Figure 2's logic: innovations grouped by the combination of types, and the rule for which are shown.

The chapter shows only the combinations whose share with improved quality differs significantly
from that of all other innovations. That rule lives here, in SHOWN_RULE, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from innobarometer.data.codebook import TYPES
from innobarometer.estimates.estimate import ALPHA, contrast_with_rest, weighted_shares
from innobarometer.presentation.tables import Table, ci_heading, interval_text, markdown, not_tested, share_text
from innobarometer.text.formatting import number, p_value, percent, signed
from innobarometer.text.language import _

OUTCOME = "latest_quality"


@dataclass(frozen=True)
class ShownRule:
    """A combination is shown when it has at least `min_n` innovations and its contrast with all
    other innovations is significant at `alpha` after Holm's correction over the combinations tested."""

    alpha: float = ALPHA
    min_n: int = 30
    correction: str = "holm"  # or "none"


SHOWN_RULE = ShownRule()


def combination_key(frame: pd.DataFrame) -> pd.Series:
    """The types of each workplace's latest innovation, in questionnaire order, joined by '+'.

    Empty for a workplace with no innovation.
    """
    key = pd.Series("", index=frame.index, dtype=object)
    for t in TYPES:
        present = frame[f"latest_{t}"].fillna(0).astype(int).eq(1)
        key[present] = key[present] + "+" + t
    return key.str.removeprefix("+")


def holm_adjusted(p_values: pd.Series) -> pd.Series:
    """Holm's step-down adjusted p-values (family-wise error rate), in the input's order."""
    order = np.argsort(p_values.to_numpy(), kind="stable")
    m = len(order)
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values.iloc[i]))
        adjusted[i] = running
    return pd.Series(adjusted, index=p_values.index)


def testable(n: int, rest_n: int, value: float, rule: ShownRule = SHOWN_RULE) -> bool:
    """A combination is tested when it and the rest have at least `rule.min_n` innovations and its
    share lies strictly between 0 and 1 (a share of 0 or 1 has no sampling variance to test with)."""
    return n >= rule.min_n and rest_n >= rule.min_n and 0 < value < 1


def shown(p_values: pd.Series, tested: pd.Series, rule: ShownRule = SHOWN_RULE) -> tuple[pd.Series, pd.Series]:
    """Which combinations are shown, and the p-values the decision used (adjusted, NaN if not tested).

    Only the tested combinations count towards the multiplicity correction.
    """
    adjusted = pd.Series(np.nan, index=p_values.index)
    if tested.any():
        family = p_values[tested]
        adjusted[tested] = holm_adjusted(family) if rule.correction == "holm" else family
    return tested & (adjusted < rule.alpha), adjusted


def innovations(frame: pd.DataFrame, within: pd.Series | None = None) -> pd.Series:
    """The workplaces whose latest innovation counts (in `within`, if given): every innovator."""
    return frame["innovated_any"].eq(1) & (True if within is None else within.fillna(False).astype(bool))


def combination_shares(frame: pd.DataFrame, rule: ShownRule = SHOWN_RULE, within: pd.Series | None = None, suppressed: Collection[str] = ()) -> pd.DataFrame:
    """Step 1: per combination present, the weighted share of its innovations that improved quality,
    with its interval (a domain of the whole design each). Columns: combination, SHARE_COLUMNS.

    The combinations in `suppressed` (disclosure control's complements) are not estimated."""
    keys = combination_key(frame)
    shares = weighted_shares(
        frame.assign(combination=keys), {OUTCOME: OUTCOME}, by="combination", domain=innovations(frame, within), alpha=rule.alpha,
        suppressed=[(OUTCOME, c) for c in suppressed],
    )
    return shares.drop(columns="key").rename(columns={"group": "combination"})


def with_contrasts(frame: pd.DataFrame, shares: pd.DataFrame, rule: ShownRule = SHOWN_RULE, within: pd.Series | None = None) -> pd.DataFrame:
    """Step 2: which combinations are tested, and each tested one's contrast with all other
    innovations (difference, contrast_se, p_value), both shares estimated on the whole design.

    A suppressed combination is not tested: its p-value would take part in the adjustment of the
    others' and could be read back from theirs."""
    keys, domain = combination_key(frame), innovations(frame, within)
    total = int(domain.sum())
    rows = []
    for share in shares.to_dict("records"):
        contrast = dict(tested=False, difference=np.nan, contrast_se=np.nan, p_value=np.nan)
        if not share["suppressed"] and testable(share["n"], total - share["n"], share["value"], rule):
            result = contrast_with_rest(frame, OUTCOME, keys.eq(share["combination"]) & domain, domain=domain, alpha=rule.alpha)
            contrast = dict(tested=True, difference=result.difference, contrast_se=result.se, p_value=result.p_value)
        rows.append(share | contrast)
    return pd.DataFrame(rows, columns=list(shares.columns) + ["tested", "difference", "contrast_se", "p_value"]).astype({"tested": bool})


def decided(tests: pd.DataFrame, rule: ShownRule = SHOWN_RULE) -> pd.DataFrame:
    """Step 3: the tests with the p-values the rule decides on (adjusted over the family of tested
    combinations) and whether each combination is shown; highest share first, suppressed last."""
    table = tests.copy()
    table["shown"], table["p_adjusted"] = shown(table["p_value"], table["tested"], rule)
    return table.sort_values(["suppressed", "value"], ascending=[True, False], kind="stable").reset_index(drop=True)


def quality_by_combination(frame: pd.DataFrame, rule: ShownRule = SHOWN_RULE, within: pd.Series | None = None, suppressed: Collection[str] = ()) -> pd.DataFrame:
    """The three steps at once: per combination, its share with improved quality, its contrast with
    all other innovations if tested, the adjusted p-value and whether it is shown.

    `within` restricts everything to a subpopulation (e.g. one sector), estimated as a domain;
    the combinations in `suppressed` are neither estimated nor tested.
    """
    return decided(with_contrasts(frame, combination_shares(frame, rule, within, suppressed), rule, within), rule)


def quality_overall(frame: pd.DataFrame, rule: ShownRule = SHOWN_RULE, within: pd.Series | None = None, suppressed: bool = False) -> dict:
    """Weighted share of all innovations (in `within`, if given) whose latest innovation improved
    quality; not estimated when `suppressed`."""
    rows = weighted_shares(frame, {OUTCOME: OUTCOME}, domain=innovations(frame, within), alpha=rule.alpha, suppressed=[(OUTCOME, "all")] if suppressed else ())
    return rows.iloc[0].drop(["key", "group"]).to_dict()


def shown_reason(row: pd.Series, min_n: int) -> str:
    """Why a combination is or is not in Figure 2, in the edition's language."""
    if row["shown"]:
        return _("Ja")
    if row["suppressed"]:
        return _("Nej (skjult)")
    if row["n"] < min_n:
        return _("Nej (færre end {n})").format(n=number(min_n))
    if not row["tested"] and row["value"] in (0, 1):
        return _("Nej (andel på {share})").format(share=percent(row["value"]))
    if not row["tested"]:
        return _("Nej (under {n} øvrige)").format(n=number(min_n))
    return _("Nej (ikke signifikant)")


def combinations_table(table: pd.DataFrame, rule) -> Table:
    """Every combination of Figure 2, shown or not, with the numbers behind the decision."""
    frame = pd.DataFrame(
        {
            _("Kombination"): table["label"].to_list(),
            _("Antal"): table["n"].map(number).to_list(),
            _("Forbedret kvalitet"): [share_text(v, n) for v, n in zip(table["value"], table["n"])],
            ci_heading(rule.alpha): [interval_text(lo, hi, n) for lo, hi, n in zip(table["ci_low"], table["ci_high"], table["n"])],
            _("Forskel, pct.-point"): [signed(100 * d) if t else not_tested() for d, t in zip(table["difference"], table["tested"])],
            _("p-værdi"): [p_value(p) if t else not_tested() for p, t in zip(table["p_value"], table["tested"])],
            _("Justeret p-værdi"): [p_value(p) if t else not_tested() for p, t in zip(table["p_adjusted"], table["tested"])],
            _("Vist"): [shown_reason(row, rule.min_n) for _position, row in table.iterrows()],
        }
    )
    return markdown(frame)
