"""Each notebook is an analysis that reads and runs in any Jupyter: one language, no markup of
the book's own, the estimators as equations, every value in its prose glued by the notebook."""

import json
import re

import pytest

from innobarometer.building.build import SITE
from innobarometer.paths import ROOT, is_notebook, toc_files

NOTEBOOKS = [page for page in toc_files() if is_notebook(page)]
#: What only the book knows: both editions' texts at once, their glue, and directives and roles
#: that Jupyter (even with jupyterlab-myst) shows as written or as "Unknown Directive".
BOOK_ONLY = re.compile(
    r"\btext\(|glue_each|\bglued\.|\{glue(?::\w+)?\}|\{(?:data-note|rst-class|only|div|numref|ref|doc|verification-table)\}|\]\{\.[\w-]+\}"
)


def markdown_and_code(page):
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(page.read_text(encoding="utf-8"))
    return ["".join(c.source) for c in notebook.cells if c.cell_type == "markdown"], ["".join(c.source) for c in notebook.cells if c.cell_type == "code"]


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_holds_nothing_only_the_book_knows(page):
    markdown, code = markdown_and_code(page)
    assert BOOK_ONLY.findall("\n".join(markdown + code)) == []


@pytest.mark.parametrize("page", [p for p in NOTEBOOKS if "weighted_shares(" in p.read_text(encoding="utf-8") or "with_contrasts(" in p.read_text(encoding="utf-8")], ids=lambda p: p.name)
def test_a_notebook_that_estimates_states_its_estimators_as_equations(page):
    markdown, _ = markdown_and_code(page)
    assert sum(text.count("$$") for text in markdown) >= 4


@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.name)
def test_every_value_in_a_notebook_s_prose_is_glued_by_it(page):
    markdown, code = markdown_and_code(page)
    pasted = set(re.findall(r"\{eval\}`([\w.]+)`", "\n".join(markdown)))
    glued = set(re.findall(r"""glue\(\s*["'](\w+)["']""", "\n".join(code)))
    assert pasted <= glued, pasted - glued


def recorded(download: str) -> list:
    """The statistics a downloaded notebook recorded (its hidden glue output)."""
    notebook = json.loads((SITE / download).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == "statistics":
                return next(value for mime, value in output["data"].items() if mime.endswith("statistics+json"))
    return []


@pytest.mark.book
@pytest.mark.parametrize("page", NOTEBOOKS, ids=lambda p: p.name)
def test_both_editions_compute_the_same_statistics(page):
    # each edition runs the notebooks in its own language: the numbers must not depend on it
    download = page.relative_to(ROOT).with_suffix(".ipynb").as_posix()
    danish, english = recorded(download), recorded(f"en/{download}")
    assert danish == english
