"""Tables of estimates as Markdown with Danish formats, so they typeset in HTML and PDF alike."""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import Markdown

from innobarometer.estimate import ALPHA
from innobarometer.formatting import number, p_value, percent, percent_range, signed


def ci_heading() -> str:
    return f"Konfidensinterval ({percent(1 - ALPHA)})"


def estimates_frame(table: pd.DataFrame, label: str, label_title: str) -> pd.DataFrame:
    """Estimates as Danish text columns: label, share, CI, respondents."""
    return pd.DataFrame(
        {
            label_title: table[label].to_list(),
            "Andel": table["value"].map(percent).to_list(),
            ci_heading(): [percent_range(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
            "Antal svar": table["n"].map(number).to_list(),
        }
    )


NUMERIC_TEXT = re.compile(r"^[\d+−<–-][\d\s.,%\u00a0+−–-]*(%|pct\.-point)?$")


def markdown(frame: pd.DataFrame) -> Markdown:
    """A text table as Markdown: columns of numbers right-aligned, text left-aligned."""
    align = [
        "right" if i > 0 and frame[c].astype(str).map(lambda v: bool(NUMERIC_TEXT.match(v))).all() else "left"
        for i, c in enumerate(frame.columns)
    ]
    return Markdown(frame.to_markdown(index=False, colalign=align))


def estimates_table(table: pd.DataFrame, label: str, label_title: str) -> Markdown:
    return markdown(estimates_frame(table, label, label_title))


def shown_reason(row: pd.Series, min_n: int) -> str:
    """Why a combination is or is not in Figure A, in Danish."""
    if row["shown"]:
        return "Ja"
    if row["n"] < min_n:
        return f"Nej (færre end {number(min_n)})"
    if pd.isna(row["p_value"]):
        return "Nej (intet at sammenligne med)"
    return "Nej (ikke signifikant)"


def combinations_table(table: pd.DataFrame, rule) -> Markdown:
    """Every combination of Figure A, shown or not, with the numbers behind the decision."""
    dash = "–"
    frame = pd.DataFrame(
        {
            "Kombination": table["label"].to_list(),
            "Antal": table["n"].map(number).to_list(),
            "Forbedret kvalitet": table["value"].map(percent).to_list(),
            ci_heading(): [percent_range(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
            "Forskel, pct.-point": [signed(100 * d) if pd.notna(d) else dash for d in table["difference"]],
            "p-værdi": [p_value(p) if pd.notna(p) else dash for p in table["p_value"]],
            "Justeret p-værdi": [p_value(p) if pd.notna(p) else dash for p in table["p_adjusted"]],
            "Vist": [shown_reason(row, rule.min_n) for _, row in table.iterrows()],
        }
    )
    return markdown(frame)
