"""The built site (from `make book`): numbers equal the statistics file; pages are private."""

import json
import re
from pathlib import Path

import pytest

from html_pages import CHAPTER, parse_page, visible_text
from innobarometer.building.build import SITE, STATISTICS
from innobarometer.data import published
from innobarometer.data.published import required_statistics
from innobarometer.estimates.statistics_record import read
from innobarometer.paths import ROOT
from innobarometer.text.formatting import in_steps_of, number, percent

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def stats():
    if not (SITE / "index.html").exists() or not STATISTICS.exists():
        pytest.fail("no built book: run `make book` first (make test does)")
    return read(STATISTICS)


def page(name):
    return parse_page(SITE / name)


def page_text(name) -> str:
    return visible_text(SITE / name)


def chart_descriptions(name) -> list[str]:
    """The text alternative of every chart on a page, from the specs it embeds."""
    html = (SITE / name).read_text(encoding="utf-8")
    return [json.loads(spec)["description"] for spec in re.findall(r'innobarometerEmbed\("#[\w-]+", (\{.*?\})\);</script>', html)]


def figure_description(figure: str) -> str:
    """The text alternative of one figure's chart in the chapter (`fig-kvalitet`)."""
    html = (SITE / CHAPTER).read_text(encoding="utf-8").split(f'id="{figure}"', 1)[1]
    return json.loads(re.search(r'innobarometerEmbed\("#[\w-]+", (\{.*?\})\);</script>', html)[1])["description"]


def test_statistics_file_has_every_required_id_with_a_valid_interval(stats):
    assert set(required_statistics()) <= set(stats.index)
    required = stats.loc[required_statistics()]
    assert ((required["ci_low"] <= required["value"]) & (required["value"] <= required["ci_high"])).all()
    assert required["value"].between(0, 1).all() and (required["n"] > 0).all()


def test_headline_on_the_opening_page_is_the_computed_share(stats):
    headline = percent(stats.loc["workplaces_innovated_process", "value"])
    assert f"{headline} af de offentlige arbejdspladser" in page_text("book/organiser-smartere.html")


def test_types_figure_page_shows_every_share_from_the_statistics_file(stats):
    text = page_text("notebooks/innovationstyper.html")
    for statistic in [s for s in required_statistics() if s.startswith("workplaces_innovated")]:
        assert percent(stats.loc[statistic, "value"]) in text, statistic
    assert f"Antal observationer = {number(stats.loc['workplaces_innovated_any', 'n'])}" in page_text(CHAPTER)


def test_published_values_round_trip(stats):
    for fact_id, fact in published.counterparts().iterrows():
        if fact["statistic_id"] not in stats.index:
            continue  # a statistic of a later chapter page
        computed = stats.loc[fact["statistic_id"], fact["statistic_field"]]
        if fact["value"] == fact["value"]:  # a value: equal at the published precision
            assert in_steps_of(computed, fact["precision"]) == in_steps_of(fact["value"], fact["precision"]), fact_id  # as printed
        else:
            assert fact["lower"] <= computed < fact["upper"], fact_id


def test_every_page_says_when_its_numbers_come_from_synthetic_data(stats):
    for name in ["book/organiser-smartere.html", "notebooks/innovationstyper.html"]:
        assert "syntetisk datasæt" in page_text(name), name


def test_no_page_loads_anything_from_another_host():
    for html in SITE.rglob("*.html"):
        external = [u for u in page(html.relative_to(SITE)).requests if re.match(r"(https?:)?//", u)]
        assert external == [], f"{html.relative_to(SITE)} loads {external}"


def test_no_stylesheet_imports_from_another_host():
    for css in SITE.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import\s+['\"]?(https?:)?//", css.read_text(errors="ignore")), css



def local_requests(html):
    """The site's own files a page loads, as paths inside the site (query strings dropped)."""
    return [(html.parent / url.split("?")[0]).resolve() for url in page(html.relative_to(SITE)).requests if not re.match(r"(https?:)?//|data:", url)]


def test_every_file_a_page_loads_is_in_the_site():
    for html in SITE.rglob("*.html"):
        missing = [str(path) for path in local_requests(html) if not path.is_file()]
        assert missing == [], f"{html.relative_to(SITE)} loads {missing}"


def test_pages_load_the_themes_scripts_at_its_digest_but_not_fontawesome_js_nor_unused_extensions():
    import pydata_sphinx_theme

    macros = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "webpack-macros.html"
    digest = re.search(r"\?digest=(\w+)", macros.read_text(encoding="utf-8")).group(1)
    requests = page("notebooks/kvalitet.html").requests
    assert any(url.endswith(f"scripts/bootstrap.js?digest={digest}") for url in requests)
    assert any(url.endswith(f"styles/pydata-sphinx-theme.css?digest={digest}") for url in requests)
    unused = [url for url in requests if re.search(r"fontawesome\.js|thebe|sphinx-design|design-tabs", url)]
    assert unused == []

SECTOR_SUFFIX = r"\.(?:kommune|region|stat)$"


def quality_of_combinations(stats, suffix=""):
    """Rows innovations_improved_quality.<combination><suffix>, without the overall .all row."""
    rows = stats[stats.index.str.startswith("innovations_improved_quality.") & ~stats.index.str.startswith("innovations_improved_quality.all")]
    in_sector = rows.index.str.contains(SECTOR_SUFFIX)
    return rows[~in_sector] if not suffix else rows[rows.index.str.endswith(suffix)]


def test_statistics_file_has_quality_for_every_combination_with_a_p_value_only_where_tested(stats):
    combinations = quality_of_combinations(stats)
    assert len(combinations) > 0
    assert stats.loc["innovations_improved_quality.all", "n"] == combinations["n"].sum()
    assert combinations["shown"].isin([True, False]).all()
    tested = combinations["n"].ge(30) & combinations["value"].gt(0) & combinations["value"].lt(1)
    assert combinations.loc[tested, "p_value"].notna().all() and combinations.loc[~tested, "p_value"].isna().all()
    assert combinations.loc[combinations["n"] < 5, "value"].isna().all()


def test_quality_figure_page_lists_every_combination_and_the_shown_ones_in_the_chart(stats):
    from innobarometer.data.codebook import combination_label

    text = page_text("notebooks/kvalitet.html")
    combinations = [i.split(".", 1)[1] for i in quality_of_combinations(stats).index]
    for key in combinations:
        assert combination_label(key) in text, key
    chart_description = figure_description("fig-kvalitet")
    for key in combinations:
        assert (combination_label(key) + ":" in chart_description) == bool(stats.loc[f"innovations_improved_quality.{key}", "shown"]), key


def test_the_chapters_cases_link_to_their_sources():
    from innobarometer.data.published import cases

    hrefs = re.findall(r'href="([^"]+)"', (SITE / CHAPTER).read_text(encoding="utf-8"))
    for url in cases()["source_url"].unique():
        assert url in hrefs, url


def test_every_quote_has_its_own_anchor_and_share_link():
    for edition in ["", "en/"]:
        html = (SITE / edition / CHAPTER).read_text(encoding="utf-8")
        for anchor in ["citat-jakobsen", "citat-bentzen", "citat-bergh"]:
            assert html.count(f'id="{anchor}"') == 1 and f'href="#{anchor}"' in html, (edition, anchor)


def test_over_time_page_shows_the_published_figures_with_their_sources():
    from innobarometer.data.published import facts

    text = page_text("notebooks/udvikling.html")
    description = figure_description("fig-udvikling")
    for fact_id, label in [("dst_2016_any_kommune", "Kommunale arbejdspladser, 2016"), ("dst_2019_any_region", "Regionale arbejdspladser, 2019"), ("ed4_2023_any_total", "Hele den offentlige sektor, 2023")]:
        assert f"{label}: {percent(facts().loc[fact_id, 'value'])}" in description
    assert "Danmarks Statistik" in text and "Offentliggjorte tal" in text


def test_no_email_addresses_or_phone_numbers_in_the_book():
    for html in SITE.rglob("*.html"):
        text = visible_text(html)
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), html
        assert not re.search(r"(\+\d{2}\s?)?\b\d{2} \d{2} \d{2} \d{2}\b", text), html


def test_verification_page_shows_every_published_counterpart_reproduced():
    text = page_text("book/verifikation.html")
    for _, fact in published.counterparts().iterrows():
        assert fact["statistic_id"] in text
    assert text.count("Gengivet") >= len(published.counterparts()) and "Afviger" not in text.split("Status", 1)[1]


def test_statistics_file_has_every_estimate_per_sector(stats):
    for sector in ["kommune", "region", "stat"]:
        for t in ["process", "service", "communication", "product", "any"]:
            assert f"workplaces_innovated_{t}.{sector}" in stats.index
        assert f"innovations_improved_quality.all.{sector}" in stats.index
        assert len(quality_of_combinations(stats, f".{sector}")) > 0


def glued_outputs(notebook: dict) -> dict[str, dict]:
    """A notebook's displayed glue outputs (what Jupyter draws) by name."""
    return {
        output["metadata"]["scrapbook"]["name"]: output["data"]
        for cell in notebook["cells"] if cell["cell_type"] == "code"
        for output in cell.get("outputs", []) if "scrapbook" in output.get("metadata", {})
    }


@pytest.mark.parametrize("edition", ["", "en/"])
def test_every_figure_the_chapter_pastes_is_a_drawn_output_of_the_downloadable_notebook_that_computes_it(edition):
    pasted = re.findall(r"\{paste-figure\}\s+\.\./(\S+)\.md::(\S+)", (ROOT / CHAPTER).with_suffix(".md").read_text(encoding="utf-8"))
    assert len(pasted) == 3
    for notebook, key in pasted:
        outputs = glued_outputs(json.loads((SITE / edition / notebook).with_suffix(".ipynb").read_text(encoding="utf-8")))
        assert {"application/vnd.vegalite.v6+json", "image/png"} <= set(outputs[key]), (notebook, key)


@pytest.mark.parametrize("edition", ["", "en/"])
@pytest.mark.parametrize("page", ["notebooks/kvalitet.html", "notebooks/innovationstyper.html"])
def test_every_table_of_a_figures_notebook_is_a_drawn_output_of_its_downloaded_notebook(page, edition):
    notebook = json.loads((SITE / edition / page).with_suffix(".ipynb").read_text(encoding="utf-8"))
    outputs = glued_outputs(notebook)
    tables = [key for key in outputs if key.endswith("_table")]
    assert tables, "a figure's notebook shows its estimates as a table"
    for key in tables:
        assert "<table" in "".join(outputs[key]["text/html"]), key  # drawn: no mime prefix hides it


@pytest.mark.parametrize("edition", ["", "en/"])
def test_the_search_index_holds_no_code(edition):
    index = (SITE / edition / "searchindex.js").read_text(encoding="utf-8")
    terms = set(json.loads(index[index.index("(") + 1 : index.rindex(")")])["terms"])
    assert len(terms) > 300 and any(term.startswith("kvalit" if not edition else "qualiti") for term in terms)  # the prose is
    assert not {"import", "glue_each", "load_microdata", "weighted_shares"} & terms


@pytest.mark.parametrize("edition", ["", "en/"])
def test_the_chapter_shows_both_figures_under_their_titles_the_four_cases_and_the_three_quotes_and_no_code(edition):
    html = (SITE / edition / CHAPTER).read_text(encoding="utf-8")
    titles = re.findall(r'<figure[^>]*id="(fig-[\w-]+)"[^>]*>\s*<p class="figure-title">', html)
    assert titles == ["fig-innovationstyper", "fig-kvalitet", "fig-udvikling"]
    # Figure 2 has no published numbers: under its title it says what it is (an illustration here)
    subtitle = re.search(r'id="fig-kvalitet"[^>]*>\s*<p class="figure-title">.*?</p>\s*<p class="figure-subtitle">(.*?)</p>', html, re.S)
    assert subtitle and "Illustration" in subtitle[1]
    assert len(re.findall(r'<div class="case admonition" id="case-', html)) == 4
    shown = re.sub(r'<details class="quote-original">.*?</details>', "", html, flags=re.S)  # an English quote's original
    assert len(re.findall(r'<blockquote class="pull-quote"', shown)) == 3
    text = page_text(edition + CHAPTER)
    assert "cell_input" not in html and "Vis beregningen" not in text and "Show the computation" not in text
    command_or_file = r"\bmake (?:book|test|lab|verify|data)\b|INNOBAROMETER_DATA|\w+\.(?:csv|md|py|ipynb)\b"
    assert not re.search(command_or_file, text), re.search(f".{{40}}(?:{command_or_file}).{{40}}", text)
