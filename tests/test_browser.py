"""The reader's browser (Playwright driving Debian chromium): offline, private, accessible,
with downloadable and shareable figures.

Every page is served from a local server with every other request blocked and recorded.
Screenshots and the axe-core results go to _build/screenshots/ for review.
"""

import csv
import functools
import html
import io
import json
import re
import struct

import pytest
import html_pages
from html_pages import BOOK_PAGES, CHAPTER, MICRODATA_PAGES
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from innobarometer.building.build import BUILD, SITE, STATISTICS
from innobarometer.data.published import facts
from innobarometer.estimates.statistics_record import read
from innobarometer.paths import ROOT

pytestmark = [pytest.mark.book, pytest.mark.browser]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = BUILD / "screenshots"
#: The folder of each edition in the site: the Danish at its root, the English in en/.
EDITIONS = ["", "en/"]

#: Every page of each edition: its root page (which sends the reader on to the opening page),
#: then the pages of the table of contents.
PAGES = [edition + name for edition in EDITIONS for name in ["index.html", *BOOK_PAGES]]
#: Every page but the editions' root pages (redirects to the opening page).
CONTENT_PAGES = [name for name in PAGES if name.removeprefix("en/") != "index.html"]
FIGURE_PAGES = [edition + name for edition in EDITIONS for name in html_pages.FIGURE_PAGES]
NOTEBOOK_PAGES = [edition + name for edition in EDITIONS for name in html_pages.NOTEBOOK_PAGES]
#: Each figure's chart in the chapter.
FIGURE_B, FIGURE_A = "#fig-innovationstyper .innobarometer-chart", "#fig-kvalitet .innobarometer-chart"


def says(name: str, danish: str, english: str) -> str:
    """What a page says in its edition's language."""
    return english if name.startswith("en/") else danish


#: The reader's screens: a phone in dark mode and a desktop in light mode, so each width and each
#: mode once (test_reader_view.py looks at the chapter and the figures' pages in all four). All
#: four for every page took a quarter of the browser tests' time, a notebook page with its tables
#: and formulas about 9 s.
LAYOUTS = [(390, "dark"), (1280, "light")]
WIDTHS = [width for width, _ in LAYOUTS]
#: The colour mode a page is looked at in on each screen.
MODE = dict(LAYOUTS)


#: A page as the reader first sees it: loaded, past an edition's root page (which sends the
#: reader on to the opening page), with every chart drawn.
DRAWN = """document.readyState === 'complete' && !document.querySelector('meta[http-equiv=Refresh]')
  && document.querySelectorAll('.innobarometer-chart').length === document.querySelectorAll('.innobarometer-chart svg.marks').length"""


def new_context(browser, width=1280, mode="light"):
    """A reader's browser: a screen width and a colour mode."""
    context = browser.new_context(accept_downloads=True, locale="da-DK", viewport={"width": width, "height": 900})
    # The theme keeps the reader's choice of colour mode in localStorage.
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    return context


class Visit:
    """One page load in a tab of its own, with everything outside the site blocked and recorded
    (routing every request also turns the HTTP cache off: each visit loads the page afresh).

    Creating a Visit starts the load; `drawn()` waits until the reader sees the page drawn.
    """

    def __init__(self, context, origin, name, url=None):
        self.external, self.errors, self.bytes, self.violations = [], [], 0, None
        self.page = context.new_page()
        # Matched in Playwright's driver: the site's own requests go on without a round trip to Python.
        self.page.route(re.compile(rf"^(?!{re.escape(origin)}/|data:|blob:)"), self.block)
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("requestfinished", self.count)
        self.page.goto(url or f"{origin}/{name}", wait_until="commit")

    def drawn(self) -> "Visit":
        self.page.wait_for_function(DRAWN)
        return self

    def start_audit(self) -> None:
        """Start axe-core, evaluated in the page rather than added to its markup: the page runs
        it while the test goes on."""
        self.page.evaluate(axe_source())
        self.page.evaluate("() => { window.audit = new Promise(go => setTimeout(go)).then(() => axe.run(document, {resultTypes: ['violations']})); }")

    def audit(self) -> list[dict]:
        """axe-core's violations, once its run has ended."""
        return self.page.evaluate("window.audit.then(result => result.violations)")

    def block(self, route):
        self.external.append(route.request.url)
        route.abort()

    def count(self, request):
        sizes = request.sizes()
        self.bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]


@functools.cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;undefined"


@pytest.fixture(scope="module")
def visit(browser, origin):
    """Each page is loaded once per layout and shared by the tests (a load takes about a second).

    A page's layouts load at once, in one browser context per layout, and axe-core audits each as
    loaded, before any test has opened a menu or left a tooltip: its violations are kept on the
    Visit. The visit a test asks for is the tab in front, as the page a reader looks at
    (a tab behind another draws no frames: no animation, no transition ends).
    """
    contexts = {layout: new_context(browser, *layout) for layout in LAYOUTS}
    visits, in_front = {}, {}

    def open_page(name, width=1280, mode=None):
        mode = mode or MODE[width]
        if (name, width, mode) not in visits:
            loads = {layout: Visit(contexts[layout], origin, name) for layout in LAYOUTS}
            for v in loads.values():
                v.drawn().start_audit()
            for layout, v in loads.items():
                v.violations = v.audit()
                visits[name, *layout], in_front[layout] = v, v
        v = visits[name, width, mode]
        if in_front[width, mode] is not v:
            v.page.bring_to_front()
            in_front[width, mode] = v
        return v

    yield open_page
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="module")
def report():
    """Per-page results for review (axe-core, bytes on first load), written when the module ends."""
    results = {}
    yield results
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "report.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


def wait_until(page, condition: str, arg=None, timeout=5000) -> None:
    """Wait until a JavaScript condition holds in the page (a chart redrawn, a layout settled);
    if it never does, the assertion that follows says what is wrong."""
    try:
        page.wait_for_function(condition, arg=arg, timeout=timeout)
    except PlaywrightTimeout:
        pass


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
    # A chart redraws at its column's width when the layout changes: another test's full-page
    # screenshot briefly resizes the window, and the theme's sidebar then slides back in (0.25 s).
    wait_until(v.page, f"({outside})().length === 0")
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
    expect(links.first).to_be_visible(visible=not was_open)  # once the sidebar has slid in or out
    if width < 992:
        v.page.keyboard.press("Escape")  # the phone's navigation is a dialog
    else:
        button.click()
    expect(links.first).to_be_visible(visible=was_open)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", CONTENT_PAGES)
def test_page_has_one_search_box_a_description_and_the_books_icon(visit, name, width):
    v = visit(name, width)
    visible = [e for e in v.page.locator(".search-button, .search-button-field, input[type=search]").all() if e.is_visible()]
    assert len(visible) == 1
    assert len(v.page.get_attribute("meta[name=description]", "content")) > 40
    assert v.page.locator("link[rel=icon]").count() == 1


def test_interface_speaks_danish(visit):
    v = visit("notebooks/kvalitet.html", 390)
    html = v.page.content()
    for english in ["Skip to main content", "Toggle primary sidebar", "Toggle secondary sidebar", "Back to top", "Copy", "Search this book", "Toggle hidden content", 'aria-label="Announcement"', 'aria-label="Main"', "Link to this"]:
        assert english not in html, english
    assert v.page.locator("#pst-skip-link a").text_content().strip() == "Gå til indholdet"


def test_english_interface_speaks_english(visit):
    v = visit("en/notebooks/kvalitet.html", 390)
    html = v.page.content()
    for danish in ["Gå til indholdet", "Søg i bogen", "Vis beregningen", "Kør selv", "Farvetema", "Kopiér"]:
        assert danish not in html, danish
    assert v.page.locator("#pst-skip-link a").text_content().strip() == "Skip to main content"


@pytest.mark.parametrize("width, mode", LAYOUTS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_core_finds_no_violation(visit, report, name, width, mode):
    v = visit(name, width, mode)  # audited as loaded: no tooltip or dialog left by another test
    found = [(x["id"], x["impact"], len(x["nodes"]), x["nodes"][0]["target"]) for x in v.violations]
    report.setdefault(name, {})[f"axe_violations_{width}_{mode}"] = found
    assert found == []


def search_results(browser, origin, edition: str, query: str) -> int:
    """How many pages an edition's search page lists for a query."""
    context = new_context(browser)
    v = Visit(context, origin, f"{edition}search.html", url=f"{origin}/{edition}search.html?q={query}").drawn()
    try:
        v.page.wait_for_selector("#search-results ul.search li", timeout=10000)
    except PlaywrightTimeout:
        pass  # no result
    found = v.page.locator("#search-results ul.search li").count()
    context.close()
    return found


@pytest.mark.parametrize("query", ["kvalitet", "kvaliteten", "arbejdspladserne"])
def test_search_finds_inflected_danish_words(browser, origin, query):
    assert search_results(browser, origin, "", query) >= 1, query


@pytest.mark.parametrize("query", ["quality", "workplaces", "organisational"])
def test_english_search_finds_english_words(browser, origin, query):
    assert search_results(browser, origin, "en/", query) >= 1, query


@pytest.mark.parametrize("name", NOTEBOOK_PAGES)
def test_the_computation_is_on_the_page_and_the_set_up_collapsed_behind_vis_beregningen(visit, name):
    v = visit(name, 390)
    cells = v.page.locator(".cell")
    assert cells.count() >= 2
    shown = []
    for i in range(cells.count()):
        cell = cells.nth(i)
        code = cell.locator(".cell_input pre").first
        if "tag_hide-input" in (cell.get_attribute("class") or ""):
            toggle = cell.locator("details.hide > summary")
            assert toggle.count() == 1 and says(name, "Vis beregningen", "Show the computation") in toggle.inner_text()
            assert not code.is_visible()
        else:
            assert code.is_visible() and code.evaluate("e => e.scrollWidth <= e.clientWidth")  # wrapped, never cut off
            shown.append(code.inner_text())
    first = cells.first  # the imports, one click away
    first.locator("details.hide > summary").click()
    assert first.locator(".cell_input pre").first.is_visible() and "import" in first.locator(".cell_input pre").first.inner_text()
    first.locator("details.hide > summary").click()
    if "figur" in name:
        assert any("weighted_shares(" in code or "with_contrasts(" in code for code in shown)


def test_quality_figure_page_shows_the_three_estimator_steps_in_order_then_works_one_combination_through_them():
    page = (SITE / "notebooks/kvalitet.html").read_text(encoding="utf-8")
    method, example = (html.unescape(re.sub(r"<[^>]+>", "", part)) for part in page.split('id="et-eksempel-trin-for-trin"', 1))
    steps = [method.find(call) for call in ["combination_shares(", "with_contrasts(", "decided("]]
    assert 0 < steps[0] < steps[1] < steps[2], steps
    for step in ["Andelen.", "øvrige innovationer", "p-værdi", "Holms korrektion"]:
        assert step in example.split('id="hvilke-kombinationer-vises"', 1)[0], step


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
    rows, metadata = csv_table_and_metadata(downloaded(v.page, v.page.locator("figure a[download$='-data.csv']").first), says(name, ";", ","))
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


def test_the_headlines_csv_carries_its_own_address(visit):
    v = visit(CHAPTER)
    _, metadata = csv_table_and_metadata(downloaded(v.page, v.page.locator("#overblik ~ .figure-tools a[download$='-data.csv']")), ";")
    assert metadata["Adresse"].endswith("/book/organiser-smartere.html#overblik")


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_illustration_downloads_carry_title_view_source_and_address(visit, name):
    v = visit(name)
    button = v.page.locator("button[data-export=svg]").first
    title, source, key = (button.get_attribute(f"data-{a}") for a in ("title", "source", "key"))
    svg = downloaded(v.page, button).decode("utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg[:200]
    key_button = v.page.locator("#fig-kvalitet button[data-export=svg]")  # its colours mean something: the key goes along
    key = key_button.get_attribute("data-key")
    assert key and html.escape(" ".join(key.split()[:4]), quote=False) in downloaded(v.page, key_button).decode("utf-8")
    for text in [title, " ".join(source.split()[:6]), "#fig-"]:  # the source's first words: long lines wrap
        assert html.escape(text, quote=False) in svg, text
    png = downloaded(v.page, v.page.locator("button[data-export=png]").first)
    assert png.startswith(b"\x89PNG")
    width, height = struct.unpack(">II", png[16:24])  # the PNG header: the chart plus its text lines
    chart = v.page.locator(".innobarometer-chart svg").first.bounding_box()
    assert width >= 2 * 720 and height > 2 * (chart["height"] + 60)  # at a fixed width, with its text lines


def test_share_link_restores_the_chosen_government_level(visit, browser, origin):
    v = visit(CHAPTER)
    chart = v.page.locator(FIGURE_B)
    chart.locator("select").select_option("region")
    v.page.locator("#fig-innovationstyper .figure-tools a.share").click()
    link = v.page.evaluate("location.href")
    assert link.endswith("?visning=region#fig-innovationstyper") and "Link" in v.page.locator(".share-status").first.text_content()
    chart.locator("select").select_option("all")
    context = new_context(browser)
    shared = Visit(context, origin, "", url=link).drawn()
    restored = shared.page.locator(FIGURE_B)
    chosen = restored.locator("select").input_value()
    label = restored.get_attribute("aria-label")
    context.close()
    assert chosen == "region" and label.startswith("Regionale arbejdspladser")


def test_text_alternative_follows_the_menu(visit):
    v = visit(CHAPTER)
    chart = v.page.locator(FIGURE_A)
    assert chart.get_attribute("aria-label").startswith("Alle offentlige arbejdspladser")
    chart.locator("select").select_option("stat")
    expect(chart).to_have_attribute("aria-label", re.compile("^Statslige arbejdspladser"))
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
    assert says(name, "Kør selv", "Run it yourself") in note and f"make lab NOTEBOOK={name.removeprefix('en/').removesuffix('.html')}.md" in note
    # How to choose the data file only where the notebook reads the microdata.
    assert ("INNOBAROMETER_DATA" in note) == (name.removeprefix("en/") in MICRODATA_PAGES)


@pytest.mark.parametrize("name, anchor", [
    (edition + name, anchor) for edition in EDITIONS
    for name, anchor in [(CHAPTER, "citat-jakobsen"), (CHAPTER, "citat-bentzen"), (CHAPTER, "citat-bergh")]
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


#: The texts a chart draws (its numbers and labels), as a JavaScript function of the chart.
TEXTS_DRAWN = "chart => [...chart.querySelectorAll('svg .mark-text text')].map(t => t.textContent.trim())"


def test_choosing_region_in_types_figure_draws_the_region_estimates(visit):
    from innobarometer.text.formatting import percent

    v = visit(CHAPTER)
    stats = read(STATISTICS)
    region = stats[stats.index.str.startswith("workplaces_innovated_") & stats.index.str.endswith(".region")]
    estimates = {percent(value) for value in region["value"]}
    chart = v.page.locator(FIGURE_B)
    chart.locator("select").select_option("region")
    wait_until(v.page, f"([chart, estimates]) => estimates.every(e => ({TEXTS_DRAWN})(chart).includes(e))", [chart.element_handle(), sorted(estimates)])
    drawn = {t.strip() for t in chart.locator("svg .mark-text text").all_text_contents()}
    assert len(region) == 5
    assert estimates <= drawn
    everyone = stats.loc[["workplaces_innovated_process", "workplaces_innovated_service"], "value"].map(percent)
    assert not set(everyone) <= drawn or set(everyone) <= estimates
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    v.page.locator("#fig-innovationstyper").screenshot(path=str(SCREENSHOTS / "innovationstyper-region.png"))
    chart.locator("select").select_option("all")


def test_choosing_a_level_in_quality_figure_draws_that_levels_bars_or_says_why_not(visit):
    v = visit(CHAPTER)
    chart = v.page.locator(FIGURE_A)
    stats = read(STATISTICS)
    for level in ["kommune", "region", "stat"]:
        shown = stats[stats.index.str.endswith(f".{level}") & stats.index.str.startswith("innovations_improved_quality.") & (stats["shown"] == True)]
        chart.locator("select").select_option(level)
        drawn = f"([chart, bars]) => chart.querySelectorAll('svg .mark-rect path').length === bars || /afviger signifikant|For få/.test(({TEXTS_DRAWN})(chart).join(' '))"
        wait_until(v.page, drawn, [chart.element_handle(), len(shown)])
        bars = chart.locator("svg .mark-rect path").count()
        texts = " ".join(chart.locator("svg .mark-text text").all_text_contents())
        assert bars == len(shown) or "afviger signifikant" in texts or "For få" in texts, level
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    v.page.locator("#fig-kvalitet").screenshot(path=str(SCREENSHOTS / "kvalitet-stat.png"))
    chart.locator("select").select_option("all")


def test_axis_prints_danish_per_cent(visit):
    v = visit(CHAPTER)
    ticks = v.page.locator(f"{FIGURE_B} svg .role-axis-label text").all_text_contents()
    assert "50\u00a0%" in ticks or "40\u00a0%" in ticks, ticks


def test_english_axis_prints_english_per_cent(visit):
    v = visit("en/" + CHAPTER)
    ticks = v.page.locator(f"{FIGURE_B} svg .role-axis-label text").all_text_contents()
    assert "50%" in ticks or "40%" in ticks, ticks
