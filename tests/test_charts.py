"""The chart theme and renderer."""

import json

import altair as alt
import pandas as pd
import vl_convert

from innobarometer.charts import bar_chart, chart_id, render
from innobarometer.paths import ROOT


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


def test_chart_element_id_is_stable_for_the_same_spec():
    assert chart_id(small_chart().to_dict()) == chart_id(small_chart().to_dict())


def test_text_from_outside_cannot_end_or_derail_the_charts_script():
    table = pd.DataFrame({"label": ["<!--<script>", "</script><img src=x onerror=alert(1)>"], "value": [0.7, 0.4], "ci_low": [0.6, 0.3], "ci_high": [0.8, 0.5], "n": [10, 20]})
    html = render(bar_chart(table, label="label", summary="Fra x</script>.csv").to_dict())["text/html"]
    script = html.split("<script", 1)[1]
    assert script.count("<") == 1 and script.endswith("</script>")  # only its own end tag
