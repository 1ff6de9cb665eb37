"""The disclosure record by another breakdown than the figures': protected with the figures' cells."""

import pandas as pd
import pytest

from feasibility import intervals
from innobarometer.data.microdata import load_microdata
from innobarometer.estimates import disclosure
from innobarometer.paths import SYNTHETIC_MICRODATA
from organiser_smartere import disclosure_record
from organiser_smartere.combinations import OUTCOME, combination_key, innovations
from rows import innovators, microdata, non_innovators, quality_by_size_and_level


def test_a_table_by_size_that_would_narrow_a_figures_hidden_cell_is_hidden_but_for_all_workplaces(monkeypatch):
    # The audit of the two breakdowns together (planted) finds process innovations by size narrowing one by level
    audits = []

    def audit(cells, dimensions, totals, separately=None):
        audits.append(cells)
        return cells["type"].eq("process") & cells["sector"].eq("kommune") & cells["size_group"].eq("all") & (len(audits) == 1)

    monkeypatch.setattr(disclosure, "audit", audit)
    every_type = "product+service+process+communication"
    frame = microdata(*[part for size in ["small", "medium", "large"] for part in (innovators(20, 10, every_type, size=size), non_innovators(20, size=size))])
    cells = disclosure_record.innovation_type_cells(frame, by="size_group").set_index(["type", "breakdown"])["suppressed"]
    assert cells["process"].to_dict() == {"small": True, "medium": True, "large": True, "all": False}
    assert not cells.drop(index="process", level="type").any() and len(audits) == 2  # the hidden table audited again


@pytest.mark.parametrize("frame", [quality_by_size_and_level(), load_microdata(SYNTHETIC_MICRODATA)], ids=["complement-for-all", "stand-in"])
def test_figure_2_by_level_and_by_size_together_leave_every_hidden_count_open_to_an_intruder(frame):
    # An intruder who also knows the respondents of every cell inside both breakdowns (level × size)
    by_level, by_size = disclosure_record.quality_cells(frame), disclosure_record.quality_cells(frame, by="size_group")
    keyed = frame.assign(combination=combination_key(frame))
    dimensions = ["sector", "size_group", "combination"]
    cover = disclosure_record.cross_counts(keyed, {OUTCOME: OUTCOME}, dimensions, domain=innovations(frame))
    decided = pd.concat([
        by_level.rename(columns={"breakdown": "sector"}).assign(size_group="all"),
        by_size.rename(columns={"breakdown": "size_group"}).assign(sector="all"),
    ]).groupby(dimensions)["suppressed"].all()  # a cell for all workplaces is known where either shows it
    cells = cover.merge(decided.reset_index(), on=dimensions, how="left").fillna({"suppressed": True})  # the inner cells: shown nowhere
    found = intervals(cells, dimensions, dict.fromkeys(dimensions, "all"))
    published = cells["sector"].eq("all") | cells["size_group"].eq("all")
    rule = pd.Series([disclosure.is_suppressed(n, n_yes=y) for n, y in zip(cells["n"], cells["n_yes"])], index=cells.index)
    primary = cells[published & rule & (cells["n"] > 0)]
    assert len(primary)
    for cell, row in primary.iterrows():
        below, above = disclosure.protection_interval(int(row["n_yes"]), int(row["n"]))
        assert found.loc[cell, "low"] <= row["n_yes"] - below and found.loc[cell, "high"] >= row["n_yes"] + above, row.to_dict()
