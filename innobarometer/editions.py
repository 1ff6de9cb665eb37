"""Two editions from one execution: the Danish original and an English translation.

Every text exists in both languages where it is written: `text(da, en)` in the code, a Danish and an
English Markdown cell side by side in the pages. The notebooks run once and glue each text in both
languages (`glue_each`); each edition's Sphinx build reads the pages with only its own cells
(`page`, set as myst-nb's reader of `.md` files) and pastes its own keys.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

DANISH, ENGLISH = LANGUAGES = ("da", "en")
#: Where each edition is published inside the site, relative to its root.
FOLDER = {DANISH: "", ENGLISH: "en/"}

_language: ContextVar[str] = ContextVar("language", default=DANISH)


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


def glue_each(name: str, make) -> None:
    """Glue `make()` once per edition, each made in its language (keys as `key` names them)."""
    from myst_nb import glue

    for language_ in LANGUAGES:
        with speaking(language_):
            glue(key(name), make(), display=False)


def page(source: str, language_: str):
    """A page as an edition reads it: the shared cells and the Markdown cells of its language.

    A Markdown cell belongs to one edition when its `+++` line says so: `+++ {"lang": "en"}`.
    Code cells are shared, so both editions find the same execution in the cache.
    """
    from myst_nb.core.read import read_myst_markdown_notebook

    notebook = read_myst_markdown_notebook(source, add_source_map=True)
    kept = [(cell, line) for cell, line in zip(notebook.cells, notebook.metadata["source_map"]) if cell.metadata.get("lang", language_) == language_]
    notebook.cells = [cell for cell, _ in kept]
    notebook.metadata["source_map"] = [line for _, line in kept]
    return notebook

