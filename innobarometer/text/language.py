"""The language of the texts the code writes, and their translation: `_("…")` gives a text as
written (Danish) or from the gettext catalogues in the current language (INNOBAROMETER_LANGUAGE,
or `speaking`'s); the kit's catalogue travels with the kit (`innobarometer/locale/`), the book's
are its own (`locale/`)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

DANISH, ENGLISH = LANGUAGES = ("da", "en")
#: The environment variable that sets the language of a process: its notebooks' kernels, its Sphinx build.
LANGUAGE_ENV = "INNOBAROMETER_LANGUAGE"

_language: ContextVar[str | None] = ContextVar("language", default=None)


def language() -> str:
    """The language of the texts being made now: `speaking`'s, else the process's (INNOBAROMETER_LANGUAGE), else Danish."""
    chosen = _language.get() or os.environ.get(LANGUAGE_ENV, "").strip() or DANISH
    if chosen not in LANGUAGES:
        raise ValueError(f"no edition in language {chosen!r} ({LANGUAGE_ENV}); the editions are {', '.join(LANGUAGES)}")
    return chosen


@contextmanager
def speaking(language: str):
    """Make texts in this language inside the block."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


@lru_cache(maxsize=None)
def translations(language_: str) -> dict[str, str]:
    """Every translated message in this language, by its Danish text: the kit's catalogue (in
    the kit) and the book's (its pages' and its chapter's code's)."""
    from babel.messages.pofile import read_po

    from innobarometer.paths import ROOT

    found = {}
    folders = [Path(__file__).parents[1] / "locale", ROOT / "locale"]
    for path in [path for folder in folders for path in sorted((folder / language_ / "LC_MESSAGES").rglob("*.po"))]:
        with open(path, "rb") as file:
            found |= {message.id: message.string for message in read_po(file) if message.id and message.string and not message.fuzzy}
    return found


def _(message: str) -> str:
    """A text the code writes, in the current language: as written (Danish), or its translation
    from the catalogues (gettext's name, so that Babel extracts it)."""
    if language() == DANISH:
        return message
    translated = translations(language()).get(message)
    if translated is None:
        raise LookupError(f"no {language()} translation of {message!r}: run `make translations` and translate it")
    return translated
