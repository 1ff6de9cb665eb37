"""The site's own assets: one vega for both editions, loaded by the book's script when a reader
asks for it, and the assets the editions share served once."""

import re
from pathlib import Path

from innobarometer.site.site_assets import VEGA_BUILD, VEGA_PLACEHOLDER, book_script, share_static, vega_runtime


def test_vega_is_the_same_file_in_both_editions_the_charts_carry_their_number_format():
    assert vega_runtime() == VEGA_BUILD.read_text(encoding="utf-8")  # no edition's locale appended


def test_the_book_script_names_vega_with_its_digest():
    script = book_script("vega 1")
    assert VEGA_PLACEHOLDER not in script
    name = re.search(r'"(vega\.js\?v=[0-9a-f]{8})"', script).group(1)
    assert name != re.search(r'"(vega\.js\?v=[0-9a-f]{8})"', book_script("vega 2")).group(1)  # a new vega, a new name


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


PAGE = """<link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />
<script src="../_static/language_data.js"></script>
<link rel="icon" href="../_static/favicon.svg"/>
<a href="../search.html">Search</a> <a href="#top">Top</a> <a href="https://example.org/_static/x.js">x</a>
"""


def edition_site(tmp_path: Path) -> Path:
    """A site whose English edition, in en/, has a copy of the Danish assets, one of them its own."""
    site = tmp_path / "site"
    for static in (site / "_static", site / "en" / "_static"):
        write(static / "styles" / "theme.css", "body {}")
        write(static / "favicon.svg", "<svg/>")
    write(site / "_static" / "language_data.js", "var stopwords = ['og'];")
    write(site / "en" / "_static" / "language_data.js", "var stopwords = ['and'];")
    write(site / "en" / "book" / "page.html", PAGE)
    write(site / "en" / "index.html", PAGE.replace("../", ""))
    return site


def test_an_editions_pages_load_the_assets_the_site_has_from_the_sites_own_static_folder(tmp_path):
    site = edition_site(tmp_path)
    assert share_static(site, site / "en") == ["favicon.svg", "styles/theme.css"]
    page = (site / "en" / "book" / "page.html").read_text(encoding="utf-8")
    assert '<link href="../../_static/styles/theme.css?digest=1"' in page and 'href="../../_static/favicon.svg"' in page
    assert '<script src="../_static/language_data.js">' in page  # the edition's own search language stays
    assert 'href="../search.html"' in page and 'href="#top"' in page and 'href="https://example.org/_static/x.js"' in page
    assert 'href="../_static/styles/theme.css?digest=1"' in (site / "en" / "index.html").read_text(encoding="utf-8")
    assert sorted(p.relative_to(site / "en" / "_static").as_posix() for p in (site / "en" / "_static").rglob("*")) == ["language_data.js"]
    for html in (site / "en").rglob("*.html"):  # every file a page loads is there
        for url in re.findall(r'(?:href|src)="([^"#:?]*_static/[^"#:?]+)', html.read_text(encoding="utf-8")):
            assert (html.parent / url).resolve().is_file(), (html, url)


def test_an_edition_with_a_style_sheet_of_its_own_keeps_all_its_assets(tmp_path):
    site = edition_site(tmp_path)
    write(site / "en" / "_static" / "english.css", "body { background: url(favicon.svg) }")
    assert share_static(site, site / "en") == []
    assert (site / "en" / "_static" / "favicon.svg").is_file() and (site / "en" / "book" / "page.html").read_text(encoding="utf-8") == PAGE
