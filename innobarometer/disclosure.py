"""Disclosure control: the one rule for which estimates may leave the build.

An estimate based on fewer than MIN_RESPONDENTS respondents is suppressed everywhere (page,
chart, table, download, statistics.csv, PDF): its row stays, with `n`, but every number that
could reveal single workplaces' answers is emptied. Estimates based on fewer than
UNCERTAIN_BELOW respondents are shown, marked as uncertain.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_RESPONDENTS = 5
UNCERTAIN_BELOW = 30
#: The columns emptied in a suppressed row (estimates, their uncertainty and their tests).
SUPPRESSED_COLUMNS = ("value", "ci_low", "ci_high", "se", "p_value", "difference", "contrast_se", "p_adjusted", "deff")


def is_suppressed(n: float) -> bool:
    return not n >= MIN_RESPONDENTS  # also true for a missing n


def is_uncertain(n: float) -> bool:
    return not is_suppressed(n) and n < UNCERTAIN_BELOW


def suppress(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a `suppressed` column and the estimates of suppressed rows emptied."""
    hidden = table["n"].map(is_suppressed).astype(bool)
    result = table.assign(suppressed=hidden | table.get("suppressed", False))
    for column in SUPPRESSED_COLUMNS:
        if column in result.columns:
            result[column] = result[column].astype("float64").where(~result["suppressed"], np.nan)
    return result


def leaks(table: pd.DataFrame) -> pd.DataFrame:
    """Rows that would publish an estimate the rule suppresses."""
    return table[table["n"].map(is_suppressed) & ~table["suppressed"].astype(bool)]
