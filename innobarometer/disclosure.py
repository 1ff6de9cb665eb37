"""Disclosure control: the one rule for which estimates may leave the build, and the protection of
the count tables behind every figure with τ-ARGUS.

Primary suppression, the threshold rule on the frequency table behind every share: a share is
shown only when at least MIN_RESPONDENTS respondents answered yes and at least MIN_RESPONDENTS
answered no (so it rests on at least twice as many). Fewer on either side would single out those
few; none on one side would tell every member's answer (group disclosure). Where the answer
counts are not known (the statistics file, which must not carry a hidden cell's counts), what
can be checked is checked: at least twice MIN_RESPONDENTS respondents and a share strictly
between 0 and 1.

Secondary (complementary) suppression: a published total and its published parts must not give
away a suppressed part. Each figure's shares come from a frequency table, answer (yes, no) by the
figure's dimensions (e.g. level of government by combination of types), with its totals; every
cell's number of respondents is published. `protect` hands that table to τ-ARGUS (`pytauargus`,
with the open-source HiGHS solver) with the primary cells marked unsafe and the respondent totals
marked as published, lets its optimal suppression (OPT) choose the complements at the least cost
(a cell costs its number of respondents), and then runs τ-ARGUS's audit: the feasibility interval
of every suppressed count, given every published cell, must cover its protection interval
(`protection_interval`). A pattern that fails the audit stops the build. With equal weights the
relations between the shares are exact; with unequal weights they are close, and are protected
alike (Hundepool et al., Statistical Disclosure Control, Wiley 2012, ch. 4 and 5).

A suppressed row keeps its row and `n`, but every number that could reveal answers is emptied,
its answer counts included; its reason is not told apart from the others', so a dash never says
which rule made it. Estimates based on fewer than UNCERTAIN_BELOW respondents are shown, marked
as uncertain.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

MIN_RESPONDENTS = 5
UNCERTAIN_BELOW = 30
#: How many respondents either way the published cells must leave a primary-suppressed count open.
PROTECTION = 1
#: τ-ARGUS's method for secondary suppression: optimal (a mixed-integer programme, HiGHS).
SECONDARY_METHOD = "OPT"
#: The columns emptied in a suppressed row (estimates, their uncertainty, their tests, and the
#: answer counts from which the share would follow).
SUPPRESSED_COLUMNS = ("value", "ci_low", "ci_high", "se", "p_value", "difference", "contrast_se", "p_adjusted", "deff", "n_yes")


class DisclosureError(RuntimeError):
    """A table that τ-ARGUS could not protect, or whose protection its audit found short."""


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
    """The table with a `suppressed` column and the estimates and answer counts of suppressed rows emptied."""
    result = table.assign(suppressed=hidden(table))
    columns = [c for c in SUPPRESSED_COLUMNS if c in result.columns]
    result[columns] = result[columns].astype({c: "Int64" if c == "n_yes" else "float64" for c in columns})
    if result["suppressed"].any():
        result.loc[result["suppressed"], columns] = pd.NA
    return result


def leaks(table: pd.DataFrame) -> pd.DataFrame:
    """Rows that would publish an estimate the primary rule suppresses."""
    return table[hidden(table) & ~table["suppressed"].astype(bool)]


def protection_interval(n_yes: int, n: int) -> tuple[int, int]:
    """How far below and above its true value a primary-suppressed cell's count of yes answers, of
    its `n` respondents, must remain possible given every published cell.

    PROTECTION respondents either way, and far enough that the published cells do not tell that
    fewer than MIN_RESPONDENTS answered yes, or no: upwards at least to MIN_RESPONDENTS yes, downwards
    at least to MIN_RESPONDENTS no. No count lies below 0 or above n. (The count of no answers is n
    less this one, so its interval is this one mirrored.)
    """
    n_no = n - n_yes
    return min(n_yes, max(PROTECTION, MIN_RESPONDENTS - n_no)), min(n_no, max(PROTECTION, MIN_RESPONDENTS - n_yes))


def protect(counts: pd.DataFrame, dimensions: Sequence[str], totals: Mapping[str, Hashable], separately: str | None = None) -> pd.DataFrame:
    """The count table with `suppressed` (primary or secondary) and `primary`, protected by τ-ARGUS.

    `counts` has one row per cell of a table, its totals included (the row whose dimension is
    `totals[dimension]`): the dimensions, `n` (respondents, published) and `n_yes`. With
    `separately`, each value of that column is a table of its own (e.g. each innovation type).
    Cells with no respondents are known to be empty and are never suppressed.
    """
    parts = [counts] if separately is None else [rows for _, rows in counts.groupby(separately, sort=False)]
    protected = pd.concat([_protected_table(part, list(dimensions), dict(totals)) for part in parts])
    return protected.loc[counts.index]


def _protected_table(counts: pd.DataFrame, dimensions: list[str], totals: dict) -> pd.DataFrame:
    n = counts["n"].astype(int)
    n_yes = counts["n_yes"].astype(int)
    primary = (n > 0) & pd.Series([is_suppressed(m, n_yes=y) for m, y in zip(n, n_yes)], index=counts.index, dtype=bool)
    result = counts.assign(primary=primary, suppressed=primary)
    if not primary.any():
        return result
    _check_additive(counts, dimensions, totals)
    # τ-ARGUS reads codes of its own: c0, c1, ... for each dimension's values, T for its total
    codes = {d: {value: f"c{i}" for i, value in enumerate(v for v in pd.unique(counts[d]) if v != totals[d])} | {totals[d]: TOTAL} for d in dimensions}
    cells = list(zip(*[counts[d].map(codes[d]) for d in dimensions]))
    with tempfile.TemporaryDirectory(prefix="innobarometer-tauargus-") as folder:
        hidden_cells = _tau_argus(Path(folder), cells, n.tolist(), n_yes.tolist(), primary.tolist(), len(dimensions))
    found = pd.Series([cell in hidden_cells for cell in cells], index=counts.index)
    return result.assign(suppressed=primary | (found & (n > 0)))


TOTAL = "T"


def _check_additive(counts: pd.DataFrame, dimensions: list[str], totals: dict) -> None:
    """A total that is not the sum of its parts is a programming error, not a property of the data."""
    for d in dimensions:
        others = [o for o in dimensions if o != d] or ["_whole"]
        table = counts.assign(_whole=0)
        parts = table[table[d] != totals[d]].groupby(others)[["n", "n_yes"]].sum()
        whole = table[table[d] == totals[d]].set_index(others)[["n", "n_yes"]]
        differing = parts.join(whole, how="outer", suffixes=("", "_total")).fillna(0)
        differing = differing[(differing["n"] != differing["n_total"]) | (differing["n_yes"] != differing["n_yes_total"])]
        if len(differing):
            raise DisclosureError(f"totals over {d} that are not the sums of their parts: {differing.to_dict('index')}")


def _engine_class():
    """pytauargus's engine, with the a-priori bounds of legacy τ-ARGUS.

    pytauargus 0.6.0 bounds every cell a priori by the table's smallest and largest value, so an
    intruder would be assumed to know that no count lies below the smallest count in the table,
    which narrows the audited intervals below what the published cells allow. τ-ARGUS itself
    (TableSet.minTabVal and maxTabVal, computed in TableService) takes 0 for a table of positive
    values and 1.5 times the largest value.
    """
    from pytauargus.engine import Engine

    class LegacyBounds(Engine):
        def _table_cell_bounds(self, tab: int) -> tuple[float, float]:
            smallest, largest = super()._table_cell_bounds(tab)
            return min(smallest, 0.0), 1.5 * largest

    return LegacyBounds


def _tau_argus(folder: Path, cells: list[tuple], n: list[int], n_yes: list[int], primary: list[bool], dimensions: int) -> set[tuple]:
    """The cells (by their codes) τ-ARGUS suppresses, primary or secondary, after optimal suppression
    of the table answer × dimensions and an audit of the result."""
    lines = []
    for cell, respondents, yes, unsafe in zip(cells, n, n_yes, primary):
        if respondents == 0:
            continue
        below, above = protection_interval(yes, respondents) if unsafe else (0, 0)
        # The protection is asked of the yes count, or, when everyone answered yes, of the no count
        # (its mirror image): τ-ARGUS asks every unsafe count to stay open upwards by 1 at least,
        # which a count already equal to its cell's n cannot. The other answer, whose count follows
        # from n, τ-ARGUS suppresses with it. The frequency column holds the cell's respondents, so
        # that a count of 0 is a cell.
        marked = "y" if yes < respondents else "n"
        for answer, count, interval in (("y", yes, (below, above)), ("n", respondents - yes, (above, below))):
            status = "U" if unsafe and answer == marked else "S"
            low, high = interval if status == "U" else (0, 0)
            lines.append(";".join([*cell, answer, str(count), str(respondents), str(respondents), status, str(low), str(high)]))
        lines.append(";".join([*cell, TOTAL, str(respondents), str(respondents), str(respondents), "P", "0", "0"]))  # published
    (folder / "table.tab").write_text("\n".join(lines) + "\n", encoding="utf-8")
    variables = "".join(f'{d} "" ""\n  <RECODEABLE>\n  <TOTCODE> "{TOTAL}"\n' for d in [*(f"d{i}" for i in range(dimensions)), "answer"])
    (folder / "table.rda").write_text(
        '<SEPARATOR> ";"\n<SAFE> "S"\n<UNSAFE> "U"\n<PROTECT> "P"\n' + variables
        + 'count "" ""\n  <NUMERIC>\nrespondents "" ""\n  <FREQUENCY>\ncost "" ""\n  <NUMERIC> <COSTVAR>\n'
        + 'status "" ""\n  <STATUS>\nlower "" ""\n  <NUMERIC> <LOWERPL>\nupper "" ""\n  <NUMERIC> <UPPERPL>\n',
        encoding="utf-8",
    )
    explanatory = "".join(f'"d{i}"' for i in range(dimensions)) + '"answer"'
    (folder / "table.arb").write_text(
        f'<OPENTABLEDATA> "{folder / "table.tab"}"\n<OPENMETADATA> "{folder / "table.rda"}"\n'
        f'<SPECIFYTABLE> {explanatory}|"count"|"cost"|\n<SAFETYRULE> MAN(0)\n<READTABLE> 1\n'
        f"<SUPPRESS> {SECONDARY_METHOD}(1,5)\n",
        encoding="utf-8",
    )
    try:
        with contextlib.chdir(folder):  # the solver writes its logs into the working directory
            engine = _engine_class()()
            engine.run_batch(str(folder / "table.arb"))
            engine.audit(0)
            engine.write_intermediate_table(0, str(folder / "protected.tab"), simple=True, with_audit=True)
    except Exception as error:  # the engine's own errors carry no type of their own worth telling apart
        raise DisclosureError(f"τ-ARGUS could not protect the table: {error}") from None
    suppressed = set()
    short = []
    for line in (folder / "protected.tab").read_text(encoding="utf-8").splitlines():
        fields = [f.strip().strip('"').strip() for f in line.split(";")]
        cell, answer = tuple(fields[:dimensions]), fields[dimensions]
        # codes; count; respondents; cost; status; protection below, above; audited interval; ...
        count, respondents, status, low, high, realised_low, realised_high = (
            float(fields[-12]), float(fields[-11]), fields[-9], float(fields[-8]), float(fields[-7]), float(fields[-6]), float(fields[-5]),
        )
        if answer == TOTAL or status not in ("U", "M"):
            continue
        # no count lies outside 0 to n, whatever τ-ARGUS's model of the intruder allowed
        realised_low, realised_high = max(realised_low, 0.0), min(realised_high, respondents)
        suppressed.add(cell)
        if status == "U" and (realised_low > count - low + 1e-9 or realised_high < count + high - 1e-9):
            short.append(f"{cell} {answer}: {count:g} lies in [{realised_low:g}, {realised_high:g}], needs [{count - low:g}, {count + high:g}]")
    if short:
        raise DisclosureError("τ-ARGUS's audit found suppressed counts that the published cells narrow down too far: " + "; ".join(short))
    return suppressed
