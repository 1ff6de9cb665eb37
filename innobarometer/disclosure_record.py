"""The disclosure record: every cell the chapter's figures publish, with its counts and whether
disclosure control hides it.

The frequency tables behind the figures are defined here once and protected with
`disclosure.protect` (τ-ARGUS) before any share is estimated, so that a suppressed cell's share,
interval, standard error and tests are never computed. The notebooks take their cells from here;
the build's audit (`innobarometer.audit`) computes the same record from the same file and checks
every file it is about to publish against it.
"""

from __future__ import annotations

import pandas as pd

from innobarometer import codebook, disclosure
from innobarometer.combinations import OUTCOME, combination_key, innovations
from innobarometer.estimate import answer_counts

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


def innovation_type_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Figure 1's cells: its count table with `primary`, `suppressed` and each statistic's id."""
    cells = disclosure.protect(innovation_type_counts(frame), **INNOVATION_TYPE_TABLES)
    return cells.assign(id="workplaces_innovated_" + cells["type"] + cells["breakdown"].map(breakdown_suffix))


def quality_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Figure 2's cells: its count table with `primary`, `suppressed` and each statistic's id."""
    cells = disclosure.protect(quality_counts(frame), **QUALITY_TABLE)
    return cells.assign(id="innovations_improved_quality." + cells["combination"] + cells["breakdown"].map(breakdown_suffix))


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
