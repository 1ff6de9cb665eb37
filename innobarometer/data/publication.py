"""The publication's identity, `publication.yml`: its title, edition, publisher and licence in
each edition's language, and the package of its chapter's own code."""

from __future__ import annotations

import importlib
from functools import cache

import yaml

from innobarometer.paths import ROOT
from innobarometer.text.language import LANGUAGES, language

IDENTITY = ROOT / "publication.yml"
#: What the identity gives in every edition's language.
FIELDS = ("title", "subtitle", "edition", "period", "publisher", "author", "credit", "original", "licence", "licence_url")


@cache
def identity() -> dict:
    """publication.yml as read, checked: every field in every language, and the chapter's package."""
    read = yaml.safe_load(IDENTITY.read_text(encoding="utf-8")) or {}
    for field in FIELDS:
        given = read.get(field)
        missing = [code for code in LANGUAGES if not isinstance(given, dict) or not str(given.get(code) or "").strip()]
        if missing:
            raise ValueError(f"{IDENTITY.name}: the field {field!r} has no text in {', '.join(missing)}")
    if not str(read.get("chapter") or "").strip():
        raise ValueError(f"{IDENTITY.name}: the field 'chapter' (the chapter's Python package) is missing")
    return read


def said(field: str, in_language: str | None = None) -> str:
    """A field of the identity in the current language (or the one given)."""
    return identity()[field][in_language or language()]


def chapter_module(name: str):
    """A module of the chapter's own package, `<chapter>.<name>`."""
    return importlib.import_module(f"{identity()['chapter']}.{name}")


#: The identity's fields the PDF's cover and metadata use, as LaTeX commands (`\publicationtitle`).
LATEX_FIELDS = ("title", "edition", "period", "credit")


def configuration(config: dict, in_language: str) -> dict:
    """An edition's configuration with the identity in it: the book's title and author, and the
    LaTeX commands its cover and PDF metadata are written with, defined before its title page."""
    from sphinx.util import texescape

    texescape.init()
    commands = "".join(
        f"\\newcommand{{\\publication{field}}}{{{texescape.escape(said(field, in_language), 'xelatex')}}}\n" for field in LATEX_FIELDS
    )
    latex = config["sphinx"]["config"]["latex_elements"]
    return config | {
        "title": said("title", in_language),
        "author": said("author", in_language),
        "sphinx": config["sphinx"] | {"config": config["sphinx"]["config"] | {"latex_elements": latex | {"maketitle": commands + latex["maketitle"]}}},
    }
