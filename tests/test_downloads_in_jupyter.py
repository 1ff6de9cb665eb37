"""What leaves the build runs anywhere: each notebook the site offers for download, opened in a
JupyterLab without extensions (no jupytext, no jupyterlab-myst) and turned into HTML by nbconvert.

JupyterLab and nbconvert are those of the analyst's environment (.venv-lab); the downloads are the
built site's, both editions. Screenshots go to _build/screenshots/downloads/.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from html_pages import NOTEBOOK_PAGES
from innobarometer.building.build import SITE
from innobarometer.paths import BUILD, ROOT
from test_lab import LAB_JUPYTER, PANEL, started_lab, wait_until

pytestmark = [pytest.mark.lab, pytest.mark.book]

SCREENSHOTS = BUILD / "screenshots" / "downloads"
DOWNLOADS = [f"{edition}{page.removesuffix('.html')}.ipynb" for edition in ("", "en/") for page in NOTEBOOK_PAGES]
#: Short words that only Danish has, and only English has, in a download's Markdown.
DANISH_WORDS = {"og", "af", "ikke", "det", "som", "på", "til", "med", "eller", "har", "også", "hvor", "kun", "denne"}
ENGLISH_WORDS = {"the", "and", "of", "with", "which", "this", "that", "are", "is", "not"}
#: MyST that a Jupyter without jupyterlab-myst would show as it is written.
MYST = re.compile(r"\{[\w:-]+\}`|^:{3,}|\{\.[\w-]+\}|^```\{", re.MULTILINE)


def download(name: str) -> dict:
    return json.loads((SITE / name).read_text(encoding="utf-8"))


def charts(notebook: dict) -> int:
    """The chart outputs a notebook carries (each with its Vega-Lite spec)."""
    return sum(1 for cell in notebook["cells"] for output in cell.get("outputs", []) if any("vegalite" in mime for mime in output.get("data", {})))


def tables(notebook: dict) -> int:
    """The outputs a notebook carries that are HTML tables."""
    return sum(1 for cell in notebook["cells"] for output in cell.get("outputs", []) if "<table" in "".join(output.get("data", {}).get("text/html", "")))


def markdown_text(notebook: dict) -> str:
    cells = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
    outputs = ["".join(o["data"]["text/markdown"]) for c in notebook["cells"] for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})]
    return "\n\n".join(cells + outputs)


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_download_s_markdown_is_plain_and_has_its_values_written_in(name):
    text = markdown_text(download(name))
    assert not MYST.findall(text), MYST.findall(text)[:5]
    assert "{eval}" not in text and "glued." not in text


@pytest.mark.parametrize("name", [n for n in DOWNLOADS if n.startswith("en/")])
def test_an_english_download_reads_english(name):
    text = re.sub(r"\[[^\]]*\]\([^)]*\)|`[^`]*`|\$[^$]*\$", "", markdown_text(download(name)))  # Danish sources' titles, code, formulas
    found = set(re.findall(r"[a-zæøå]+", text.lower()))
    assert not found & DANISH_WORDS, sorted(found & DANISH_WORDS)
    assert found & ENGLISH_WORDS


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Every download turned into HTML by nbconvert (one run for all), by download."""
    folder = tmp_path_factory.mktemp("nbconvert")
    copies = {name: folder / name.replace("/", "-") for name in DOWNLOADS}
    for name, copy in copies.items():
        shutil.copy(SITE / name, copy)
    nbconvert = [str(LAB_JUPYTER), "nbconvert", "--to", "html", "--output-dir", str(folder), *map(str, copies.values())]
    subprocess.run(nbconvert, check=True, capture_output=True, timeout=300)
    return {name: copy.with_suffix(".html").read_text(encoding="utf-8") for name, copy in copies.items()}


@pytest.mark.parametrize("name", DOWNLOADS)
def test_nbconvert_draws_each_chart_of_a_download_as_an_image(converted, name):
    page = converted[name]
    assert len(re.findall(r"<img[^>]+src=\"data:image/png", page)) >= charts(download(name))
    assert "innobarometerEmbed" not in page


@pytest.fixture(scope="module")
def plain_lab(tmp_path_factory):
    """JupyterLab from the analyst's environment with every extension the book uses turned off,
    serving the built downloads: its address."""
    folder = tmp_path_factory.mktemp("downloads")
    for name in DOWNLOADS:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SITE / name, folder / name)
    config = tmp_path_factory.mktemp("plain-config")
    (config / "labconfig").mkdir()
    disabled = {"jupyterlab-myst": True, "jupyterlab-jupytext": True}
    (config / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": disabled}))
    arguments = (
        "--ServerApp.jpserver_extensions={'jupytext': False}",
        "--LabApp.expose_app_in_browser=True",  # to open each download in the one app (a page load each costs seconds)
        "--LabServerApp.notebook_starts_kernel=False",  # what a download shows needs no kernel (one cost 2.8 s to start)
    )
    # JUPYTER_CONFIG_DIR too: no user configuration turns an extension back on
    server, origin = started_lab(folder, tmp_path_factory.mktemp("plain-state"), {"JUPYTER_CONFIG_DIR": str(config)}, config, arguments)
    yield origin
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def opened(plain_lab, browser):
    """Each download opened (not run) in the plain JupyterLab: what it shows, by download."""
    shown = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{plain_lab}/lab?reset")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand('docmanager:open')", timeout=60000)
    for name in DOWNLOADS:
        # Not awaited: the command's promise ends seconds after the notebook is shown (once its
        # session is settled), and what is shown is what the test reads.
        page.evaluate("path => { window.jupyterapp.commands.execute('docmanager:open', {path}); }", name)
        page.wait_for_function("title => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)')?.id && [...document.querySelectorAll('.lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel')].some(t => t.textContent === title)", arg=name.rsplit("/", 1)[-1], timeout=60000)
        page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=60000)
        notebook = download(name)
        expected = {".jp-Cell": len(notebook["cells"]), ".jp-OutputArea-output img": charts(notebook), ".jp-OutputArea-output table": tables(notebook)}
        wait_until(lambda: all(page.locator(f"{PANEL} {what}").count() >= n for what, n in expected.items()), 30, f"the cells, charts and tables of {name}")
        page.screenshot(path=str(SCREENSHOTS / name.replace("/", "-").replace(".ipynb", ".png")))
        shown[name] = page.evaluate(
            f"""() => ({{
                images: document.querySelectorAll('{PANEL} .jp-OutputArea-output img').length,
                tables: document.querySelectorAll('{PANEL} .jp-OutputArea-output table').length,
                myst: document.querySelectorAll('{PANEL} .myst').length,
                text: [...document.querySelectorAll('{PANEL} .jp-MarkdownCell .jp-RenderedMarkdown, {PANEL} .jp-OutputArea-output')].map(e => e.innerText).join('\\n'),
            }})"""
        )
        page.evaluate("() => window.jupyterapp.commands.execute('application:close-all')")
    context.close()
    return shown


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_download_in_jupyterlab_without_extensions_shows_its_charts_tables_and_values(opened, name):
    shown = opened[name]
    assert shown["myst"] == 0  # jupyterlab-myst is off: this is what a plain JupyterLab shows
    assert shown["images"] >= charts(download(name))
    if "data-og-metode" in name or "figur" in name or "cases" in name:
        assert shown["tables"] >= 1
    assert "{eval}" not in shown["text"] and "Unknown Directive" not in shown["text"] and not MYST.findall(shown["text"])
