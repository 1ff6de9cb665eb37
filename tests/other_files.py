"""A valid microdata file unlike the synthetic stand-in in every way a real file may be.

The whole-book tests build one book on it (tests/conftest.py, `other_book`), so each way it
differs is checked in a complete build: pages, PDFs and statistics.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from organiser_smartere.combinations import combination_key
from organiser_smartere.synthesize import published_targets, synthesize

#: A data file name that would run a script if a page inserted it unescaped, break LaTeX, and
#: lose its quotes and backticks to smart quotes or TeX ligatures.
HOSTILE_NAME = "eksport`<img src=x onerror=alert(document.domain)>`&%$#_{}~^\"dq'sq.csv"
#: The state level's respondents: few, and every one of them introduced an innovation.
STATE_RESPONDENTS = 12


def other_truths() -> pd.DataFrame:
    """The file's table, with these truths and shapes:

    - service innovation is more frequent than process innovation (60 % against 40 %);
    - improved quality does not depend on the combination of types (no combination differs);
    - no regional workplaces at all; 12 state workplaces, all of which innovated;
    - the latest innovation includes product innovation only as product, service and process at
      once (13 innovations, 11 of them with improved quality): Figure 2 hides that combination
      among all workplaces and must hide others beside it, as Figure 1 hides the state level and
      others beside it;
    - strata with their populations, among them a stratum of a single respondent and a stratum
      that is a census (its respondents are its whole population).
    """
    table = synthesize(targets=published_targets() | {"process": 0.40, "service": 0.60})
    table = table[table["sector"] != "region"]
    state = table.index[(table["sector"] == "stat") & (table["innovated_process"] + table["innovated_service"] + table["innovated_product"] + table["innovated_communication"] > 0)]
    table = table.drop(table.index[table["sector"] == "stat"].difference(state[:STATE_RESPONDENTS])).reset_index(drop=True)
    latest = combination_key(table)
    others = table[["latest_service", "latest_process", "latest_communication"]].fillna(0).sum(axis=1) > 0
    table.loc[latest.str.contains("product") & (latest != "product+service+process") & others, "latest_product"] = 0
    innovators = table["latest_quality"].notna()
    rng = np.random.default_rng(11)
    table.loc[innovators, "latest_quality"] = (rng.random(int(innovators.sum())) < 0.6).astype(int)
    municipal = table.index[table["sector"] == "kommune"]
    table.loc[municipal[0], ["stratum", "stratum_population"]] = ["kommune-alene", 40]
    table.loc[municipal[1:4], ["stratum", "stratum_population", "weight"]] = ["kommune-total", 3, 1.0]
    table["respondent_id"] = [f"Æø-{i:05d}" for i in range(1, len(table) + 1)]
    return table


def as_danish_export(table: pd.DataFrame) -> bytes:
    """The table as Danish Excel saves "CSV (semikolonsepareret)": Windows-1252, semicolons,
    decimal commas, CRLF line ends."""
    text = table.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return text.encode("cp1252")


def write_other_truths(folder: Path) -> Path:
    path = folder / HOSTILE_NAME
    path.write_bytes(as_danish_export(other_truths()))
    return path
