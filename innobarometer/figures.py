"""A figure of the book as a unit: the chart, its numbers, its sources, and what a reader does with it.

Under every chart in the web edition: the source, the numbers behind it as a CSV that Danish
Excel opens as it is, the chart as SVG or PNG carrying title, view, source, data note and
address, a "Del" link that keeps the chosen view, the numbers as a table a screen reader can
reach, and the sources, method, citation and licence. The PDF edition gets the chart only (the
caption carries the rest).
"""

from __future__ import annotations

import csv
import html
import io
import os
import urllib.parse
from dataclasses import dataclass

import altair as alt
import pandas as pd

from innobarometer import charts, disclosure, notes, tables
from innobarometer.escape import spreadsheet_safe
from innobarometer.formatting import number, percent
from innobarometer.paths import BUILD_ENV

BOOK_TITLE = "Organiser smartere"
ORIGINAL = "Innovationsbarometeret, 2. udgave (Center for Offentlig Innovation og Danmarks Statistik)"
LICENCE = "CC BY 4.0: figuren og tallene må deles og bearbejdes, når kilden angives."
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.da"
#: Replaced in the browser by the figure's address (the site's address is not known at build time).
ADDRESS_PLACEHOLDER = "{sideadresse}"
CSV_SEPARATOR = ";"  # Danish Excel's list separator, since the comma is the decimal sign


@dataclass
class Figure:
    chart: alt.TopLevelMixin
    #: The numbers behind the chart, one row per bar: id, label, value (and ci_low, ci_high, n).
    data: pd.DataFrame
    #: The figure's anchor, its `:name:` in the page, e.g. "fig-figur-b".
    name: str
    #: The source line shown under the chart, in Danish.
    source: str
    #: The figure's title in downloads and citations, in Danish.
    title: str = ""
    #: The survey question behind the numbers, quoted in the sources and the CSV.
    question: str = ""
    #: What the numbers are (synthetic, a file, published); the data's standing note by default.
    note: str = ""

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

    @property
    def data_note(self) -> str:
        return self.note or notes.data_note_text()

    def metadata(self) -> list[tuple[str, str]]:
        """What a download says about itself, in Danish: title, source, data, question, licence."""
        rows = [("Titel", self.title), ("Kilde", self.source), ("Data", self.data_note), ("Spørgsmål", self.question)]
        rows += [("Licens", f"{LICENCE} {LICENCE_URL}"), ("Adresse", ADDRESS_PLACEHOLDER)]
        return [(key, value) for key, value in rows if value]

    def csv_frame(self) -> pd.DataFrame:
        """The numbers as Danish columns: shares in per cent with a decimal comma, '–' never printed.

        A suppressed row keeps its label and count, with empty numbers and the reason.
        """
        data = self.data
        frame = pd.DataFrame(index=data.index)
        if "breakdown_label" in data.columns:
            frame["Visning"] = data["breakdown_label"]
        frame["Kategori"] = data["label"]
        hidden = disclosure.hidden(data) if "n" in data.columns else pd.Series(False, index=data.index)
        for column, heading in [("value", "Andel (%)"), ("ci_low", "Nedre grænse (%)"), ("ci_high", "Øvre grænse (%)")]:
            if column in data.columns:
                frame[heading] = [("" if h else number(100 * v, 1)) for v, h in zip(data[column], hidden)]
        if "n" in data.columns:
            frame["Antal svar"] = data["n"].map(lambda n: str(int(n)))
            frame["Bemærkning"] = [
                f"Ikke vist: {tables.TOO_FEW if disclosure.is_suppressed(n) else tables.ALL_OR_NONE}." if h
                else tables.UNCERTAIN_NOTE.removeprefix(tables.UNCERTAIN_MARK).strip() if disclosure.is_uncertain(n) else ""
                for n, h in zip(data["n"], hidden)
            ]
        frame["Nøgle i statistics.csv"] = data["id"]
        return frame.reset_index(drop=True)

    def csv_text(self) -> str:
        """The CSV as Danish Excel opens it: UTF-8 with BOM, semicolons, decimal commas; the
        figure's metadata in a block under a blank line."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
        frame = self.csv_frame()
        writer.writerow(frame.columns)
        writer.writerows([spreadsheet_safe(str(v)) for v in row] for row in frame.itertuples(index=False))
        writer.writerow([])
        writer.writerows([key, spreadsheet_safe(value)] for key, value in self.metadata())
        return "\ufeff" + out.getvalue()

    def readable_table(self) -> pd.DataFrame:
        if {"ci_low", "ci_high", "n"} <= set(self.data.columns):
            table = tables.estimates_frame(self.data, "label", "Kategori")
        else:
            table = pd.DataFrame({"Kategori": self.data["label"], "Andel": self.data["value"].map(percent)})
        if "breakdown_label" in self.data.columns:
            table.insert(0, "Visning", self.data["breakdown_label"].to_list())
        return table

    def citation(self) -> str:
        return f"{BOOK_TITLE}, genskabt fra data efter {ORIGINAL}: »{self.title}«."

    def tools_html(self, chart_element: str) -> str:
        csv_href = "data:text/csv;charset=utf-8," + urllib.parse.quote(self.csv_text())
        e = html.escape
        stem = e(self.file_stem)
        readable = self.readable_table()
        table = readable.to_html(index=False, border=0, classes="figure-data-table")
        table_notes = "".join(f'<p class="figure-note">{e(note)}</p>\n' for note in tables.notes(readable))
        export = (
            f'data-chart="{chart_element}" data-filename="{stem}" data-title="{e(self.title)}" '
            f'data-source="Kilde: {e(self.source)}" data-note="{e(self.data_note)}"'
        )
        about = "".join(
            f"<dt>{e(key)}</dt><dd>{e(value)}</dd>\n" for key, value in [("Kilde", self.source), ("Data", self.data_note), ("Spørgsmål", self.question)] if value
        )
        return (
            table_notes + f'<p class="figure-source">Kilde: {e(self.source)}</p>\n'
            f'<div class="figure-tools" role="group" aria-label="Figurens data og deling">\n'
            f'<a class="figure-tool" href="{csv_href}" download="{stem}-data.csv">Download data (CSV)</a>\n'
            f'<button type="button" class="figure-tool" data-export="svg" {export}>Download illustration (SVG)</button>\n'
            f'<button type="button" class="figure-tool" data-export="png" {export}>Download illustration (PNG)</button>\n'
            f'<a class="figure-tool share" href="#{e(self.name)}" data-chart="{chart_element}">Del</a>\n'
            f"</div>\n"
            f'<details class="figure-data"><summary>Tallene bag figuren</summary>\n{table}\n</details>\n'
            f'<details class="figure-about"><summary>Kilder, metode og citering</summary>\n<dl>\n{about}</dl>\n'
            f'<p class="figure-citation"><strong>Sådan citerer du figuren:</strong> {e(self.citation())} '
            f'<span class="figure-address" data-anchor="{e(self.name)}"></span></p>\n'
            f'<p class="figure-licence"><strong>Licens:</strong> {e(LICENCE)} '
            f'<a href="{LICENCE_URL}" rel="license">Licensens tekst</a></p>\n</details>'
        )

