"""The chart theme and renderer."""

import base64
import json
import re

import pandas as pd
import pytest
import vl_convert

from innobarometer.paths import ROOT
from innobarometer.presentation.charts import COLOURS, bar_chart, bars_by_year, canonical_pdf, chart_id, label_lines, narrow_labels, print_spec, render, render_for_jupyter, use_book_style
from innobarometer.text.formatting import format_locale
from innobarometer.text.language import speaking

pytestmark = pytest.mark.drawn  # make test runs these beside the browser tests


def small_chart():
    table = pd.DataFrame({"label": ["A", "B"], "value": [0.7, 0.4], "ci_low": [0.6, 0.3], "ci_high": [0.8, 0.5], "n": [10, 20]})
    return bar_chart(table, label="label", summary="Søjlediagram: test.", highlight="A")


def test_site_vega_is_the_version_vl_convert_compiles_for():
    package = json.loads((ROOT / "node_modules" / "vega" / "package.json").read_text())
    assert package["version"] == vl_convert.get_vega_version()


def test_text_alternative_lists_every_bar_with_its_value():
    description = small_chart().to_dict()["description"]
    assert description.startswith("Søjlediagram: test.") and "A: 70\u00a0%" in description and "B: 40\u00a0%" in description


def test_one_rendering_serves_html_and_pdf():
    bundle = render(small_chart().to_dict())
    assert bundle["application/pdf"].startswith(b"%PDF")
    assert 'class="innobarometer-chart"' in bundle["text/html"] and "innobarometerEmbed(" in bundle["text/html"]


@pytest.mark.parametrize("edition", ["da", "en"])
def test_each_editions_rendering_carries_the_vega_lite_spec_and_a_png_for_its_notebook_download(edition):
    spec = small_chart().to_dict()
    with speaking(edition):
        bundle = render(spec)
    assert bundle["application/vnd.vegalite.v6+json"] == spec
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")


def test_in_jupyter_a_chart_is_drawn_with_no_network():
    bundle = render_for_jupyter(small_chart().to_dict())
    # no text/html: Altair's would load vega from a CDN; the data is inside the spec, not fetched
    assert set(bundle) == {"application/vnd.vegalite.v6+json", "image/png", "text/plain"}
    assert "url" not in json.dumps(bundle["application/vnd.vegalite.v6+json"]["datasets"])


def test_the_print_chart_is_the_same_bytes_every_time_it_is_rendered():
    spec = small_chart().to_dict()
    assert len({render(spec)["application/pdf"] for _ in range(6)}) == 1


def test_canonical_pdf_sorts_each_run_of_references_and_keeps_the_length():
    pdf = b"<<\n  /XObject <<\n      /xo1 10 0 R\n      /xo0 8 0 R\n  >>\n  /Font <<\n    /f1 5 0 R\n    /f0 4 0 R\n  >>\n>>\n"
    canonical = canonical_pdf(pdf)
    assert canonical == pdf.replace(b"/xo1 10 0 R\n      /xo0 8 0 R", b"/xo0 8 0 R\n      /xo1 10 0 R").replace(b"/f1 5 0 R\n    /f0 4 0 R", b"/f0 4 0 R\n    /f1 5 0 R")
    assert len(canonical) == len(pdf)


def test_chart_element_id_is_stable_for_the_same_spec():
    assert chart_id(small_chart().to_dict()) == chart_id(small_chart().to_dict())


def test_text_from_outside_cannot_end_or_derail_the_charts_script():
    table = pd.DataFrame({"label": ["<!--<script>", "</script><img src=x onerror=alert(1)>"], "value": [0.7, 0.4], "ci_low": [0.6, 0.3], "ci_high": [0.8, 0.5], "n": [10, 20]})
    html = render(bar_chart(table, label="label", summary="Fra x</script>.csv").to_dict())["text/html"]
    script = html.split("<script", 1)[1]
    assert script.count("<") == 1 and script.endswith("</script>")  # only its own end tag


def layers(chart):
    return chart.to_dict()["layer"]


def test_chart_takes_its_containers_width_and_prints_at_a_fixed_one():
    spec = small_chart().to_dict()
    assert spec["width"] == "container"
    assert vl_convert.vegalite_to_vega({**spec, "width": 420})["width"] == 420


def test_values_stand_right_of_the_scale_clear_of_whiskers_and_reference():
    (values,) = [l for l in layers(small_chart()) if l["mark"]["type"] == "text" and l["encoding"].get("text", {}).get("field") == "value_text"]
    assert values["encoding"]["x"] == {"datum": 1} and values["mark"]["dx"] > 0


def test_reference_label_runs_away_from_the_nearer_end_of_the_scale():
    table = pd.DataFrame({"label": ["A"], "value": [0.7], "ci_low": [0.6], "ci_high": [0.8], "n": [100], "breakdown": ["all"]})
    chart = bar_chart(table, label="label", summary="S.", reference={"all": 0.9}, reference_label="Alle:", breakdown={"all": "Alle"})
    aligns = {l["mark"]["align"] for l in layers(chart) if l["mark"]["type"] == "text" and l["encoding"].get("text", {}).get("field") == "text"}
    assert aligns == {"left", "right"}  # one layer each; the data decides which draws


def test_every_view_has_its_danish_text_alternative_for_the_menu():
    table = pd.DataFrame({"label": ["A", "A"], "value": [0.7, 0.4], "ci_low": [0.6, 0.3], "ci_high": [0.8, 0.5], "n": [100, 50], "breakdown": ["all", "region"]})
    spec = bar_chart(table, label="label", summary="S.", breakdown={"all": "Alle", "region": "Regionale"}).to_dict()
    descriptions = spec["usermeta"]["descriptions"]
    assert descriptions["all"].startswith("Alle. S. A: 70\u00a0%") and descriptions["region"].startswith("Regionale. S. A: 40\u00a0%")


def test_bars_are_described_in_danish():
    spec = small_chart().to_dict()
    assert spec["layer"][0]["encoding"]["description"]["field"] == "bar_text"
    texts = [row["bar_text"] for rows in spec["datasets"].values() for row in rows if "bar_text" in row]
    assert texts[0] == "A: 70\u00a0%*, konfidensinterval (95\u00a0%): 60–80\u00a0%"


def test_axes_print_danish_per_cent_with_a_space():
    locale = format_locale()
    assert locale["decimal"] == "," and locale["percent"] == "\u00a0%"


def test_a_view_without_bars_says_why_above_the_scale_and_marks_an_uncertain_reference():
    table = pd.DataFrame({"label": ["A"], "value": [0.5], "ci_low": [0.4], "ci_high": [0.6], "n": [100], "breakdown": ["x"]})
    spec = bar_chart(
        table, label="label", summary="s", breakdown={"y": "Y", "x": "X"}, reference={"y": 0.56, "x": 0.5},
        reference_n={"y": 29, "x": 100}, messages={"y": "Ingen kombination kunne testes."},
    ).to_dict()
    marks = [layer["mark"] for layer in spec["layer"] if isinstance(layer.get("mark"), dict)]
    message = next(m for m in marks if m.get("baseline") == "bottom")
    assert all(float(y) < 0 for y in re.findall(r"-?\d+", message["y"]["expr"]))  # above the axis, never on its labels
    texts = [row["text"] for data in spec["datasets"].values() for row in data if "text" in row]
    assert any(t.endswith("56\u00a0%*") for t in texts)


def english_chart():
    with speaking("en"):
        return small_chart().to_dict()


def test_english_text_alternative_prints_english_per_cent():
    assert "A: 70%" in english_chart()["description"] and "B: 40%" in english_chart()["description"]


def test_english_bars_are_described_in_english():
    texts = [row["bar_text"] for rows in english_chart()["datasets"].values() for row in rows if "bar_text" in row]
    assert texts[0] == "A: 70%*, confidence interval (95%): 60–80%"


def test_english_axis_and_tooltips_are_titled_in_english():
    bars = english_chart()["layer"][0]["encoding"]
    assert bars["x"]["axis"]["title"] == "Share"
    assert [t["title"] for t in bars["tooltip"]] == ["Category", "Share", "Confidence interval (95%)", "Responses"]


def test_english_axes_print_per_cent_without_a_space():
    with speaking("en"):
        locale = format_locale()
    assert locale["decimal"] == "." and locale["thousands"] == "," and locale["percent"] == "%"


def test_english_menu_and_why_no_bars_are_in_english():
    table = pd.DataFrame({"label": ["A"], "value": [0.5], "ci_low": [0.4], "ci_high": [0.6], "n": [100], "breakdown": ["x"]})
    with speaking("en"):
        spec = bar_chart(table, label="label", summary="S.", breakdown={"x": "X", "y": "Y"}).to_dict()
    menu = next(p for p in spec["params"] if p["name"] == "visning")
    assert menu["bind"]["name"] == "Show for: "
    assert spec["usermeta"]["descriptions"]["y"].endswith(
        "No numbers shown: fewer than 5 answered yes or fewer than 5 no, or the number would give away another hidden number."
        " The menu below the figure switches between x, y."
    )


def test_a_chart_by_year_is_titled_as_its_caller_says_and_reads_in_english():
    table = pd.DataFrame({"level": ["Municipal", "Municipal"], "year": [2015, 2017], "value": [0.8, 0.85]})
    with speaking("en"):
        spec = bars_by_year(table, group="level", summary="S.", value_title="Share with any innovation", group_title="Level").to_dict()
    encoding = spec["layer"][0]["encoding"]
    assert encoding["x"]["axis"]["title"] == "Share with any innovation" and encoding["tooltip"][0]["title"] == "Level"
    assert "Municipal, 2015: 80%" in spec["description"]


def strings(value) -> list[str]:
    """Every string in a spec (keys and values), where a reader could meet a text."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return [value] if isinstance(value, str) else []


def test_an_english_chart_says_nothing_in_danish():
    table = pd.DataFrame({"label": ["A", "B"], "value": [0.7, 0.4], "ci_low": [0.6, 0.3], "ci_high": [0.8, 0.5], "n": [10, 200], "breakdown": ["x", "x"]})
    with speaking("en"):
        spec = bar_chart(table, label="label", summary="S.", breakdown={"x": "X", "y": "Y"}, reference={"x": 0.5}, reference_label="All:").to_dict()
    danish = {"andel", "kategori", "antal", "svar", "vis", "menuen", "ingen", "konfidensinterval", "usikkert", "færre", "eller"}
    found = {w for s in strings(spec) for w in re.findall(r"[a-zæøå]+", s.lower())} & danish
    assert not found, found


def test_bars_are_called_bars_in_the_editions_language_and_axes_are_not_described_in_english():
    use_book_style()
    config = small_chart().to_dict()["config"]
    assert config["bar"]["ariaRoleDescription"] == "søjle" and config["axis"]["aria"] is False
    with speaking("en"):
        assert small_chart().to_dict()["config"]["bar"]["ariaRoleDescription"] == "bar"


def test_a_compound_longer_than_a_line_breaks_with_a_hyphen_before_a_word_the_labels_use():
    labels = ["Kommunikationsinnovationsudviklingsprojekter", "Udviklingsprojekter"]
    assert label_lines(labels[0], labels) == ["Kommunikationsinnovations-", "udviklingsprojekter"]


def test_labels_without_long_words_wrap_at_spaces():
    labels = ["Proces- eller organisatorisk innovation"]
    assert label_lines(labels[0], labels) == ["Proces- eller organisatorisk", "innovation"]


def test_a_label_above_its_bar_takes_at_most_two_lines_however_long():
    label = "Proces/organisation + produkt + service + kommunikation + noget helt andet end det"
    assert len(label_lines(label, [label])) == 2


def test_every_label_of_a_narrow_chart_ends_on_the_same_line_above_its_bar():
    labels = ["Service", "Proces/organisation + service + kommunikation"]
    assert narrow_labels(labels) == {"Service": ["", "Service"], labels[1]: ["Proces/organisation + service +", "kommunikation"]}


def font_sizes(value) -> list[float]:
    """Every font size a spec sets, its theme's included."""
    if isinstance(value, dict):
        return [v for k, v in value.items() if k.endswith(("fontSize", "FontSize")) and isinstance(v, (int, float))] + [s for v in value.values() for s in font_sizes(v)]
    if isinstance(value, list):
        return [s for v in value for s in font_sizes(v)]
    return []


def test_a_view_without_bars_says_why_in_lines_that_fit_a_phones_chart():
    table = pd.DataFrame({"label": ["A"], "value": [0.5], "ci_low": [0.4], "ci_high": [0.6], "n": [100], "breakdown": ["x"]})
    message = "Ingen kombinationer fører signifikant oftere eller sjældnere til øget kvalitet end de øvrige innovationer."
    spec = bar_chart(table, label="label", summary="s", breakdown={"x": "X", "y": "Y"}, messages={"y": message}).to_dict()
    (row,) = [row for rows in spec["datasets"].values() for row in rows if "narrow_message" in row]
    assert all(len(line) <= 40 for line in row["narrow_message"].split("\n")) and row["narrow_message"].replace("\n", " ") == message
    assert all(len(line) <= 80 for line in row["wide_message"].split("\n"))
    (layer,) = [layer for layer in spec["layer"] if layer["mark"].get("lineBreak")]
    assert layer["mark"]["y"] == {"expr": "narrow ? -52 : -38"}  # its last line where a one-line message stood


def test_in_print_a_sentences_lines_are_as_far_apart_as_its_letters_are_tall():
    table = pd.DataFrame({"label": ["A"], "value": [0.5], "ci_low": [0.4], "ci_high": [0.6], "n": [100], "breakdown": ["x"]})
    spec = print_spec(bar_chart(table, label="label", summary="s", breakdown={"x": "X", "y": "Y"}, messages={"y": "Ingen. " * 30}).to_dict())
    (mark,) = [layer["mark"] for layer in spec["layer"] if layer["mark"].get("lineBreak")]
    assert mark["lineHeight"] >= mark["fontSize"] > 12

def test_every_chart_text_is_at_least_12_px():
    use_book_style()
    table = pd.DataFrame({"label": ["A"], "value": [0.7], "ci_low": [0.6], "ci_high": [0.8], "n": [100], "breakdown": ["all"]})
    development = pd.DataFrame({"level": ["Kommunale", "Kommunale"], "year": [2016, 2019], "value": [0.8, 0.85]})
    for chart in [
        bar_chart(table, label="label", summary="S.", reference={"all": 0.5}, reference_label="Alle:", breakdown={"all": "Alle"}, messages={"all": "Ingen."}),
        bars_by_year(development, group="level", summary="S.", value_title="Andel", group_title="Niveau"),
    ]:
        sizes = font_sizes(chart.to_dict())
        assert sizes and min(sizes) >= 12, sizes


def test_in_a_narrow_column_labels_stand_above_their_bars_in_taller_rows():
    spec = small_chart().to_dict()
    axis = spec["layer"][0]["encoding"]["y"]["axis"]
    assert axis["labelAlign"] == {"expr": "narrow ? 'left' : 'right'"} and axis["labelOffset"]["expr"].startswith("narrow ? -")
    compiled = json.loads(re.search(r"innobarometerEmbed\(\"#[\w-]+\", (.*)\);</script>", render(spec)["text/html"]).group(1))
    signals = {s["name"]: s for s in compiled["signals"]}
    assert signals["y_step"] == {"name": "y_step", "update": "row_step"}  # the page's renderer: taller rows when narrow
    assert signals["row_step"]["update"] == "narrow ? 49 : 44"  # a line of label, the gap, the bar, the space between rows
    # The PDF and the analyst's PNG are drawn from the Vega-Lite spec, where the step stays constant.
    assert vl_convert.vegalite_to_vega(spec)["signals"][1] == {"name": "y_step", "value": 44}


def test_development_chart_names_each_years_colour_in_a_legend_and_on_its_bars():
    development = pd.DataFrame({"level": ["Kommunale", "Kommunale", "Alle"], "year": [2016, 2019, 2023], "value": [0.8, 0.85, 0.83]})
    spec = bars_by_year(development, group="level", summary="S.", value_title="Andel", group_title="Niveau").to_dict()
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["legend"]["orient"] == "top" and colour["legend"]["title"] == "År:"
    assert colour["scale"]["domain"] == [2016, 2019, 2023] and len(set(colour["scale"]["range"])) == 3
    texts = [row["text"] for rows in spec["datasets"].values() for row in rows]
    assert texts == ["2016: 80\u00a0%", "2019: 85\u00a0%", "2023: 83\u00a0%"]


def test_a_groups_bars_follow_each_other_with_no_gap_for_a_missing_year():
    development = pd.DataFrame({"level": ["Kommunale", "Kommunale", "Alle", "Alle"], "year": [2016, 2019, 2019, 2023], "value": [0.8, 0.85, 0.81, 0.83]})
    rows = next(iter(bars_by_year(development, group="level", summary="S.", value_title="Andel", group_title="Niveau").to_dict()["datasets"].values()))
    assert [(r["level"], r["slot"]) for r in rows] == [("Kommunale", 1), ("Kommunale", 2), ("Alle", 1), ("Alle", 2)]


def test_dark_mode_draws_every_chart_colour_in_a_lighter_counterpart():
    """The page's style sheet recolours the charts' light colours in dark mode (the PDF and the
    downloads keep the light ones): each colour of the palette has its rule."""
    css = (ROOT / "_static" / "book.css").read_text(encoding="utf-8")
    for colour in COLOURS.values():
        assert f'html[data-theme="dark"] .innobarometer-chart svg [fill="{colour}"]' in css, colour


# The chart as the page brings it: drawn at build time, before any script (issue 29).


def menu_chart() -> dict:
    table = pd.DataFrame({
        "label": ["Proces- eller organisatorisk innovation", "B", "Proces- eller organisatorisk innovation", "B"],
        "value": [0.7, 0.4, 0.5, 0.6], "ci_low": [0.6, 0.3, 0.4, 0.5], "ci_high": [0.8, 0.5, 0.6, 0.7], "n": [100, 200, 100, 200],
        "breakdown": ["all", "all", "region", "region"],
    })
    return bar_chart(table, label="label", summary="Søjlediagram: test.", breakdown={"all": "Alle", "region": "Regionale"}).to_dict()


@pytest.fixture(scope="module")
def drawn():
    """A chart with a menu as each edition's page brings it (its text/html), rendered twice in Danish."""
    spec = menu_chart()
    with speaking("en"):
        english = render(menu_chart())["text/html"]
    return {"da": render(spec)["text/html"], "da again": render(spec)["text/html"], "en": english}


def drawings(markup: str) -> dict[str, str]:
    """The page's SVG drawings of a chart by layout."""
    return {m.group(1): m.group(0) for m in re.finditer(r'<svg[^>]*class="marks chart-static chart-(\w+)".*?</svg>', markup, re.S)}


def test_a_chart_comes_drawn_in_the_page_in_a_phones_and_a_wide_layout(drawn):
    from innobarometer.presentation.charts import STATIC_WIDTHS

    layouts = drawings(drawn["da"])
    assert set(layouts) == {"narrow", "wide"} and drawn["da"].count("<svg") == 2
    for layout, svg in layouts.items():
        assert f'width="{STATIC_WIDTHS[layout]}"' in svg and f'viewBox="0 0 {STATIC_WIDTHS[layout]} ' in svg
    # a phone's: the label in two lines above its bar, left-aligned; a wide column's: beside it
    assert '<tspan>Proces- eller organisatorisk</tspan><tspan x="0" dy="14">innovation</tspan>' in layouts["narrow"]
    assert ">Proces- eller organisatorisk innovation</text>" in layouts["wide"]
    assert drawn["da"] == drawn["da again"]  # the same bytes every time: clean and incremental builds agree


def test_the_drawing_prints_the_editions_numbers_and_its_script_carries_that_format_for_vega(drawn):
    assert ">70\u00a0%</text>" in drawings(drawn["da"])["wide"] and ">70%</text>" in drawings(drawn["en"])["wide"]
    for edition, locale in [("da", "\u00a0%"), ("en", "%")]:
        compiled = json.loads(re.search(r"innobarometerEmbed\(\"#[\w-]+\", (.*)\);</script>", drawn[edition]).group(1))
        assert compiled["config"]["locale"]["number"]["percent"] == locale  # one vega draws both editions


def test_the_drawn_chart_is_named_and_its_bars_described_as_vega_names_them(drawn):
    container = re.match(r"<div [^>]*>", drawn["da"]).group(0)
    assert 'role="graphics-document"' in container and 'aria-label="Alle. Søjlediagram: test.' in container  # the first view's
    bars = re.findall(r'<path aria-label="([^"]*)" role="graphics-symbol"', drawings(drawn["da"])["wide"])
    assert bars == ["Proces- eller organisatorisk innovation: 70\u00a0%, konfidensinterval (95\u00a0%): 60–80\u00a0%", "B: 40\u00a0%, konfidensinterval (95\u00a0%): 30–50\u00a0%"]


def test_the_menu_is_in_the_page_with_every_view_and_the_first_chosen(drawn):
    menu = re.search(r'<div class="vega-bindings pst-js-only">.*?</select></label></div></div>', drawn["da"]).group(0)
    assert '<span class="vega-bind-name">Vis for: </span><select name="visning" autocomplete="off">' in menu
    assert re.findall(r'<option value="(\w+)"( selected)?>', menu) == [("all", " selected"), ("region", "")]
    assert "Show for: " in drawn["en"]


def test_text_from_outside_cannot_add_markup_to_the_drawing_or_the_menu():
    table = pd.DataFrame({"label": ["</svg><img src=x onerror=alert(1)>"], "value": [0.7], "ci_low": [0.6], "ci_high": [0.8], "n": [100], "breakdown": ["a"]})
    markup = render(bar_chart(table, label="label", summary="S.", breakdown={"a": "<b>A</b>"}).to_dict())["text/html"]
    assert "<img" not in markup and "<b>" not in markup and markup.count("</svg>") == 2


def test_the_drawings_geometry_is_rounded_to_hundredths_and_its_text_kept():
    from innobarometer.presentation.charts import rounded_geometry

    svg = '<path d="M0,36.99999999999998h201.6178732322867v-0.001Z" transform="translate(10.5,5)"/><text x="1.23456">12.34567</text>'
    assert rounded_geometry(svg) == '<path d="M0,37h201.62v-0Z" transform="translate(10.5,5)"/><text x="1.23">12.34567</text>'


def label_heights(view: str, by_value: bool) -> dict[str, float]:
    """Where each category's label stands (its y) when the chart's menu shows `view`."""
    table = pd.DataFrame({
        "label": ["A", "B", "A", "B"], "value": [0.7, 0.4, 0.5, 0.6], "ci_low": [0.6, 0.3, 0.4, 0.5],
        "ci_high": [0.8, 0.5, 0.6, 0.7], "n": [100, 200, 100, 200], "breakdown": ["all", "all", "region", "region"],
    })
    spec = bar_chart(table, label="label", summary="S.", breakdown={"all": "Alle", "region": "Regionale"}, by_value=by_value).to_dict()
    for param in spec["params"]:
        if param["name"] == "visning":
            param["value"] = view
    svg = vl_convert.vegalite_to_svg({**spec, "width": 500})
    return {m[2]: float(m[1]) for m in re.finditer(r"translate\([\d.-]+,([\d.-]+)\)[^>]*>(?:<tspan>)?(A|B)<", svg)}


def test_bars_by_value_stand_highest_first_in_every_view():
    assert label_heights("all", by_value=True)["A"] < label_heights("all", by_value=True)["B"]  # 70 % over 40 %
    assert label_heights("region", by_value=True)["B"] < label_heights("region", by_value=True)["A"]  # 60 % over 50 %


def test_bars_otherwise_keep_the_tables_order_in_every_view():
    assert label_heights("region", by_value=False)["A"] < label_heights("region", by_value=False)["B"]
