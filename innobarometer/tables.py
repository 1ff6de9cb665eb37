"""Tables of estimates as Markdown with Danish formats, so they typeset in HTML and PDF alike."""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import Markdown

from innobarometer import disclosure
from innobarometer.estimate import ALPHA
from innobarometer.formatting import number, p_value, percent, percent_range, signed

DASH = "–"
UNCERTAIN_MARK = "*"
#: The notes under a table that has suppressed or uncertain estimates.
#: Why an estimate is not shown, in Danish: the disclosure rule's two cases, and both at once.
TOO_FEW = f"færre end {disclosure.MIN_RESPONDENTS} svar"
ALL_OR_NONE = f"en andel på 0 eller 100 % fra færre end {disclosure.UNCERTAIN_BELOW} svar"
SUPPRESSED_REASON = f"{TOO_FEW}, eller {ALL_OR_NONE}"
SUPPRESSED_NOTE = f"{DASH} Ikke vist: {SUPPRESSED_REASON}."
UNCERTAIN_NOTE = f"{UNCERTAIN_MARK} Usikkert skøn: færre end {disclosure.UNCERTAIN_BELOW} svar."


def ci_heading() -> str:
    return f"Konfidensinterval ({percent(1 - ALPHA)})"


def share_text(value: float, n: float) -> str:
    """A share as shown anywhere: '–' when suppressed, marked '*' when uncertain."""
    if pd.isna(value) or disclosure.is_suppressed(n, value):
        return DASH
    return percent(value) + (UNCERTAIN_MARK if disclosure.is_uncertain(n) else "")


def interval_text(low: float, high: float, n: float) -> str:
    return DASH if pd.isna(low) or pd.isna(high) or disclosure.is_suppressed(n) else percent_range(low, high)


def estimates_frame(table: pd.DataFrame, label: str, label_title: str) -> pd.DataFrame:
    """Estimates as Danish text columns: label, share, CI, respondents."""
    return pd.DataFrame(
        {
            label_title: table[label].to_list(),
            "Andel": [share_text(v, n) for v, n in zip(table["value"], table["n"])],
            ci_heading(): [interval_text(lo, hi, n) for lo, hi, n in zip(table["ci_low"], table["ci_high"], table["n"])],
            "Antal svar": table["n"].map(number).to_list(),
        }
    )


NUMERIC_TEXT = re.compile(r"^[\d+−<–-][\d\s.,%\u00a0+−–-]*(%|pct\.-point)?\*?$")
#: What a column of numbers says where it has no number.
NOT_TESTED = "ikke testet"


def is_number_text(value: str) -> bool:
    """A cell of a column of numbers: a number, or the column's word for having none."""
    return bool(NUMERIC_TEXT.match(value)) or value in (DASH, NOT_TESTED)


def notes(frame: pd.DataFrame) -> list[str]:
    """The notes a table of Danish text needs: for suppressed and for uncertain estimates."""
    cells = frame.astype(str).to_numpy().ravel()
    found = []
    if any(c == DASH for c in cells):
        found.append(SUPPRESSED_NOTE)
    if any(c.endswith(UNCERTAIN_MARK) for c in cells):
        found.append(UNCERTAIN_NOTE)
    return found


def markdown(frame: pd.DataFrame) -> Markdown:
    """A text table as Markdown: columns of numbers right-aligned, text left-aligned; notes below."""
    align = [
        "right" if i > 0 and frame[c].astype(str).map(is_number_text).all() else "left"
        for i, c in enumerate(frame.columns)
    ]
    # The cells are finished Danish text: tabulate must not read '1.500' as the number 1.5.
    text = frame.to_markdown(index=False, colalign=align, disable_numparse=True)
    return Markdown("\n\n".join([text] + [note.replace("*", "\\*", 1) for note in notes(frame)]))


def estimates_table(table: pd.DataFrame, label: str, label_title: str) -> Markdown:
    return markdown(estimates_frame(table, label, label_title))


def shown_reason(row: pd.Series, min_n: int) -> str:
    """Why a combination is or is not in Figure A, in Danish."""
    if row["shown"]:
        return "Ja"
    if row["n"] < min_n:
        return f"Nej (færre end {number(min_n)})"
    if not row["tested"] and row["value"] in (0, 1):
        return f"Nej (andel på {percent(row['value'])})"
    if not row["tested"]:
        return f"Nej (under {number(min_n)} øvrige)"
    return "Nej (ikke signifikant)"


def combinations_table(table: pd.DataFrame, rule) -> Markdown:
    """Every combination of Figure A, shown or not, with the numbers behind the decision."""
    frame = pd.DataFrame(
        {
            "Kombination": table["label"].to_list(),
            "Antal": table["n"].map(number).to_list(),
            "Forbedret kvalitet": [share_text(v, n) for v, n in zip(table["value"], table["n"])],
            ci_heading(): [interval_text(lo, hi, n) for lo, hi, n in zip(table["ci_low"], table["ci_high"], table["n"])],
            "Forskel, pct.-point": [signed(100 * d) if t else NOT_TESTED for d, t in zip(table["difference"], table["tested"])],
            "p-værdi": [p_value(p) if t else NOT_TESTED for p, t in zip(table["p_value"], table["tested"])],
            "Justeret p-værdi": [p_value(p) if t else NOT_TESTED for p, t in zip(table["p_adjusted"], table["tested"])],
            "Vist": [shown_reason(row, rule.min_n) for _, row in table.iterrows()],
        }
    )
    return markdown(frame)
