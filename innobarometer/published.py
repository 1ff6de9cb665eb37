"""The public record: published facts with their sources, loaded from data/published/facts.csv."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from innobarometer.paths import PUBLISHED_FACTS

REQUIRED = ("id", "unit", "measures_da", "edition", "period", "source_name", "source_url")
NUMERIC = ("value", "lower", "upper", "precision", "n")


class PublishedFactsError(ValueError):
    """A row of the published facts is unusable; the message names file, column and row."""


def _problem(path: Path, row: int, column: str, message: str) -> PublishedFactsError:
    return PublishedFactsError(f"{path}: column '{column}', row {row + 1} (file line {row + 2}): {message}")


def read_facts(path: Path | str = PUBLISHED_FACTS) -> pd.DataFrame:
    """The published facts, validated, indexed by id."""
    path = Path(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in REQUIRED + NUMERIC + ("lower", "upper"):
        if column not in table.columns:
            raise PublishedFactsError(f"{path}: required column '{column}' is missing")
    for row, fact in table.iterrows():
        for column in REQUIRED:
            if not fact[column].strip():
                raise _problem(path, row, column, f"fact '{fact['id']}' has no {column}")
        if not fact["source_url"].startswith("https://"):
            raise _problem(path, row, "source_url", f"expected an https:// address, found {fact['source_url']!r}")
        for column in NUMERIC:
            if fact[column] and pd.isna(pd.to_numeric(fact[column], errors="coerce")):
                raise _problem(path, row, column, f"expected a number, found {fact[column]!r}")
        if not fact["value"] and not (fact["lower"] or fact["upper"]):
            raise _problem(path, row, "value", f"fact '{fact['id']}' has neither a value nor bounds")
    if table["id"].duplicated().any():
        row = int(table.index[table["id"].duplicated()][0])
        raise _problem(path, row, "id", f"duplicated id {table.loc[row, 'id']!r}")
    for column in NUMERIC:
        table[column] = pd.to_numeric(table[column].replace("", None))
    return table.set_index("id")


@cache
def facts() -> pd.DataFrame:
    return read_facts()


def fact(fact_id: str) -> pd.Series:
    return facts().loc[fact_id]


def value(fact_id: str) -> float:
    return float(fact(fact_id)["value"])


def counterparts() -> pd.DataFrame:
    """Facts that have a computed statistic as counterpart (statistic_id, statistic_field)."""
    table = facts()
    return table[table["statistic_id"] != ""]
