"""Reading built pages as a person sees them: visible text, and what a page would load."""

import re
from html.parser import HTMLParser
from pathlib import Path

from innobarometer.paths import ROOT, is_notebook, toc_files
from notebook_code import microdata_notebooks

#: Every page of the table of contents as the site names it (book/index.html, notebooks/kvalitet.html, ...).
BOOK_PAGES = [page.relative_to(ROOT).with_suffix(".html").as_posix() for page in toc_files()]
#: The pages that show a figure (a `{paste-figure}`: the chapter), the notebooks (pages with code),
#: and those whose notebook reads the microdata.
FIGURE_PAGES = [page.relative_to(ROOT).with_suffix(".html").as_posix() for page in toc_files() if "{paste-figure}" in page.read_text(encoding="utf-8")]
#: The chapter, where the figures stand.
CHAPTER = "book/organiser-smartere.html"
NOTEBOOK_PAGES = [page.relative_to(ROOT).with_suffix(".html").as_posix() for page in toc_files() if is_notebook(page)]
MICRODATA_PAGES = [page.relative_to(ROOT).with_suffix(".html").as_posix() for page in microdata_notebooks()]


class TextAndRequests(HTMLParser):
    """Visible text and the URLs a page would load (scripts, styles, images, frames)."""

    def __init__(self):
        super().__init__()
        self.text, self.requests, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag in ("script", "img", "iframe", "source", "video", "audio") and attrs.get("src"):
            self.requests.append(attrs["src"])
        if tag == "link" and attrs.get("href") and set((attrs.get("rel") or "").split()) & {"stylesheet", "preload", "icon", "modulepreload"}:
            self.requests.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse_page(path: Path) -> TextAndRequests:
    parser = TextAndRequests()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return parser


def visible_text(path: Path) -> str:
    """The page's text with runs of white space folded (non-breaking spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", " ".join(parse_page(path).text))


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class TextWithoutCode(HTMLParser):
    """A page's visible text without the source of its code cells (what a notebook page shows of
    its code is not what it prints: `np.nan` in code is no "nan" printed)."""

    def __init__(self):
        super().__init__()
        self.text, self._open = [], []  # open elements: skipped or not

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self._open.append(tag in ("script", "style") or "cell_input" in classes or (bool(self._open) and self._open[-1]))

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        if not (self._open and self._open[-1]):
            self.text.append(data)


def text_without_code(path: Path) -> str:
    parser = TextWithoutCode()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return re.sub(r"[ \t\r\n]+", " ", " ".join(parser.text))


class TextByLanguage(HTMLParser):
    """A page's visible prose with the language each piece is marked with (the nearest `lang`);
    code, scripts and styles left out."""

    def __init__(self):
        super().__init__()
        self.pieces, self._open = [], []  # open elements: (tag, lang, skipped)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        lang = attrs.get("lang") or (self._open[-1][1] if self._open else "")
        skipped = tag in ("script", "style", "pre", "code", "svg") or (bool(self._open) and self._open[-1][2])
        self._open.append((tag, lang, skipped))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        if self._open and not self._open[-1][2] and data.strip():
            self.pieces.append((" ".join(data.split()), self._open[-1][1]))


def text_in_language(path: Path, language: str) -> str:
    """The page's visible prose that is marked (or inherits) `language`."""
    parser = TextByLanguage()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    return " ".join(text for text, lang in parser.pieces if lang.split("-")[0] == language)
