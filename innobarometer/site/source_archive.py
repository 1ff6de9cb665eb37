"""The book's source as a file of the site (`kildekode.zip`): what an analyst needs to run the
notebooks again with `make lab`, or to build the book with `make book`.

What goes in is listed, not what stays out: the kit and the chapter's package, the notebooks and pages, their
configuration, the catalogues and the Makefile with its pins, and of `data/` only the codebook,
the published facts and the synthetic stand-in. A microdata file placed anywhere in the
repository (as the configured INNOBAROMETER_DATA or not) is never published with it, nor are the
tests and benchmarks (not inputs of the site, so an archive that held them could go stale).
The archive is the same bytes for the same files: its entries in order, each dated by the
build's date (SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

NAME = "kildekode.zip"
#: The folders whose files are the source (each walked, caches and compiled catalogues left out),
#: and the chapter's own package beside them.
FOLDERS = [".ci", "_static", "_templates", "book", "docs", "innobarometer", "jupyter-config", "locale", "notebooks", "data/codebook", "data/published"]
#: The single files.
FILES = [
    ".gitignore", "Makefile", "README.md", "_config.en.yml", "_config.yml", "_toc.yml", "jupytext.toml", "package-lock.json",
    "package.json", "publication.yml", "pyproject.toml", "requirements-lab.txt", "requirements.txt", "data/synthetic/assumptions.yml",
    "data/synthetic/workplaces.csv",
]
#: Kinds of file that the folders hold as source; anything else found there (a data file put there
#: by hand) is not.
SOURCE_SUFFIXES = {".py", ".md", ".yml", ".yaml", ".toml", ".json", ".css", ".js", ".html", ".po", ".svg", ".png", ".ico", ".sh", ""}
#: The data folders' own kinds of file.
DATA_SUFFIXES = {".csv", ".md"}


def source_files(root: Path, microdata: Path | None = None, chapter: str | None = None) -> list[str]:
    """The archive's files, as paths relative to `root`, in order; `chapter` names the chapter's package."""
    found = {name for name in FILES if (root / name).is_file()}
    for folder in FOLDERS + ([chapter] if chapter else []):
        suffixes = DATA_SUFFIXES if folder.startswith("data/") else SOURCE_SUFFIXES
        for path in (root / folder).rglob("*"):
            relative = path.relative_to(root)
            if path.is_file() and path.suffix.lower() in suffixes and "__pycache__" not in relative.parts:
                found.add(relative.as_posix())
    if microdata is not None and microdata.resolve().is_relative_to(root.resolve()):
        configured = microdata.resolve().relative_to(root.resolve()).as_posix()
        if configured not in FILES:  # the stand-in is published; any other configured file is not
            found.discard(configured)
    return sorted(found)


def write_archive(root: Path, target: Path, epoch: int, microdata: Path | None = None, chapter: str = "") -> None:
    """The source of the book at `root` as a zip file at `target`, dated `epoch`, in a folder named
    after the chapter's package (organiser_smartere: `organiser-smartere/`)."""
    date = time.gmtime(max(epoch, 315532800))[:6]  # a zip cannot date a file before 1980
    folder = chapter.replace("_", "-") or root.name
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in source_files(root, microdata, chapter or None):
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=date)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, (root / name).read_bytes(), compresslevel=9)
