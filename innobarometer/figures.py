"""A figure of the book: the chart and what a reader does with it.

Under every chart in the web edition: the source, the numbers behind it as CSV, the chart as
SVG or PNG, a "Del" link to the figure, and the numbers as a table a screen reader can reach.
The PDF edition gets the chart only (the caption carries the rest).
"""

from __future__ import annotations

import html
import os
import urllib.parse
from dataclasses import dataclass

import altair as alt
import pandas as pd

from innobarometer import charts, statistics, tables
from innobarometer.formatting import percent
from innobarometer.paths import BUILD_ENV


@dataclass
class Figure:
    chart: alt.TopLevelMixin
    #: The numbers behind the chart, one row per bar: id, label, value (and ci_low, ci_high, n).
    data: pd.DataFrame
    #: The figure's anchor, its `:name:` in the page, e.g. "fig-figur-b".
    name: str
    #: The source line shown under the chart, in Danish.
    source: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        if not os.environ.get(BUILD_ENV):
            return self.chart._repr_mimebundle_(include, exclude)  # Jupyter: Altair's own display
        spec = self.chart.to_dict()
        bundle = charts.render(spec)
        bundle["text/html"] += "\n" + self.tools_html(charts.chart_id(spec))
        return bundle

    @property
    def file_stem(self) -> str:
        return self.name.removeprefix("fig-")

    def csv_text(self) -> str:
        columns = [c for c in ["id", "breakdown", "label", "value", "ci_low", "ci_high", "n"] if c in self.data.columns]
        return statistics.csv_text(self.data[columns])

    def readable_table(self) -> pd.DataFrame:
        if {"ci_low", "ci_high", "n"} <= set(self.data.columns):
            table = tables.estimates_frame(self.data, "label", "Kategori")
        else:
            table = pd.DataFrame({"Kategori": self.data["label"], "Andel": self.data["value"].map(percent)})
        if "breakdown_label" in self.data.columns:
            table.insert(0, "Visning", self.data["breakdown_label"].to_list())
        return table

    def tools_html(self, chart_element: str) -> str:
        csv_href = "data:text/csv;charset=utf-8," + urllib.parse.quote(self.csv_text())
        stem = html.escape(self.file_stem)
        readable = self.readable_table()
        table = readable.to_html(index=False, border=0, classes="figure-data-table")
        notes = "".join(f'<p class="figure-note">{html.escape(note)}</p>\n' for note in tables.notes(readable))
        return (
            notes + f'<p class="figure-source">Kilde: {html.escape(self.source)}</p>\n'
            f'<div class="figure-tools" role="group" aria-label="Figurens data og deling">\n'
            f'<a class="figure-tool" href="{csv_href}" download="{stem}-data.csv">Download data (CSV)</a>\n'
            f'<button type="button" class="figure-tool" data-export="svg" data-chart="{chart_element}" '
            f'data-filename="{stem}">Download illustration (SVG)</button>\n'
            f'<button type="button" class="figure-tool" data-export="png" data-chart="{chart_element}" '
            f'data-filename="{stem}">Download illustration (PNG)</button>\n'
            f'<a class="figure-tool share" href="#{html.escape(self.name)}">Del</a>\n'
            f"</div>\n"
            f'<details class="figure-data"><summary>Tallene bag figuren</summary>\n{table}\n</details>'
        )
