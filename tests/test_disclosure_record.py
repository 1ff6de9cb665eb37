"""The disclosure record by another breakdown than the figures': protected with the figures' cells."""

import pandas as pd

from innobarometer import disclosure, disclosure_record
from rows import innovators, microdata, non_innovators


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
