"""The chart theme, the bar chart with confidence intervals, and the offline renderer.

In the book build (INNOBAROMETER_BUILD=1) a chart's output carries its representations from
one execution: `text/html`, the chart drawn as SVG at build time in a phone's and a wide
column's layout (the page's style sheet shows the one that fits; no script needed), with its
compiled Vega spec, which the site's own vega draws live once the reader uses the menu or a
download; `application/pdf`, a vector rendering for the LaTeX build, and for the notebook's own
(Danish) outputs the Vega-Lite spec with a PNG, which its download carries. In Jupyter the
analyst sees the Vega-Lite spec and the PNG (JupyterLab has no global vegaEmbed, and Altair's
own HTML would load vega from the network). Every text of a chart (axes, tooltips, menu, text
alternative, numbers) is in the language current when the chart is made.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import textwrap

import altair as alt
import pandas as pd

from innobarometer.estimates import disclosure
from innobarometer.paths import BUILD_ENV
from innobarometer.presentation.tables import category_heading, ci_heading, responses_heading, share_heading, share_text, suppressed_reason, uncertain_note
from innobarometer.text.formatting import chart_locale, format_locale, percent, percent_range
from innobarometer.text.language import _

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
#: The signal the page sets when the chart's column is narrow (a phone): category labels move
#: above their bars.
NARROW_PARAM = "narrow"
#: Characters per line of a category label, and its lines at most, when it stands above its bar
#: across the chart (36 characters of 12 px text take about 230 px: the bars' width in a 320 px
#: phone's chart); the width of a label left of the bars in a wide column (px).
WRAP_CHARACTERS = 36
MAX_LINES = 2
LABEL_LIMIT = 360
#: Every text of a chart, in px: the page's body text is 16 px, and a phone shows the chart at
#: its own size.
FONT_SIZE = 12
LINE_HEIGHT = 14
#: Height per category in a wide column; in a narrow one a bar's height, and the gap between a
#: label and its bar (px).
ROW_STEP = 44
NARROW_BAR = 20
LABEL_GAP = 3
#: Characters per line of the sentence a view without bars says instead, in both layouts.
MESSAGE_CHARACTERS = {"narrow": 40, "wide": 80}
#: A bar's height in the development chart, where each group has a bar per year (px).
BAR_STEP = 18
#: The chart's own height per category, which the page's renderer gives Vega-Lite's band step
#: (a constant in Vega-Lite), so a narrow column has room for a label above each bar.
ROW_STEP_PARAM = "row_step"


@alt.theme.register("innobarometer", enable=False)
def theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            # Axes are not described to screen readers: vega's descriptions are English on every
            # page ("Y-axis for a discrete scale"), and the chart's own text alternative names
            # every bar with its value.
            "axis": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelColor": COLOURS["text"], "titleColor": COLOURS["text"], "grid": False, "aria": False},
            "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "labelColor": COLOURS["text"], "titleColor": COLOURS["text"]},
            "title": {"fontSize": 14, "anchor": "start", "color": COLOURS["text"]},
            "bar": {"color": COLOURS["other"], "ariaRoleDescription": _("søjle")},
        }
    }


BREAKDOWN_PARAM = "visning"


def narrow_param() -> alt.Parameter:
    """Set by the page's script from the chart's column width; false in the PDF edition."""
    return alt.param(name=NARROW_PARAM, value=False)


def label_lines(label: str, labels: list[str]) -> list[str]:
    """A category label wrapped for a narrow column, in at most MAX_LINES lines. A word too long
    for a line is broken with a hyphen before a word the labels use on their own
    ('Kommunikations-' 'innovation'), as a browser cannot hyphenate Danish; failing that, where
    the line ends. A label that would take more lines gets longer ones."""
    words = {w.strip(",.").lower() for other in labels for w in other.split() if len(w.strip(",.")) >= 4}
    width = WRAP_CHARACTERS
    while True:
        pieces = []
        for word in label.split():
            ends = [w for w in words if word.lower().endswith(w) and len(w) < len(word)] if len(word) > width else []
            if ends:
                cut = len(word) - len(max(ends, key=len))
                pieces += [word[:cut] + "-", word[cut:]]
            else:
                pieces.append(word)
        lines = textwrap.wrap(" ".join(pieces), width) or [label]
        if len(lines) <= MAX_LINES:
            return lines
        width += 4


def narrow_labels(labels: list[str]) -> dict[str, list[str]]:
    """Each label's lines in a narrow column, all as many as the longest's: a shorter label starts
    with empty lines, so every label's last line stands just above its bar."""
    lines = {label: label_lines(label, labels) for label in labels}
    most = max(map(len, lines.values()), default=1)
    return {label: [""] * (most - len(each)) + each for label, each in lines.items()}


def category_axis(labels: list[str], *, above: str) -> alt.Axis:
    """Category labels left of the bars on one line in a wide column. In a narrow column each
    label stands above its bar, left-aligned across the chart in at most two lines, so the bars
    keep most of the chart's width; `above` is the Vega expression for the offset of the label's
    first line from its band's middle there."""
    narrow = NARROW_PARAM
    return alt.Axis(
        labelLimit=alt.ExprRef(f"{narrow} ? width : {LABEL_LIMIT}"),
        labelExpr=f"{narrow} ? ({json.dumps(narrow_labels(labels), ensure_ascii=False)})[datum.value] : datum.value",
        labelAlign=alt.ExprRef(f"{narrow} ? 'left' : 'right'"),
        labelBaseline=alt.ExprRef(f"{narrow} ? 'bottom' : 'middle'"),
        labelOffset=alt.ExprRef(f"{narrow} ? {above} : 0"),
        # vega puts a label the ticks' length (5 px) and the padding left of the axis: in a narrow
        # column it starts at the scale's 0, where the axis line and ticks would run through it.
        labelPadding=alt.ExprRef(f"{narrow} ? -5 : 6"),
        domainOpacity=alt.ExprRef(f"{narrow} ? 0 : 1"),
        tickOpacity=alt.ExprRef(f"{narrow} ? 0 : 1"),
        labelLineHeight=LINE_HEIGHT,
    )


def label_rows(labels: list[str]) -> int:
    """How many lines each label takes above its bar in a narrow column."""
    return len(next(iter(narrow_labels(labels).values()), [""]))


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
    by_value: bool = False,
    alpha: float | None = None,
) -> alt.LayerChart:
    """Horizontal bars of `value` with CI whiskers and per-cent labels, in table order (with
    `by_value`, each view's bars from the highest value down, whatever the order in another view).
    The intervals are at significance level `alpha` (the book's 5 %, a 95 % interval, if not
    given), as the chart's texts say.

    `highlight` names the bar(s) drawn in the highlight colour (the chapter's subject); the other
    bars are grey, and every bar carries its value as text, so colour is never the only cue.
    The values stand in a column right of the scale's 100 %, so no value ever touches a whisker
    or the reference line. The chart takes its container's width.

    The chart's text alternative is `summary` followed by every bar's label and value; with
    `breakdown` ({code: label}, the first the default) the table has a `breakdown`
    column, the reader switches between them with a menu that runs in the browser, and the
    spec's `usermeta.descriptions` holds the text alternative of every view, for the page to
    follow the menu. `reference` is then one value per breakdown (with `reference_n`, its
    respondents, so an uncertain one is marked). `messages` says, per breakdown (None for a
    chart without a menu), why no bars are drawn; a view whose every bar is suppressed says so
    by itself.
    """
    table = table[~disclosure.hidden(table)]  # the disclosure rule: suppressed estimates are not drawn
    first = next(iter(breakdown)) if breakdown else None
    messages = dict(messages or {})
    for view in breakdown or [None]:
        if view not in messages and (table if view is None else table[table["breakdown"] == view]).empty:
            messages[view] = _("Ingen tal vises: {reason}.").format(reason=suppressed_reason())

    def description(rows: pd.DataFrame, view: str | None) -> str:
        alternative = f"{summary} " + "; ".join(f"{l}: {share_text(v, n)}" for l, v, n in zip(rows[label], rows["value"], rows["n"]))
        if rows["n"].map(disclosure.is_uncertain).any():
            alternative += f" {uncertain_note()}"
        if view in messages and rows.empty:
            alternative += f" {messages[view]}"
        return alternative

    data = table.assign(
        value_text=[share_text(v, n) for v, n in zip(table["value"], table["n"])],
        ci_text=[percent_range(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
        emphasis=table[label].isin([highlight] if isinstance(highlight, str) else highlight or []).map(
            {True: "highlight", False: "other"}
        ),
    )
    data["bar_text"] = [f"{l}: {v}, {ci_heading(alpha).lower()}: {c}" for l, v, c in zip(data[label], data["value_text"], data["ci_text"])]
    # Only what the chart draws goes into its spec (the estimates' other columns would go along).
    drawn = [label, "value", "ci_low", "ci_high", "n", "value_text", "ci_text", "emphasis", "bar_text", "breakdown"]
    data = data[[c for c in dict.fromkeys(drawn) if c in data.columns]]
    order = list(dict.fromkeys(data[label]))
    # In a narrow column each row is its label's lines, a gap and the bar, centred in the row:
    # the bar, its whisker and its value move down by half the label's height.
    rows = label_rows(order)
    shift = (rows * LINE_HEIGHT + LABEL_GAP) / 2
    lowered = alt.ExprRef(f"{NARROW_PARAM} ? {shift} : 0")
    first_line = shift - NARROW_BAR / 2 - LABEL_GAP - (rows - 1) * LINE_HEIGHT
    sort = alt.EncodingSortField(field="value", op="max", order="descending") if by_value else order
    y = alt.Y(f"{label}:N", sort=sort, title=None, axis=category_axis(order, above=f"{first_line}"))
    x_scale = alt.Scale(domain=[0, 1])
    tooltip = [
        alt.Tooltip(f"{label}:N", title=category_heading()),
        alt.Tooltip("value_text:N", title=share_heading()),
        alt.Tooltip("ci_text:N", title=ci_heading(alpha)),
        alt.Tooltip("n:Q", title=responses_heading()),
    ]
    selector = None
    descriptions = None
    if breakdown:
        selector = alt.param(
            name=BREAKDOWN_PARAM,
            value=first,
            bind=alt.binding_select(options=list(breakdown), labels=list(breakdown.values()), name=_("Vis for: ")),
        )
        views = ", ".join(breakdown.values()).lower()
        menu = _(" Menuen under figuren skifter mellem {views}.").format(views=views)
        descriptions = {
            view: f"{name}. " + description(data[data["breakdown"] == view], view) + menu for view, name in breakdown.items()
        }

    def chart(frame: pd.DataFrame | None = None) -> alt.Chart:
        """A layer, with its own data or (None) the bars' data, which the layered chart carries once."""
        base = alt.Chart() if frame is None else alt.Chart(frame)
        return base.transform_filter(alt.datum.breakdown == selector) if selector is not None else base

    base = chart()
    bars = base.mark_bar(height=alt.ExprRef(f"{NARROW_PARAM} ? {NARROW_BAR} : 0.6 * bandwidth('y')"), yOffset=lowered).encode(
        y=y,
        x=alt.X("value:Q", scale=x_scale, axis=alt.Axis(format=".0%", title=share_heading(), tickCount=alt.ExprRef(f"{NARROW_PARAM} ? 3 : 5"), aria=False)),
        color=alt.Color("emphasis:N", scale=alt.Scale(domain=["highlight", "other"], range=[COLOURS["highlight"], COLOURS["other"]]), legend=None),
        tooltip=tooltip,
        description=alt.Description("bar_text:N"),
    )
    whiskers = base.mark_rule(color=COLOURS["text"], strokeWidth=1.5, yOffset=lowered, aria=False).encode(y=y, x=alt.X("ci_low:Q"), x2=alt.X2(field="ci_high"))  # by field: an empty column has no type to infer
    values = base.mark_text(align="left", baseline="middle", dx=8, yOffset=lowered, fontSize=FONT_SIZE, color=COLOURS["text"], aria=False).encode(
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
                .mark_text(align=align, dx=dx, y=-8, color=COLOURS["reference"], fontSize=FONT_SIZE, aria=False)
                .encode(x=alt.X("reference:Q"), text=alt.Text("text:N"))
            )
    if messages:
        # Above the scale and the reference label: a view without bars has no rows to write in.
        # In lines that fit the chart: a line wider than the chart left vega's autosize no room
        # for the scale (its width went to 0, and stayed there for the next view).
        wrapped = {layout: ["\n".join(textwrap.wrap(m, width)) for m in messages.values()] for layout, width in MESSAGE_CHARACTERS.items()}
        top = {layout: -24 - (max(m.count("\n") for m in lines)) * LINE_HEIGHT for layout, lines in wrapped.items()}
        notes = chart(pd.DataFrame({"breakdown": list(messages), "narrow_message": wrapped["narrow"], "wide_message": wrapped["wide"]}))
        layers.append(
            notes.transform_calculate(message=f"{NARROW_PARAM} ? datum.narrow_message : datum.wide_message")
            .mark_text(
                align="left", baseline="bottom", x=0, y=alt.ExprRef(f"{NARROW_PARAM} ? {top['narrow']} : {top['wide']}"),
                lineBreak="\n", lineHeight=LINE_HEIGHT, fontSize=FONT_SIZE, color=COLOURS["text"], aria=False,
            )
            .encode(text=alt.Text("message:N"))
        )
    default = data if breakdown is None else data[data["breakdown"] == first]
    properties = dict(width="container", height=alt.Step(ROW_STEP), description=description(default, first) + (menu if breakdown else ""))
    if descriptions:
        properties["usermeta"] = {"descriptions": descriptions}
    # One construction: layer(), properties() and add_params() would each deep-copy every layer.
    # A narrow row: the label's lines, the gap, the bar, and 12 px to the next row's label.
    step = alt.param(name=ROW_STEP_PARAM, expr=f"{NARROW_PARAM} ? {rows * LINE_HEIGHT + LABEL_GAP + NARROW_BAR + 12} : {ROW_STEP}")
    params = [narrow_param(), step, *([selector] if selector is not None else [])]
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
#: A text's size and the distance between its lines, which grows with it (else a sentence's lines overlap).
FONT_SIZE_KEYS = {"fontSize", "labelFontSize", "titleFontSize", "lineHeight", "labelLineHeight"}


def scaled_text(node, factor: float):
    """The spec with every font size and line height in it (marks, axes, legends, titles) multiplied by `factor`."""
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


def stepped_rows(compiled: dict) -> dict:
    """The compiled chart with its band step taken from its ROW_STEP_PARAM, where it has one:
    Vega-Lite makes the step a constant, and a narrow column needs taller rows (a label above
    each bar). Vega reads every signal before any signal's update, so the order does not matter."""
    signals = compiled.get("signals", [])
    if not any(s["name"] == ROW_STEP_PARAM for s in signals):
        return compiled
    stepped = [{"name": s["name"], "update": ROW_STEP_PARAM} if s["name"] == "y_step" and "value" in s else s for s in signals]
    return {**compiled, "signals": stepped}


#: The widths (px) of a chart's drawings made at build time, one per layout (`NARROW_PARAM`). Each
#: scales with its column: the narrow one is drawn for a column of 300 px (a 360 px phone's, less
#: its margins), so its 12 px text is at least 12 px on every phone from 348 px wide; the wide one
#: for 632 px, the narrowest column figures.js lays out wide (640 px less the chart's padding).
STATIC_WIDTHS = {"narrow": 300, "wide": 632}
#: Numbers in a drawing's geometry written with more than two decimals (vega writes 36.99999999999998).
LONG_DECIMAL = re.compile(r"(-?\d+\.\d{3,})")
GEOMETRY = re.compile(r'\b(d|transform|x|y|x1|x2|y1|y2|width|height|viewBox|dx|dy|points)="([^"]*)"')


def chart_locale_config() -> dict:
    """The edition's number and date formats as a Vega spec's `config.locale`: the page's vega draws
    each chart in its own edition's language, so one vega serves both editions."""
    import vl_convert

    return {"number": format_locale(), "time": vl_convert.get_time_format_locale(chart_locale())}


def static_spec(compiled: dict, layout: str) -> dict:
    """The compiled chart as the page shows it before any script: at its layout's width
    (`STATIC_WIDTHS`), in its first view, on the page's own background, without its menu (the
    page carries the menu itself, see `menu_html`)."""
    def fixed(signal: dict) -> dict:
        if signal["name"] == "width":
            return {"name": "width", "value": STATIC_WIDTHS[layout]}
        if signal["name"] == NARROW_PARAM:
            return {"name": NARROW_PARAM, "value": layout == "narrow"}
        return {key: value for key, value in signal.items() if key != "bind"}

    return {**compiled, "signals": [fixed(s) for s in compiled.get("signals", [])], "background": "transparent"}


def rounded_geometry(svg: str) -> str:
    """The SVG with the numbers of its geometry rounded to hundredths of a pixel: a third smaller,
    the same drawing on any screen."""
    def attribute(match: re.Match) -> str:
        value = LONG_DECIMAL.sub(lambda n: f"{float(n.group()):.2f}".rstrip("0").rstrip("."), match.group(2))
        return f'{match.group(1)}="{value}"'

    return GEOMETRY.sub(attribute, svg)


def static_svg(compiled: dict, layout: str, element: str) -> str:
    """One layout's drawing of the chart, made by vl-convert in the edition's number format, as
    inline SVG: classed for the page's style sheet (which shows the layout that fits the column and
    recolours it in dark mode), its ids (if any) made unique in the page."""
    import vl_convert

    svg = vl_convert.vega_to_svg(static_spec(compiled, layout), format_locale=format_locale(), time_format_locale=chart_locale_config()["time"])
    svg = rounded_geometry(svg.strip())
    prefix = f"{element}-{layout}-"
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', svg)
    svg = svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1"', "", 1)
    return svg.replace('class="marks"', f'class="marks chart-static chart-{layout}"', 1)


def menu_html(compiled: dict) -> str:
    """The chart's menu (its view, `BREAKDOWN_PARAM`), in the page itself, as vega would make it:
    a reader sees and reaches it before any script, and figures.js draws the chosen view. Hidden
    where scripts do not run (the theme's `pst-js-only`): there only the first view is drawn."""
    signal = next((s for s in compiled.get("signals", []) if s["name"] == BREAKDOWN_PARAM and s.get("bind", {}).get("input") == "select"), None)
    if signal is None:
        return ""
    bind = signal["bind"]
    options = "".join(
        f'<option value="{html.escape(str(value))}"{" selected" if value == signal["value"] else ""}>{html.escape(str(label))}</option>'
        for value, label in zip(bind["options"], bind.get("labels", bind["options"]))
    )
    # autocomplete off: a reload must not restore another view into the menu than the drawing shows.
    return (
        '<div class="vega-bindings pst-js-only"><div class="vega-bind"><label>'
        f'<span class="vega-bind-name">{html.escape(bind.get("name", BREAKDOWN_PARAM))}</span>'
        f'<select name="{BREAKDOWN_PARAM}" autocomplete="off">{options}</select></label></div></div>'
    )


def render(spec: dict, **metadata) -> dict:
    """Altair renderer for the book: the chart drawn at build time for the page, its Vega spec for
    the page's vega, and a vector PDF.

    The page shows the chart as SVG drawn here (`static_svg`, a phone's and a wide layout) with
    its accessible name and menu, so it is there on the page's first paint, with no script. The
    Vega-Lite spec is compiled to Vega here, so a page that draws a view live loads vega alone
    rather than the Vega-Lite compiler and vega-embed as well (half the weight); it carries the
    edition's number format, so one vega serves both editions.
    """
    import vl_convert

    element = chart_id(spec)
    compiled = stepped_rows(vl_convert.vegalite_to_vega(spec))
    compiled = {**compiled, "config": {**compiled.get("config", {}), "locale": chart_locale_config()}}
    # No "<" at all in the script: neither "</script>" nor "<!--" from a label or file name can
    # end or derail it (\u003c is the same character to JavaScript).
    payload = json.dumps(compiled, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
    drawings = "\n".join(static_svg(compiled, layout, element) for layout in STATIC_WIDTHS)
    # Named as vega names it, for the first view (the menu's, which names the view, where it has one).
    first = next((s.get("value") for s in compiled.get("signals", []) if s["name"] == BREAKDOWN_PARAM), None)
    label = html.escape(compiled.get("usermeta", {}).get("descriptions", {}).get(first, compiled.get("description", "")))
    markup = (
        f'<div class="innobarometer-chart" id="{element}" role="graphics-document" aria-roledescription="{_("diagram")}" aria-label="{label}">\n'
        f'<div class="chart-drawing">\n{drawings}\n</div>\n{menu_html(compiled)}</div>\n'
        f'<script type="text/javascript">innobarometerEmbed("#{element}", {payload});</script>'
    )
    pdf = canonical_pdf(vl_convert.vegalite_to_pdf(print_spec(spec), format_locale=format_locale()))
    # The analyst's views too: each edition's notebook download draws its own language's chart.
    return {"text/html": markup, "application/pdf": pdf, "text/plain": spec.get("description", _("Figur"))} | analyst_views(spec)


def analyst_views(spec: dict) -> dict:
    """The chart as a notebook carries it for an analyst: the Vega-Lite spec, and a PNG drawn from
    it at the print width (JupyterLab draws the PNG with no network; a reader without Python sees it)."""
    import vl_convert

    png = vl_convert.vegalite_to_png(print_spec(spec), scale=1, format_locale=format_locale())
    return {VEGA_LITE_MIME: spec, "image/png": base64.b64encode(png).decode("ascii")}


def render_for_jupyter(spec: dict, **metadata) -> dict:
    """Altair renderer for analysts running the notebooks in Jupyter: drawn with no network."""
    return analyst_views(spec) | {"text/plain": spec.get("description", _("Figur"))}


alt.renderers.register(RENDERER, render)
alt.renderers.register(JUPYTER_RENDERER, render_for_jupyter)


def use_book_style() -> None:
    """The book's style in a notebook: its chart theme, the offline renderer when the book is
    being built, a text shown as it is written ("70 %"), not as its Python repr ('70\xa0%'),
    in an output, in what a notebook glues, and where Jupyter's Markdown evaluates a name; and a
    table with a heading over every column (`frame_html`)."""
    alt.theme.enable("innobarometer")
    alt.renderers.enable(RENDERER if os.environ.get(BUILD_ENV) else JUPYTER_RENDERER)
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/plain"].for_type(str, lambda text, printer, cycle: printer.text(text))
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, frame_html)


def frame_html(frame: pd.DataFrame) -> str:
    """A table of a notebook's as HTML with a heading over every column: its index as a column of
    its own, or left out where it is only the rows' positions (pandas leaves the corner above the
    index empty, a header that says nothing to a screen reader)."""
    positions = frame.index.names == [None] and pd.api.types.is_integer_dtype(frame.index)
    return (frame if positions else frame.reset_index()).to_html(index=False, border=0, na_rep="")


def bars_by_year(table: pd.DataFrame, *, group: str, summary: str, value_title: str, group_title: str) -> alt.LayerChart:
    """Published shares by group and year: one bar per year within each group, a legend above
    the chart naming each year's colour, and each bar labelled with its year and value, so colour
    is never the only cue. `table` has columns `group`, year, value; the scale is `value_title`,
    a bar's group `group_title` in its tooltip."""
    data = table.assign(value_text=table["value"].map(percent))
    data["text"] = data["year"].astype(str) + ": " + data["value_text"]
    data["bar_text"] = data[group] + ", " + data["text"]
    # Each group's bars one under the other in year order, with no gap where a group lacks a year.
    data["slot"] = data.groupby(group, sort=False)["year"].rank(method="first").astype(int)
    description = f"{summary} " + "; ".join(data["bar_text"])
    years = sorted(data["year"].unique())
    palette = [COLOURS["other"], COLOURS["highlight"], COLOURS["text"]][-len(years):]
    groups = list(dict.fromkeys(data[group]))
    # In a narrow column a group's label stands above its bars, in the space between the groups,
    # made tall enough for it (Vega-Lite computes the step from the bars' and this padding).
    rows = label_rows(groups)
    above = f"-bandwidth('y') / 2 - {LABEL_GAP} - {(rows - 1) * LINE_HEIGHT}"
    room = rows * LINE_HEIGHT + LABEL_GAP + 8
    padding = round(room / (room + BAR_STEP * data["slot"].max()), 3)
    base = alt.Chart(data).encode(
        y=alt.Y(
            f"{group}:N", sort=groups, title=None, axis=category_axis(groups, above=above),
            # In parentheses: Vega-Lite writes it into "1-padding" as it is.
            scale=alt.Scale(paddingInner=alt.ExprRef(f"({NARROW_PARAM} ? {padding} : 0.3)")),
        ),
        yOffset=alt.YOffset("slot:O"),
    )
    year = _("År")
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%", title=value_title, aria=False)),
        color=alt.Color(
            "year:O", scale=alt.Scale(domain=years, range=palette),
            # Above the chart, in a row: a legend at the side would take a phone's bars' width.
            legend=alt.Legend(title=f"{year}:", orient="top", direction="horizontal", titleOrient="left", symbolType="square", symbolSize=140, aria=False),
        ),
        tooltip=[
            alt.Tooltip(f"{group}:N", title=group_title),
            alt.Tooltip("year:O", title=year),
            alt.Tooltip("value_text:N", title=share_heading()),
        ],
        description=alt.Description("bar_text:N"),
    )
    # A column right of the scale, as in bar_chart: a narrow column has no room after a long bar.
    labels = base.mark_text(align="left", baseline="middle", dx=8, fontSize=FONT_SIZE, color=COLOURS["text"], aria=False).encode(x=alt.datum(1), text=alt.Text("text:N"))
    return alt.LayerChart(layer=[bars, labels], params=[narrow_param().param], width="container", height=alt.Step(BAR_STEP), description=description)
