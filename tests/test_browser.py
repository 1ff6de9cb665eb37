"""The reader's browser (Playwright driving Debian chromium): offline, private, accessible,
with downloadable and shareable figures.

Every page is served from a local server with every other request blocked and recorded.
Screenshots and the axe-core results go to _build/screenshots/ for review.
"""

import csv
import functools
import http.server
import io
import json
import re
import threading

import pytest
from playwright.sync_api import sync_playwright

from innobarometer.build import BUILD, SITE, STATISTICS
from innobarometer.paths import ROOT
from innobarometer.published import facts
from innobarometer.statistics import read

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = BUILD / "screenshots"
PAGES = ["index.html", "book/index.html"] + sorted(
    p.relative_to(SITE).as_posix() for folder in ("book", "notebooks") for p in (SITE / folder).glob("*.html") if p.name != "index.html"
)
FIGURE_PAGES = ["notebooks/figur-b.html", "notebooks/figur-a.html", "notebooks/udvikling.html"]


@pytest.fixture(scope="module")
def origin():
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        yield browser
        browser.close()


class Visit:
    """One page load with everything outside the site blocked and recorded."""

    def __init__(self, browser, origin, name):
        self.external, self.errors, self.bytes = [], [], 0
        self.context = browser.new_context(accept_downloads=True, locale="da-DK", viewport={"width": 1200, "height": 900})
        self.context.route("**/*", self.route(origin))
        self.page = self.context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("requestfinished", self.count)
        self.page.goto(f"{origin}/{name}", wait_until="networkidle")
        self.page.wait_for_function(
            "document.querySelectorAll('.innobarometer-chart').length === document.querySelectorAll('.innobarometer-chart svg.marks').length"
        )

    def route(self, origin):
        def handle(route):
            url = route.request.url
            if url.startswith(origin) or url.startswith("data:") or url.startswith("blob:"):
                route.continue_()
            else:
                self.external.append(url)
                route.abort()

        return handle

    def count(self, request):
        sizes = request.sizes()
        self.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def visit(browser, origin):
    """Each page is loaded once and shared by the tests (a load takes about a second)."""
    visits = {}

    def open_page(name):
        if name not in visits:
            visits[name] = Visit(browser, origin, name)
        return visits[name]

    yield open_page
    for v in visits.values():
        v.close()


@pytest.fixture(scope="module")
def report():
    """Per-page results for review (axe-core, bytes on first load), written when the module ends."""
    results = {}
    yield results
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "report.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_nothing_from_elsewhere_and_logs_no_errors(visit, report, name):
    v = visit(name)
    assert v.external == [] and v.errors == []
    assert v.page.get_attribute("html", "lang") == "da"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    v.page.screenshot(path=str(SCREENSHOTS / (name.replace("/", "_").removesuffix(".html") + ".png")), full_page=True)
    report.setdefault(name, {})["bytes_first_load"] = v.bytes


@pytest.mark.parametrize("name", PAGES)
def test_axe_core_finds_no_serious_or_critical_violation(visit, report, name):
    v = visit(name)
    v.page.add_script_tag(path=str(AXE))
    result = v.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(x["id"], x["impact"], len(x["nodes"])) for x in result["violations"] if x["impact"] in ("serious", "critical")]
    report.setdefault(name, {})["axe_violations"] = [(x["id"], x["impact"], len(x["nodes"])) for x in result["violations"]]
    assert serious == []


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_every_chart_has_drawn_and_has_an_accessible_name(visit, name):
    v = visit(name)
    charts = v.page.locator(".innobarometer-chart")
    assert charts.count() >= 1
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.locator("svg.marks").count() == 1
        # vega names the chart on its container: role graphics-document, label from the description
        assert chart.get_attribute("role") == "graphics-document"
        assert len(chart.get_attribute("aria-label")) > 40


def downloaded(page, locator) -> bytes:
    with page.expect_download() as info:
        locator.click()
    return open(info.value.path(), "rb").read()


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_csv_download_holds_exactly_the_numbers_behind_the_chart(visit, name):
    v = visit(name)
    rows = list(csv.DictReader(io.StringIO(downloaded(v.page, v.page.locator("a[download$='-data.csv']")).decode("utf-8"))))
    assert rows
    stats = read(STATISTICS)
    for row in rows:
        if row["id"] in stats.index:
            expected = stats.loc[row["id"]]
            for column in ["value", "ci_low", "ci_high", "n"]:
                assert float(row[column]) == pytest.approx(float(expected[column]), abs=1e-9), (row["id"], column)
        else:  # a published fact, charted as published
            assert float(row["value"]) == facts().loc[row["id"], "value"]


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_illustration_downloads_as_svg_and_png(visit, name):
    v = visit(name)
    svg = downloaded(v.page, v.page.locator("button[data-export=svg]").first)
    png = downloaded(v.page, v.page.locator("button[data-export=png]").first)
    assert b"<svg" in svg[:500] and len(svg) > 2000
    assert png.startswith(b"\x89PNG") and len(png) > 2000


def test_share_copies_a_link_to_the_figure(visit):
    v = visit("notebooks/figur-b.html")
    v.page.locator(".figure-tools a.share").first.click()
    assert v.page.evaluate("location.hash") == "#fig-figur-b"
    assert "Link" in v.page.locator(".share-status").first.text_content()


@pytest.mark.parametrize("name, anchor", [("book/organiser-smartere.html", "citat-jakobsen"), ("notebooks/figur-a.html", "citat-bentzen"), ("notebooks/cases.html", "citat-bergh")])
def test_every_quote_has_a_share_control_for_its_anchor(visit, name, anchor):
    v = visit(name)
    assert v.page.locator(f"#{anchor}").count() == 1
    v.page.locator(f"a.share[href='#{anchor}']").click()
    assert v.page.evaluate("location.hash") == f"#{anchor}"


@pytest.mark.parametrize("name", FIGURE_PAGES + ["book/organiser-smartere.html"])
def test_keyboard_reaches_every_figure_and_share_control(visit, name):
    v = visit(name)
    count = v.page.evaluate(
        "() => { const c = document.querySelectorAll('.figure-tool, a.share, .figure-data summary');"
        " c.forEach((e, i) => e.setAttribute('data-kb', i)); return c.length; }"
    )
    reached = set()
    for _ in range(400):
        v.page.keyboard.press("Tab")
        mark = v.page.evaluate("document.activeElement && document.activeElement.getAttribute('data-kb')")
        if mark is not None:
            reached.add(mark)
        if len(reached) == count:
            break
    assert count > 0 and len(reached) == count


def test_choosing_region_in_figure_b_draws_the_region_estimates(visit):
    from innobarometer.formatting import percent

    v = visit("notebooks/figur-b.html")
    chart = v.page.locator(".innobarometer-chart").first
    chart.locator("select").select_option("region")
    v.page.wait_for_timeout(300)
    drawn = {t.strip() for t in chart.locator("svg .mark-text text").all_text_contents()}
    stats = read(STATISTICS)
    region = stats[stats.index.str.startswith("workplaces_innovated_") & stats.index.str.endswith(".region")]
    assert len(region) == 5
    assert {percent(v) for v in region["value"]} <= drawn
    everyone = stats.loc[["workplaces_innovated_process", "workplaces_innovated_service"], "value"].map(percent)
    assert not set(everyone) <= drawn or set(everyone) <= {percent(v) for v in region["value"]}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    v.page.locator("figure").first.screenshot(path=str(SCREENSHOTS / "figur-b-region.png"))
    chart.locator("select").select_option("all")


def test_choosing_a_level_in_figure_a_draws_that_levels_bars_or_says_why_not(visit):
    v = visit("notebooks/figur-a.html")
    chart = v.page.locator(".innobarometer-chart").first
    stats = read(STATISTICS)
    for level in ["kommune", "region", "stat"]:
        chart.locator("select").select_option(level)
        v.page.wait_for_timeout(200)
        shown = stats[stats.index.str.endswith(f".{level}") & stats.index.str.startswith("innovations_improved_quality.") & (stats["shown"] == True)]
        bars = chart.locator("svg .mark-rect path").count()
        texts = " ".join(chart.locator("svg .mark-text text").all_text_contents())
        assert bars == len(shown) or "afviger signifikant" in texts or "For få" in texts, level
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    v.page.locator("figure").first.screenshot(path=str(SCREENSHOTS / "figur-a-stat.png"))
    chart.locator("select").select_option("all")


def test_explorer_controls_draw_with_the_chosen_values(browser, tmp_path):
    """The analyst's explorer, its widgets set as a person would, drawn by the widgets' HTML
    manager from npm (outside Jupyter its output area stays empty: nothing recomputes there)."""
    from ipywidgets.embed import embed_minimal_html

    from innobarometer.explorer import QUALITY, Explorer
    from innobarometer.microdata import load_microdata
    from innobarometer.paths import SYNTHETIC_MICRODATA

    explorer = Explorer(load_microdata(SYNTHETIC_MICRODATA))
    explorer.value.value = "stat"
    explorer.measure.value = QUALITY
    page_file = tmp_path / "explorer.html"
    embed_minimal_html(str(page_file), views=[explorer.widget()], title="Udforsk", requirejs=False)
    manager = "node_modules/@jupyter-widgets/html-manager/dist/embed.js"
    page_file.write_text(re.sub(r'src="https://[^"]*html-manager[^"]*embed\.js"', f'src="{manager}"', page_file.read_text()))
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_port}"
    context = browser.new_context(viewport={"width": 900, "height": 260})
    external = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else (external.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto(f"{origin}/explorer.html", wait_until="networkidle")
    page.wait_for_selector("select")
    count = page.locator("select").count()
    chosen = [page.locator("select").nth(i).evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ") for i in range(count)]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "explorer-controls.png"))
    context.close()
    server.shutdown()
    assert external == []
    assert chosen == ["Forvaltningsniveau", "Statslige arbejdspladser", "Forbedret kvalitet efter kombination", "5 %"]
