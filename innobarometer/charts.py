"""The chart theme, the bar chart with confidence intervals, and the offline renderer.

In the book build (INNOBAROMETER_BUILD=1) a chart's output carries two representations from
one execution: `text/html`, a div drawn by the locally served vega bundle (SVG, Danish locale),
and `application/pdf`, a vector rendering for the LaTeX build. In Jupyter the default Altair
renderer is kept, since JupyterLab has no global vegaEmbed.
"""

from __future__ import annotations

import hashlib
import json
import os

import altair as alt
import pandas as pd

from innobarometer import disclosure
from innobarometer.formatting import LOCALE, percent, percent_range
from innobarometer.paths import BUILD_ENV
from innobarometer.tables import UNCERTAIN_NOTE, ci_heading, share_text

FONT = "DejaVu Sans, Verdana, sans-serif"
#: One palette. Both colours reach at least 4.5:1 against white, so they also carry text.
COLOURS = {"highlight": "#1f4e79", "other": "#6b6b6b", "reference": "#b03a2e", "text": "#222222"}
RENDERER = "innobarometer"


@alt.theme.register("innobarometer", enable=False)
def theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": COLOURS["text"], "titleColor": COLOURS["text"], "grid": False},
            "title": {"fontSize": 14, "anchor": "start", "color": COLOURS["text"]},
            "bar": {"color": COLOURS["other"]},
        }
    }


BREAKDOWN_PARAM = "visning"


def bar_chart(
    table: pd.DataFrame,
    *,
    label: str,
    summary: str,
    highlight: str | list[str] | None = None,
    reference: float | dict[str, float] | None = None,
    reference_label: str = "",
    breakdown: dict[str, str] | None = None,
    messages: dict[str, str] | None = None,
    width: int = 420,
) -> alt.LayerChart:
    """Horizontal bars of `value` with 95 % CI whiskers and Danish per-cent labels, in table order.

    `highlight` names the bar(s) drawn in the highlight colour (the chapter's subject); the other
    bars are grey, and every bar carries its value as text, so colour is never the only cue.
    The chart's text alternative is `summary` followed by every bar's label and value.

    With `breakdown` ({code: Danish label}, the first the default) the table has a `breakdown`
    column and the reader switches between them with a menu that runs in the browser;
    `reference` is then one value per breakdown, and `messages` says, per breakdown, why no
    bars are drawn.
    """
    if "suppressed" in table.columns:  # the disclosure rule: suppressed estimates are not drawn
        table = table[~table["suppressed"].astype(bool)]
    first = next(iter(breakdown)) if breakdown else None
    messages = dict(messages or {})
    for view in breakdown or []:
        if view not in messages and not (table["breakdown"] == view).any():
            messages[view] = f"For få svar til at vise tal (færre end {disclosure.MIN_RESPONDENTS})."
    default = table if breakdown is None else table[table["breakdown"] == first]
    description = f"{summary} " + "; ".join(f"{l}: {share_text(v, n)}" for l, v, n in zip(default[label], default["value"], default["n"]))
    if table["n"].map(disclosure.is_uncertain).any():
        description += f" {UNCERTAIN_NOTE}"
    data = table.assign(
        value_text=[share_text(v, n) for v, n in zip(table["value"], table["n"])],
        ci_text=[percent_range(lo, hi) for lo, hi in zip(table["ci_low"], table["ci_high"])],
        emphasis=table[label].isin([highlight] if isinstance(highlight, str) else highlight or []).map(
            {True: "highlight", False: "other"}
        ),
    )
    order = list(dict.fromkeys(data[label]))
    y = alt.Y(f"{label}:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    x_scale = alt.Scale(domain=[0, 1])
    tooltip = [alt.Tooltip(f"{label}:N", title="Kategori"), alt.Tooltip("value_text:N", title="Andel"), alt.Tooltip("ci_text:N", title=ci_heading()), alt.Tooltip("n:Q", title="Antal svar")]
    selector = None
    if breakdown:
        selector = alt.param(
            name=BREAKDOWN_PARAM,
            value=first,
            bind=alt.binding_select(options=list(breakdown), labels=list(breakdown.values()), name="Vis for: "),
        )
        description += ". Menuen under figuren skifter mellem " + ", ".join(breakdown.values()).lower() + "."

    def chart(frame: pd.DataFrame) -> alt.Chart:
        base = alt.Chart(frame)
        return base.transform_filter(alt.datum.breakdown == selector) if selector is not None else base

    base = chart(data)
    bars = base.mark_bar(height={"band": 0.7}).encode(
        y=y,
        x=alt.X("value:Q", scale=x_scale, axis=alt.Axis(format=".0%", title="Andel", tickCount=5)),
        color=alt.Color("emphasis:N", scale=alt.Scale(domain=["highlight", "other"], range=[COLOURS["highlight"], COLOURS["other"]]), legend=None),
        tooltip=tooltip,
    )
    whiskers = base.mark_rule(color=COLOURS["text"], strokeWidth=1.5).encode(y=y, x="ci_low:Q", x2="ci_high:Q")
    labels = base.mark_text(align="left", dx=4, dy=-9, fontSize=12, color=COLOURS["text"]).encode(y=y, x="ci_high:Q", text="value_text:N")
    layers = [bars, whiskers, labels]
    if reference is not None:
        references = reference if isinstance(reference, dict) else {first: reference}
        references = {view: value for view, value in references.items() if pd.notna(value)}  # suppressed
        rule = chart(pd.DataFrame({
            "breakdown": list(references),
            "reference": list(references.values()),
            "text": [f"{reference_label} {percent(r)}".strip() for r in references.values()],
        }))
        layers.append(rule.mark_rule(color=COLOURS["reference"], strokeDash=[5, 3], strokeWidth=2).encode(x="reference:Q"))
        layers.append(rule.mark_text(align="left", dx=4, y=-8, color=COLOURS["reference"], fontSize=11).encode(x="reference:Q", text="text:N"))
    if messages:
        notes = chart(pd.DataFrame({"breakdown": list(messages), "message": list(messages.values())}))
        layers.append(notes.mark_text(align="left", x=0, y=12, fontSize=12, color=COLOURS["text"]).encode(text="message:N"))
    layered = alt.layer(*layers).properties(width=width, height=alt.Step(34), description=description)
    return layered.add_params(selector) if selector is not None else layered


def chart_id(spec: dict) -> str:
    """A stable element id from the spec, so rebuilds give byte-identical pages."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
    return f"vega-{digest}"


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
    pdf = vl_convert.vegalite_to_pdf(spec, format_locale=LOCALE)
    return {"text/html": markup, "application/pdf": pdf, "text/plain": spec.get("description", "Figur")}


alt.renderers.register(RENDERER, render)


def use_book_style() -> None:
    """Enable the theme always, and the offline renderer when the book is being built."""
    alt.theme.enable("innobarometer")
    if os.environ.get(BUILD_ENV):
        alt.renderers.enable(RENDERER)


def bars_by_year(table: pd.DataFrame, *, group: str, summary: str, width: int = 420) -> alt.Chart:
    """Published shares by group and year: one bar per year within each group, labelled with
    year and value, so colour is never the only cue. `table` has columns `group`, year, value."""
    data = table.assign(value_text=table["value"].map(percent))
    data["text"] = data["year"].astype(str) + ": " + data["value_text"]
    description = f"{summary} " + "; ".join(f"{g}, {t}" for g, t in zip(data[group], data["text"]))
    years = sorted(data["year"].unique())
    palette = [COLOURS["other"], COLOURS["highlight"], COLOURS["text"]][-len(years):]
    base = alt.Chart(data).encode(
        y=alt.Y(f"{group}:N", sort=list(dict.fromkeys(data[group])), title=None, axis=alt.Axis(labelLimit=360)),
        yOffset=alt.YOffset("year:O", sort=years),
    )
    bars = base.mark_bar().encode(
        x=alt.X("value:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%", title="Andel med mindst én innovation")),
        color=alt.Color("year:O", scale=alt.Scale(domain=years, range=palette), legend=None),
        tooltip=[alt.Tooltip(f"{group}:N", title="Niveau"), alt.Tooltip("year:O", title="År"), alt.Tooltip("value_text:N", title="Andel")],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color=COLOURS["text"]).encode(x="value:Q", text="text:N")
    return alt.layer(bars, labels).properties(width=width, height=alt.Step(18), description=description)
