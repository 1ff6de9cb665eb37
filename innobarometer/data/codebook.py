"""The microdata schema and its labels in both editions' languages, read from data/codebook/.

Each label has a Danish and an English column (`label_da`, `label_en`, ...); the functions here
give the current edition's (`language()`), chosen when called.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from innobarometer.paths import CODEBOOK
from innobarometer.text.language import _, language

#: Innovation types in their fixed order (the order of the questionnaire and of combination keys).
TYPES = ("product", "service", "process", "communication")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | code | weight | binary | latest
    required: bool
    label_da: str
    label_en: str

    @property
    def label(self) -> str:
        """The column's label in the current edition's language."""
        return getattr(self, f"label_{language()}")


@cache
def columns() -> dict[str, Column]:
    table = pd.read_csv(CODEBOOK / "columns.csv", dtype=str, keep_default_na=False)
    return {
        row.column: Column(row.column, row.kind, row.required == "yes", row.label_da, row.label_en)
        for row in table.itertuples()
    }


@cache
def _codes() -> pd.DataFrame:
    return pd.read_csv(CODEBOOK / "codes.csv", dtype=str, keep_default_na=False)


def codes(column: str) -> dict[str, str]:
    """Allowed codes of a coded column, mapped to their labels in the current language."""
    table = _codes()[_codes()["column"] == column]
    return dict(zip(table["code"], table[f"label_{language()}"]))


@cache
def innovation_types() -> pd.DataFrame:
    """One row per innovation type (and 'any'), in questionnaire order, with labels in both languages."""
    table = pd.read_csv(CODEBOOK / "innovation_types.csv", dtype=str, keep_default_na=False)
    return table.assign(order=table["order"].astype(int)).sort_values("order").set_index("type")


def type_label(innovation_type: str) -> str:
    """An innovation type's label: 'Proces- eller organisatorisk innovation' / 'Process or organisational innovation'."""
    return innovation_types().loc[innovation_type, f"label_{language()}"]


def short_label(innovation_type: str) -> str:
    """An innovation type's short label, as combinations name it: 'Proces/organisation' / 'Process/organisation'."""
    return innovation_types().loc[innovation_type, f"short_{language()}"]


def question_text() -> str:
    """The survey question's sub-items in questionnaire order, joined as the chapter prints them."""
    return " – ".join(innovation_types().loc[list(TYPES), f"question_{language()}"])


def combination_label(key: str) -> str:
    """The label of a combination key, e.g. 'service+process' -> 'Proces/organisation + service'.

    The process type comes first because it is the chapter's subject; the rest follow in
    questionnaire order.
    """
    parts = key.split("+")
    ordered = sorted(parts, key=lambda t: (t != "process", TYPES.index(t)))
    shorts = [short_label(t) for t in ordered]
    return " + ".join([shorts[0]] + [s.lower() for s in shorts[1:]])


#: The breakdown that means "no breakdown": the whole population.
ALL = "all"


def sector_views() -> dict[str, str]:
    """The views a reader can switch a figure between: all, then each government level."""
    return {ALL: _("Alle offentlige arbejdspladser")} | codes("sector")
