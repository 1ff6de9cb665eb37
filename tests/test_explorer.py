"""The analyst's explorer, driven by setting its widgets as a person would."""

import functools
import http.server
import re
import threading
from contextlib import contextmanager

import pandas as pd
import pytest
from ipywidgets.embed import embed_minimal_html

from innobarometer.building.build import BUILD

from innobarometer.data.microdata import load_microdata
from innobarometer.estimates.estimate import weighted_share
from innobarometer.paths import BUILD_ENV, ROOT, SYNTHETIC_MICRODATA
from innobarometer.text.language import speaking
from organiser_smartere.combinations import quality_by_combination
from organiser_smartere.explorer import ALL, QUALITY, Explorer, explore
from rows import innovators, microdata, non_innovators, quality_by_size_and_level

pytestmark = pytest.mark.drawn  # make test runs these beside the browser tests

#: Where the explorer's drawing is kept for a person to look at, beside the browser tests' own.
SCREENSHOTS = BUILD / "screenshots"


@pytest.fixture(scope="module")
def workplaces():
    return load_microdata(SYNTHETIC_MICRODATA)


def test_choosing_stat_gives_the_estimator_on_the_stat_subpopulation(workplaces):
    explorer = Explorer(workplaces)
    explorer.breakdown.value = "sector"
    explorer.value.value = "stat"
    expected = weighted_share(workplaces, "innovated_process", domain=workplaces["sector"].eq("stat"))
    assert explorer.result.loc[0, "value"] == pytest.approx(expected["value"])
    assert explorer.result.loc[0, "n"] == expected["n"] == (workplaces["sector"] == "stat").sum()


def test_changing_the_measure_recomputes(workplaces):
    explorer = Explorer(workplaces)
    explorer.measure.value = "service"
    assert explorer.result.loc[0, "value"] == pytest.approx(weighted_share(workplaces, "innovated_service")["value"])


def test_quality_by_combination_follows_the_chosen_significance_level(workplaces):
    explorer = Explorer(workplaces)
    explorer.measure.value = QUALITY
    at_five = int(explorer.result["shown"].sum())
    explorer.alpha.value = 0.01
    assert int(explorer.result["shown"].sum()) <= at_five
    direct = quality_by_combination(workplaces).set_index("combination")["value"]
    explorer.alpha.value = 0.05
    assert explorer.result.set_index("combination")["value"].to_dict() == pytest.approx(direct.to_dict(), nan_ok=True)


def test_changing_the_breakdown_resets_the_group_to_all(workplaces):
    explorer = Explorer(workplaces)
    explorer.value.value = "region"
    explorer.breakdown.value = "size_group"
    assert explorer.value.value == ALL and ("50 ansatte eller flere", "large") in explorer.value.options


def test_in_the_built_book_the_explorer_makes_no_widget(workplaces, monkeypatch):
    monkeypatch.setenv(BUILD_ENV, "1")
    assert explore(workplaces) is None


def test_in_jupyter_the_explorer_is_the_widget(workplaces, monkeypatch):
    monkeypatch.delenv(BUILD_ENV, raising=False)
    assert isinstance(explore(workplaces), Explorer)


def test_an_explorer_made_in_english_stays_english_when_the_reader_changes_it(workplaces):
    with speaking("en"):
        explorer = Explorer(workplaces)
    explorer.breakdown.value = "size_group"
    assert ("50 or more employees", "large") in explorer.value.options and explorer.value.options[0] == ("All", ALL)
    assert explorer.result.loc[0, "label"] == "Process or organisational innovation"


@pytest.mark.parametrize(("language", "heading"), [("da", "Konfidensinterval (99\u00a0%)"), ("en", "Confidence interval (99%)")])
def test_at_one_percent_significance_the_intervals_are_headed_99_percent(language, heading):
    with speaking(language):
        explorer = Explorer(microdata(innovators(60, 30), non_innovators(40)))
    explorer.alpha.value = 0.01
    tooltips = [tip["title"] for layer in explorer.chart().to_dict()["layer"] for tip in layer.get("encoding", {}).get("tooltip", [])]
    assert heading in explorer.table().data and heading in tooltips


def row_of(table: str, label: str) -> list[str]:
    """A Markdown table's row, by the label in its first cell, as its cells' texts."""
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines() if line.startswith("|")]
    return next(row for row in rows if row[0] == label)


def test_quality_mode_shows_each_combinations_difference_and_holm_adjusted_p_value():
    # Three tested combinations: process alone lies 12.5 points below the rest with p = 0.041, which
    # Holm's correction (× 2) makes 0.082, so it has no bar at 5 %
    explorer = Explorer(microdata(
        innovators(100, 65, "process+communication"), innovators(100, 50, "service"), innovators(100, 45, "process"), non_innovators(20),
    ))
    explorer.measure.value = QUALITY
    table = explorer.table().data
    assert row_of(table, "Proces/organisation + kommunikation")[4:] == ["+17,5", "0,003", "0,010", "Ja"]
    assert row_of(table, "Proces/organisation")[4:] == ["−12,5", "0,041", "0,082", "Nej (ikke signifikant)"]


def test_a_combination_whose_adjusted_p_value_is_exactly_the_level_has_no_bar(monkeypatch):
    # Holm makes p-values of 0.025 and 0.04 both exactly 0.05: at 5 % neither is significant
    from innobarometer.estimates.estimate import Contrast
    from organiser_smartere import combinations

    planted = {"process+communication": 0.025, "process": 0.04}
    monkeypatch.setattr(combinations, "contrast_with_rest", lambda frame, outcome, subgroup, **_: Contrast(
        difference=0.1, se=0.05, p_value=planted[combinations.combination_key(frame)[subgroup].iloc[0]],
    ))
    explorer = Explorer(microdata(innovators(100, 65, "process+communication"), innovators(100, 45, "process"), non_innovators(20)))
    explorer.measure.value = QUALITY
    assert explorer.result["p_adjusted"].tolist() == pytest.approx([0.05, 0.05]) and not explorer.result["shown"].any()
    assert row_of(explorer.table().data, "Proces/organisation")[6:] == ["0,050", "Nej (ikke signifikant)"]


def said(chart) -> str:
    """The sentence an empty chart draws where its bars would be (its wide layout's lines joined)."""
    rows = [row for rows in chart.to_dict()["datasets"].values() for row in rows if "wide_message" in row]
    return " ".join(row["wide_message"].replace("\n", " ") for row in rows)


def test_quality_mode_without_a_significant_combination_says_so_as_figure_2_does():
    explorer = Explorer(microdata(innovators(100, 50, "process"), innovators(100, 50, "service"), non_innovators(20)))
    explorer.measure.value = QUALITY
    message = "Ingen kombinationer fører signifikant oftere eller sjældnere til øget kvalitet end de øvrige innovationer."
    assert said(explorer.chart()) == message and message in explorer.chart().to_dict()["description"]


def test_a_group_whose_estimate_is_suppressed_says_that_no_number_is_shown_and_why():
    # 3 of the 12 regional workplaces introduced a process innovation: fewer than 5 said yes
    explorer = Explorer(microdata(innovators(60, 30), innovators(3, 2, sector="region"), non_innovators(9, sector="region")))
    explorer.value.value = "region"
    assert said(explorer.chart()).startswith("Ingen tal vises: færre end 5 har svaret ja eller færre end 5 nej")


def test_a_level_that_figure_1_hides_as_a_complement_shows_no_share():
    # 3 of 12 regional workplaces introduced a process innovation (fewer than 5): with all
    # workplaces and the other levels shown it would follow from them, so the cheaper of those, stat
    # (20 respondents against kommune's 60), is hidden with it
    explorer = Explorer(microdata(
        innovators(30, 15), non_innovators(30), innovators(3, 2, sector="region"), non_innovators(9, sector="region"),
        innovators(10, 5, sector="stat"), non_innovators(10, sector="stat"),
    ))
    explorer.value.value = "stat"
    assert explorer.result.loc[0, "suppressed"] and pd.isna(explorer.result.loc[0, "value"]) and explorer.result.loc[0, "n"] == 20
    assert said(explorer.chart()).startswith("Ingen tal vises")
    explorer.value.value = "kommune"
    assert explorer.result.loc[0, "value"] == pytest.approx(0.5)


def test_a_size_group_hidden_as_a_complement_shows_no_share():
    # small: 3 of 12 introduced a process innovation; large (20) is cheaper to hide with it than medium (60)
    explorer = Explorer(microdata(
        innovators(30, 15), non_innovators(30), innovators(3, 2, size="small"), non_innovators(9, size="small"),
        innovators(10, 5, size="large"), non_innovators(10, size="large"),
    ))
    explorer.breakdown.value = "size_group"
    explorer.value.value = "large"
    assert explorer.result.loc[0, "suppressed"] and pd.isna(explorer.result.loc[0, "value"])


def test_by_size_group_all_innovations_hide_what_figure_2_hides_there():
    explorer = Explorer(quality_by_size_and_level())
    explorer.measure.value = QUALITY
    by_level = explorer.result.set_index("combination")["suppressed"].to_dict()
    explorer.breakdown.value = "size_group"
    by_size = explorer.result.set_index("combination")["suppressed"].to_dict()
    assert by_size == by_level == {"service": True, "communication": False, "product": True}
    explorer.value.value = "small"
    assert explorer.result.set_index("combination")["suppressed"].to_dict() == {"service": True, "communication": False, "product": True}


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def drawn(browser, tmp_path, explorer: Explorer):
    """A page of the explorer's widgets, drawn by the widgets' HTML manager from npm in chromium,
    with the requests it made elsewhere (none may leave the page's own server). Outside Jupyter
    its output area stays empty: nothing recomputes there."""
    page_file = tmp_path / "explorer.html"
    embed_minimal_html(str(page_file), views=[explorer.widget()], title="Udforsk", requirejs=False)
    manager = "node_modules/@jupyter-widgets/html-manager/dist/embed.js"
    page_file.write_text(re.sub(r'src="https://[^"]*html-manager[^"]*embed\.js"', f'src="{manager}"', page_file.read_text()))
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    context = browser.new_context(viewport={"width": 900, "height": 260})
    external = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else (external.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto(f"{origin}/explorer.html", wait_until="load")
    page.wait_for_selector("select")  # drawn by the widgets' manager
    try:
        yield page, external
    finally:
        context.close()
        server.shutdown()


def test_explorer_controls_draw_with_the_chosen_values(browser, tmp_path, workplaces):
    explorer = Explorer(workplaces)
    explorer.value.value = "stat"
    explorer.measure.value = QUALITY
    with drawn(browser, tmp_path, explorer) as (page, external):
        menus = page.locator("select")
        chosen = [menus.nth(i).evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ") for i in range(menus.count())]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "explorer-controls.png"))
    assert external == []
    assert chosen == ["Forvaltningsniveau", "Statslige arbejdspladser", "Forbedret kvalitet efter kombination", "5 %"]


#: Per menu, the width its widest option's text takes in the menu's font, and the width it has for text.
MENU_WIDTHS = """() => [...document.querySelectorAll('select')].map(menu => {
  const style = getComputedStyle(menu), pen = document.createElement('canvas').getContext('2d');
  pen.font = `${style.fontSize} ${style.fontFamily}`;
  return {
    widest: Math.max(...[...menu.options].map(option => pen.measureText(option.text).width)),
    room: menu.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
  };
})"""


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_menu_shows_its_longest_option_whole(browser, tmp_path, workplaces, language):
    with speaking(language):
        explorer = Explorer(workplaces)
    with drawn(browser, tmp_path, explorer) as (page, _):
        widths = page.evaluate(MENU_WIDTHS)
    assert len(widths) == 4 and all(menu["widest"] <= menu["room"] for menu in widths), widths
