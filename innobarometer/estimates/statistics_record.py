"""The statistics record: every computed statistic, one row each.

A notebook records its statistics as an output of their own (hidden on its page); the execution
collects them from the executed notebooks in the execution cache into one file,
`innobarometer.paths.RECORDED_STATISTICS` (`<cache>/statistics.csv`), whether it ran them or found them there. The build checks
and audits that file and publishes it as `_build/statistics.csv`; the verification page and
`make verify` read it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from innobarometer.estimates import disclosure
from innobarometer.text.escape import printable, spreadsheet_safe

MIME = "application/vnd.innobarometer.statistics+json"
GLUE_NAME = "statistics"
#: The statistics file's columns; p_value and shown only for statistics that were tested;
#: value, ci_low, ci_high, se and p_value empty where `suppressed` (the disclosure rule).
COLUMNS = ["id", "value", "ci_low", "ci_high", "n", "se", "p_value", "shown", "suppressed", "source", "notebook", "method"]
def method() -> str:
    """How every statistic from the microdata is estimated and protected, in one line (the `method` column)."""
    return (
        "weighted share, design-based standard error by Taylor linearisation (svy), Korn-Graubard interval; "
        "a stratum with one respondent is centred at the whole sample's mean (R survey: lonely.psu = 'adjust'); "
        f"shown only with at least {disclosure.MIN_RESPONDENTS} yes and {disclosure.MIN_RESPONDENTS} no answers; "
        "the complements that keep a hidden count open chosen by tau-ARGUS's optimal suppression and checked by "
        "its audit (innobarometer/estimates/disclosure.py)"
    )
#: Columns that must hold a finite number in every row that is not suppressed.
REQUIRED_NUMBERS = ["value", "n"]


class StatisticsRecord:
    """A table of statistics that displays as JSON under its own mime type."""

    def __init__(self, rows: pd.DataFrame):
        self.rows = rows

    def _repr_mimebundle_(self, include=None, exclude=None):
        records = json.loads(self.rows.to_json(orient="records", double_precision=15))
        return {MIME: records, "text/plain": f"<{len(records)} statistics>"}


def data_source() -> str:
    """What the statistics are computed from: 'synthetic' or the microdata file's name."""
    from innobarometer.paths import microdata_path, uses_synthetic_data

    return "synthetic" if uses_synthetic_data() else f"microdata:{printable(microdata_path().name)}"


def record(*tables: pd.DataFrame) -> None:
    """Record statistics from a notebook (a hidden glue output the build collects).

    Each table has an `id` column and estimate columns; only the statistics file's columns are kept.
    """
    from myst_nb import glue

    table = disclosure.suppress(pd.concat(tables, ignore_index=True)).assign(source=data_source(), method=method())
    glue(GLUE_NAME, StatisticsRecord(table[[c for c in COLUMNS if c in table.columns]]), display=False)


def recorded_in(notebook) -> pd.DataFrame | None:
    """The statistics an executed notebook recorded (its output of type MIME), or None.

    `record` saves them as myst-nb's glue does, under a type prefixed as its metadata says
    (scrapbook's convention), so that the page does not show them."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            prefix = output.get("metadata", {}).get("scrapbook", {}).get("mime_prefix", "")
            if prefix + MIME in output.get("data", {}):
                return pd.DataFrame(output["data"][prefix + MIME])
    return None


def collect(executed: dict) -> pd.DataFrame:
    """All statistics recorded by the executed notebooks ({name: notebook}), sorted by id."""
    frames = []
    for name, notebook in sorted(executed.items()):
        found = recorded_in(notebook)
        if found is not None:
            frames.append(found.assign(notebook=name))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    table = pd.concat(frames, ignore_index=True)
    duplicated = table["id"][table["id"].duplicated()]
    if not duplicated.empty:
        raise ValueError(f"statistic ids recorded twice: {', '.join(sorted(set(duplicated)))}")
    return table[[c for c in COLUMNS if c in table.columns]].sort_values("id").reset_index(drop=True)


class UnpublishableError(ValueError):
    """A statistic that must not leave the build: it names the statistic and why."""


def check_publishable(table: pd.DataFrame) -> None:
    """Refuse statistics that break the disclosure rule or are not finite numbers, naming each."""
    problems = []
    for _, row in disclosure.leaks(table).iterrows():
        problems.append(f"{row['id']}: based on {row['n']} respondents but not suppressed")
    shown = table[~table["suppressed"].astype(bool)]
    for column in [c for c in REQUIRED_NUMBERS if c in shown.columns]:
        for _, row in shown.iterrows():
            if not _finite(row[column]):
                problems.append(f"{row['id']}: {column} is {row[column]!r}, not a finite number")
    if problems:
        raise UnpublishableError("statistics that may not be published:\n  - " + "\n  - ".join(problems))


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def csv_text(table: pd.DataFrame) -> str:
    """Statistics as CSV text, with a fixed float format so rebuilds are byte-identical.

    Text cells that a spreadsheet would run as a formula are written as text.
    """
    if "suppressed" in table.columns:
        table = table.assign(suppressed=table["suppressed"].map(lambda hidden: "true" if hidden else "false"))
    table = table.apply(lambda column: column if pd.api.types.is_numeric_dtype(column) else column.map(spreadsheet_safe))
    return table.to_csv(index=False, lineterminator="\n", float_format="%.10g")


def write(table: pd.DataFrame, path: Path) -> None:
    """Write the statistics file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(csv_text(table), encoding="utf-8")
    temporary.replace(path)


def read(path: Path) -> pd.DataFrame:
    """A statistics file as written, indexed by id."""
    return read_table(path).set_index("id")


def read_table(path: Path) -> pd.DataFrame:
    """A statistics file as written: `suppressed` read back as True or False."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""], true_values=["true"], false_values=["false"])
