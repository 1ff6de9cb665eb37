"""The pages as a reader sees them on a phone and a desktop, in the colour mode of their system
(nothing chosen on the site): no chart text cut off, whatever the menu shows; every table within
its column; the system's dark mode followed, charts included, with readable contrast; chart
text as large as a phone needs; every colour of a chart explained; the search field and count.

The pages are those of the chapter with figures and tables, chosen by what the built pages
contain. Each page is loaded once per screen, the four screens at once. (Screenshots of every
page, as loaded, are test_browser.py's.)
"""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from innobarometer.building.build import SITE

pytestmark = [pytest.mark.book, pytest.mark.reader]  # `reader`: make test runs it with the other browser tests

WIDTHS = [390, 1280]
MODES = ["light", "dark"]
LAYOUTS = [(width, mode) for width in WIDTHS for mode in MODES]
#: The chapter's page and the pages of its figures (the chapter page will carry figures too).
PAGES = ["book/organiser-smartere.html", "notebooks/kvalitet.html", "notebooks/innovationstyper.html", "notebooks/udvikling.html"]


def contains(name: str, marker: str) -> bool:
    path = SITE / name
    return path.exists() and marker in path.read_text(encoding="utf-8")


#: Pages with a chart, with a chart that has a menu, and with a table, as built.
CHART_PAGES = [name for name in PAGES if contains(name, 'class="innobarometer-chart"')]
MENU_PAGES = [name for name in CHART_PAGES if contains(name, '"bind":{"input":"select"')]
TABLE_PAGES = [name for name in PAGES if contains(name, "<table")]

#: Every chart drawn, the page's own scripts done (tables fitted at DOMContentLoaded).
DRAWN = """document.readyState === 'complete'
  && document.querySelectorAll('.innobarometer-chart').length === document.querySelectorAll('.innobarometer-chart svg.marks').length"""
TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture(scope="module")
def visit(browser, origin):
    """Each page loaded once per screen, in a browser context per screen whose system colour mode
    is the screen's and that has nothing stored: the four screens' loads run at once."""
    contexts = {
        (width, mode): browser.new_context(locale="da-DK", viewport={"width": width, "height": 900}, color_scheme=mode)
        for width, mode in LAYOUTS
    }
    pages = {}

    def open_page(name, width, mode):
        if (name, width, mode) not in pages:
            loads = {}
            for layout, context in contexts.items():
                page = context.new_page()
                page.errors = []
                page.on("pageerror", lambda error, page=page: page.errors.append(str(error)))
                page.goto(f"{origin}/{name}", wait_until="commit")
                loads[layout] = page
            for layout, page in loads.items():
                page.wait_for_function(DRAWN)
                pages[(name, *layout)] = page
        page = pages[name, width, mode]
        page.bring_to_front()  # a tab behind another draws no frames
        return page

    yield open_page
    for context in contexts.values():
        context.close()


def settle(page) -> None:
    page.evaluate(TWO_FRAMES)


#: Every visible text a chart draws that reaches outside its SVG or its container, as JavaScript.
CUT_OFF = """chart => {
  const svg = chart.querySelector('svg.marks'), drawn = svg.getBoundingClientRect(), box = chart.getBoundingClientRect();
  return [...svg.querySelectorAll('text')]
    .filter(t => t.textContent.trim() && t.getAttribute('opacity') !== '0')
    .map(t => [t.textContent.trim(), t.getBoundingClientRect()])
    .filter(([, b]) => b.left < Math.max(drawn.left, box.left) - 0.5 || b.right > Math.min(drawn.right, box.right) + 0.5
                    || b.top < drawn.top - 0.5 || b.bottom > drawn.bottom + 0.5)
    .map(([text, b]) => `${text} (${Math.round(b.left - drawn.left)}..${Math.round(b.right - drawn.left)} of ${Math.round(drawn.width)} px)`);
}"""


@pytest.mark.parametrize("width, mode", LAYOUTS)
@pytest.mark.parametrize("name", MENU_PAGES)
def test_no_chart_text_is_cut_off_after_any_menu_choice(visit, name, width, mode):
    page = visit(name, width, mode)
    charts = page.locator(".innobarometer-chart")
    cut = {}
    for i in range(charts.count()):
        chart = charts.nth(i)
        cut[f"{i} as loaded"] = chart.evaluate(CUT_OFF)
        menu = chart.locator("select")
        if not menu.count():
            continue
        options = menu.evaluate("s => [...s.options].map(o => o.value)")
        # Every view after every other (Figure 2 cut a label off going from one one-bar view to
        # another), ending where it began.
        for option in options[1:] + options[:1]:
            menu.select_option(option)
            settle(page)
            cut[f"{i} {option}"] = chart.evaluate(CUT_OFF)
    assert {view: texts for view, texts in cut.items() if texts} == {}
    assert page.errors == []


#: Every table (folded ones unfolded) whose content does not fit its column: what reaches past the
#: table, its column or the article, and any cell outside the column or without its heading.
TABLES_OVERFLOWING = """() => {
  const found = [];
  document.querySelectorAll('main table').forEach((table, n) => {
    const column = table.parentElement, bounds = column.getBoundingClientRect();
    for (let e = table; e && e.tagName !== 'ARTICLE'; e = e.parentElement) {
      if (e.scrollWidth > e.clientWidth + 1) found.push(`table ${n}: ${e.tagName.toLowerCase()}.${e.className} ${e.scrollWidth} > ${e.clientWidth} px`);
    }
    const stacked = getComputedStyle(table.rows[0]).display !== 'table-row';
    [...table.querySelectorAll('tbody td, tbody th')].forEach(cell => {
      const b = cell.getBoundingClientRect(), text = cell.textContent.trim().slice(0, 30);
      if (!cell.getClientRects().length || b.width < 1) found.push(`table ${n}: hidden cell ${text}`);
      else if (b.left < bounds.left - 1 || b.right > bounds.right + 1) found.push(`table ${n}: cell ${text} outside its column`);
      const heading = getComputedStyle(cell, '::before').content;
      if (stacked && cell.cellIndex > 0 && (!cell.dataset.label || heading === 'none')) found.push(`table ${n}: cell ${text} without its heading`);
    });
  });
  return found;
}"""


@pytest.mark.parametrize("width, mode", LAYOUTS)
@pytest.mark.parametrize("name", TABLE_PAGES)
def test_every_table_fits_its_column_with_no_column_hidden(visit, name, width, mode):
    page = visit(name, width, mode)
    page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
    try:  # a table shown by unfolding is fitted in the frame after its column's size is reported
        page.wait_for_function(f"({TABLES_OVERFLOWING})().length === 0", timeout=2000)
    except PlaywrightTimeout:
        pass
    assert page.evaluate(TABLES_OVERFLOWING) == []
    assert page.locator("main table").count() >= 1


#: The relative luminance of a CSS colour (WCAG), and the page's background behind an element.
COLOUR_FUNCTIONS = """
const luminance = css => {
  const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map(Number).map(c => c / 255)
    .map(c => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const background = e => {
  for (; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && !/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c;
  }
  return 'rgb(255, 255, 255)';
};
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
"""


@pytest.mark.parametrize("width, mode", LAYOUTS)
@pytest.mark.parametrize("name", PAGES)
def test_page_opens_in_the_systems_colour_mode(visit, name, width, mode):
    page = visit(name, width, mode)
    assert page.get_attribute("html", "data-theme") == mode
    body = page.evaluate(f"() => {{ {COLOUR_FUNCTIONS} return luminance(background(document.body)); }}")
    assert body < 0.05 if mode == "dark" else body > 0.9


@pytest.mark.parametrize("width, mode", LAYOUTS)
@pytest.mark.parametrize("name", CHART_PAGES)
def test_chart_text_keeps_its_contrast_on_the_pages_background(visit, name, width, mode):
    page = visit(name, width, mode)
    low = page.evaluate(f"""() => {{ {COLOUR_FUNCTIONS}
      return [...document.querySelectorAll('.innobarometer-chart')].flatMap(chart => {{
        const behind = background(chart);
        return [...chart.querySelectorAll('svg text')].filter(t => t.textContent.trim() && t.getAttribute('opacity') !== '0')
          .map(t => [t.textContent.trim(), getComputedStyle(t).fill, behind, contrast(getComputedStyle(t).fill, behind)])
          .filter(([, , , ratio]) => ratio < 4.5);
      }});
    }}""")
    assert low == []
    # The chart sits on the page's own background, not a panel of its own.
    panels = page.evaluate(f"() => {{ {COLOUR_FUNCTIONS} return [...document.querySelectorAll('.innobarometer-chart')].map(c => [background(c), background(c.closest('article'))]); }}")
    assert all(chart == article for chart, article in panels), panels


#: Per chart: its smallest text as drawn on the screen (px), its labels' most lines, and the
#: share of its width the bars' scale takes.
CHART_MEASURES = """() => [...document.querySelectorAll('.innobarometer-chart svg.marks')].map(svg => {
  const drawn = svg.getBoundingClientRect(), scale = drawn.width / svg.width.baseVal.value;
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() && t.getAttribute('opacity') !== '0');
  const lines = [...svg.querySelectorAll('.role-axis-label text')]
    .map(t => t.querySelectorAll('tspan').length ? [...t.querySelectorAll('tspan')].filter(s => s.textContent.trim()).length : 1);
  const scaleWidth = Math.max(0, ...[...svg.querySelectorAll('.role-axis-domain line')].map(l => l.getBoundingClientRect())
    .filter(b => b.width > b.height).map(b => b.width));
  return {smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
          lines: Math.max(...lines), bars: scaleWidth / drawn.width};
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", CHART_PAGES)
def test_chart_text_is_a_readable_size_and_a_phones_bars_keep_half_the_width(visit, name, width):
    page = visit(name, width, "light")
    for chart in page.evaluate(CHART_MEASURES):
        assert chart["smallest"] >= 12, chart
        assert chart["lines"] <= 2, chart
        if width < 640:  # a phone: the labels above the bars (on a desktop they stand beside them)
            assert chart["bars"] >= 0.5, chart


@pytest.mark.parametrize("name", CHART_PAGES)
def test_a_legend_explains_every_colour_its_chart_gives_by_year(visit, name):
    """A chart whose colours stand for values of a field (the years of Figure 3) says which in a legend."""
    page = visit(name, 390, "light")
    charts = page.evaluate("""() => [...document.querySelectorAll('.innobarometer-chart svg.marks')].map(svg => ({
      bars: [...new Set([...svg.querySelectorAll('.mark-rect path')].map(p => p.getAttribute('fill')))].sort(),
      legend: [...new Set([...svg.querySelectorAll('.role-legend-symbol path')].map(p => p.getAttribute('fill')))].sort(),
      labels: [...svg.querySelectorAll('.role-legend-label text')].map(t => t.textContent.trim()),
      years: [...new Set([...svg.querySelectorAll('.mark-text text')].map(t => (t.textContent.match(/^(\\d{4}):/) || [])[1]).filter(Boolean))].sort()
    }))""")
    for chart in charts:
        if chart["years"]:  # bars told apart by year
            assert chart["legend"] == chart["bars"] and sorted(chart["labels"]) == chart["years"], chart


def test_search_field_leaves_the_query_clear_of_its_icon_and_the_search_counts_its_results(browser, origin):
    context = browser.new_context(locale="da-DK", viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(f"{origin}/search.html?q=kvalitet")
    page.wait_for_selector("#search-results ul.search li", timeout=10000)
    page.wait_for_function("(document.querySelector('#search-results .search-summary') || {}).textContent", timeout=5000)
    overlap = page.evaluate("""() => {
      const form = document.querySelector('.bd-search-container form.bd-search'), input = form.querySelector('input');
      const icon = form.querySelector('.fa-magnifying-glass').getBoundingClientRect(), style = getComputedStyle(input);
      return icon.right - (input.getBoundingClientRect().left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft));
    }""")
    count = page.locator("#search-results ul.search li").count()
    summary = page.locator("#search-results .search-summary").text_content()
    context.close()
    assert overlap <= 0
    assert re.search(rf"\b{count}\b", summary) and "Søgning" in summary, summary


#: Per chart: its drawings shown (class, width on the screen) and its smallest text as shown (px).
DRAWINGS_SHOWN = """() => [...document.querySelectorAll('.innobarometer-chart')].map(chart => {
  const shown = [...chart.querySelectorAll('svg.marks')].filter(svg => svg.getBoundingClientRect().width > 0);
  const smallest = Math.min(...shown.flatMap(svg => [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * svg.getBoundingClientRect().width / svg.width.baseVal.value)));
  return {shown: shown.map(svg => svg.getAttribute('class')), smallest, menu: !!chart.querySelector('select')?.checkVisibility()};
})"""


@pytest.mark.parametrize("width, layout", [(390, "narrow"), (1280, "wide")])
def test_without_scripts_each_chart_shows_the_drawing_of_its_columns_layout(browser, origin, width, layout):
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{origin}/{CHART_PAGES[0]}")
    charts = page.evaluate(DRAWINGS_SHOWN)
    context.close()
    assert charts and all(c["shown"] == [f"marks chart-static chart-{layout}"] and c["smallest"] >= 12 and not c["menu"] for c in charts), charts


def test_vega_is_loaded_only_when_a_reader_chooses_a_view(browser, origin):
    name = (MENU_PAGES or CHART_PAGES)[0]
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url.split("?")[0].rsplit("/", 1)[-1]))
    page.goto(f"{origin}/{name}", wait_until="load")
    settle(page)
    before = list(requested)
    chart = page.locator(".innobarometer-chart:has(select)").first
    chart.locator("select").select_option(index=1)
    page.wait_for_function("chart => chart.querySelector('.chart-live svg.marks') && !chart.hasAttribute('aria-busy')", arg=chart.element_handle(), timeout=10000)
    context.close()
    assert "vega.js" not in before and requested.count("vega.js") == 1
