"""The chart theme, the bar chart with confidence intervals, and the offline renderer.

In the book build (INNOBAROMETER_BUILD=1) a chart's output carries its representations from
one execution: `text/html`, a div drawn by the locally served vega bundle (SVG, the edition's
locale), `application/pdf`, a vector rendering for the LaTeX build, and for the notebook's own
(Danish) outputs the Vega-Lite spec with a PNG, which its download carries. In Jupyter the
analyst sees the Vega-Lite spec and the PNG (JupyterLab has no global vegaEmbed, and Altair's
own HTML would load vega from the network). Every text of a chart (axes, tooltips, menu, text
alternative, numbers) is in the language current when the chart is made.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import textwrap

import altair as alt
import pandas as pd

from innobarometer import disclosure
from innobarometer.editions import text
from innobarometer.formatting import format_locale, percent, percent_range
from innobarometer.paths import BUILD_ENV
from innobarometer.tables import category_heading, ci_heading, responses_heading, share_heading, share_text, suppressed_reason, uncertain_note

FONT = "DejaVu Sans, Verdana, sans-serif"
#: One palette. Both colours reach at least 4.5:1 against white, so they also carry text.
COLOURS = {"highlight": "#1f4e79", "other": "#6b6b6b", "reference": "#b03a2e", "text": "#222222"}
RENDERER = "innobarometer"
JUPYTER_RENDERER = "innobarometer-jupyter"
#: The spec's type in a notebook: nbformat keeps JSON as JSON only under a "+json" type (Altair's
#: own name for Vega-Lite 6 ends in ".json", which nbformat refuses for a JSON object).
VEGA_LITE_MIME = "application/vnd.vegalite.v6+json"
#: The chart's width in the PDF edition, in points; on screen a chart takes its column's width.
PRINT_WIDTH = 420
#: The signal the page sets when the chart's column is narrow (a phone): category labels wrap.
NARROW_PARAM = "narrow"
#: Characters per line of a wrapped category label, and the labels' widths in both layouts (px).
WRAP_CHARACTERS = 20
LABEL_LIMIT = {"narrow": 140, "wide": 360}
#: Height per category: room for three lines of a wrapped label.
ROW_STEP = 44


@alt.theme.register("innobarometer", enable=False)
def theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            # Axes are not described to screen readers: vega's descriptions are English on every
            # page ("Y-axis for a discrete scale"), and the chart's own text alternative names
            # every bar with its value.
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": COLOURS["text"], "titleColor": COLOURS["text"], "grid": False, "aria": False},
            "title": {"fontSize": 14, "anchor": "start", "color": COLOURS["text"]},
            "bar": {"color": COLOURS["other"], "ariaRoleDescription": text("søjle", "bar")},
        }
    }


BREAKDOWN_PARAM = "visning"


def narrow_param() -> alt.Parameter:
    """Set by the page's script from the chart's column width; false in the PDF edition."""
    return alt.param(name=NARROW_PARAM, value=False)


def label_lines(label: str, labels: list[str]) -> list[str]:
    """A category label wrapped for a narrow column. A word too long for a line is broken with a
    hyphen before a word the labels use on their own ('Kommunikations-' 'innovation'), as a
    browser cannot hyphenate Danish; failing that, where the line ends."""
    words = {w.strip(",.").lower() for other in labels for w in other.split() if len(w.strip(",.")) >= 4}
    pieces = []
    for word in label.split():
        ends = [w for w in words if word.lower().endswith(w) and len(w) < len(word)] if len(word) > WRAP_CHARACTERS else []
        if ends:
            cut = len(word) - len(max(ends, key=len))
            pieces += [word[:cut] + "-", word[cut:]]
        else:
            pieces.append(word)
    return textwrap.wrap(" ".join(pieces), WRAP_CHARACTERS) or [label]


def category_axis(labels: list[str]) -> alt.Axis:
    """Category labels on one line, or wrapped onto up to three lines in a narrow column."""
    lines = {label: label_lines(label, labels) for label in labels}
    return alt.Axis(
        labelLimit=alt.ExprRef(f"{NARROW_PARAM} ? {LABEL_LIMIT['narrow']} : {LABEL_LIMIT['wide']}"),
        labelExpr=f"{NARROW_PARAM} ? ({json.dumps(lines, ensure_ascii=False)})[datum.value] : datum.value",
        labelLineHeight=14,
        labelPadding=6,
    )


# Channels are given as objects (alt.X("a:Q")), not as shorthand strings ("a:Q"): Altair wraps a
# string through its whole schema, about 10 ms per channel, which the notebooks pay per chart.


def bar_chart(
    table: pd.DataFrame,
    *,
    label: str,
    summary: str,
    highlight: str | list[str] | None = None,
    reference: float | dict[str, float] | None = None,
    reference_label: str = "",
    reference_n: dict[str, int] | None = None,
    breakdown: dict[str, str] | None = None,
    messages: dict[str, str] | None = None,
) -> alt.LayerChart:
    """Horizontal bars of `value` with 95 % CI whiskers and per-cent labels, in table order.

    `highlight` names the bar(s) drawn in the highlight colour (the chapter's subject); the other
    bars are grey, and every bar carries its value as text, so colour is never the only cue.
    The values stand in a column right of the scale's 100 %, so no value ever touches a whisker
    or the reference line. The chart takes its container's width.

    The chart's text alternative is `summary` followed by every bar's label and value; with
    `breakdown` ({code: label}, the first the default) the table has a `breakdown`
    column, the reader switches between them with a menu that runs in the browser, and the
    spec's `usermeta.descriptions` holds the text alternative of every view, for the page to
    follow the menu. `reference` is then one value per breakdown (with `reference_n`, its
    respondents, so an uncertain one is marked), and `messages` says, per breakdown, why no
    bars are drawn.
    """
    table = table[~disclosure.hidden(table)]  # the disclosure rule: suppressed estimates are not drawn
    first = next(iter(breakdown)) if breakdown else None
    messages = dict(messages or {})
    for view in breakdown or []:
        if view not in messages and not (table["breakdown"] == view).any():
            messages[view] = text(f"Ingen tal vises: {suppressed_reason()}.", f"No numbers shown: {suppressed_reason()}.")

    def description(rows: pd.DataFrame, view: str | None) -> str:
        alternative = f"{summary} " + "; ".join(f"{l}: {share_text(v, n)}" for l, v, n in zip(rows[label], rows["value"], rows["n"]))
        if rows["n"].map(disclosure.is_uncertain).any():
            alternative += f" {uncertain_note()}"
        if view is not None and view in messages and rows.empty:
            alternative += f" {messages[view]}"
        return alternative

    data = table.assign(
        value_text=[share_text(v, n) for v, n in zip(table["value"], table["n"])],
        ci_text=[percent_range(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
        emphasis=table[label].isin([highlight] if isinstance(highlight, str) else highlight or []).map(
            {True: "highlight", False: "other"}
        ),
    )
    data["bar_text"] = [f"{l}: {v}, {ci_heading().lower()}: {c}" for l, v, c in zip(data[label], data["value_text"], data["ci_text"])]
    # Only what the chart draws goes into its spec (the estimates' other columns would go along).
    drawn = [label, "value", "ci_low", "ci_high", "n", "value_text", "ci_text", "emphasis", "bar_text", "breakdown"]
    data = data[[c for c in dict.fromkeys(drawn) if c in data.columns]]
    order = list(dict.fromkeys(data[label]))
    y = alt.Y(f"{label}:N", sort=order, title=None, axis=category_axis(order))
    x_scale = alt.Scale(domain=[0, 1])
    tooltip = [
        alt.Tooltip(f"{label}:N", title=category_heading()),
        alt.Tooltip("value_text:N", title=share_heading()),
        alt.Tooltip("ci_text:N", title=ci_heading()),
        alt.Tooltip("n:Q", title=responses_heading()),
    ]
    selector = None
    descriptions = None
    if breakdown:
        selector = alt.param(
            name=BREAKDOWN_PARAM,
            value=first,
            bind=alt.binding_select(options=list(breakdown), labels=list(breakdown.values()), name=text("Vis for: ", "Show for: ")),
        )
        views = ", ".join(breakdown.values()).lower()
        menu = text(f" Menuen under figuren skifter mellem {views}.", f" The menu below the figure switches between {views}.")
        descriptions = {
            view: f"{name}. " + description(data[data["breakdown"] == view], view) + menu for view, name in breakdown.items()
        }

    def chart(frame: pd.DataFrame | None = None) -> alt.Chart:
        """A layer, with its own data or (None) the bars' data, which the layered chart carries once."""
        base = alt.Chart() if frame is None else alt.Chart(frame)
        return base.transform_filter(alt.datum.breakdown == selector) if selector is not None else base

    base = chart()
    bars = base.mark_bar(height={"band": 0.6}).encode(
        y=y,
        x=alt.X("value:Q", scale=x_scale, axis=alt.Axis(format=".0%", title=share_heading(), tickCount=5, aria=False)),
        color=alt.Color("emphasis:N", scale=alt.Scale(domain=["highlight", "other"], range=[COLOURS["highlight"], COLOURS["other"]]), legend=None),
        tooltip=tooltip,
        description=alt.Description("bar_text:N"),
    )
    whiskers = base.mark_rule(color=COLOURS["text"], strokeWidth=1.5, aria=False).encode(y=y, x=alt.X("ci_low:Q"), x2=alt.X2("ci_high"))
    values = base.mark_text(align="left", baseline="middle", dx=8, fontSize=12, color=COLOURS["text"], aria=False).encode(
        y=y, x=alt.datum(1), text=alt.Text("value_text:N")
    )
    layers = [bars, whiskers, values]
    if reference is not None:
        references = reference if isinstance(reference, dict) else {first: reference}
        references = {view: value for view, value in references.items() if pd.notna(value)}  # suppressed
        rule = chart(pd.DataFrame({
            "breakdown": list(references),
            "reference": list(references.values()),
            "text": [f"{reference_label} {share_text(r, (reference_n or {}).get(v, disclosure.UNCERTAIN_BELOW))}".strip() for v, r in references.items()],
        }))
        layers.append(rule.mark_rule(color=COLOURS["reference"], strokeDash=[5, 3], strokeWidth=2, aria=False).encode(x=alt.X("reference:Q")))
        # Above the bars, running away from the nearer end of the scale, so it stays inside the chart.
        for align, dx, keep in [("left", 4, alt.datum.reference <= 0.5), ("right", -4, alt.datum.reference > 0.5)]:
            layers.append(
                rule.transform_filter(keep)
                .mark_text(align=align, dx=dx, y=-8, color=COLOURS["reference"], fontSize=11, aria=False)
                .encode(x=alt.X("reference:Q"), text=alt.Text("text:N"))
            )
    if messages:
        notes = chart(pd.DataFrame({"breakdown": list(messages), "message": list(messages.values())}))
        # Above the scale and the reference label: a view without bars has no rows to write in.
        layers.append(notes.mark_text(align="left", baseline="bottom", x=0, y=-24, fontSize=12, color=COLOURS["text"], aria=False).encode(text=alt.Text("message:N")))
    default = data if breakdown is None else data[data["breakdown"] == first]
    properties = dict(width="container", height=alt.Step(ROW_STEP), description=description(default, first) + (menu if breakdown else ""))
    if descriptions:
        properties["usermeta"] = {"descriptions": descriptions}
    # One construction: layer(), properties() and add_params() would each deep-copy every layer.
    params = [narrow_param(), *([selector] if selector is not None else [])]
    return alt.LayerChart(layer=layers, data=data, params=[p.param for p in params], **properties)


def chart_id(spec: dict) -> str:
    """A stable element id from the spec, so rebuilds give byte-identical pages."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    return f"vega-{digest}"


#: A run of a PDF dictionary's references, one per line: "      /xo1 10 0 R".
PDF_REFERENCES = re.compile(rb"(?:^ +/\w+ \d+ 0 R\n)+", re.M)


def canonical_pdf(pdf: bytes) -> bytes:
    """The chart PDF with each run of dictionary references sorted: vl-convert writes a page's
    resources in hash order, which changes from run to run. Sorting keeps every object's length,
    so the cross-reference table stays right."""
    return PDF_REFERENCES.sub(lambda run: b"".join(sorted(run.group(0).splitlines(keepends=True))), pdf)


#: Print charts in one font weight: vl-convert embeds regular and bold in an order that changes
#: from run to run, and the same input must give the same PDF bytes.
PRINT_CONFIG = {"axis": {"titleFontWeight": "normal"}, "title": {"fontWeight": "normal"}, "legend": {"titleFontWeight": "normal"}}


#: How much larger the print edition sets a chart's text than the web: the chart is scaled down to
#: the text width (453 pt), and its smallest text must still print at 8 pt or more.
PRINT_TEXT_SCALE = 1.35
FONT_SIZE_KEYS = {"fontSize", "labelFontSize", "titleFontSize"}


def scaled_text(node, factor: float):
    """The spec with every font size in it (marks, axes, legends, titles) multiplied by `factor`."""
    if isinstance(node, dict):
        return {k: (v * factor if k in FONT_SIZE_KEYS and isinstance(v, (int, float)) else scaled_text(v, factor)) for k, v in node.items()}
    if isinstance(node, list):
        return [scaled_text(v, factor) for v in node]
    return node


def print_spec(spec: dict) -> dict:
    """The chart as the PDF prints it: the print width, every text in the regular weight and
    large enough to read at print size."""
    config = spec.get("config", {})
    spec = {**spec, "width": PRINT_WIDTH, "config": {**config, **{key: {**config.get(key, {}), **value} for key, value in PRINT_CONFIG.items()}}}
    return scaled_text(spec, PRINT_TEXT_SCALE)


def render(spec: dict, **metadata) -> dict:
    """Altair renderer for the book: HTML drawn offline by the site's own vega, and a vector PDF.

    The Vega-Lite spec is compiled to Vega here, so pages load vega alone rather than the
    Vega-Lite compiler and vega-embed as well (half the weight).
    """
    import vl_convert

    element = chart_id(spec)
    compiled = vl_convert.vegalite_to_vega(spec)
    # No "<" at all in the script: neither "</script>" nor "<!--" from a label or file name can
    # end or derail it (\u003c is the same character to JavaScript).
    payload = json.dumps(compiled, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
    markup = (
        f'<div class="innobarometer-chart" id="{element}"></div>\n'
        f'<script type="text/javascript">innobarometerEmbed("#{element}", {payload});</script>'
    )
    pdf = canonical_pdf(vl_convert.vegalite_to_pdf(print_spec(spec), format_locale=format_locale()))
    # The analyst's views too: each edition's notebook download draws its own language's chart.
    return {"text/html": markup, "application/pdf": pdf, "text/plain": spec.get("description", text("Figur", "Figure"))} | analyst_views(spec)


def analyst_views(spec: dict) -> dict:
    """The chart as a notebook carries it for an analyst: the Vega-Lite spec, and a PNG drawn from
    it at the print width (JupyterLab draws the PNG with no network; a reader without Python sees it)."""
    import vl_convert

    png = vl_convert.vegalite_to_png(print_spec(spec), scale=1, format_locale=format_locale())
    return {VEGA_LITE_MIME: spec, "image/png": base64.b64encode(png).decode("ascii")}


def render_for_jupyter(spec: dict, **metadata) -> dict:
    """Altair renderer for analysts running the notebooks in Jupyter: drawn with no network."""
    return analyst_views(spec) | {"text/plain": spec.get("description", text("Figur", "Figure"))}


alt.renderers.register(RENDERER, render)
alt.renderers.register(JUPYTER_RENDERER, render_for_jupyter)


def use_book_style() -> None:
    """Enable the theme always, and the offline renderer when the book is being built."""
    alt.theme.enable("innobarometer")
    alt.renderers.enable(RENDERER if os.environ.get(BUILD_ENV) else JUPYTER_RENDERER)


def bars_by_year(table: pd.DataFrame, *, group: str, summary: str) -> alt.Chart:
    """Published shares by group and year: one bar per year within each group, labelled with
    year and value, so colour is never the only cue. `table` has columns `group`, year, value."""
    data = table.assign(value_text=table["value"].map(percent))
    data["text"] = data["year"].astype(str) + ": " + data["value_text"]
    data["bar_text"] = data[group] + ", " + data["text"]
    description = f"{summary} " + "; ".join(data["bar_text"])
    years = sorted(data["year"].unique())
    palette = [COLOURS["other"], COLOURS["highlight"], COLOURS["text"]][-len(years):]
    groups = list(dict.fromkeys(data[group]))
    base = alt.Chart(data).encode(
        y=alt.Y(f"{group}:N", sort=groups, title=None, axis=category_axis(groups)),
        yOffset=alt.YOffset("year:O", sort=years),
    )
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%", title=text("Andel med mindst én innovation", "Share with at least one innovation"), aria=False)),
        color=alt.Color("year:O", scale=alt.Scale(domain=years, range=palette), legend=None),
        tooltip=[
            alt.Tooltip(f"{group}:N", title=text("Niveau", "Level")),
            alt.Tooltip("year:O", title=text("År", "Year")),
            alt.Tooltip("value_text:N", title=share_heading()),
        ],
        description=alt.Description("bar_text:N"),
    )
    # A column right of the scale, as in bar_chart: a narrow column has no room after a long bar.
    labels = base.mark_text(align="left", baseline="middle", dx=8, fontSize=11, color=COLOURS["text"], aria=False).encode(x=alt.datum(1), text=alt.Text("text:N"))
    return alt.LayerChart(layer=[bars, labels], params=[narrow_param().param], width="container", height=alt.Step(18), description=description)
