"""The reader's browser (Playwright driving Debian chromium): offline, private, accessible,
with downloadable and shareable figures.

Every page is served from a local server with every other request blocked and recorded.
Screenshots and the axe-core results go to _build/screenshots/ for review.
"""

import csv
import functools
import html
import http.server
import io
import json
import re
import struct
import threading

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from innobarometer.build import BUILD, SITE, STATISTICS
from innobarometer.paths import ROOT
from innobarometer.published import facts
from innobarometer.statistics import read

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = BUILD / "screenshots"
#: The folder of each edition in the site: the Danish at its root, the English in en/.
EDITIONS = ["", "en/"]


def edition_pages(edition: str) -> list[str]:
    """An edition's pages: its root page, its opening page, then the chapter's pages."""
    root = SITE / edition
    chapter = sorted(p.relative_to(root).as_posix() for folder in ("book", "notebooks") for p in (root / folder).glob("*.html") if p.name != "index.html")
    return [edition + name for name in ["index.html", "book/index.html", *chapter]]


PAGES = [name for edition in EDITIONS for name in edition_pages(edition)]
#: The notebooks that compute from the microdata; the others show published numbers only.
MICRODATA_PAGES = {"notebooks/figur-a.html", "notebooks/figur-b.html", "notebooks/data-og-metode.html"}
#: Every page but the editions' root pages (redirects to the opening page).
CONTENT_PAGES = [name for name in PAGES if name.removeprefix("en/") != "index.html"]
FIGURE_PAGES = [edition + name for edition in EDITIONS for name in ["notebooks/figur-b.html", "notebooks/figur-a.html", "notebooks/udvikling.html"]]


def says(name: str, danish: str, english: str) -> str:
    """What a page says in its edition's language."""
    return english if name.startswith("en/") else danish


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


#: The reader's screens: a phone and a desktop, each in light and dark mode.
LAYOUTS = [(390, "light"), (390, "dark"), (1280, "light"), (1280, "dark")]
WIDTHS = [390, 1280]


class Visit:
    """One page load with everything outside the site blocked and recorded."""

    def __init__(self, browser, origin, name, width=1280, mode="light", url=None):
        self.external, self.errors, self.bytes = [], [], 0
        self.context = browser.new_context(accept_downloads=True, locale="da-DK", viewport={"width": width, "height": 900})
        # The theme keeps the reader's choice of colour mode in localStorage.
        self.context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
        self.context.route("**/*", self.route(origin))
        self.page = self.context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("requestfinished", self.count)
        self.page.goto(url or f"{origin}/{name}", wait_until="networkidle")
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
    """Each page is loaded once per layout and shared by the tests (a load takes about a second)."""
    visits = {}

    def open_page(name, width=1280, mode="light"):
        if (name, width, mode) not in visits:
            visits[name, width, mode] = Visit(browser, origin, name, width, mode)
        return visits[name, width, mode]

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


def screenshot_name(name, width, mode) -> str:
    return f"{name.replace('/', '_').removesuffix('.html')}-{width}-{mode}.png"


@pytest.mark.parametrize("width, mode", LAYOUTS)
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_nothing_from_elsewhere_and_logs_no_errors(visit, report, name, width, mode):
    v = visit(name, width, mode)
    assert v.external == [] and v.errors == []
    assert v.page.get_attribute("html", "lang") == says(name, "da", "en")
    if name != "index.html":
        assert v.page.get_attribute("html", "data-theme") == mode
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    v.page.screenshot(path=str(SCREENSHOTS / screenshot_name(name, width, mode)), full_page=True)
    report.setdefault(name, {})[f"bytes_first_load_{width}_{mode}"] = v.bytes


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_never_scrolls_sideways_and_every_chart_stays_in_its_column(visit, name, width):
    v = visit(name, width)
    assert v.page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    outside = """() => [...document.querySelectorAll('.innobarometer-chart')].filter(chart => {
             const column = chart.closest('article').getBoundingClientRect();
             const drawn = chart.querySelector('svg').getBoundingClientRect();
             return drawn.left < column.left - 1 || drawn.right > column.right + 1;
           }).map(chart => chart.id)"""
    try:  # a chart redraws at its column's width when the page's layout changes (another test's full-page screenshot)
        v.page.wait_for_function(f"({outside})().length === 0", timeout=5000)
    except PlaywrightTimeout:
        pass
    assert v.page.evaluate(outside) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", CONTENT_PAGES)
def test_menu_button_opens_and_closes_the_navigation(visit, name, width):
    v = visit(name, width)
    button = v.page.locator("button.primary-toggle")
    links = v.page.locator("nav.bd-docs-nav a", has_text=says(name, "Data og metode", "Data and method"))
    assert button.count() == 1 and button.is_visible()
    was_open = links.first.is_visible()
    assert was_open == (width >= 992)  # the theme shows the navigation beside the text on a desktop
    button.click()
    v.page.wait_for_timeout(300)
    assert links.first.is_visible() != was_open
    if width < 992:
        v.page.keyboard.press("Escape")  # the phone's navigation is a dialog
    else:
        button.click()
    v.page.wait_for_timeout(300)
    assert links.first.is_visible() == was_open


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", CONTENT_PAGES)
def test_page_has_one_search_box_a_description_and_the_books_icon(visit, name, width):
    v = visit(name, width)
    visible = [e for e in v.page.locator(".search-button, .search-button-field, input[type=search]").all() if e.is_visible()]
    assert len(visible) == 1
    assert len(v.page.get_attribute("meta[name=description]", "content")) > 40
    assert v.page.locator("link[rel=icon]").count() == 1


def test_interface_speaks_danish(visit):
    v = visit("notebooks/figur-a.html", 390)
    html = v.page.content()
    for english in ["Skip to main content", "Toggle primary sidebar", "Toggle secondary sidebar", "Back to top", "Copy", "Search this book", "Toggle hidden content", 'aria-label="Announcement"', 'aria-label="Main"', "Link to this"]:
        assert english not in html, english
    assert v.page.locator("#pst-skip-link a").text_content().strip() == "Gå til indholdet"


def test_english_interface_speaks_english(visit):
    v = visit("en/notebooks/figur-a.html", 390)
    html = v.page.content()
    for danish in ["Gå til indholdet", "Søg i bogen", "Vis beregningen", "Kør selv", "Farvetema", "Kopiér"]:
        assert danish not in html, danish
    assert v.page.locator("#pst-skip-link a").text_content().strip() == "Skip to main content"


@pytest.mark.parametrize("width, mode", LAYOUTS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_core_finds_no_violation(browser, origin, report, name, width, mode):
    v = Visit(browser, origin, name, width, mode)  # as loaded: no tooltip or dialog left by another test
    v.page.add_script_tag(path=str(AXE))
    result = v.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    v.close()
    found = [(x["id"], x["impact"], len(x["nodes"]), x["nodes"][0]["target"]) for x in result["violations"]]
    report.setdefault(name, {})[f"axe_violations_{width}_{mode}"] = found
    assert found == []


def search_results(browser, origin, edition: str, query: str) -> int:
    """How many pages an edition's search page lists for a query."""
    v = Visit(browser, origin, f"{edition}search.html", url=f"{origin}/{edition}search.html?q={query}")
    try:
        v.page.wait_for_selector("#search-results ul.search li", timeout=10000)
    except PlaywrightTimeout:
        pass  # no result
    found = v.page.locator("#search-results ul.search li").count()
    v.close()
    return found


@pytest.mark.parametrize("query", ["kvalitet", "kvaliteten", "arbejdspladserne"])
def test_search_finds_inflected_danish_words(browser, origin, query):
    assert search_results(browser, origin, "", query) >= 1, query


@pytest.mark.parametrize("query", ["quality", "workplaces", "organisational"])
def test_english_search_finds_english_words(browser, origin, query):
    assert search_results(browser, origin, "en/", query) >= 1, query


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_every_code_cell_is_on_the_page_collapsed_behind_vis_beregningen(visit, name):
    v = visit(name, 390)
    cells = v.page.locator(".cell")
    assert cells.count() >= 2
    for i in range(cells.count()):
        toggle = cells.nth(i).locator("details.hide > summary")
        assert toggle.count() == 1 and says(name, "Vis beregningen", "Show the computation") in toggle.inner_text()
        assert not cells.nth(i).locator(".cell_input pre").first.is_visible()
    first = cells.first
    first.locator("details.hide > summary").click()
    code = first.locator(".cell_input pre").first
    assert code.is_visible() and "import" in code.inner_text()
    assert code.evaluate("e => e.scrollWidth <= e.clientWidth")  # wrapped, never cut off
    first.locator("details.hide > summary").click()


def test_figure_a_page_works_one_combination_before_the_one_call_version():
    page = (SITE / "notebooks/figur-a.html").read_text(encoding="utf-8")
    section = html.unescape(re.sub(r"<[^>]+>", "", page.split('id="et-eksempel-trin-for-trin"', 1)[1]))
    one_call = section.find("quality_by_combination(workplaces)")
    assert one_call > 0
    for step in ["contrast_with_rest(", "holm_adjusted(", "Andelen.", "øvrige innovationer", "p-værdi", "Holm"]:
        assert 0 <= section.find(step) < one_call, step


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
        # the bars are described in Danish, not by vega's English field names
        bars = " ".join(chart.locator("svg .mark-rect path").evaluate_all("ps => ps.map(p => p.getAttribute('aria-label') || '')"))
        assert "emphasis" not in bars and "value:" not in bars


def downloaded(page, locator) -> bytes:
    with page.expect_download() as info:
        locator.click()
    return open(info.value.path(), "rb").read()


def csv_table_and_metadata(content: bytes, separator: str) -> tuple[list[dict], dict]:
    """The CSV as Excel sees it: the table, and the metadata block under a blank line."""
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    table, _, metadata = content.decode("utf-8-sig").partition("\r\n\r\n")
    rows = list(csv.DictReader(io.StringIO(table), delimiter=separator))
    return rows, dict(row[:2] for row in csv.reader(io.StringIO(metadata), delimiter=separator) if row)


def number_in(text: str, edition: str) -> float:
    """A number as the edition writes it in its CSV: '70,4' in Danish, '70.4' in English."""
    return float(text.replace(",", "")) if edition == "en" else float(text.replace(".", "").replace(",", "."))


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_csv_download_opens_with_the_editions_headers_and_exactly_the_numbers_behind_the_chart(visit, name):
    edition = says(name, "da", "en")
    v = visit(name)
    rows, metadata = csv_table_and_metadata(downloaded(v.page, v.page.locator("a[download$='-data.csv']")), says(name, ";", ","))
    share, low, high = says(name, "Andel (%)", "Share (%)"), says(name, "Nedre grænse (%)", "Lower limit (%)"), says(name, "Øvre grænse (%)", "Upper limit (%)")
    assert rows and list(rows[0])[:2] in ([says(name, "Visning", "View"), says(name, "Kategori", "Category")], [says(name, "Kategori", "Category"), share])
    address = says(name, "Adresse", "Address")
    assert {says(name, "Titel", "Title"), says(name, "Kilde", "Source"), says(name, "Licens", "Licence"), address} <= set(metadata)
    assert metadata[address].startswith("http") and "#fig-" in metadata[address]
    stats = read(STATISTICS)
    for row in rows:
        key = row[says(name, "Nøgle i statistics.csv", "Key in statistics.csv")]
        if key in stats.index:
            expected = stats.loc[key]
            if expected["suppressed"]:
                assert row[share] == row[low] == row[high] == "", key
                continue
            for column, field in [(share, "value"), (low, "ci_low"), (high, "ci_high")]:
                assert number_in(row[column], edition) == pytest.approx(100 * float(expected[field]), abs=0.05), (key, column)
            assert int(row[says(name, "Antal svar", "Responses")]) == int(expected["n"])
        else:  # a published fact, charted as published
            assert number_in(row[share], edition) == pytest.approx(100 * facts().loc[key, "value"], abs=0.05)


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_illustration_downloads_carry_title_view_source_and_address(visit, name):
    v = visit(name)
    button = v.page.locator("button[data-export=svg]").first
    title, source, key = (button.get_attribute(f"data-{a}") for a in ("title", "source", "key"))
    svg = downloaded(v.page, button).decode("utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg[:200]
    if name.removeprefix("en/") == "notebooks/figur-a.html":  # its colours mean something: the key goes along
        assert key and html.escape(" ".join(key.split()[:4]), quote=False) in svg
    for text in [title, " ".join(source.split()[:6]), "#fig-"]:  # the source's first words: long lines wrap
        assert html.escape(text, quote=False) in svg, text
    png = downloaded(v.page, v.page.locator("button[data-export=png]").first)
    assert png.startswith(b"\x89PNG")
    width, height = struct.unpack(">II", png[16:24])  # the PNG header: the chart plus its text lines
    chart = v.page.locator(".innobarometer-chart svg").first.bounding_box()
    assert width >= 2 * 720 and height > 2 * (chart["height"] + 60)  # at a fixed width, with its text lines


def test_share_link_restores_the_chosen_government_level(visit, browser, origin):
    v = visit("notebooks/figur-b.html")
    chart = v.page.locator(".innobarometer-chart").first
    chart.locator("select").select_option("region")
    v.page.locator(".figure-tools a.share").first.click()
    link = v.page.evaluate("location.href")
    assert link.endswith("?visning=region#fig-figur-b") and "Link" in v.page.locator(".share-status").first.text_content()
    chart.locator("select").select_option("all")
    shared = Visit(browser, origin, "", url=link)
    restored = shared.page.locator(".innobarometer-chart").first
    chosen = restored.locator("select").input_value()
    label = restored.get_attribute("aria-label")
    shared.close()
    assert chosen == "region" and label.startswith("Regionale arbejdspladser")


def test_text_alternative_follows_the_menu(visit):
    v = visit("notebooks/figur-a.html")
    chart = v.page.locator(".innobarometer-chart").first
    assert chart.get_attribute("aria-label").startswith("Alle offentlige arbejdspladser")
    chart.locator("select").select_option("stat")
    v.page.wait_for_timeout(200)
    assert chart.get_attribute("aria-label").startswith("Statslige arbejdspladser")
    chart.locator("select").select_option("all")


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_every_figure_has_sources_a_citation_and_a_licence(visit, name):
    v = visit(name)
    about = v.page.locator("details.figure-about").first
    about.locator("summary").click()
    text = about.inner_text()
    about.locator("summary").click()
    for words in [says(name, "Sådan citerer du figuren", "How to cite"), says(name, "Licens", "Licence"), says(name, "Kilde", "Source"), "#fig-"]:
        assert words in text, words


@pytest.mark.parametrize("name", [p for p in PAGES if p.removeprefix("en/").startswith("notebooks/")])
def test_notebook_page_offers_its_executed_notebook_and_how_to_run_it(visit, name):
    v = visit(name)
    link = v.page.locator("a[href$='.ipynb']")
    assert link.count() == 1
    notebook = json.loads(downloaded(v.page, link))
    assert any(cell.get("outputs") for cell in notebook["cells"] if cell["cell_type"] == "code")
    note = v.page.locator(".run-yourself").inner_text()
    assert says(name, "Kør selv", "Run it yourself") in note and "make setup" in note
    # How to choose the data file only where the notebook reads the microdata.
    assert ("INNOBAROMETER_DATA" in note) == (name.removeprefix("en/") in MICRODATA_PAGES)


@pytest.mark.parametrize("name, anchor", [
    (edition + name, anchor) for edition in EDITIONS
    for name, anchor in [("book/organiser-smartere.html", "citat-jakobsen"), ("notebooks/figur-a.html", "citat-bentzen"), ("notebooks/cases.html", "citat-bergh")]
])
def test_every_quote_has_a_share_control_for_its_anchor(visit, name, anchor):
    v = visit(name)
    assert v.page.locator(f"#{anchor}").count() == 1
    v.page.locator(f"a.share[href='#{anchor}']").click()
    assert v.page.evaluate("location.hash") == f"#{anchor}"


#: Everything a reader can operate in a page's text.
CONTROLS = "main a[href], main button, main select, main summary, main input"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", CONTENT_PAGES)
def test_keyboard_reaches_every_control_with_a_visible_focus(visit, name, width):
    v = visit(name, width)
    count = v.page.evaluate(
        f"() => {{ const c = [...document.querySelectorAll('{CONTROLS}')].filter(e => e.checkVisibility({{visibilityProperty: true}}));"
        " c.forEach((e, i) => e.setAttribute('data-kb', i)); return c.length; }"
    )
    reached, unseen = set(), []
    for _ in range(3 * count + 60):
        v.page.keyboard.press("Tab")
        focus = v.page.evaluate(
            "() => { const e = document.activeElement; if (!e) return null; const s = getComputedStyle(e);"
            " return [e.getAttribute('data-kb'), s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 || s.boxShadow !== 'none', e.outerHTML.slice(0, 80)]; }"
        )
        if focus and focus[0] is not None:
            reached.add(focus[0])
            if not focus[1]:
                unseen.append(focus[2])
        if len(reached) == count:
            break
    missing = v.page.evaluate(f"() => [...document.querySelectorAll('[data-kb]')].filter(e => !{sorted(reached)!r}.includes(e.getAttribute('data-kb'))).map(e => e.outerHTML.slice(0, 80))")
    assert count > 0
    assert missing == []
    assert unseen == []


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


def test_axis_prints_danish_per_cent(visit):
    v = visit("notebooks/figur-b.html")
    ticks = v.page.locator(".innobarometer-chart svg .role-axis-label text").all_text_contents()
    assert "50\u00a0%" in ticks or "40\u00a0%" in ticks, ticks


def test_english_axis_prints_english_per_cent(visit):
    v = visit("en/notebooks/figur-b.html")
    ticks = v.page.locator(".innobarometer-chart svg .role-axis-label text").all_text_contents()
    assert "50%" in ticks or "40%" in ticks, ticks


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
