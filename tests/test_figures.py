"""A figure's tools under the chart: the notes its numbers need."""

import altair as alt
import pandas as pd

from innobarometer.figures import Figure


def figure(n):
    data = pd.DataFrame({"id": ["a"], "label": ["Region"], "value": [0.5], "ci_low": [0.3], "ci_high": [0.7], "n": [n]})
    return Figure(alt.Chart(data).mark_bar(), data, name="fig-test", source="Kilde")


def test_an_uncertain_estimate_gets_its_note_under_the_chart():
    assert "Usikkert skøn: færre end 30 svar." in figure(12).tools_html("vega-x")


def test_an_estimate_from_many_respondents_gets_no_note():
    assert "figure-note" not in figure(300).tools_html("vega-x")
