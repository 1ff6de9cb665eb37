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

    An optional column `given` says what a linked table (one that shares cells with this one)
    decided already about a shared cell: "shown" there, so never suppressed here, or "hidden"
    there, so kept suppressed here. τ-ARGUS chooses the complements among the other cells;
    whether the tables together still protect every cell is for `audit` to say.
    """
    return _each_table(counts, separately, lambda table: _protected_table(table, list(dimensions), dict(totals)))


def audit(cells: pd.DataFrame, dimensions: Sequence[str], totals: Mapping[str, Hashable], separately: str | None = None) -> pd.Series:
    """Which primary cells of a table as `cells` suppress it (n, n_yes, `suppressed`) the published
    cells narrow below their protection interval (`protection_interval`), by τ-ARGUS's audit.

    A cell whose optional `published` is False is shown nowhere, not even its respondents: an inner
    cell of the cover table of linked tables (e.g. level of government by size group, the cover of
    a table by each), through which τ-ARGUS audits the linked tables together.
    """
    return _each_table(cells, separately, lambda table: _short(table, list(dimensions), dict(totals)))


def _each_table(counts: pd.DataFrame, separately: str | None, treat):
    """`treat` applied to each table of `counts` (each value of `separately`), in the rows' order."""
    parts = [counts] if separately is None else [rows for _, rows in counts.groupby(separately, sort=False)]
    return pd.concat([treat(part) for part in parts]).loc[counts.index]


def _primary(counts: pd.DataFrame, published: pd.Series | bool = True) -> pd.Series:
    """The cells the threshold rule suppresses, of those published that have respondents."""
    rule = [is_suppressed(m, n_yes=y) for m, y in zip(counts["n"].astype(int), counts["n_yes"].astype(int))]
    return (counts["n"] > 0) & published & pd.Series(rule, index=counts.index, dtype=bool)


#: How τ-ARGUS is told about a cell: the status of its answer counts and of its respondents (S
#: safe, P protected: published and never suppressed, U unsafe: suppressed), and whether
#: suppressing its answers costs nothing. Optimal suppression is told of a cell suppressed already
#: by its costing nothing: an unsafe count would have protection asked of it (at least 1 upwards,
#: whatever its protection levels say), and τ-ARGUS's own status for it, M, makes pytauargus
#: 0.6.0's optimal suppression fail. The audit is told by its status.
FREE, SHOWN, HIDDEN_FOR_NOTHING, SUPPRESSED, UNPUBLISHED = ("S", "P", False), ("P", "P", False), ("S", "P", True), ("U", "P", False), ("U", "U", False)
GIVEN = {"shown": SHOWN, "hidden": HIDDEN_FOR_NOTHING}


def _protected_table(counts: pd.DataFrame, dimensions: list[str], totals: dict) -> pd.DataFrame:
    n = counts["n"].astype(int)
    given = counts["given"] if "given" in counts.columns else pd.Series(None, index=counts.index, dtype=object)
    if not given.dropna().isin(list(GIVEN)).all():
        raise ValueError(f"a cell can be given only as one of {', '.join(GIVEN)}")
    primary = _primary(counts)
    if (primary & given.eq("shown")).any():
        raise DisclosureError(f"cells given as shown that the threshold rule suppresses: {counts[primary & given.eq('shown')].to_dict('records')}")
    result = counts.assign(primary=primary, suppressed=primary | ((n > 0) & given.eq("hidden")))
    if not primary.any():
        return result
    _check_additive(counts, dimensions, totals)
    statuses = [GIVEN.get(g, FREE) for g in given]
    hidden_cells, short = _tau_argus(counts, dimensions, totals, primary, statuses, suppress=True)
    if short:
        raise DisclosureError("τ-ARGUS's audit found suppressed counts that the published cells narrow down too far: " + "; ".join(short.values()))
    return result.assign(suppressed=result["suppressed"] | (hidden_cells & (n > 0)))


def _short(cells: pd.DataFrame, dimensions: list[str], totals: dict) -> pd.Series:
    published = cells["published"].astype(bool) if "published" in cells.columns else pd.Series(True, index=cells.index)
    primary = _primary(cells, published)
    if (primary & ~cells["suppressed"].astype(bool)).any():
        raise DisclosureError(f"primary cells not suppressed: {cells[primary & ~cells['suppressed'].astype(bool)].to_dict('records')}")
    if not primary.any():
        return pd.Series(False, index=cells.index)
    _check_additive(cells, dimensions, totals)
    statuses = [UNPUBLISHED if not shown else SUPPRESSED if hidden else FREE for shown, hidden in zip(published, cells["suppressed"].astype(bool))]
    _, short = _tau_argus(cells, dimensions, totals, primary, statuses, suppress=False)
    return pd.Series([cell in short for cell in _codes(cells, dimensions, totals)], index=cells.index)


def _codes(counts: pd.DataFrame, dimensions: list[str], totals: dict) -> list[tuple]:
    """Each cell as τ-ARGUS reads it: c0, c1, ... for each dimension's values, T for its total."""
    codes = {d: {value: f"c{i}" for i, value in enumerate(v for v in pd.unique(counts[d]) if v != totals[d])} | {totals[d]: TOTAL} for d in dimensions}
    return list(zip(*[counts[d].map(codes[d]) for d in dimensions]))


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


def _tau_argus(
    counts: pd.DataFrame, dimensions: list[str], totals: dict, primary: pd.Series, statuses: list[tuple[str, str, bool]], suppress: bool
) -> tuple[pd.Series, dict[tuple, str]]:
    """Which cells τ-ARGUS suppresses, primary or secondary (after optimal suppression of the
    table answer × dimensions, if `suppress`), and which of them its audit finds narrowed below
    their protection, with why. A cell's answer counts and respondents are as its `statuses` say,
    but for the answer count that a primary cell's protection is asked of (see below), unsafe."""
    with tempfile.TemporaryDirectory(prefix="innobarometer-tauargus-") as folder:
        cells = _codes(counts, dimensions, totals)
        n, n_yes = counts["n"].astype(int).tolist(), counts["n_yes"].astype(int).tolist()
        suppressed, short = _run_tau_argus(Path(folder), cells, n, n_yes, primary.tolist(), statuses, len(dimensions), suppress)
    return pd.Series([cell in suppressed for cell in cells], index=counts.index), short


def _run_tau_argus(
    folder: Path, cells: list[tuple], n: list[int], n_yes: list[int], primary: list[bool], statuses: list[tuple[str, str, bool]], dimensions: int, suppress: bool
) -> tuple[set[tuple], dict[tuple, str]]:
    lines = []
    for cell, respondents, yes, unsafe, (answers, total, for_nothing) in zip(cells, n, n_yes, primary, statuses):
        if respondents == 0:
            continue
        below, above = protection_interval(yes, respondents) if unsafe else (0, 0)
        # The protection is asked of the yes count, or, when everyone answered yes, of the no count
        # (its mirror image): τ-ARGUS asks every unsafe count to stay open upwards by 1 at least,
        # which a count already equal to its cell's n cannot. The other answer, whose count follows
        # from n, τ-ARGUS's optimal suppression suppresses with it (an audit alone is told, by
        # its status). The frequency column holds the cell's respondents, so that a count of 0 is a cell.
        marked = "y" if yes < respondents else "n"
        for answer, count, interval in (("y", yes, (below, above)), ("n", respondents - yes, (above, below))):
            status, (low, high) = ("U", interval) if unsafe and answer == marked else (answers, (0, 0))
            cost = 0 if for_nothing else respondents
            lines.append(";".join([*cell, answer, str(count), str(respondents), str(cost), status, str(low), str(high)]))
        lines.append(";".join([*cell, TOTAL, str(respondents), str(respondents), str(respondents), total, "0", "0"]))
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
        + (f"<SUPPRESS> {SECONDARY_METHOD}(1,5)\n" if suppress else ""),
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
    short = {}
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
            short[cell] = f"{cell} {answer}: {count:g} lies in [{realised_low:g}, {realised_high:g}], needs [{count - low:g}, {count + high:g}]"
    return suppressed, short
