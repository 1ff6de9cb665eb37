"""Two editions from one execution: the Danish original and an English translation.

The pages and notebooks are written in Danish. The English edition's Sphinx build (language
`en`) translates them with Sphinx's own internationalisation: every paragraph, heading and
caption has its English text in a gettext catalogue, `locale/en/LC_MESSAGES/<page>.po`
(`python -m innobarometer.translations` brings the catalogues up to date with the pages).

What the code makes, it makes in both languages in the one execution: `text(da, en)` in the
package, and `glue_each`, which glues `key` in Danish and `key_en` in English. A translated
paragraph pastes English values as `page.md::key_en` (Sphinx parses a translation apart from its
page, so it names the page); a glued block or figure ({glue:md}, {glue:figure}) is pasted in
English by the English edition's reader (`page`), which turns its key into `key_en`.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from types import SimpleNamespace

DANISH, ENGLISH = LANGUAGES = ("da", "en")
#: Where each edition is published inside the site, relative to its root.
FOLDER = {DANISH: "", ENGLISH: "en/"}

_language: ContextVar[str] = ContextVar("language", default=DANISH)

#: Every value the notebook glued, in Danish, by name: `{eval}`glued.headline_share`` in a
#: page's Markdown shows it in Jupyter (jupyterlab-myst evaluates the expression in the kernel);
#: the book pastes the glued value itself (innobarometer.directives, the `eval` role).
glued = SimpleNamespace()


class Shown(str):
    """A glued text as Jupyter shows it in the Markdown: the text itself, not its Python repr
    (which would show '70\\xa0%' for 70 %)."""

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))


def language() -> str:
    """The language of the texts being made now: Danish unless `speaking` says otherwise."""
    return _language.get()


def set_language(language: str) -> None:
    """The language of a whole process (an edition's Sphinx build)."""
    if language not in LANGUAGES:
        raise ValueError(f"no edition in language {language!r}; the editions are {', '.join(LANGUAGES)}")
    _language.set(language)


@contextmanager
def speaking(language: str):
    """Make texts in this language inside the block."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def text(da: str, en: str) -> str:
    """The text in the current language."""
    return en if language() == ENGLISH else da


def key(name: str, language_: str | None = None) -> str:
    """A glued value's key in an edition: 'ranking' in the Danish, 'ranking_en' in the English."""
    language_ = language_ or language()
    return name if language_ == DANISH else f"{name}_{language_}"


def glue_each(name: str, make, display: bool = False) -> None:
    """Glue `make()` once per edition, each made in its language (keys as `key` names them).

    With `display`, the Danish value is also shown as the cell's output, as an analyst running
    the notebook sees it (the page itself hides code cells' outputs; it pastes the glued value).
    The Danish value is also `glued.<name>`, which `{eval}`glued.name`` shows in Jupyter.
    """
    from myst_nb import glue

    for language_ in LANGUAGES:
        with speaking(language_):
            value = make()
            glue(key(name), value, display=display and language_ == DANISH)
            if language_ == DANISH:
                setattr(glued, name, Shown(value) if isinstance(value, str) else value)


#: A glue directive's opening line in a Markdown cell, e.g. "```{glue:figure} figure_b_chart".
GLUE_DIRECTIVE = re.compile(r"^(\s*(?:`{3,}|:{3,})\{glue(?::\w+)?\}\s+)([\w.-]+)(\s*)$", re.MULTILINE)


def page(source: str, language_: str):
    """A page as an edition reads it (myst-nb's reader of `.md`, `nb_custom_formats`): the
    Danish as written; the English with each glued block's key in its English form."""
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(source, add_source_map=True)
    if language_ != DANISH:
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                cell.source = GLUE_DIRECTIVE.sub(lambda m: m[1] + key(m[2], language_) + m[3], cell.source)
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
