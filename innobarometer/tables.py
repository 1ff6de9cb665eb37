"""Tables of estimates as Markdown with Danish formats, so they typeset in HTML and PDF alike."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from innobarometer.estimate import ALPHA
from innobarometer.formatting import number, percent, percent_range


def ci_heading() -> str:
    return f"{percent(1 - ALPHA)}-konfidensinterval"


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


def markdown(frame: pd.DataFrame) -> Markdown:
    """A text table as Markdown (first column left-aligned, the rest right-aligned)."""
    align = ["left"] + ["right"] * (frame.shape[1] - 1)
    return Markdown(frame.to_markdown(index=False, colalign=align))


def estimates_table(table: pd.DataFrame, label: str, label_title: str) -> Markdown:
    return markdown(estimates_frame(table, label, label_title))
