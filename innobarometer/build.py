"""Build the book: validate the inputs, execute and build, then publish atomically.

`python -m innobarometer.build` is what `make book` runs. The site is built in `_build/site/`
and copied to `_build/html/` only when the whole build succeeded, so a failed build (bad data,
a failing cell, a broken reference) leaves the last good site in place.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from innobarometer import execute, statistics
from innobarometer.escape import printable
from innobarometer.microdata import DataError, load_microdata
from innobarometer.paths import BUILD, BUILD_ENV, DATA, DATA_ENV, PDF_NAME, ROOT, microdata_path
from innobarometer.published import PublishedFactsError, read_cases, read_facts

STAGING = BUILD / "site"
STAGED_HTML = STAGING / "_build" / "html"
EXECUTED = STAGING / "_build" / "jupyter_execute"
STAGED_LATEX = STAGING / "_build" / "latex"
SITE = BUILD / "html"
STATISTICS = BUILD / "statistics.csv"
EXECUTION_CACHE = execute.CACHE
CACHE_KEY = BUILD / "execution-inputs.sha256"

#: Statistics the book must always produce; a build without them is not published.
REQUIRED_STATISTICS = [
    "workplaces_innovated_process",
    "workplaces_innovated_service",
    "workplaces_innovated_communication",
    "workplaces_innovated_product",
    "workplaces_innovated_any",
    "workplaces_innovated_any.kommune",
    "workplaces_innovated_any.region",
    "workplaces_innovated_any.stat",
]


class BuildError(RuntimeError):
    pass


def execution_inputs_digest() -> str:
    """Hash of everything a notebook's outputs depend on besides its own code cells.

    jupyter-cache keys only on code cells; the data, the shared package and the microdata file
    change outputs too.
    """
    digest = hashlib.sha256()
    files = sorted(DATA.rglob("*")) + sorted((ROOT / "innobarometer").rglob("*.py"))
    files += [ROOT / "requirements.txt", microdata_path()]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def invalidate_stale_cache() -> bool:
    """Clear the execution cache when its inputs changed; True when it was cleared."""
    key = execution_inputs_digest()
    if CACHE_KEY.exists() and CACHE_KEY.read_text().strip() == key:
        return False
    clear_execution_cache()
    BUILD.mkdir(exist_ok=True)
    CACHE_KEY.write_text(key + "\n")
    return True


def validate_inputs() -> None:
    """Fail before any notebook runs, with the loader's message naming file, column and rows."""
    try:
        read_facts()
        read_cases()
        frame = load_microdata(cache=True)  # the notebooks then read it validated
    except (DataError, PublishedFactsError) as error:
        raise BuildError(str(error)) from None
    if frame.attrs["ignored_columns"]:
        print("Note: columns not in the codebook are ignored: " + ", ".join(map(printable, frame.attrs["ignored_columns"])))


def notebook_environment() -> dict:
    env = os.environ | {BUILD_ENV: "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    if os.environ.get(DATA_ENV):
        env[DATA_ENV] = str(microdata_path())  # notebooks run in their own folder: pass it absolute
    return env


def notebooks() -> list[Path]:
    """The notebooks of the table of contents (MyST Markdown with a kernel)."""
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    files = [ROOT / f"{name}.md" for name in re.findall(r"file:\s*(\S+)", toc)]
    return [f for f in files if f.exists() and "kernelspec:" in f.read_text(encoding="utf-8")[:500]]


def execute_notebooks() -> None:
    """Execute the notebooks missing from the execution cache, in parallel, into that cache.

    Sphinx then reads every notebook from the cache; executing during its read would run them in
    its reading batches, which leaves a core idle. A notebook that fails here is executed again
    by Sphinx, which reports the error and fails the build.
    """
    paths = notebooks()
    digest = hashlib.sha256(b"".join(str(p).encode() + p.read_bytes() for p in paths)).hexdigest()
    stamp = EXECUTION_CACHE / "executed-notebooks.sha256"  # cleared with the cache
    if stamp.exists() and stamp.read_text().strip() == digest:
        return  # every notebook is in the cache as it stands: nothing to start
    command = [sys.executable, "-m", "innobarometer.execute", *[str(p) for p in paths]]
    if subprocess.run(command, env=notebook_environment(), cwd=ROOT).returncode == 0:
        stamp.write_text(digest + "\n")


def run_jupyter_book(builder: str = "html") -> None:
    env = notebook_environment()
    command = [
        sys.executable, "-m", "innobarometer.jupyter_book_cli", "build", str(ROOT),
        "--path-output", str(STAGING), "--builder", builder, "-W", "-n", "--keep-going",
    ]
    if subprocess.run(command, env=env, cwd=ROOT).returncode != 0:
        # Sphinx keeps its environment from the failed run and would not re-read the broken pages
        # next time, so the next build would pass without fixing them: make it read every page.
        shutil.rmtree(STAGING / "_build" / ".doctrees", ignore_errors=True)
        raise BuildError(f"jupyter-book build --builder {builder} failed (see the messages above)")


def build_pdf() -> None:
    """The PDF from the same cached execution as the HTML, placed in the site for download."""
    # latexmk remembers a failed run; start the LaTeX step clean (it takes seconds).
    shutil.rmtree(STAGED_LATEX, ignore_errors=True)
    run_jupyter_book("pdflatex")
    shutil.copy2(STAGED_LATEX / PDF_NAME, STAGED_HTML / PDF_NAME)


def collected_statistics():
    table = statistics.collect(EXECUTED)
    try:
        statistics.check_publishable(table)
    except statistics.UnpublishableError as error:
        raise BuildError(str(error)) from None
    missing = sorted(set(REQUIRED_STATISTICS) - set(table["id"]))
    if missing:
        raise BuildError("the notebooks did not record these statistics: " + ", ".join(missing))
    return table


def publish(table) -> None:
    """Replace _build/html and _build/statistics.csv with the staged build in one step each."""
    statistics.write(table, STAGED_HTML / "statistics.csv")  # served for download too
    incoming = BUILD / "html.incoming"
    outgoing = BUILD / "html.outgoing"
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.rmtree(outgoing, ignore_errors=True)
    shutil.copytree(STAGED_HTML, incoming)
    if SITE.exists():
        SITE.rename(outgoing)
    incoming.rename(SITE)
    shutil.rmtree(outgoing, ignore_errors=True)
    statistics.write(table, STATISTICS)


def clear_execution_cache() -> None:
    """Forget every execution and every read page, so that all notebooks run again."""
    shutil.rmtree(EXECUTION_CACHE, ignore_errors=True)
    shutil.rmtree(STAGING / "_build" / ".doctrees", ignore_errors=True)
    CACHE_KEY.unlink(missing_ok=True)


def build(fresh: bool = False) -> None:
    timings = {}

    def step(name, action, *args):
        started = time.perf_counter()
        result = action(*args)
        timings[name] = time.perf_counter() - started
        return result

    step("validate", validate_inputs)
    if fresh:
        clear_execution_cache()
    if invalidate_stale_cache():
        print("Execution inputs changed (data, package or microdata): notebooks will run again.")
    step("execute", execute_notebooks)
    step("html", run_jupyter_book, "html")
    step("pdf", build_pdf)
    step("publish", lambda: publish(collected_statistics()))
    times = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    print(f"Built {SITE}, {SITE / PDF_NAME} and {STATISTICS} ({times}).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="run every notebook again, ignoring the execution cache")
    arguments = parser.parse_args(argv)
    try:
        build(fresh=arguments.fresh)
    except BuildError as error:
        print(f"\nBUILD FAILED: {error}\nThe previously built site in {SITE} is left as it was.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
