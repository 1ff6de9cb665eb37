"""What an intruder can work out about each suppressed count from the published cells: an
independent check of τ-ARGUS's suppression, by linear programming (scipy's HiGHS).

A table of cells (its dimensions with their totals, n and n_yes per cell, `suppressed`) publishes
every cell's n and the yes count of every cell that is not suppressed. Each total is the sum of
its parts. The intruder's unknowns are the suppressed cells' yes counts, each between 0 and its n.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linprog


def relations(cells: pd.DataFrame, dimensions: list[str], totals: dict) -> list[tuple[object, list]]:
    """Each total's row label with the row labels of its parts."""
    found = []
    for d in dimensions:
        others = [o for o in dimensions if o != d]
        for _, rows in cells.groupby(others, sort=False) if others else [(None, cells)]:
            total = rows.index[rows[d] == totals[d]]
            parts = rows.index[rows[d] != totals[d]]
            if len(total) == 1 and len(parts):
                found.append((total[0], list(parts)))
    return found


def intervals(cells: pd.DataFrame, dimensions: list[str], totals: dict) -> pd.DataFrame:
    """For every suppressed cell, the smallest and largest yes count the published cells allow."""
    hidden = [i for i in cells.index if cells.at[i, "suppressed"] and cells.at[i, "n"] > 0]
    position = {cell: j for j, cell in enumerate(hidden)}
    rows, rhs = [], []
    for total, parts in relations(cells, dimensions, totals):
        coefficients = np.zeros(len(hidden))
        known = 0.0
        for cell, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if cell in position:
                coefficients[position[cell]] += sign
            else:
                known -= sign * cells.at[cell, "n_yes"]
        if coefficients.any():
            rows.append(coefficients)
            rhs.append(known)
    bounds = [(0, cells.at[cell, "n"]) for cell in hidden]
    found = []
    for cell, j in position.items():
        objective = np.zeros(len(hidden))
        objective[j] = 1.0
        arguments = dict(A_eq=np.array(rows) if rows else None, b_eq=np.array(rhs) if rows else None, bounds=bounds, method="highs")
        low = linprog(objective, **arguments).fun
        high = -linprog(-objective, **arguments).fun
        found.append({"cell": cell, "low": round(low, 6), "high": round(high, 6)})
    return pd.DataFrame(found, columns=["cell", "low", "high"]).set_index("cell")
