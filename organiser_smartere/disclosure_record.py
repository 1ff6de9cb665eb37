"""The disclosure record: every cell the chapter's figures publish, with its counts and whether
disclosure control hides it.

The frequency tables behind the figures are defined here once and protected with
`disclosure.protect` (τ-ARGUS) before any share is estimated, so that a suppressed cell's share,
interval, standard error and tests are never computed. The notebooks take their cells from here;
the build's audit (`innobarometer.estimates.audit`) computes the same record from the same file and checks
every file it is about to publish against it. The analyst's explorer takes its cells from here
too, by level of government the figures' own, by another breakdown the same tables protected
together with the figures' (`linked`).
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pandas as pd

from innobarometer.data import codebook
from innobarometer.estimates import disclosure
from innobarometer.estimates.estimate import answer_counts
from organiser_smartere.combinations import OUTCOME, combination_key, innovations

#: Figure 1's innovation types (the columns behind them), in the order of its statistics.
INNOVATION_TYPES = {t: f"innovated_{t}" for t in ["process", "service", "communication", "product", "any"]}
#: The combination that stands for all innovations of a view (Figure 2's reference line).
ALL_INNOVATIONS = "all"


def breakdown_suffix(breakdown: str) -> str:
    """The id suffix of a statistic for one breakdown: '' for all, '.kommune' for municipal."""
    return "" if breakdown == codebook.ALL else f".{breakdown}"


#: How each figure's count table is protected: its dimensions, their totals, and the column whose
#: values are tables of their own (the types of innovation overlap, so do not add up).
INNOVATION_TYPE_TABLES = {"dimensions": ["breakdown"], "totals": {"breakdown": codebook.ALL}, "separately": "type"}
QUALITY_TABLE = {"dimensions": ["breakdown", "combination"], "totals": {"breakdown": codebook.ALL, "combination": ALL_INNOVATIONS}}


def innovation_type_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Figure 1's count table: per innovation type, all workplaces and each level of government,
    the respondents n and those who introduced it n_yes. Each type's levels add up to all workplaces."""
    levels = list(codebook.codes("sector"))
    return pd.concat(
        [answer_counts(frame, INNOVATION_TYPES).assign(group=codebook.ALL), answer_counts(frame, INNOVATION_TYPES, by="sector", groups=levels)],
        ignore_index=True,
    ).rename(columns={"key": "type", "group": "breakdown"})


def quality_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Figure 2's count table: per combination of types present, and all innovations, for all
    workplaces and each level of government, the innovations n and those that improved quality
    n_yes. The combinations add up to all innovations; the levels to all workplaces."""
    keyed = frame.assign(combination=combination_key(frame))
    views = {codebook.ALL: None} | {level: frame["sector"].eq(level) for level in codebook.codes("sector")}
    parts = []
    for view, within in views.items():
        domain = innovations(frame, within)
        parts += [
            answer_counts(keyed, {OUTCOME: OUTCOME}, by="combination", domain=domain).rename(columns={"group": "combination"}).assign(breakdown=view),
            answer_counts(keyed, {OUTCOME: OUTCOME}, domain=domain).drop(columns="group").assign(combination=ALL_INNOVATIONS, breakdown=view),
        ]
    counts = pd.concat(parts, ignore_index=True).drop(columns="key")
    return counts[(counts["n"] > 0) | (counts["combination"] == ALL_INNOVATIONS)].reset_index(drop=True)


#: The breakdown of the figures' tables: the level of government.
FIGURES_BREAKDOWN = "sector"


def innovation_type_cells(frame: pd.DataFrame, by: str = FIGURES_BREAKDOWN) -> pd.DataFrame:
    """Figure 1's cells: its count table with `primary`, `suppressed` and each statistic's id.

    By another breakdown than the figure's (`by`, e.g. size group, as the analyst's explorer
    offers): the same table by that breakdown, protected together with the figure's (`linked`)."""
    cells = disclosure.protect(innovation_type_counts(frame), **INNOVATION_TYPE_TABLES)
    if by != FIGURES_BREAKDOWN:
        cover = cross_counts(frame, INNOVATION_TYPES, [FIGURES_BREAKDOWN, by]).rename(columns={"key": "type"})
        cells = linked(cells, cover, ["type"], by, separately="type")
    return cells.assign(id="workplaces_innovated_" + cells["type"] + cells["breakdown"].map(breakdown_suffix))


def quality_cells(frame: pd.DataFrame, by: str = FIGURES_BREAKDOWN) -> pd.DataFrame:
    """Figure 2's cells: its count table with `primary`, `suppressed` and each statistic's id.

    By another breakdown than the figure's (`by`): the same table by that breakdown, protected
    together with the figure's (`linked`)."""
    cells = disclosure.protect(quality_counts(frame), **QUALITY_TABLE)
    if by != FIGURES_BREAKDOWN:
        keyed = frame.assign(combination=combination_key(frame))
        cover = cross_counts(keyed, {OUTCOME: OUTCOME}, [FIGURES_BREAKDOWN, by, "combination"], domain=innovations(frame)).drop(columns="key")
        cells = linked(cells, cover, ["combination"], by)
    return cells.assign(id="innovations_improved_quality." + cells["combination"] + cells["breakdown"].map(breakdown_suffix))


def cross_counts(frame: pd.DataFrame, variables: dict[str, str], dimensions: list[str], domain: pd.Series | None = None) -> pd.DataFrame:
    """The frequency table of `variables` (as `answer_counts` keys them) by every one of the coded
    columns `dimensions` at once, with every total (a dimension's total is ALL, codebook.ALL and
    ALL_INNOVATIONS alike): per key and cell, n, n_yes, weight and weight_yes. A cell without
    respondents is left out, unless it is the table's grand total."""
    parts = []
    for kept in itertools.product((True, False), repeat=len(dimensions)):
        named = [d for d, keep in zip(dimensions, kept) if keep]
        cell = functools.reduce(lambda key, d: key + CELL_SEPARATOR + frame[d].astype(str), named[1:], frame[named[0]].astype(str)) if named else None
        counts = answer_counts(frame.assign(_cell=cell), variables, by="_cell" if named else None, domain=domain)
        codes = counts["group"].str.split(CELL_SEPARATOR, expand=True) if named else None
        parts.append(counts.drop(columns="group").assign(**{d: codes[named.index(d)] if d in named else codebook.ALL for d in dimensions}))
    return pd.concat(parts, ignore_index=True)[["key", *dimensions, "n", "n_yes", "weight", "weight_yes"]]


CELL_SEPARATOR = "\x1f"


def linked(record: pd.DataFrame, cover: pd.DataFrame, keys: list[str], by: str, separately: str | None = None) -> pd.DataFrame:
    """A figure's table by the breakdown `by` instead of the figure's, protected so that it and the
    figure's cells (`record`) together give away no suppressed cell. The two share their cells for
    all workplaces, where a cell hidden in one but open in the other, or a complement the other
    lets an intruder close, would undo the protection.

    τ-ARGUS protects the table by `by` with the shared cells as the record decided them, and then
    audits the two together through their cover table (`cover`: `cross_counts` by
    FIGURES_BREAKDOWN, `by` and the `keys`), whose cells inside both breakdowns no output shows.
    Should the audit find a cell narrowed below its protection, every cell of that table by `by`
    but the shared ones is suppressed, which leaves nothing to narrow it with. Returns the cells of
    `by` (named `breakdown`), as the record has the figure's."""
    decided = record.rename(columns={"breakdown": FIGURES_BREAKDOWN})[[*keys, FIGURES_BREAKDOWN, "suppressed"]].assign(**{by: codebook.ALL})
    cover = cover.merge(decided, on=[*keys, FIGURES_BREAKDOWN, by], how="left", validate="one_to_one")
    in_figure, in_table = cover[by].eq(codebook.ALL), cover[FIGURES_BREAKDOWN].eq(codebook.ALL)
    if cover.loc[in_figure & (cover["n"] > 0), "suppressed"].isna().any():
        raise disclosure.DisclosureError("the cover table has cells of the figure that its record does not decide")
    table, shared = cover[in_table].drop(columns="suppressed"), in_figure[in_table]
    given = np.where(shared, np.where(cover.loc[in_table, "suppressed"].eq(True), "hidden", "shown"), None)
    dimensions = [by, *[k for k in keys if k != separately]]
    totals = dict.fromkeys([FIGURES_BREAKDOWN, *dimensions], codebook.ALL)
    cells = disclosure.protect(table.assign(given=given), dimensions, totals, separately).drop(columns="given")

    def short() -> pd.Series:
        cover.loc[in_table, "suppressed"] = cells["suppressed"]
        cover.loc[~(in_figure | in_table), "suppressed"] = True
        return disclosure.audit(cover.assign(published=in_figure | in_table), [FIGURES_BREAKDOWN, *dimensions], totals, separately)

    narrowed = short()
    if narrowed.any():
        tables = cover.loc[narrowed, separately] if separately else None
        cells.loc[~shared & (cells["n"] > 0) & (cells[separately].isin(tables) if separately else True), "suppressed"] = True
        if short().any():
            raise disclosure.DisclosureError(f"the table by {by} narrows the figure's suppressed cells however much of it is suppressed")
    return cells.rename(columns={by: "breakdown"}).reset_index(drop=True)


def hidden(cells: pd.DataFrame, column: str, view: str = codebook.ALL) -> set[str]:
    """The values of `column` (a type, a combination) whose cell in `view` is suppressed."""
    return set(cells.loc[(cells["breakdown"] == view) & cells["suppressed"], column])


#: What the record knows of a cell that no output shows: whether it was suppressed first or as a
#: complement, and the sums of weights from which its share follows.
PRIVATE_COLUMNS = ["primary", "weight", "weight_yes"]


def published(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells as they may be shown: a suppressed cell keeps its n, not its answer counts, and
    does not say whether it was suppressed first or as a complement."""
    return disclosure.suppress(cells.drop(columns=PRIVATE_COLUMNS))


def every_cell(frame: pd.DataFrame) -> pd.DataFrame:
    """The whole record: both figures' cells, each with its weighted share `share` (computed for
    the audit alone, suppressed cells included)."""
    cells = pd.concat([innovation_type_cells(frame), quality_cells(frame)], ignore_index=True)
    return cells.assign(share=cells["weight_yes"] / cells["weight"].where(cells["weight"] > 0))
