"""Where the book replaces or patches a part of the framework (Sphinx, myst-nb, sphinx-copybutton),
each with why. Everything else the book does goes through the extension points the framework
documents. Jupyter Book 1 is frozen on Sphinx 7: each of these is to be checked when a pin moves,
and each has a test that fails if it stops working (named at each).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder


# --- Replaced: myst-nb's `{eval}` role (registered over it, `override=True`). Why: the notebooks
# use `{eval}` so that JupyterLab (jupyterlab-myst) shows each value from the kernel; myst-nb's
# own `eval` needs a kernel while Sphinx reads, and the book reads its notebooks from the
# execution cache. Test: tests/test_notebooks_as_analyses.py, tests/test_site.py (the values on the pages).

def pasted_value_role():
    """`{eval}`name``: the value the page's notebook glued as `name` (`page.md::name` from
    another page), as text.

    The same role shows the value in Jupyter: jupyterlab-myst evaluates `name`, the notebook's
    variable that it glued, in the kernel. myst-nb's own `eval` needs a live kernel while Sphinx
    reads the page; the book reads its notebooks from the execution cache, so here the role pastes
    the glued value (myst-nb's `glue:text`).

    A value is named the same way in a page and in its translation: `name`. Sphinx parses a
    translation apart from its page, where the page's glued values are not at hand; there the
    name is looked up as the page's own, as myst-nb looks up another page's (`page.md::name`).
    """
    from myst_nb.ext.glue.roles import PasteTextRole

    class PastedValue(PasteTextRole):
        def run(self):
            if "::" not in self.text and "nb_renderer" not in self.document:  # a translation
                env = self.document.settings.env
                self.text = f"{Path(env.doc2path(env.docname)).name}::{self.text}"
            self.text = f"{self.text}:s"  # glue:text's form, key:format; a page's path has colons too
            pasted, messages = super().run()
            for node in pasted:
                # finished text, its quotes set by the code: smart quotes would also rewrite the
                # quotes in a name from outside (a data file's)
                node["support_smartquotes"] = False
            return pasted, messages

    return PastedValue()


# --- Replaced: Sphinx's HTML builder (registered over `html`, `override=True`), to index each
# page without its code. Why: Sphinx 7's search indexes every text node and offers no way to leave
# some out (the `no-search` class came with Sphinx 8). Test: tests/test_browser.py (search).

def is_code_cell(node: nodes.Node) -> bool:
    """A code cell's input, or its toggle's text ("Vis beregningen", `code_toggles_named_by_their_text`)."""
    return isinstance(node, nodes.Element) and ("cell_input" in node.get("classes", []) or node.get("code_toggle", False))


def without_code(doctree: nodes.document) -> nodes.document:
    """A copy of the page without its code cells and their toggles, for the index."""
    prose = doctree.deepcopy()
    for cell in list(prose.findall(is_code_cell)):
        cell.parent.remove(cell)
    return prose


class HTMLBuilder(StandaloneHTMLBuilder):
    """Sphinx's HTML builder, indexing each page for search without its code cells."""

    def index_page(self, pagename: str, doctree: nodes.document, title: str) -> None:
        super().index_page(pagename, without_code(doctree), title)


# --- Written differently: myst-nb's collapsed code cell (a doctree transform, not its visitor).
# Test: tests/test_browser.py (no "Toggle hidden content" on any page).

def code_toggles_named_by_their_text(app, doctree, docname) -> None:
    """myst-nb's collapsed code cells, each named by its visible text alone ("Vis beregningen"):
    myst-nb's own labels its toggle "Toggle hidden content" for screen readers, a name other than
    the one on screen (WCAG 2.5.3, label in name). The cell is written as myst-nb writes it, but
    for that label."""
    from myst_nb.sphinx_ import HideCodeCellNode

    if app.builder.format != "html":
        return
    for cell in list(doctree.findall(HideCodeCellNode)):
        opening = (
            f'<details class="admonition hide {" ".join(cell["classes"])}">\n<summary>\n'
            f'<p class="collapsed admonition-title">{html.escape(cell["prompt_show"])}</p>\n'
            f'<p class="expanded admonition-title">{html.escape(cell["prompt_hide"])}</p>\n'
            "</summary>\n"
        )
        toggle = [nodes.raw("", opening, format="html", code_toggle=True), nodes.raw("", "</details>\n", format="html", code_toggle=True)]
        parent = cell.parent
        at = parent.index(cell)
        parent[at:at + 1] = [toggle[0], *cell.children, toggle[1]]  # not replace_self: it would give the first node the cell's classes


# --- Subclassed: Sphinx's Danish search language, reading the stemmer Sphinx bundles. Why: its
# stems do not meet (below). Test: tests/test_browser.py (a search for "kvaliteten").

def danish_search_language():
    """Danish search whose stems meet: Snowball's Danish stemmer takes 'kvalitet' to 'kvalit' but
    'kvaliteten' to 'kvalitet', so a reader's 'kvaliteten' found nothing. Stemming twice, in the
    index and in the browser alike, brings the inflected forms to one stem."""
    from sphinx.search import da

    scripts = Path(da.__file__).parent / "minified-js"
    stemmers = "\n".join((scripts / name).read_text(encoding="utf-8") for name in ("base-stemmer.js", "danish-stemmer.js"))

    class DanishStemmedTwice(da.SearchDanish):
        js_stemmer_rawcode = ""
        js_stemmer_code = stemmers + (
            "\nvar Stemmer = function () { var once = new DanishStemmer();"
            " this.stemWord = function (word) { return once.stemWord(once.stemWord(word)); }; };\n"
        )

        def stem(self, word: str) -> str:
            return super().stem(super().stem(word))

    return DanishStemmedTwice


# --- Patched: sphinx-copybutton's script, a string added to its table of texts. Why: it has no
# Danish and no setting for its texts. Test: tests/test_browser.py (the Danish copy button).

COPY_BUTTON_DANISH = """  'da': {
    'copy': 'Kopiér',
    'copy_to_clipboard': 'Kopiér koden',
    'copy_success': 'Kopieret!',
    'copy_failure': 'Kunne ikke kopiere',
  },
"""


def add_danish_to_copy_button(script: Path) -> None:
    """sphinx-copybutton picks its texts by the page's language from a table without Danish: add it."""
    if script.exists():
        text = script.read_text(encoding="utf-8")
        if "'da':" not in text:
            script.write_text(text.replace("const messages = {\n", "const messages = {\n" + COPY_BUTTON_DANISH, 1), encoding="utf-8")


# --- Patched: Sphinx's translations of its search script. Why: its Danish catalogue leaves the
# count of results empty. Test: tests/test_browser.py (the search page's count).

#: The search page's count of results: Sphinx's Danish catalogue has the message untranslated
#: (an empty string), and its search script then says nothing at all once a search has ended.
SEARCH_COUNT = "Search finished, found ${resultCount} page(s) matching the search query."
SEARCH_COUNT_DANISH = "Søgningen fandt ${resultCount} side(r), der passer til søgningen."


def add_danish_search_count(script: Path) -> None:
    """Sphinx's translations for the search script, with the count of results in Danish where
    the catalogue leaves it empty."""
    if script.exists():
        text = script.read_text(encoding="utf-8")
        untranslated = f'"{SEARCH_COUNT}": ""'
        if untranslated in text:
            script.write_text(text.replace(untranslated, f'"{SEARCH_COUNT}": {json.dumps(SEARCH_COUNT_DANISH)}', 1), encoding="utf-8")
