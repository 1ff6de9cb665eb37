"""How many cells secondary suppression hides: τ-ARGUS's optimal suppression against the heuristic
it replaced, on the stand-in and on two generated files with rare cells.

`python benchmarks/suppression.py` (or `make bench`). The heuristic (the fewest respondents as the
complement in every relation with one suppressed cell, then an audit by Gaussian elimination) is
read from the commit before τ-ARGUS took over, so the comparison can be repeated as the code moves.
Both are counted at the same protection (no hidden count fixed by the published cells: τ-ARGUS
with one respondent either way and no threshold margin), and τ-ARGUS also at the book's protection
(`disclosure.protection_interval`). Prints a Markdown table.
"""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from innobarometer.data import codebook
from innobarometer.data.microdata import load_microdata  # noqa: E402
from innobarometer.estimates import disclosure
from innobarometer.paths import SYNTHETIC_MICRODATA  # noqa: E402
from organiser_smartere import disclosure_record  # noqa: E402
from organiser_smartere.synthesize import published_targets, synthesize  # noqa: E402

#: The last commit whose innobarometer/disclosure.py (as the package was laid out then) chose complements by the heuristic.
HEURISTIC_COMMIT = "4079136"


def heuristic_module() -> types.ModuleType:
    source = subprocess.run(["git", "show", f"{HEURISTIC_COMMIT}:innobarometer/disclosure.py"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("heuristic_disclosure")
    exec(compile(source, "heuristic_disclosure.py", "exec"), module.__dict__)
    return module


def heuristic_suppressed(counts: pd.DataFrame, dimensions: list[str], totals: dict, separately: str | None) -> pd.Series:
    """The cells the heuristic hides in the same count tables."""
    old = heuristic_module()
    parts = [counts] if separately is None else [rows for _, rows in counts.groupby(separately, sort=False)]
    hidden = []
    for part in parts:
        table = part.assign(value=np.where(part["n"] > 0, part["n_yes"] / part["n"].where(part["n"] > 0), np.nan))
        linked = []
        for d in dimensions:
            others = [o for o in dimensions if o != d]
            whole = table.assign(_whole=table[others].astype(str).agg("|".join, axis=1) if others else "all")
            linked += old.relations(whole, d, "_whole", totals[d])
        hidden.append(old.protected(table, linked)["suppressed"] & (table["n"] > 0))
    return pd.concat(hidden).loc[counts.index]


def tau_argus_suppressed(counts, dimensions, totals, separately, same_protection: bool) -> pd.Series:
    original = disclosure.protection_interval
    if same_protection:
        disclosure.protection_interval = lambda n_yes, n: (min(n_yes, disclosure.PROTECTION), min(n - n_yes, disclosure.PROTECTION))
    try:
        return disclosure.protect(counts, dimensions, totals, separately)["suppressed"]
    finally:
        disclosure.protection_interval = original


def determinable(cells: pd.DataFrame, dimensions, totals, separately) -> int:
    """How many suppressed cells an intruder can pin down exactly from the published cells, their
    respondents and the bounds 0 to n (tests/feasibility.py, by linear programming)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from feasibility import intervals

    parts = [cells] if separately is None else [rows for _, rows in cells.groupby(separately, sort=False)]
    found = 0
    for part in parts:
        if part["suppressed"].any():
            bounds = intervals(part.reset_index(drop=True), dimensions, totals)
            found += int((bounds["high"] - bounds["low"] < 1e-6).sum())
    return found


def tables(frame: pd.DataFrame) -> dict:
    """The two figures' count tables, unprotected, each with how it is protected."""
    return {
        "Figure 1": (disclosure_record.innovation_type_counts(frame), disclosure_record.INNOVATION_TYPE_TABLES),
        "Figure 2": (disclosure_record.quality_counts(frame), disclosure_record.QUALITY_TABLE),
    }


def few_regional() -> pd.DataFrame:
    """355 workplaces of which 8 are regional (the file of issue 28)."""
    table = synthesize()
    rng = np.random.default_rng(28)
    regional = table.index[table["sector"] == "region"]
    keep = np.r_[rng.choice(table.index[table["sector"] != "region"], 347, replace=False), rng.choice(regional, 8, replace=False)]
    return table.loc[np.sort(keep)].reset_index(drop=True)


def rare_communication() -> pd.DataFrame:
    """The stand-in where very few latest innovations included communication."""
    table = synthesize()
    rng = np.random.default_rng(29)
    with_communication = table.index[table["latest_communication"].eq(1)]
    dropped = rng.choice(with_communication, len(with_communication) - 12, replace=False)
    others = table.loc[dropped, ["latest_product", "latest_service", "latest_process"]].sum(axis=1)
    table.loc[dropped, "latest_communication"] = 0
    alone = dropped[others.to_numpy() == 0]
    table.loc[alone, ["latest_process", "innovated_process"]] = 1  # every innovator keeps a type it introduced
    return table


def random_files(count: int = 20, seed: int = 32) -> dict:
    """Small files with rare cells: a few hundred workplaces, some levels with a handful, some
    types rare, quality answered at random."""
    rng = np.random.default_rng(seed)
    files = {}
    for i in range(count):
        sizes = {"kommune": int(rng.integers(60, 400)), "region": int(rng.integers(3, 40)), "stat": int(rng.integers(5, 150))}
        sector = np.repeat(list(sizes), list(sizes.values()))
        n = len(sector)
        chance = {"product": rng.uniform(0.02, 0.3), "service": rng.uniform(0.1, 0.6), "process": rng.uniform(0.3, 0.8), "communication": rng.uniform(0.02, 0.5)}
        introduced = {t: (rng.random(n) < p).astype(int) for t, p in chance.items()}
        introduced["process"][:20] = 1
        innovator = sum(introduced.values()) > 0
        latest = {t: np.where(innovator, introduced[t] * (rng.random(n) < 0.7), 0) for t in chance}
        first = np.argmax(np.column_stack([introduced[t] for t in codebook.TYPES]), axis=1)
        for row in np.flatnonzero(innovator & (sum(latest.values()) == 0)):
            latest[codebook.TYPES[first[row]]][row] = 1
        table = pd.DataFrame({"respondent_id": [f"R{j}" for j in range(n)], "sector": sector, "weight": np.round(np.exp(rng.normal(0, 0.5, n)) * 10, 3)})
        for t in codebook.TYPES:
            table[f"innovated_{t}"] = introduced[t]
            table[f"latest_{t}"] = pd.Series(latest[t]).where(innovator).astype("Int8")
        table["latest_quality"] = pd.Series((rng.random(n) < rng.uniform(0.3, 0.9)).astype(int)).where(innovator).astype("Int8")
        files[f"random {i + 1}"] = table
    return files


def loaded(table: pd.DataFrame) -> pd.DataFrame:
    """A generated table as the book reads it: written, validated and loaded."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "workplaces.csv"
        table.to_csv(path, index=False)
        return load_microdata(path)


def rows() -> list[dict]:
    files = {"stand-in": load_microdata(SYNTHETIC_MICRODATA), "355 workplaces, 8 regional": loaded(few_regional()), "12 with communication": loaded(rare_communication())}
    files |= {name: loaded(table) for name, table in random_files().items()}
    found = []
    for name, frame in files.items():
        for figure, (counts, how) in tables(frame).items():
            dimensions, totals, separately = how["dimensions"], how["totals"], how.get("separately")
            primary = int(disclosure.protect(counts, dimensions, totals, separately)["primary"].sum())
            hidden_by_heuristic = heuristic_suppressed(counts, dimensions, totals, separately)
            heuristic = int(hidden_by_heuristic.sum())
            given_away = determinable(counts.assign(suppressed=hidden_by_heuristic), dimensions, totals, separately)
            same = int(tau_argus_suppressed(counts, dimensions, totals, separately, same_protection=True).sum())
            book = int(tau_argus_suppressed(counts, dimensions, totals, separately, same_protection=False).sum())
            found.append({"file": name, "figure": figure, "cells": int((counts["n"] > 0).sum()), "primary": primary,
                          "heuristic": heuristic - primary, "given_away": given_away, "tau_same": same - primary, "tau_book": book - primary})
    return found


def main() -> int:
    print("# Cells hidden by secondary suppression: τ-ARGUS and the heuristic it replaced\n")
    print("Written by `make bench` (`benchmarks/suppression.py`). Cells count the figure's cells with respondents, totals included;")
    print("\"pinned down exactly\" counts hidden cells an intruder computes from the published ones (tests/feasibility.py).\n")
    print("| file | figure | cells | primary | secondary, heuristic | of those hidden by the heuristic, pinned down exactly | secondary, τ-ARGUS (same protection) | secondary, τ-ARGUS (book's protection) |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    found = rows()
    for row in found:
        print(f"| {row['file']} | {row['figure']} | {row['cells']} | {row['primary']} | {row['heuristic']} | {row['given_away']} | {row['tau_same']} | {row['tau_book']} |")
    random = [r for r in found if r["file"].startswith("random")]
    totals = {key: sum(r[key] for r in random) for key in ["cells", "primary", "heuristic", "given_away", "tau_same", "tau_book"]}
    print(f"| {len(random) // 2} random files (sum) | both | {totals['cells']} | {totals['primary']} | {totals['heuristic']} | {totals['given_away']} | {totals['tau_same']} | {totals['tau_book']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
