"""The microdata schema and the Danish labels, read from data/codebook/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from innobarometer.paths import CODEBOOK

#: Innovation types in their fixed order (the order of the questionnaire and of combination keys).
TYPES = ("product", "service", "process", "communication")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | code | weight | binary | latest
    required: bool
    label_da: str
    label_en: str


@cache
def columns() -> dict[str, Column]:
    table = pd.read_csv(CODEBOOK / "columns.csv", dtype=str, keep_default_na=False)
    return {
        row.column: Column(row.column, row.kind, row.required == "yes", row.label_da, row.label_en)
        for row in table.itertuples()
    }


@cache
def codes(column: str) -> dict[str, str]:
    """Allowed codes of a coded column, mapped to their Danish labels."""
    table = pd.read_csv(CODEBOOK / "codes.csv", dtype=str, keep_default_na=False)
    table = table[table["column"] == column]
    return dict(zip(table["code"], table["label_da"]))


@cache
def innovation_types() -> pd.DataFrame:
    """One row per innovation type (and 'any'), in questionnaire order, with Danish labels."""
    table = pd.read_csv(CODEBOOK / "innovation_types.csv", dtype=str, keep_default_na=False)
    return table.assign(order=table["order"].astype(int)).sort_values("order").set_index("type")


def type_label(innovation_type: str) -> str:
    return innovation_types().loc[innovation_type, "label_da"]


def question_text() -> str:
    """The survey question's sub-items in questionnaire order, joined as the chapter prints them."""
    return " – ".join(innovation_types().loc[list(TYPES), "question_da"])


def combination_label(key: str) -> str:
    """Danish label of a combination key, e.g. 'service+process' -> 'Proces/organisation + service'.

    The process type comes first because it is the chapter's subject; the rest follow in
    questionnaire order.
    """
    parts = key.split("+")
    ordered = sorted(parts, key=lambda t: (t != "process", TYPES.index(t)))
    shorts = [innovation_types().loc[t, "short_da"] for t in ordered]
    return " + ".join([shorts[0]] + [s.lower() for s in shorts[1:]])


#: The breakdown that means "no breakdown": the whole population.
ALL = "all"


def sector_views() -> dict[str, str]:
    """The views a reader can switch a figure between: all, then each government level."""
    return {ALL: "Alle offentlige arbejdspladser"} | codes("sector")
