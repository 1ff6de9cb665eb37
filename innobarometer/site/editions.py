"""Two editions: the Danish original and an English translation, each executed in its language.

The pages and notebooks are written in Danish. The English edition's Sphinx build (language
`en`) translates them with Sphinx's own internationalisation: every paragraph, heading and
caption has its English text in a gettext catalogue, `locale/en/LC_MESSAGES/<page>.po`
(`python -m innobarometer.site.translations` brings the catalogues up to date with the pages).

What the code writes (a figure's title, a computed sentence) is made in the language of the
process (`innobarometer/text/language.py`: INNOBAROMETER_LANGUAGE and `_("…")`); the build runs
each edition's notebooks in its language (`innobarometer/building/execute.py`). This module holds
where each edition is published, the check that an edition is built in its language, the reader
of the pages, and how a quote in another language stands in the English edition.
"""

from __future__ import annotations

import re

from innobarometer.text.language import DANISH, ENGLISH, LANGUAGE_ENV, language

#: Where each edition is published inside the site, relative to its root.
FOLDER = {DANISH: "", ENGLISH: "en/"}

#: The tags of a notebook's cell that keep it to one edition of the book, web or print (the
#: classes innobarometer.site.print_edition drops; a code cell's tag reaches the page as `tag_<tag>`).
EDITION_TAGS = ("web-only", "print-only")


def edition_language_matches(app, config) -> None:
    """Refuse to build an edition in a process of another language (INNOBAROMETER_LANGUAGE): the
    texts the code writes would be in another language than its pages'."""
    if language() != config.language:
        raise ValueError(f"the {config.language} edition is built with {LANGUAGE_ENV}={language()}: the texts the code writes would be in another language")


def page(source: str):
    """A page as the editions read it (myst-nb's reader of `.md`, `nb_custom_formats`): a notebook,
    also a narrative page without code, so that it can paste what a notebook glued.

    A Markdown cell tagged `web-only` or `print-only` (`+++ {"tags": ["web-only"]}`, which Jupyter
    does not show) is marked with that class for the book: its section, where it opens with a
    heading, else the cell's text."""
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(source, add_source_map=True)
    for number, cell in enumerate(notebook.cells):
        tag = next((t for t in cell.metadata.get("tags", []) if t in EDITION_TAGS), None)
        if cell.cell_type != "markdown" or tag is None:
            continue
        if cell.source.lstrip().startswith("#"):
            opening = f"```{{rst-class}} {tag}\n```\n\n"
            cell.source = opening + cell.source
        else:
            fence = ":" * (max((len(run) for run in re.findall(r"^:{3,}", cell.source, re.MULTILINE)), default=2) + 1)
            opening = f"{fence}{{div}} {tag}\n"
            cell.source = f"{opening}{cell.source}\n{fence}"
        # The cell's text keeps its file lines (the catalogues and messages name them).
        notebook.metadata["source_map"][number] -= opening.count("\n")
    return notebook


def quotes_once(app, doctree, docname) -> None:
    """A quote said in another language than the edition's stands once: the translation, with the
    original one click away (folded under it) on the web and left out of print.

    A page gives a quote as it was said (`:::{div} language-da`), then its translation
    (`::::{only} en`); the quote's anchor moves to the translation.
    """
    from docutils import nodes

    if app.config.language == DANISH or app.builder.name == "gettext":
        return
    for original in list(doctree.findall(lambda n: isinstance(n, nodes.container) and any(c.startswith("language-") for c in n["classes"]))):
        said = [quote for quote in original.findall(nodes.block_quote) if "pull-quote" in quote["classes"]]
        parent = original.parent
        index = parent.index(original)
        translation = next((n for n in parent.children[index + 1:] if isinstance(n, nodes.block_quote) and "pull-quote" in n["classes"]), None)
        if not said or translation is None:
            continue
        translation["ids"] = original["ids"] + translation["ids"]
        original["ids"] = []
        parent.remove(original)
        if app.builder.format == "html":
            summary = "The quote as it was said"  # the English edition's (the Danish one has none)
            at = parent.index(translation) + 1
            parent.insert(at, [
                nodes.raw("", f'<details class="quote-original"><summary>{summary}</summary>', format="html"),
                original,
                nodes.raw("", "</details>", format="html"),
            ])
