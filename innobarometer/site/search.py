"""The site's search: what it indexes. A reader searches the book's prose, tables and figures,
never its code (a notebook's code cells stay on the page, folded, but out of the index)."""

from __future__ import annotations

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder


def is_code_cell(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and "cell_input" in node.get("classes", [])


def without_code(doctree: nodes.document) -> nodes.document:
    """A copy of the page without its code cells, for the index."""
    prose = doctree.deepcopy()
    for cell in list(prose.findall(is_code_cell)):
        cell.parent.remove(cell)
    return prose


class HTMLBuilder(StandaloneHTMLBuilder):
    """Sphinx's HTML builder, indexing each page for search without its code cells."""

    def index_page(self, pagename: str, doctree: nodes.document, title: str) -> None:
        super().index_page(pagename, without_code(doctree), title)
