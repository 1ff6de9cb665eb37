"""Running a notebook's code in this process, as its kernel would, and reading what it glued.

For tests that run the notebooks on many data files: starting a kernel per file would cost
seconds. The code cells run in one IPython shell, each notebook in a fresh namespace, with the
microdata file given as the book gives it (INNOBAROMETER_DATA).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell

from innobarometer.paths import DATA_ENV, is_notebook, toc_files


class Recorder(DisplayPublisher):
    """Keeps every displayed output; a widget clearing its output area clears nothing here."""

    def __init__(self):
        super().__init__()
        self.outputs = []

    def publish(self, data, metadata=None, **kwargs):
        self.outputs.append((data, metadata or {}))

    def clear_output(self, wait=False):
        pass


class NotebookFailed(AssertionError):
    pass


def code_cells(path: Path) -> list[str]:
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(path.read_text(encoding="utf-8"))
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def microdata_notebooks() -> list[Path]:
    """The book's notebooks that read the microdata (the others compute from published facts only)."""
    return [p for p in toc_files() if is_notebook(p) and "load_microdata(" in p.read_text(encoding="utf-8")]


@contextmanager
def data_file(path: Path):
    before = os.environ.get(DATA_ENV)
    os.environ[DATA_ENV] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(DATA_ENV, None)
        else:
            os.environ[DATA_ENV] = before


def spec_only(spec: dict, **metadata) -> dict:
    """The Jupyter renderer without its PNG: the spec, validated by Altair, is what the checks read;
    drawing it (test_charts checks that) would cost a tenth of a second per chart and file."""
    from innobarometer.presentation.charts import VEGA_LITE_MIME

    return {VEGA_LITE_MIME: spec, "text/plain": spec.get("description", "")}


def quick_text(format):
    """IPython's formatting, with a plain text's bundle made at once (the full formatter asks a dozen
    formatters in turn, a few milliseconds for each of a notebook's hundred glued texts); a text
    as it is written, as the notebooks show it (`charts.use_book_style`)."""

    def formatted(obj, include=None, exclude=None):
        if type(obj) is str:
            return {"text/plain": obj}, {}
        return format(obj, include=include, exclude=exclude)

    return formatted


def glued(path: Path, data: Path) -> dict[str, dict]:
    """Run the notebook's code cells on the data file; every glued value's mimebundle by key."""
    import altair as alt

    from innobarometer.presentation.charts import JUPYTER_RENDERER

    alt.renderers.register(JUPYTER_RENDERER, spec_only)
    shell = InteractiveShell.instance()
    if not getattr(shell.display_formatter.format, "quick", False):
        shell.display_formatter.format = quick_text(shell.display_formatter.format)
        shell.display_formatter.format.quick = True
    recorder = Recorder()
    shell.display_pub, publisher = recorder, shell.display_pub
    shell.user_ns.clear()
    shell.init_user_ns()
    try:
        with data_file(data):
            for number, source in enumerate(code_cells(path), start=1):
                result = shell.run_cell(source, store_history=False, silent=True)
                if not result.success:
                    error = result.error_in_exec or result.error_before_exec
                    raise NotebookFailed(f"{path.name}, code cell {number}: {type(error).__name__}: {error}") from error
    finally:
        shell.display_pub = publisher
    values = {}
    for data_, metadata in recorder.outputs:
        if "scrapbook" in metadata:
            prefix = metadata["scrapbook"].get("mime_prefix", "")
            values[metadata["scrapbook"]["name"]] = {k[len(prefix):]: v for k, v in data_.items()}
    return values
