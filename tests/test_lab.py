"""The analyst's JupyterLab (`make lab`): the figure notebooks opened as notebooks, run, and read.

JupyterLab runs with the configuration `make lab` gives it (jupyter-config/, jupytext.toml) on a
copy of the notebooks, and Playwright drives Debian chromium through Run All. After the run, the
chart, the table and the headline share are outputs of their cells, the load cell names the file
and its rows (also another file's, given as INNOBAROMETER_DATA), the Markdown shows values rather
than glue or eval markup, no paragraph is in English, and the notebook files are as they were.
Screenshots go to _build/screenshots/lab/.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from innobarometer.data.microdata import load_microdata
from innobarometer.estimates.estimate import weighted_share
from innobarometer.paths import BUILD, DATA_ENV, ROOT, SYNTHETIC_MICRODATA
from innobarometer.text.formatting import number, percent

pytestmark = pytest.mark.lab

SCREENSHOTS = BUILD / "screenshots" / "lab"
#: JupyterLab in its own environment, as the Makefile installs it; the kernel is the book's.
LAB_JUPYTER = ROOT / ".venv-lab" / "bin" / "jupyter"
NOTEBOOKS = ["innovationstyper.md", "kvalitet.md"]
#: Short words only English has: none may stand in the Danish notebook's rendered Markdown.
ENGLISH_WORDS = {"the", "and", "of", "with", "which", "this", "that", "are", "is", "show", "share", "figure"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def started_lab(folder: Path, state: Path, environment: dict, config: Path = ROOT / "jupyter-config", arguments: tuple = ()):
    """JupyterLab serving `folder`, configured as `make lab` configures it unless `config` says
    otherwise (its kernels in `environment`, more options in `arguments`): the server process and
    its address."""
    port = free_port()
    env = os.environ | environment | {
        "JUPYTER_CONFIG_PATH": str(config),
        "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"),  # no settings or workspace of earlier sessions
        "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
    }
    command = [
        str(LAB_JUPYTER), "lab", "--no-browser", f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
        f"--ServerApp.root_dir={folder}", "--allow-root", *arguments,
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=open(state / "lab.log", "w"))
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{origin}/api/status", timeout=2)
            return server, origin
        except OSError:
            time.sleep(0.3)
    server.terminate()
    pytest.fail("JupyterLab did not start: " + (state / "lab.log").read_text()[-2000:])


def notebooks_folder(tmp_path_factory, names: list[str]) -> Path:
    folder = tmp_path_factory.mktemp("lab")
    for name in names:
        shutil.copy(ROOT / "notebooks" / name, folder / name)
    shutil.copy(ROOT / "jupytext.toml", folder / "jupytext.toml")
    return folder


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of the notebooks, as `make lab` configures it: its address and folder."""
    folder = notebooks_folder(tmp_path_factory, NOTEBOOKS)
    server, origin = started_lab(folder, tmp_path_factory.mktemp("lab-state"), {})
    yield origin, folder
    server.terminate()
    server.wait(timeout=30)


PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def prompts(page) -> list[str]:
    return page.evaluate(f"() => [...document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim())")


def kernel_idle(page) -> bool:
    return page.evaluate(f"() => document.querySelector('{PANEL} .jp-Notebook-ExecutionIndicator')?.getAttribute('data-status') === 'idle'")


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what}")


def run_all(page) -> None:
    """Run > Run All Cells once the notebook has settled, until every code cell has run and the kernel is idle."""
    counts = []
    wait_until(lambda: counts.append(page.locator(f"{PANEL} .jp-Cell").count()) or (len(counts) > 8 and len(set(counts[-8:])) == 1), 60, "the cells")
    wait_until(lambda: kernel_idle(page), 120, "the kernel")
    before = prompts(page)
    for _ in range(3):  # a click just after opening is sometimes lost
        page.click('.lm-MenuBar-itemLabel:text-is("Run")')
        page.click('.lm-Menu-itemLabel:text-is("Run All Cells")')
        try:
            wait_until(lambda: prompts(page) != before or not kernel_idle(page), 10, "the run to start")
            break
        except pytest.fail.Exception:
            continue
    wait_until(lambda: all(re.fullmatch(r"\[\d+\]:", p) for p in prompts(page)) and kernel_idle(page), 300, "Run All to finish")


@pytest.fixture(scope="module")
def ran(lab, browser):
    """Each notebook opened in JupyterLab and run: its page, as left after the run."""
    origin, folder = lab
    before = {name: (folder / name).read_bytes() for name in NOTEBOOKS}
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    external = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) or route.request.url.startswith("data:") else (external.append(route.request.url), route.abort()))
    pages = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in NOTEBOOKS:
        page = context.new_page()
        page.goto(f"{origin}/lab/tree/{name}?reset")
        page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=60000)
        run_all(page)
        page.screenshot(path=str(SCREENSHOTS / f"{name.removesuffix('.md')}.png"), full_page=False)
        pages[name] = page
    yield pages, external, before, folder
    context.close()


def outputs(page) -> str:
    return page.evaluate(f"() => [...document.querySelectorAll('{PANEL} .jp-OutputArea-output')].map(o => o.innerText).join('\\n')")


def markdown(page) -> str:
    return page.evaluate(f"() => [...document.querySelectorAll('{PANEL} .jp-MarkdownCell .jp-RenderedMarkdown, {PANEL} .jp-MarkdownCell .myst')].map(o => o.innerText).join('\\n')")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_notebook_opens_as_a_notebook_and_runs_without_an_error(ran, name):
    pages, external, _, _ = ran
    page = pages[name]
    assert page.locator(f"{PANEL} .jp-CodeCell").count() >= 3
    assert page.locator(f"{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert "Traceback" not in outputs(page) and "Error" not in outputs(page)
    assert external == []


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_chart_and_the_table_are_outputs(ran, name):
    page = ran[0][name]
    assert page.locator(f"{PANEL} .jp-OutputArea-output img").count() >= 1  # the chart, drawn as a PNG
    assert page.locator(f"{PANEL} .jp-OutputArea-output table").count() >= 2  # the estimates and the figure's table


def test_the_headline_share_is_an_output_and_in_the_text(ran):
    page = ran[0]["innovationstyper.md"]
    headline = percent(weighted_share(load_microdata(SYNTHETIC_MICRODATA), "innovated_process")["value"])
    assert headline in outputs(page)
    assert headline in markdown(page), markdown(page)[:3000]


def prose(page) -> str:
    """The rendered Markdown's paragraphs, list items and headings (not jupyterlab-myst's boxes
    for directives it does not know, which the code cell above shows the output of), with
    attribute markup it does not know ({.web-only}) left out."""
    text = page.evaluate(
        f"() => [...document.querySelectorAll('{PANEL} .jp-MarkdownCell :is(p, li, h1, h2, h3)')]"
        ".filter(e => !e.closest('details, aside, .admonition')).map(e => e.innerText).join('\\n')"
    )
    return re.sub(r"\{\.[\w-]+\}", "", text)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_text_shows_values_not_markup_and_no_english(ran, name):
    text = markdown(ran[0][name])
    assert "{glue" not in text and "{eval" not in text and "glued." not in text
    english = set(re.findall(r"[a-zæøå]+", prose(ran[0][name]).lower())) & ENGLISH_WORDS
    assert not english, english


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_opening_and_running_leaves_the_notebook_file_as_it_was(ran, name):
    _, _, before, folder = ran
    assert (folder / name).read_bytes() == before[name]


def test_the_load_cell_names_the_file_and_its_rows(ran):
    page = ran[0]["innovationstyper.md"]
    rows = number(len(load_microdata(SYNTHETIC_MICRODATA)))
    assert re.search(rf"{SYNTHETIC_MICRODATA.name}, {re.escape(rows)} rækker", outputs(page)), outputs(page)[:1000]


def test_a_run_with_innobarometer_data_names_that_file_and_computes_from_it(tmp_path_factory, browser):
    import pandas as pd

    data = tmp_path_factory.mktemp("own-data") / "mine.csv"
    frame = pd.read_csv(SYNTHETIC_MICRODATA, dtype=str, keep_default_na=False)
    frame.iloc[: len(frame) - 62].to_csv(data, index=False)  # another file, with other rows
    folder = notebooks_folder(tmp_path_factory, ["innovationstyper.md"])
    server, origin = started_lab(folder, tmp_path_factory.mktemp("own-state"), {DATA_ENV: str(data)})
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{origin}/lab/tree/innovationstyper.md?reset")
        page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=60000)
        run_all(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "innovationstyper-mine.png"))
        shown = outputs(page)
        assert re.search(rf"mine\.csv, {re.escape(number(len(frame) - 62))} rækker", shown), shown[:1000]
        assert "mine.csv" in markdown(page) or "mine.csv" in shown
        assert "syntetisk" not in shown.split("Indlæst")[0].lower()  # the data note is the file's, not the stand-in's
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
