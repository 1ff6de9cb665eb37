"""Reading built pages as a person sees them: visible text, and what a page would load."""

import re
from html.parser import HTMLParser
from pathlib import Path


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
