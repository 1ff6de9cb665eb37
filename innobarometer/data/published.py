"""The public record: published facts and case figures with their sources, from data/published/.

Each row says what it measures in Danish (`measures_da`) and in English (`measures_en`); sources
stay as published, in their own language.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from innobarometer.paths import PUBLISHED_CASES, PUBLISHED_FACTS
from innobarometer.text.formatting import number, number_word, percent
from innobarometer.text.language import _, language

FACT_REQUIRED = ("id", "unit", "measures_da", "measures_en", "edition", "period", "source_name", "source_url")
CASE_REQUIRED = ("id", "case", "value", "unit", "measures_da", "measures_en", "source_name", "source_url")
NUMERIC = ("value", "lower", "upper", "precision", "n")


class PublishedFactsError(ValueError):
    """A row of the published data is unusable; the message names file, column and row."""


def _problem(path: Path, row: int, column: str, message: str) -> PublishedFactsError:
    return PublishedFactsError(f"{path}: column '{column}', row {row + 1} (file line {row + 2}): {message}")


def read_sourced_table(path: Path | str, required: tuple[str, ...]) -> pd.DataFrame:
    """A table of published numbers, validated (every row sourced, numbers numeric), indexed by id."""
    path = Path(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in required:
        if column not in table.columns:
            raise PublishedFactsError(f"{path}: required column '{column}' is missing")
    numeric = [c for c in NUMERIC if c in table.columns]
    for row, fact in table.iterrows():
        for column in required:
            if not fact[column].strip():
                raise _problem(path, row, column, f"'{fact['id']}' has no {column}")
        if not fact["source_url"].startswith("https://"):
            raise _problem(path, row, "source_url", f"expected an https:// address, found {fact['source_url']!r}")
        for column in numeric:
            if fact[column] and pd.isna(pd.to_numeric(fact[column], errors="coerce")):
                raise _problem(path, row, column, f"expected a number, found {fact[column]!r}")
    if table["id"].duplicated().any():
        row = int(table.index[table["id"].duplicated()][0])
        raise _problem(path, row, "id", f"duplicated id {table.loc[row, 'id']!r}")
    for column in numeric:
        table[column] = pd.to_numeric(table[column].replace("", None))
    return table.set_index("id")


def read_facts(path: Path | str = PUBLISHED_FACTS) -> pd.DataFrame:
    """The published facts, validated: each has a value or bounds, and a source."""
    table = read_sourced_table(path, FACT_REQUIRED)
    unbounded = table["value"].isna() & table["lower"].isna() & table["upper"].isna()
    if unbounded.any():
        row = int(list(table.index).index(table.index[unbounded][0]))
        raise _problem(Path(path), row, "value", f"'{table.index[unbounded][0]}' has neither a value nor bounds")
    return table


def read_cases(path: Path | str = PUBLISHED_CASES) -> pd.DataFrame:
    """The cases' key figures, validated, each with its source; none for a chapter without a cases file."""
    if not Path(path).exists():
        return pd.DataFrame(columns=list(CASE_REQUIRED)).set_index("id")
    return read_sourced_table(path, CASE_REQUIRED)


@cache
def facts() -> pd.DataFrame:
    return read_facts()


@cache
def cases() -> pd.DataFrame:
    return read_cases()


def fact(fact_id: str) -> pd.Series:
    return facts().loc[fact_id]


def value(fact_id: str) -> float:
    return float(fact(fact_id)["value"])


def counterparts() -> pd.DataFrame:
    """Facts that have a computed statistic as counterpart (statistic_id, statistic_field)."""
    table = facts()
    return table[table["statistic_id"] != ""]


def required_statistics() -> list[str]:
    """The statistics every build must produce: those the public record has a counterpart for."""
    return sorted(set(counterparts()["statistic_id"]))


def measures(row: pd.Series) -> str:
    """What a published fact or case figure measures, in the edition's language."""
    return row[f"measures_{language()}"]


def case_value(case_id: str) -> float:
    return float(cases().loc[case_id, "value"])


def case_text(case_id: str) -> str:
    """A case figure as text in its unit: years bare, shares as per cent, money in millions of
    kroner ('2,5 mio. kr.' / 'DKK 2.5 million'), counts up to twelve in words ('tre distrikter')."""
    row = cases().loc[case_id]
    value, unit = float(row["value"]), row["unit"]
    if unit == "year":
        return str(int(value))
    if unit == "share":
        return percent(value)
    decimals = 0 if value == int(value) else 1
    if unit.startswith("mio. kr."):
        return _("{amount}\u00a0mio. kr.").format(amount=number(value, decimals))  # a non-breaking space before the unit
    return number_word(int(value)) if value == int(value) else number(value, decimals)


def fact_text(fact: pd.Series) -> str:
    """A published value or bound as text in its unit: '70 %', '2.362', '40 % til under 50 %' /
    '70%', '2,362', '40% to under 50%'."""
    show = number if fact["unit"] == "count" else percent
    if pd.notna(fact["value"]):
        return show(fact["value"])
    return _("{lower} til under {upper}").format(lower=show(fact["lower"]), upper=show(fact["upper"]))
