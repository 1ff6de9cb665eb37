"""The analyst's explorer: ask the microdata your own question while running the notebooks.

Choose a breakdown (government level or size group) and its value, a measure (a type of
innovation, or improved quality by combination of types) and the significance level; the
explorer recomputes from the microdata on every change and shows a chart and a table.
The logic is here, testable without a browser; the notebook only displays it. In the built
book (no kernel) it shows a short Danish note instead, since nothing can be recomputed there.
"""

from __future__ import annotations

import os
from dataclasses import replace

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from innobarometer import charts, codebook, tables
from innobarometer.codebook import TYPES
from innobarometer.combinations import SHOWN_RULE, quality_by_combination
from innobarometer.estimate import weighted_share
from innobarometer.paths import BUILD_ENV

ALL = "all"
BREAKDOWNS = {"sector": "Forvaltningsniveau", "size_group": "Størrelsesgruppe"}
QUALITY = "quality"
NOTE_DA = (
    "Interaktiv udforskning: vælg selv opdeling, mål og signifikansniveau. Den virker, når "
    "notesbogen køres i Jupyter, fordi tallene beregnes igen fra mikrodata ved hvert valg."
)


class Explorer:
    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        breakdowns = [(label, column) for column, label in BREAKDOWNS.items() if column in frame.columns]
        self.breakdown = widgets.Dropdown(options=breakdowns, value="sector", description="Opdeling")
        self.value = widgets.Dropdown(description="Gruppe")
        measures = [(codebook.type_label(t), t) for t in (*TYPES, "any")] + [("Forbedret kvalitet efter kombination", QUALITY)]
        self.measure = widgets.Dropdown(options=measures, value="process", description="Mål")
        self.alpha = widgets.Dropdown(options=[("1 %", 0.01), ("5 %", 0.05), ("10 %", 0.10)], value=SHOWN_RULE.alpha, description="Signifikans")
        self.output = widgets.Output()
        self.result: pd.DataFrame = pd.DataFrame()
        self._fill_values()
        self.breakdown.observe(self._on_breakdown, names="value")
        for control in (self.value, self.measure, self.alpha):
            control.observe(lambda change: self.recompute(), names="value")
        self.recompute()

    def _fill_values(self) -> None:
        codes = codebook.codes(self.breakdown.value)
        present = [c for c in codes if c in set(self.frame[self.breakdown.value])]
        self.value.options = [("Alle", ALL)] + [(codes[c], c) for c in present]
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
        within = self.selection()
        if self.measure.value == QUALITY:
            rule = replace(SHOWN_RULE, alpha=self.alpha.value)
            table = quality_by_combination(self.frame, rule, within=within)
            table["label"] = table["combination"].map(codebook.combination_label)
        else:
            estimate = weighted_share(self.frame, f"innovated_{self.measure.value}", domain=within, alpha=self.alpha.value)
            table = pd.DataFrame([{"label": codebook.type_label(self.measure.value), **estimate}])
        self.result = table
        self.output.clear_output(wait=True)
        with self.output:
            display(self.chart(), tables.estimates_table(table, "label", "Kategori"))
        return table

    def chart(self):
        shown = self.result[self.result["shown"]] if "shown" in self.result else self.result
        return charts.bar_chart(shown, label="label", summary="Søjlediagram: udforskning.")

    def widget(self) -> widgets.VBox:
        return widgets.VBox([widgets.HBox([self.breakdown, self.value]), widgets.HBox([self.measure, self.alpha]), self.output])

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.widget()._repr_mimebundle_(include=include, exclude=exclude)


class StaticNote:
    """What the built book shows in the explorer's place (HTML and PDF alike)."""

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": f'<p class="explorer-note"><em>{NOTE_DA}</em></p>', "text/markdown": f"*{NOTE_DA}*", "text/plain": NOTE_DA}


def explore(frame: pd.DataFrame) -> Explorer | StaticNote:
    """The explorer when the notebook runs in Jupyter; a short Danish note in the built book.

    In the build no widget is created at all: widget state in a page would make it load the
    widget manager, and nothing could recompute behind it anyway.
    """
    return StaticNote() if os.environ.get(BUILD_ENV) else Explorer(frame)
