"""Disclosure control: the one rule for which estimates may leave the build.

An estimate is suppressed everywhere (page, chart, table, download, statistics.csv, PDF) when
it is based on fewer than MIN_RESPONDENTS respondents, or when it is a share of exactly 0 or 1
based on fewer than UNCERTAIN_BELOW: such a share tells every member's answer, and it would let
a reader work out the suppressed shares of its subgroups (all 0 or all 1 too). A suppressed row
stays, with `n`, but every number that could reveal workplaces' answers is emptied. Estimates
based on fewer than UNCERTAIN_BELOW respondents are shown, marked as uncertain.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_RESPONDENTS = 5
UNCERTAIN_BELOW = 30
#: The columns emptied in a suppressed row (estimates, their uncertainty and their tests).
SUPPRESSED_COLUMNS = ("value", "ci_low", "ci_high", "se", "p_value", "difference", "contrast_se", "p_adjusted", "deff")


def is_suppressed(n: float, value: float = 0.5) -> bool:
    """Whether an estimate from n respondents (a share `value`, if known) may not be shown."""
    if not n >= MIN_RESPONDENTS:  # also true for a missing n
        return True
    return value in (0, 1) and n < UNCERTAIN_BELOW


def is_uncertain(n: float) -> bool:
    return not is_suppressed(n) and n < UNCERTAIN_BELOW


def hidden(table: pd.DataFrame) -> pd.Series:
    """Which rows of a table of estimates the rule suppresses (by n, and by value where known)."""
    values = table["value"] if "value" in table.columns else pd.Series(0.5, index=table.index)
    return pd.Series([is_suppressed(n, v) for n, v in zip(table["n"], values)], index=table.index, dtype=bool)


def suppress(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a `suppressed` column and the estimates of suppressed rows emptied."""
    result = table.assign(suppressed=hidden(table) | table.get("suppressed", False))
    for column in SUPPRESSED_COLUMNS:
        if column in result.columns:
            result[column] = result[column].astype("float64").where(~result["suppressed"], np.nan)
    return result


def leaks(table: pd.DataFrame) -> pd.DataFrame:
    """Rows that would publish an estimate the rule suppresses."""
    return table[hidden(table) & ~table["suppressed"].astype(bool)]
