"""The analyst's explorer: ask the microdata your own question while running the notebooks.

Choose a breakdown (government level or size group) and its value, a measure (a type of
innovation, or improved quality by combination of types) and the significance level; the
explorer recomputes from the microdata on every change and shows a chart and a table.
What it shows has passed the figures' disclosure control, complements included
(`disclosure_record`). The logic is here, testable without a browser; the notebook only
displays it. In the built book (no kernel) nothing is shown in its place, since nothing can be
recomputed there. Its texts are in the language current when it is made (`speaking`),
and stay so on every change.
"""

from __future__ import annotations

import os
from dataclasses import replace

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from innobarometer.data import codebook
from innobarometer.data.codebook import TYPES
from innobarometer.estimates.estimate import weighted_share
from innobarometer.paths import BUILD_ENV
from innobarometer.presentation import charts, tables
from innobarometer.text.formatting import percent
from innobarometer.text.language import _, language, speaking
from organiser_smartere import disclosure_record
from organiser_smartere.combinations import SHOWN_RULE, ShownRule, combinations_table, quality_by_combination
from organiser_smartere.findings import nothing_shown

ALL = "all"
#: The coded columns a reader can break the numbers down by (labelled by the codebook).
BREAKDOWNS = ("sector", "size_group")
QUALITY = "quality"
#: Each menu stands on a row of its own, as wide as the notebook's column up to MENU_WIDTH, so that
#: its longest option ('Proces- eller organisatorisk innovation', 39 characters) is read whole: at
#: its default width (300 px, 80 of them for the description) a menu shows about 27. Descriptions
#: take a column of DESCRIPTION_WIDTH, wide enough for the longest ('Significance'), so the menus align.
MENU_WIDTH = "36em"
DESCRIPTION_WIDTH = "8em"


def menu(**arguments) -> widgets.Dropdown:
    """A dropdown laid out as every menu of the explorer."""
    layout = widgets.Layout(width="100%", max_width=MENU_WIDTH)
    return widgets.Dropdown(**arguments, style={"description_width": DESCRIPTION_WIDTH}, layout=layout)


class Explorer:
    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        #: The language of its texts: the one current now, also for recomputations on later changes.
        self.language = language()
        columns = codebook.columns()
        breakdowns = [(columns[column].label, column) for column in BREAKDOWNS if column in frame.columns]
        self.breakdown = menu(options=breakdowns, value="sector", description=_("Opdeling"))
        self.value = menu(description=_("Gruppe"))
        quality = _("Forbedret kvalitet efter kombination")
        measures = [(codebook.type_label(t), t) for t in (*TYPES, "any")] + [(quality, QUALITY)]
        self.measure = menu(options=measures, value="process", description=_("Mål"))
        levels = [(percent(alpha), alpha) for alpha in (0.01, 0.05, 0.10)]
        self.alpha = menu(options=levels, value=SHOWN_RULE.alpha, description=_("Signifikans"))
        self.output = widgets.Output()
        self.result: pd.DataFrame = pd.DataFrame()
        self._cells: dict[tuple[str, str], pd.DataFrame] = {}
        self._fill_values()
        self.breakdown.observe(self._on_breakdown, names="value")
        for control in (self.value, self.measure, self.alpha):
            control.observe(lambda change: self.recompute(), names="value")
        self.recompute()

    def _fill_values(self) -> None:
        with speaking(self.language):
            codes = codebook.codes(self.breakdown.value)
            everyone = _("Alle")
        present = [c for c in codes if c in set(self.frame[self.breakdown.value])]
        self.value.options = [(everyone, ALL)] + [(codes[c], c) for c in present]
        self.value.value = ALL

    def _on_breakdown(self, change) -> None:
        self._fill_values()
        self.recompute()

    def selection(self) -> pd.Series:
        """The chosen subpopulation as a mask over the microdata."""
        if self.value.value in (None, ALL):
            return pd.Series(True, index=self.frame.index)
        return self.frame[self.breakdown.value].eq(self.value.value)

    def recompute(self) -> pd.DataFrame:
        """The estimates for the current choices (also kept in `self.result`), redrawn."""
        with speaking(self.language):
            return self._recompute()

    def rule(self) -> ShownRule:
        """Figure 2's rule for which combinations are shown, at the chosen significance level."""
        return replace(SHOWN_RULE, alpha=self.alpha.value)

    def cells(self) -> pd.DataFrame:
        """The disclosure record's cells of the chosen measure by the chosen breakdown: which
        estimates may be shown, the figures' complements included, and those of a table by
        another breakdown than theirs protected with them (`disclosure_record`). Computed once per
        breakdown and kind of measure."""
        kind = QUALITY if self.measure.value == QUALITY else "type"
        if (self.breakdown.value, kind) not in self._cells:
            cells_by = disclosure_record.quality_cells if kind == QUALITY else disclosure_record.innovation_type_cells
            self._cells[self.breakdown.value, kind] = cells_by(self.frame, by=self.breakdown.value)
        return self._cells[self.breakdown.value, kind]

    def _recompute(self) -> pd.DataFrame:
        within, view = self.selection(), self.value.value or ALL
        if self.measure.value == QUALITY:
            hidden = disclosure_record.hidden(self.cells(), "combination", view)
            table = quality_by_combination(self.frame, self.rule(), within=within, suppressed=hidden)
            table["label"] = table["combination"].map(codebook.combination_label)
        else:
            hidden = self.measure.value in disclosure_record.hidden(self.cells(), "type", view)
            estimate = weighted_share(self.frame, f"innovated_{self.measure.value}", domain=within, alpha=self.alpha.value, suppressed=hidden)
            table = pd.DataFrame([{"label": codebook.type_label(self.measure.value), **estimate}])
        self.result = table
        self.output.clear_output(wait=True)
        with self.output:
            display(self.chart(), self.table())
        return table

    def chart(self):
        """The current estimates' chart, as the explorer shows it: a view without bars says why."""
        with speaking(self.language):
            shown = self.result[self.result["shown"]] if "shown" in self.result else self.result
            why = self.nothing_shown()
            return charts.bar_chart(
                shown, label="label", summary=_("Søjlediagram: udforskning."),
                messages={None: why} if why else None, alpha=self.alpha.value,
            )

    def nothing_shown(self) -> str | None:
        """Why quality by combination has no bars, as Figure 2 says it (None when it has some, or
        when every estimate is suppressed: the chart says that itself, for any measure)."""
        if self.measure.value != QUALITY or (len(self.result) and self.result["suppressed"].all()):
            return None
        return nothing_shown(self.result, self.rule().min_n)

    def table(self) -> tables.Table:
        """The current estimates as the explorer shows them under its chart: for quality by
        combination, Figure 2's table of every combination, with its difference from the other
        innovations, its Holm-adjusted p-value and whether (and why not) it has a bar."""
        with speaking(self.language):
            if self.measure.value == QUALITY:
                return combinations_table(self.result, self.rule())
            return tables.estimates_table(self.result, "label", tables.category_heading(), self.alpha.value)

    def widget(self) -> widgets.VBox:
        return widgets.VBox([self.breakdown, self.value, self.measure, self.alpha, self.output])

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.widget()._repr_mimebundle_(include=include, exclude=exclude)


def explore(frame: pd.DataFrame) -> Explorer | None:
    """The explorer when the notebook runs in Jupyter; nothing in the built book, whose page
    says in prose what the explorer does.

    In the build no widget is created at all: widget state in a page would make it load the
    widget manager, and nothing could recompute behind it anyway.
    """
    return None if os.environ.get(BUILD_ENV) else Explorer(frame)
