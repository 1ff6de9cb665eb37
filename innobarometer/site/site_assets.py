"""The site's own scripts and assets: vega served from the site (charts draw with no network),
the book's figure and accessibility scripts, no asset that no page uses, and one copy of each
asset both editions use."""

from __future__ import annotations

import filecmp
import hashlib
import posixpath
import re
import shutil
from pathlib import Path

from innobarometer.paths import ROOT

VEGA = "innobarometer/vega.js"


VEGA_BUILD = ROOT / "node_modules" / "vega" / "build" / "vega.min.js"


BOOK_SCRIPT = "innobarometer/book.js"


#: Where figures.js names vega's file; replaced by its name with its digest (`?v=`), so a new
#: vega is never mixed with a browser's cached old one.
VEGA_PLACEHOLDER = "{vega.js}"


def vega_runtime() -> str:
    """vega from npm (the version vl-convert compiles for), the same in both editions: each chart
    carries its edition's number and date formats (`charts.chart_locale_config`). No page loads it
    at first: figures.js adds it when a reader asks for a view or a download."""
    return VEGA_BUILD.read_text(encoding="utf-8")


def versioned(name: str, content: str) -> str:
    """A file's name with the digest of its content, as Sphinx gives its own files (`?v=`)."""
    return f"{name}?v={hashlib.sha256(content.encode('utf-8')).hexdigest()[:8]}"


def book_script(vega: str | None = None) -> str:
    """The book's figure, share and accessibility behaviour (every page), naming the vega it loads."""
    script = "\n".join((Path(__file__).parent / "static" / name).read_text(encoding="utf-8") for name in ("figures.js", "accessibility.js"))
    return script.replace(VEGA_PLACEHOLDER, versioned(Path(VEGA).name, vega_runtime() if vega is None else vega))


def write_scripts(app) -> None:
    """The book's scripts, written before any page so every page links them with the same
    checksum (`?v=`) in a clean and in an incremental build."""
    if app.builder.format != "html":
        return
    folder = Path(app.outdir) / "_static" / "innobarometer"
    shutil.rmtree(folder, ignore_errors=True)  # nothing left over from an earlier build
    folder.mkdir(parents=True)
    vega = vega_runtime()
    (folder / Path(VEGA).name).write_text(vega, encoding="utf-8")
    (folder / Path(BOOK_SCRIPT).name).write_text(book_script(vega), encoding="utf-8")


#: A reference to a file in a page: a link's or a script's, an image's, a style sheet's.
REFERENCE = re.compile(r'\b(href|src)="([^"#?:]+)([?#][^"]*)?"')


def share_static(site: Path, edition: Path) -> list[str]:
    """Serve an edition's assets that are the same as the site's own from the site's `_static`:
    the edition's pages (in `edition`, a folder of `site`) are pointed at the site's copy of every
    file of their `_static` that is byte for byte the same, and their copy is removed. A reader who
    switches language downloads nothing again but the few files that differ (the edition's search
    language and options). Returns the files shared, relative to `_static` (none when the edition
has a style sheet of its own, which would name fonts and images beside it)."""
    ours, theirs = edition / "_static", site / "_static"
    shared = sorted(
        path.relative_to(ours).as_posix() for path in ours.rglob("*")
        if path.is_file() and (theirs / path.relative_to(ours)).is_file() and filecmp.cmp(path, theirs / path.relative_to(ours), shallow=False)
    )
    kept = [path for path in ours.rglob("*") if path.is_file() and path.relative_to(ours).as_posix() not in shared]
    if any(path.suffix == ".css" for path in kept):
        return []  # a style sheet of the edition's own names fonts and images beside it: all stay
    names = set(shared)
    depth = len(edition.relative_to(site).parts)
    for page in sorted(edition.rglob("*.html")):
        folder = posixpath.dirname(page.relative_to(edition).as_posix())

        def to_site(match: re.Match) -> str:
            target = posixpath.normpath(posixpath.join(folder, match.group(2)))
            if not target.startswith("_static/") or target.removeprefix("_static/") not in names:
                return match.group(0)
            up = "../" * ((folder.count("/") + 1 if folder else 0) + depth)  # out of the page's folder and the edition's
            return f'{match.group(1)}="{up}{target}{match.group(3) or ""}"'

        text = page.read_text(encoding="utf-8")
        page.write_text(REFERENCE.sub(to_site, text), encoding="utf-8")
    for name in shared:
        (ours / name).unlink()
    for folder in sorted((p for p in ours.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
    return shared


def remove_unused_static_files(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for pattern in UNUSED_STATIC_FILES:
        for path in static.glob(pattern):
            path.unlink()


#: sphinx-design's style sheet and tab script: the book loads sphinx-design for its {div}
#: directive alone, whose HTML needs neither, and it adds both to every page (62 kB) with no
#: setting to leave them out.
DESIGN_ASSETS = ("sphinx-design.min.css", "design-tabs.js")

#: Files the theme and sphinx-design copy into every site that no page of this book loads.
UNUSED_STATIC_FILES = [
    "scripts/fontawesome.js*",  # replaced by the theme's web font (see _templates/)
    "**/*.map",  # source maps of minified theme scripts
    *DESIGN_ASSETS,
    "*webpack-macros.html",  # template macros, not pages
]
