"""A figure of the book as a unit: the chart, its numbers, its sources, and what a reader does with it.

Under every chart in the web edition: the source, the numbers behind it as a CSV that the
reader's Excel opens as it is (Danish or English), the chart as SVG or PNG carrying title, view,
source, data note and address, a share link that keeps the chosen view, the numbers as a table a
screen reader can reach, and the sources, method, citation and licence. The PDF edition gets the
chart only (the caption carries the rest). Every text is in the language current when the figure
is displayed (glued).
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

from innobarometer.data.publication import said
from innobarometer.estimates import disclosure
from innobarometer.paths import BUILD_ENV
from innobarometer.presentation import charts, notes, tables
from innobarometer.text.escape import spreadsheet_safe
from innobarometer.text.formatting import number, percent, quoted
from innobarometer.text.language import _

#: Replaced in the browser by the figure's address (the site's address is not known at build
#: time); the same token in both editions, since figures.js looks for it.
ADDRESS_PLACEHOLDER = "{sideadresse}"


def csv_separator() -> str:
    """Excel's list separator in the edition's language: ';' in Danish, where the comma is the decimal sign."""
    return _(";")


def view_heading() -> str:
    """The heading of the column naming a figure's view (the menu's choice)."""
    return _("Visning")


@dataclass
class Figure:
    chart: alt.TopLevelMixin
    #: The numbers behind the chart, one row per bar: id, label, value (and ci_low, ci_high, n).
    data: pd.DataFrame
    #: The figure's anchor, its `:name:` in the page, e.g. "fig-innovationstyper".
    name: str
    #: The source line shown under the chart, in the edition's language.
    source: str
    #: The figure's title in downloads and citations, in the edition's language.
    title: str = ""
    #: The survey question behind the numbers, quoted in the sources and the CSV.
    question: str = ""
    #: What the numbers are (synthetic, a file, published); the data's standing note by default.
    note: str = ""
    #: What the bars' colours mean, where that is not on the chart itself: the downloaded
    #: illustrations carry it under the chart, as the caption does on the page.
    key: str = ""

    def __repr__(self) -> str:
        """The figure as plain text: its title (its numbers are its data, shown as a table)."""
        return self.title or self.name

    def _repr_mimebundle_(self, include=None, exclude=None):
        # Not validated against Vega-Lite's schema here (a quarter of a notebook's time): vl-convert
        # compiles every spec it draws, for the page, the PDF and the PNG alike.
        spec = self.chart.to_dict(validate=False)
        if not os.environ.get(BUILD_ENV):
            return alt.renderers.get()(spec)  # Jupyter: the renderer use_book_style enabled
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
        """What a download says about itself: title, source, data, question, licence, address."""
        rows = [
            (_("Titel"), self.title),
            (_("Kilde"), self.source),
            ("Data", self.data_note),
            (_("Spørgsmål"), self.question),
            (_("Licens"), f"{said('licence')} {said('licence_url')}"),
            (_("Adresse"), ADDRESS_PLACEHOLDER),
        ]
        return [(key, value) for key, value in rows if value]

    def csv_frame(self) -> pd.DataFrame:
        """The numbers as columns in the edition's language: shares in per cent with its decimal
        sign (no thousands separator), '–' never printed.

        A suppressed row keeps its label and count, with empty numbers and the reason.
        """
        data = self.data
        frame = pd.DataFrame(index=data.index)
        if "breakdown_label" in data.columns:
            frame[view_heading()] = data["breakdown_label"]
        frame[tables.category_heading()] = data["label"]
        hidden = disclosure.hidden(data) if "n" in data.columns else pd.Series(False, index=data.index)
        headings = [
            ("value", _("Andel (%)")),
            ("ci_low", _("Nedre grænse (%)")),
            ("ci_high", _("Øvre grænse (%)")),
        ]
        for column, heading in headings:
            if column in data.columns:
                frame[heading] = [("" if h else number(100 * v, 1)) for v, h in zip(data[column], hidden)]
        if "n" in data.columns:
            frame[tables.responses_heading()] = data["n"].map(lambda n: str(int(n)))
            frame[_("Bemærkning")] = [
                _("Ikke vist: {}.").format(tables.suppressed_reason()) if h
                else tables.uncertain_note().removeprefix(tables.UNCERTAIN_MARK).strip() if disclosure.is_uncertain(n) else ""
                for n, h in zip(data["n"], hidden)
            ]
        frame[_("Nøgle i statistics.csv")] = data["id"]
        return frame.reset_index(drop=True)

    def csv_text(self) -> str:
        """The CSV as Excel in the edition's language opens it: UTF-8 with BOM (so Excel reads
        æøå and dashes right), semicolons and decimal commas in Danish, commas and decimal points in
        English; the figure's metadata in a block under a blank line."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=csv_separator(), lineterminator="\r\n")
        frame = self.csv_frame()
        writer.writerow(frame.columns)
        writer.writerows([spreadsheet_safe(str(v)) for v in row] for row in frame.itertuples(index=False))
        writer.writerow([])
        writer.writerows([key, spreadsheet_safe(value)] for key, value in self.metadata())
        return "\ufeff" + out.getvalue()

    def readable_table(self) -> pd.DataFrame:
        if {"ci_low", "ci_high", "n"} <= set(self.data.columns):
            table = tables.estimates_frame(self.data, "label", tables.category_heading())
        else:
            table = pd.DataFrame({tables.category_heading(): self.data["label"], tables.share_heading(): self.data["value"].map(percent)})
        if "breakdown_label" in self.data.columns:
            table.insert(0, view_heading(), self.data["breakdown_label"].to_list())
        return table

    def citation(self) -> str:
        return _("{book}, genskabt fra data efter {original}: {title}.").format(
            book=said("title"), original=said("original"), title=quoted(self.title)
        )

    def csv_href(self) -> str:
        """The CSV as a link's address (a data: URL: the page carries it, no file is served)."""
        return "data:text/csv;charset=utf-8," + urllib.parse.quote(self.csv_text())

    def tools_html(self, chart_element: str) -> str:
        csv_href = self.csv_href()
        e = html.escape
        stem = e(self.file_stem)
        readable = self.readable_table()
        # The theme's table style, numbers right-aligned under their headings and text left.
        table = tables.html(readable, classes="table figure-data-table")
        table_notes = "".join(f'<p class="figure-note">{e(note)}</p>\n' for note in tables.notes(readable))
        source = _("Kilde: ") + self.source
        export = (
            f'data-chart="{chart_element}" data-filename="{stem}" data-title="{e(self.title)}" '
            f'data-source="{e(source)}" data-note="{e(self.data_note)}" data-key="{e(self.key)}"'
        )
        about = "".join(
            f"<dt>{e(key)}</dt><dd>{e(value)}</dd>\n"
            for key, value in [(_("Kilde"), self.source), ("Data", self.data_note), (_("Spørgsmål"), self.question)]
            if value
        )
        image = _("Download illustration")
        return (
            table_notes + f'<p class="figure-source">{e(source)}</p>\n'
            f'<div class="figure-tools" role="group" aria-label="{_("Figurens data og deling")}">\n'
            f'<a class="figure-tool" href="{csv_href}" download="{stem}-data.csv">Download data (CSV)</a>\n'
            f'<button type="button" class="figure-tool" data-export="svg" {export}>{image} (SVG)</button>\n'
            f'<button type="button" class="figure-tool" data-export="png" {export}>{image} (PNG)</button>\n'
            f'<a class="figure-tool share" href="#{e(self.name)}" data-chart="{chart_element}">{_("Del")}</a>\n'
            f"</div>\n"
            f'<details class="figure-data"><summary>{_("Tallene bag figuren")}</summary>\n{table}\n</details>\n'
            f'<details class="figure-about"><summary>{_("Kilder, metode og citering")}</summary>\n<dl>\n{about}</dl>\n'
            f'<p class="figure-citation"><strong>{_("Sådan citerer du figuren:")}</strong> {e(self.citation())} '
            f'<span class="figure-address" data-anchor="{e(self.name)}"></span></p>\n'
            f'<p class="figure-licence"><strong>{_("Licens:")}</strong> {e(said("licence"))} '
            f'<a href="{said("licence_url")}" rel="license">{_("Licensens tekst")}</a></p>\n</details>'
        )



def csv_download(figure: Figure) -> str:
    """A link that downloads a figure's numbers as its CSV (title, source and data note included),
    for a number the chapter shows without a chart: its headline."""
    return f'<a class="figure-tool" href="{figure.csv_href()}" download="{html.escape(figure.file_stem)}-data.csv">Download data (CSV)</a>'
