"""Where things live. The one place that knows the data path; the book's settings are read
from _config.yml and _toc.yml, never repeated."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CODEBOOK = DATA / "codebook"
PUBLISHED_FACTS = DATA / "published" / "facts.csv"
PUBLISHED_CASES = DATA / "published" / "cases.csv"
SYNTHETIC_MICRODATA = DATA / "synthetic" / "workplaces.csv"
SYNTHETIC_ASSUMPTIONS = DATA / "synthetic" / "assumptions.yml"
BUILD = ROOT / "_build"


#: Each edition's configuration: the Danish in _config.yml, the English as its differences from it.
EDITION_CONFIGS = {"da": ROOT / "_config.yml", "en": ROOT / "_config.en.yml"}


@cache
def book_config() -> dict:
    """The Jupyter Book configuration, _config.yml."""
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")) or {}


@cache
def edition_config(language: str) -> dict:
    """An edition's whole configuration: _config.yml with the edition's differences merged over it."""
    return merged(book_config(), yaml.safe_load(EDITION_CONFIGS[language].read_text(encoding="utf-8")) or {})


def merged(base: dict, overrides: dict) -> dict:
    """`base` with `overrides` merged in: mappings key by key, anything else replaced."""
    result = dict(base)
    for key, value in overrides.items():
        result[key] = merged(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return result


def pdf_name(language: str) -> str:
    """An edition's PDF file name, in its LaTeX build and in its site."""
    return Path(edition_config(language)["latex"]["latex_documents"]["targetname"]).with_suffix(".pdf").name


def table_of_contents() -> dict:
    """_toc.yml as read."""
    return yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


def toc_files() -> list[Path]:
    """Every page of the table of contents, _toc.yml, in its order (root first), as .md paths."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if isinstance(node.get(key), str):
                    found.append(ROOT / f"{node[key]}.md")
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(table_of_contents())
    return found


def is_notebook(page: Path) -> bool:
    """Whether a page is a notebook (MyST Markdown with a kernel) rather than a narrative page."""
    return page.exists() and "kernelspec:" in page.read_text(encoding="utf-8")[:500]


def execution_cache(language: str) -> Path:
    """An edition's execution cache (each edition runs its notebooks in its own language)."""
    return ROOT / edition_config(language)["execute"]["cache"]


#: The Danish edition's execution cache, and a notebook's time limit, as Jupyter Book uses them.
EXECUTION_CACHE = execution_cache("da")
EXECUTION_TIMEOUT = int(book_config()["execute"]["timeout"])
#: The statistics the notebooks recorded, as the execution collects them from the Danish cache
#: (inside it, so cleared with it); the build publishes them as _build/statistics.csv.
RECORDED_STATISTICS = EXECUTION_CACHE / "statistics.csv"
#: The Danish PDF's file name, in the LaTeX build and in the site.
PDF_NAME = pdf_name("da")

#: Environment variable that points the whole book at another microdata file.
DATA_ENV = "INNOBAROMETER_DATA"
#: Set by the build for the notebooks it executes (offline charts).
BUILD_ENV = "INNOBAROMETER_BUILD"


def microdata_path() -> Path:
    """The microdata file the book is computed from: INNOBAROMETER_DATA, else the synthetic stand-in."""
    configured = os.environ.get(DATA_ENV, "").strip()
    # Absolute but not resolved: resolving fails on a symlink loop, and messages should name
    # the path the user gave.
    return Path(os.path.abspath(Path(configured).expanduser())) if configured else SYNTHETIC_MICRODATA


def uses_synthetic_data() -> bool:
    return microdata_path() == SYNTHETIC_MICRODATA.resolve()
