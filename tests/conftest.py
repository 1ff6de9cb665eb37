"""Shared helpers: small microdata files written in the test, so the expected answer is obvious;
and the rule that a test marked `book` fails when there is no built book to read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

# How many files the property tests generate: 20 in `make test`, what CI runs (about 1.2 s a file
# alone, 3 s beside the other tests on two cores: 120 files took 374 s there, the longest of
# make test's three processes); a quick look in `make check` (--hypothesis-profile=quick).
settings.register_profile("default", max_examples=20)
settings.register_profile("quick", max_examples=10)
settings.load_profile("default")

import rows
from rows import HEADER


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write rows (dicts) as a microdata CSV and return its path."""

    def write(rows, name="workplaces.csv", columns=None, **to_csv):
        frame = pd.DataFrame(rows, columns=columns or HEADER)
        path = tmp_path / name
        frame.to_csv(path, index=False, **to_csv)
        return path

    return write


@pytest.fixture
def valid_rows():
    return rows.valid_rows()


@pytest.fixture(autouse=True)
def built_book(request):
    """A test that reads the built book fails, never skips, when `make book` has not built it."""
    from innobarometer.building.build import SITE, STATISTICS

    if request.node.get_closest_marker("book") and not ((SITE / "index.html").exists() and STATISTICS.exists()):
        pytest.fail("no built book: run `make book` first (`make test` does)")


#: Debian's chromium, as the browser tests drive it (Playwright never downloads a browser): one
#: renderer per site, so vega and axe-core are compiled once for a layout's pages, not per page.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--process-per-site"]


@pytest.fixture(scope="session")
def origin():
    """The built site, served from a local server (a page opened as a file cannot fetch its search index)."""
    import functools
    import http.server
    import threading

    from innobarometer.building.build import SITE

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


#: The date the other book's pages and PDFs carry: the first of January 2000.
FIRST_OF_JANUARY_2000 = 946_684_800


def run_build(cwd: Path, data: Path | None = None, extra_env: dict | None = None, *args):
    """`python -m innobarometer.building.build` in a repository, on a data file."""
    import os
    import subprocess
    import sys

    env = os.environ | (extra_env or {})
    if data is not None:
        env["INNOBAROMETER_DATA"] = str(data)
    return subprocess.run([sys.executable, "-m", "innobarometer.building.build", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def published_files(site: Path) -> dict:
    """Every published file's digest, by path (PDFs included)."""
    import hashlib

    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def other_book(tmp_path_factory):
    """A copy of the repository built, from an empty _build/, on the other file (tests/other_files.py).

    Returns the copy, the data file, the build's environment and what the clean build published
    (for the test that an incremental build publishes the same bytes).
    """
    import shutil

    from innobarometer.paths import ROOT
    from other_files import write_other_truths

    copy = tmp_path_factory.mktemp("other-book")
    ignore = shutil.ignore_patterns(".venv", ".venv-lab", "_build", ".git", "*.egg-info", ".pytest_cache", "node_modules", "__pycache__")
    shutil.copytree(ROOT, copy, dirs_exist_ok=True, ignore=ignore)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")  # npm packages, as installed by make setup
    data = write_other_truths(tmp_path_factory.mktemp("data"))
    environment = {"PYTHONPATH": str(copy), "SOURCE_DATE_EPOCH": str(FIRST_OF_JANUARY_2000)}
    result = run_build(copy, data, environment)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    clean = published_files(copy / "_build" / "html")
    return copy, data, environment, clean, result.stdout
