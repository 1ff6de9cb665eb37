"""Disclosure control: the one rule for which estimates may leave the build.

Primary suppression, the threshold rule on the frequency table behind every share: a share is
shown only when at least MIN_RESPONDENTS respondents answered yes and at least MIN_RESPONDENTS
answered no (so it rests on at least twice as many). Fewer on either side would single out those
few; none on one side would tell every member's answer (group disclosure). Where the answer
counts are not known (the statistics file, which must not carry a hidden cell's counts), what
can be checked is checked: at least twice MIN_RESPONDENTS respondents and a share strictly
between 0 and 1.

Secondary (complementary) suppression: a published total and its published parts must not give
away a suppressed part. The shares of a view are parts of the view's total (every combination's
share with improved quality and the share of all innovations, within one level of government),
and the levels are parts of all workplaces. In every such relation with a suppressed part, at
least two cells are suppressed: the simple heuristic of sdcTable and tau-argus (the cell with
the fewest respondents is added until no relation has a single suppressed cell), then an audit
by Gaussian elimination as in Statistics Norway's GaussSuppression (Langsrud 2019): a suppressed
cell that the published ones still determine exactly gets a further complement. With equal
weights the relations are exact; with unequal weights they are close, and are protected alike
(Hundepool et al., Statistical Disclosure Control, Wiley 2012, ch. 4 and 5).

A suppressed row keeps its row and `n`, but every number that could reveal answers is emptied;
its reason is not told apart from the others', so a dash never says which rule made it.
Estimates based on fewer than UNCERTAIN_BELOW respondents are shown, marked as uncertain.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
import pandas as pd

MIN_RESPONDENTS = 5
UNCERTAIN_BELOW = 30
#: The columns emptied in a suppressed row (estimates, their uncertainty and their tests).
SUPPRESSED_COLUMNS = ("value", "ci_low", "ci_high", "se", "p_value", "difference", "contrast_se", "p_adjusted", "deff")


def is_suppressed(n: float, value: float = 0.5, n_yes: float | None = None) -> bool:
    """Whether an estimate from n respondents (of whom n_yes answered yes, or with share `value`) may not be shown."""
    if not n >= MIN_RESPONDENTS:  # also true for a missing n
        return True
    if n_yes is not None and not pd.isna(n_yes):
        return n_yes < MIN_RESPONDENTS or n - n_yes < MIN_RESPONDENTS
    return n < 2 * MIN_RESPONDENTS or value in (0, 1)


def is_uncertain(n: float) -> bool:
    return not is_suppressed(n) and n < UNCERTAIN_BELOW


def hidden(table: pd.DataFrame) -> pd.Series:
    """Which rows of a table of estimates the primary rule suppresses, or that are marked suppressed."""
    n = table["n"].to_numpy(dtype=float, na_value=np.nan)
    values = table["value"].to_numpy(dtype=float, na_value=np.nan) if "value" in table.columns else np.full(len(table), 0.5)
    yes = table["n_yes"].to_numpy(dtype=float, na_value=np.nan) if "n_yes" in table.columns else np.full(len(table), np.nan)
    primary = [is_suppressed(*row) for row in zip(n, values, yes)]
    marked = table["suppressed"].fillna(False).to_numpy(dtype=bool) if "suppressed" in table.columns else False
    return pd.Series(np.asarray(primary, dtype=bool) | marked, index=table.index)


def suppress(table: pd.DataFrame) -> pd.DataFrame:
    """The table with a `suppressed` column and the estimates of suppressed rows emptied."""
    result = table.assign(suppressed=hidden(table))
    columns = [c for c in SUPPRESSED_COLUMNS if c in result.columns]
    result[columns] = result[columns].astype("float64")
    if result["suppressed"].any():
        result.loc[result["suppressed"], columns] = np.nan
    return result


def leaks(table: pd.DataFrame) -> pd.DataFrame:
    """Rows that would publish an estimate the primary rule suppresses."""
    return table[hidden(table) & ~table["suppressed"].astype(bool)]


def relations(table: pd.DataFrame, part: str, whole: str, total: Hashable) -> list[list]:
    """The additive relations of a table with a margin: for every value of `whole`, the row of the
    total (whose `part` is `total`) followed by the rows of its parts.

    E.g. part="breakdown", whole="type", total="all": each type's share for all workplaces is made
    of its shares by level of government.
    """
    found = []
    for _, rows in table.groupby(whole, sort=False):
        totals = rows.index[rows[part] == total]
        if len(totals) == 1 and len(rows) > 1:
            found.append([totals[0]] + [r for r in rows.index if r != totals[0]])
    return found


def protected(table: pd.DataFrame, linked: Iterable[list]) -> pd.DataFrame:
    """The table with primary and complementary suppression applied over the relations `linked`
    (lists of row labels: a total, then the parts that add up to it); rows with n = 0 are known
    to be empty and need no protection."""
    table = suppress(table)
    linked = [list(r) for r in linked]
    hide = table["suppressed"].copy()
    empty = table["n"].fillna(0) == 0
    while True:
        added = _complements(table, linked, hide, empty)
        if added is None:
            break
        hide[added] = True
    return suppress(table.assign(suppressed=hide))


def _complements(table: pd.DataFrame, linked: list[list], hide: pd.Series, empty: pd.Series):
    """One more cell to suppress, or None when the pattern is safe."""
    for rows in linked:
        unknown = [r for r in rows if hide[r] and not empty[r]]
        if len(unknown) == 1:
            return _cheapest(table, rows, hide, empty)
    determined = determined_cells(linked, [r for r in hide.index if hide[r] and not empty[r]])
    for cell in determined:
        for rows in linked:
            if cell in rows and _cheapest(table, rows, hide, empty) is not None:
                return _cheapest(table, rows, hide, empty)
    return None


def _cheapest(table: pd.DataFrame, rows: list, hide: pd.Series, empty: pd.Series):
    """The published cell of a relation with the fewest respondents (the least information lost)."""
    candidates = [r for r in rows if not hide[r] and not empty[r]]
    return min(candidates, key=lambda r: (table.at[r, "n"], str(r))) if candidates else None


def determined_cells(linked: list[list], suppressed: list) -> list:
    """The suppressed cells whose value the relations fix exactly, given every published cell.

    Each relation says total - sum(parts) = 0. Over the suppressed cells alone, a cell is
    determined when its unit vector lies in the row space of the relations' coefficient matrix.
    """
    if not suppressed:
        return []
    position = {cell: i for i, cell in enumerate(suppressed)}
    matrix = np.zeros((len(linked), len(suppressed)))
    for i, rows in enumerate(linked):
        # the total's coefficient is +1 and the parts' -1; which is which does not change the rank test
        for j, cell in enumerate(rows):
            if cell in position:
                matrix[i, position[cell]] = 1.0 if j == 0 else -1.0
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for cell, j in position.items():
        unit = np.zeros((1, len(suppressed)))
        unit[0, j] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(cell)
    return found
